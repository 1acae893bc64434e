/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: dispatch of trapped MMIO accesses. */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/unit.h>

int mmio_region_register(struct cell *cell, phys_addr_t start, u64 size,
			 mmio_handler handler, void *arg)
{
	struct mmio_region *r;

	if (cell->num_mmio >= cell->max_mmio)
		return trace_error(-ENOMEM);
	r = &cell->mmio[cell->num_mmio++];
	r->start = start;
	r->size = size;
	r->handler = handler;
	r->arg = arg;
	return 0;
}

/* A sub-page region: arg is the jailhouse_memory of the config copy. */
static enum mmio_result subpage_handler(void *arg, struct mmio_access *a)
{
	const struct jailhouse_memory *mem = arg;
	u64 offs = a->address - mem->virt_start;
	unsigned long width_flags = mem->flags & (0xfUL << JAILHOUSE_MEM_IO_WIDTH_SHIFT);
	phys_addr_t phys = mem->phys_start + offs;
	u8 *virt;
	int err;

	if (!(mem->flags & (a->is_write ? JAILHOUSE_MEM_WRITE :
					  JAILHOUSE_MEM_READ)))
		return MMIO_ERROR;
	if (offs + a->size > mem->size)
		return MMIO_ERROR;
	/* Only the widths the region names; none named: no access (as
	 * upstream Jailhouse). */
	if (!(width_flags & ((unsigned long)a->size << JAILHOUSE_MEM_IO_WIDTH_SHIFT)))
		return MMIO_ERROR;
	if (!(mem->flags & JAILHOUSE_MEM_IO_UNALIGNED) && (phys & (a->size - 1)))
		return MMIO_ERROR;

	virt = paging_remap(phys, a->size, PAGE_DEFAULT | PAGE_DEVICE);
	if (!virt)
		return MMIO_ERROR;
	/* The device may abort: that stops the cell, never the hypervisor. */
	if (a->is_write)
		err = arch_guarded_write(virt, a->size, a->value);
	else
		err = arch_guarded_read(virt, a->size, &a->value);
	paging_unmap(virt, a->size);
	if (err) {
		printk("Device at %llx aborted a %u-byte access of cell \"%s\"\n",
		       (u64)phys, a->size, this_cell()->config->name);
		return MMIO_ERROR;
	}
	return MMIO_HANDLED;
}

int mmio_subpage_register(struct cell *cell, const struct jailhouse_memory *mem)
{
	return mmio_region_register(cell, mem->virt_start, mem->size,
				    subpage_handler, (void *)mem);
}

int mmio_cell_init(struct cell *cell)
{
	const struct jailhouse_memory *mem;
	unsigned int n;

	cell->num_mmio = 0;
	cell->max_mmio = units_mmio_count(cell);
	for_each_mem_region(mem, cell->config, n)
		if (mem->size && !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    mem_is_subpage(mem))
			cell->max_mmio++;
	cell->mmio_pages = PAGES(cell->max_mmio * sizeof(struct mmio_region));
	if (!cell->mmio_pages)
		return 0;
	cell->mmio = page_alloc(&mem_pool, cell->mmio_pages);
	return cell->mmio ? 0 : -ENOMEM;
}

void mmio_cell_exit(struct cell *cell)
{
	page_free(&mem_pool, cell->mmio, cell->mmio_pages);
	cell->mmio = NULL;
	cell->num_mmio = cell->max_mmio = cell->mmio_pages = 0;
}

const struct mmio_region *mmio_find_region(const struct cell *cell,
					   phys_addr_t address)
{
	const struct mmio_region *r;
	unsigned int n;

	for (n = 0, r = cell->mmio; n < cell->num_mmio; n++, r++)
		if (address >= r->start && address - r->start < r->size)
			return r;
	return NULL;
}

bool mmio_emulates(const struct cell *cell, u64 start, u64 size)
{
	const struct mmio_region *r;
	unsigned int n;

	for (n = 0, r = cell->mmio; n < cell->num_mmio; n++, r++)
		if (r->handler != subpage_handler &&
		    ranges_overlap(start, size, r->start, r->size))
			return true;
	return false;
}

u64 mmio_emulated_run(const struct cell *cell, u64 start, u64 end,
		      bool *emulated)
{
	const struct mmio_region *r;
	unsigned int n;

	*emulated = false;
	for (n = 0, r = cell->mmio; n < cell->num_mmio; n++, r++) {
		if (r->handler == subpage_handler || !PAGE_ALIGNED(r->start) ||
		    !PAGE_ALIGNED(r->size))
			continue;
		if (r->start <= start && start - r->start < r->size) {
			*emulated = true;
			return MIN(end, r->start + r->size);
		}
		if (r->start > start)
			end = MIN(end, r->start);
	}
	return end;
}

enum mmio_result mmio_handle_access(struct mmio_access *access)
{
	const struct mmio_region *r =
		mmio_find_region(this_cell(), access->address);

	/* the BARs of ivshmem functions, wherever the cell put them */
	return r ? r->handler(r->arg, access) :
		ivshmem_mmio_access(this_cell(), access);
}
