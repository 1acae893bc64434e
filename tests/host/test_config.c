/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test of hypervisor/config.c (cell description checks) and of the
 * ABI helpers in include/jailhouse/cell-config.h they rely on.
 */

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/string.h>
#include "host.h"

#define LIMIT		(1ULL << 39)
#define PHYS_LIMIT	(1ULL << 44)

static struct {
	struct jailhouse_cell_desc desc;
	u8 cpus[8];
	struct jailhouse_memory mem[4];
} __attribute__((packed)) cell;

static const struct jailhouse_memory hv_mem = {
	.phys_start = 0x7fc00000, .size = 0x400000,
};

static void reset(void)
{
	memset(&cell, 0, sizeof(cell));
	memcpy(cell.desc.signature, JAILHOUSE_CELL_DESC_SIGNATURE, 6);
	cell.desc.revision = JAILHOUSE_CONFIG_REVISION;
	cell.desc.architecture = JAILHOUSE_ARCH_ID;
	memcpy(cell.desc.name, "host-test", 10);
	cell.desc.cpu_set_size = sizeof(cell.cpus);
	cell.cpus[0] = 0x6;
	cell.cpus[7] = 0x80;
	cell.desc.num_memory_regions = 3;
	cell.mem[0] = (struct jailhouse_memory) {
		.phys_start = 0x70000000, .virt_start = 0, .size = 0x100000,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
	};
	cell.mem[1] = (struct jailhouse_memory) {
		.phys_start = 0x9000000, .virt_start = 0x9000000, .size = 0x1000,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_IO,
	};
	cell.mem[2] = (struct jailhouse_memory) {
		.virt_start = 0x80000000, .size = PAGE_SIZE,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_COMM_REGION,
	};
}

/* Check the description with exactly the bytes its counts promise. */
static int check(void)
{
	unsigned long size = sizeof(cell.desc) + sizeof(cell.cpus) +
		cell.desc.num_memory_regions * sizeof(cell.mem[0]);

	return config_check_cell(&cell.desc, size, false, &hv_mem, LIMIT,
				 PHYS_LIMIT);
}

static void test_cpu_set(void)
{
	unsigned int cpu, seen[8], n = 0;

	reset();
	jailhouse_cell_for_each_cpu(cpu, &cell.desc)
		if (n < 8)
			seen[n++] = cpu;
	CHECK_EQ(n, 3);
	CHECK_EQ(seen[0], 1);
	CHECK_EQ(seen[1], 2);
	CHECK_EQ(seen[2], 63);
	CHECK(!jailhouse_cell_has_cpu(&cell.desc, 64));
	CHECK(!jailhouse_cell_has_cpu(&cell.desc, 0xffffffff));
}

int main(void)
{
	reset();
	CHECK_EQ(check(), 0);
	CHECK_EQ(config_check_cell(&cell.desc, sizeof(cell.desc) + 8 +
				   3 * sizeof(cell.mem[0]) - 1, false,
				   &hv_mem, LIMIT, PHYS_LIMIT), -EINVAL);

	reset();
	cell.desc.signature[0] = 'X';
	CHECK_EQ(check(), -EINVAL);
	/* ... which the root cell does not carry. */
	CHECK_EQ(config_check_cell(&cell.desc, sizeof(cell), true, &hv_mem,
				   LIMIT, PHYS_LIMIT), 0);

	reset();
	cell.desc.revision++;
	CHECK_EQ(check(), -EINVAL);

	/* Counts that would overflow the size computation. */
	reset();
	cell.desc.num_memory_regions = 0xffffffff;
	CHECK(!jailhouse_cell_counts_valid(&cell.desc));
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.desc.cpu_set_size = 0x7fffffff;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.desc.num_stream_ids = JAILHOUSE_MAX_CONFIG_COUNT + 1;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.desc.num_irqchips = 1;	/* beyond the blob */
	CHECK_EQ(check(), -EINVAL);

	reset();
	memset(cell.desc.name, 'a', sizeof(cell.desc.name));
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.desc.name[0] = 0;
	CHECK_EQ(check(), -EINVAL);

	/* Memory regions. */
	reset();
	cell.mem[0].flags |= 0x80000000;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].virt_start = LIMIT - 0x1000;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].virt_start = 0xfffffffffffff000ULL;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].phys_start = 0xfffffffffff00000ULL;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].phys_start = hv_mem.phys_start - 0x1000;
	CHECK_EQ(check(), -EINVAL);
	/* Physical addresses beyond the CPU's: aliases in the descriptors. */
	reset();
	cell.mem[0].phys_start = PHYS_LIMIT - 0x1000;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].phys_start = (1ULL << 55) | hv_mem.phys_start;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[1].phys_start |= 1ULL << 55;	/* sub-page too */
	cell.mem[1].size = 8;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[0].phys_start = PHYS_LIMIT - cell.mem[0].size;
	CHECK_EQ(check(), 0);
	reset();
	cell.mem[1].virt_start = 0x80000;	/* inside region 0 */
	CHECK_EQ(check(), -EINVAL);
	/* ... accepted in the root cell: the later region wins there */
	CHECK_EQ(config_check_cell(&cell.desc, sizeof(cell), true, &hv_mem,
				   LIMIT, PHYS_LIMIT), 0);
	reset();
	cell.mem[1].size = 8;			/* sub-page I/O: fine */
	CHECK_EQ(check(), 0);
	cell.mem[1].flags &= ~JAILHOUSE_MEM_IO;	/* sub-page RAM: not */
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.mem[2].size = 2 * PAGE_SIZE;
	CHECK_EQ(check(), -EINVAL);
	reset();
	cell.desc.num_memory_regions = 4;
	cell.mem[3] = cell.mem[2];
	cell.mem[3].virt_start += PAGE_SIZE;
	CHECK_EQ(check(), -EINVAL);		/* two comm regions */
	cell.mem[3].size = 0;			/* a placeholder */
	CHECK_EQ(check(), 0);
	reset();
	cell.mem[2].flags |= JAILHOUSE_MEM_LOADABLE;	/* never the root's */
	CHECK_EQ(check(), -EINVAL);

	CHECK(ranges_overlap(0, 0x1000, 0xfff, 1));
	CHECK(!ranges_overlap(0, 0x1000, 0x1000, 1));
	CHECK(ranges_overlap(0x100000000ULL, 0x1000, 0x100000fffULL, 1));

	test_cpu_set();
	return host_done("config");
}
