/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: checks of configuration data.  Every cell
 * description the hypervisor uses (the root cell's inside the system
 * configuration, and each private copy of a CELL_CREATE) passes
 * config_check_cell() before anything reads its variable part.
 */

#ifndef _HV_CONFIG_H
#define _HV_CONFIG_H

#include <hv/paging.h>
#include <jailhouse/cell-config.h>

/** Flags a memory region may carry. */
#define MEM_FLAGS_VALID		(0x1ff | JAILHOUSE_MEM_IO_UNALIGNED | \
				 (0xfUL << JAILHOUSE_MEM_IO_WIDTH_SHIFT))

/** Iterate over the memory regions of a cell configuration. */
#define for_each_mem_region(mem, cfg, n)				\
	for ((n) = 0, (mem) = jailhouse_cell_mem_regions(cfg);		\
	     (n) < (cfg)->num_memory_regions; (n)++, (mem)++)

/** @return whether [@p a, +@p asize) and [@p b, +@p bsize) intersect. */
static inline bool ranges_overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/** @return whether @p mem is not page aligned (emulated, not mapped). */
static inline bool mem_is_subpage(const struct jailhouse_memory *mem)
{
	return !PAGE_ALIGNED(mem->phys_start | mem->virt_start | mem->size);
}

/**
 * Check the structure of a cell description: header, counts, size, name
 * and memory regions (flags, wrap-around, guest-physical and physical
 * limits, overlaps with each other - but in the root cell, where a later
 * region wins - and with @p hv_mem, one page-sized comm region at most,
 * never loadable).
 * @param cfg		The description, @p size bytes readable.
 * @param root		The root cell's (its header was checked with the
 *			system configuration).
 * @param hv_mem	The hypervisor's memory, which no region may touch.
 * @param guest_limit	Highest guest-physical address + 1.
 * @param phys_limit	Highest physical address + 1 (arch_phys_limit()).
 * @return 0 or -EINVAL.
 */
int config_check_cell(const struct jailhouse_cell_desc *cfg,
		      unsigned long size, bool root,
		      const struct jailhouse_memory *hv_mem, u64 guest_limit,
		      u64 phys_limit);

#endif
