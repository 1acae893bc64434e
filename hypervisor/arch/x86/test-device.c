/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: the test device (CONFIG_TEST_DEVICE, for
 * inmate test suites, not for production).  A non-root cell whose
 * configuration sets JAILHOUSE_CELL_TEST_DEVICE finds an emulated page
 * right after its comm region; its last 8 bytes (0xff8-0xfff) are the
 * same bytes of the cell's comm region page, so that a test reads back
 * through plain memory what it wrote through an intercepted access (and
 * the other way round) -- upstream Jailhouse's mmio-access test does.
 * Any other access to the page stops the cell.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/printk.h>
#include <hv/unit.h>

#define TESTDEV_REGS	0xff8

static bool testdev_wanted(struct cell *cell)
{
	return cell != &root_cell &&
		(cell->config->flags & JAILHOUSE_CELL_TEST_DEVICE);
}

/* The guest-physical page after the comm region, 0 if there is none. */
static phys_addr_t testdev_base(struct cell *cell)
{
	const struct jailhouse_memory *mem;
	unsigned int n;

	for_each_mem_region(mem, cell->config, n)
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION)
			return mem->virt_start + PAGE_SIZE;
	return 0;
}

static enum mmio_result testdev_access(void *arg, struct mmio_access *a)
{
	struct cell *cell = arg;
	unsigned long offset = a->address - testdev_base(cell);
	u8 *reg = (u8 *)cell->comm_region + offset;

	if (offset < TESTDEV_REGS || offset + a->size > PAGE_SIZE) {
		printk("Test device: %s of %u bytes at offset %lx refused\n",
		       a->is_write ? "write" : "read", a->size, offset);
		return MMIO_ERROR;
	}
	if (a->is_write)
		mmio_write_sized(reg, a->size, a->value);
	else
		a->value = mmio_read_sized(reg, a->size);
	return MMIO_HANDLED;
}

static int testdev_init(void)
{
	return 0;
}

static void testdev_shutdown(void)
{
}

static unsigned int testdev_mmio_count(struct cell *cell)
{
	return testdev_wanted(cell) ? 1 : 0;
}

static int testdev_cell_init(struct cell *cell)
{
	phys_addr_t base;

	if (!testdev_wanted(cell))
		return 0;
	base = testdev_base(cell);
	if (!base)
		return -EINVAL;		/* the page follows the comm region */
	return mmio_region_register(cell, base, PAGE_SIZE, testdev_access,
				    cell);
}

static void testdev_cell_exit(struct cell *cell)
{
}

DEFINE_UNIT(testdev, "test device");
