/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: cells. */

#ifndef _HV_CELL_H
#define _HV_CELL_H

#include <hv/config.h>
#include <hv/paging.h>
#include <hv/percpu.h>
#include <asm/cell.h>
#include <jailhouse/cell-config.h>

struct mmio_region;

struct cell {
	/** Guest-physical address space (stage 2 / nested paging). */
	struct paging_structures paging;
	/** Architecture part. */
	struct cell_arch arch;
	/** 0 for the root cell, 1.. for the others. */
	unsigned int id;
	/** The cell's configuration, a private copy for non-root cells. */
	struct jailhouse_cell_desc *config;
	unsigned int config_pages;
	/** CPUs currently assigned. */
	struct cpu_set cpus;
	/** Communication region, mapped into the cell (NULL for the root). */
	struct jailhouse_comm_region *comm_region;
	/** LOADABLE regions are mapped into the root cell. */
	bool loadable;
	/** Emulated MMIO regions. */
	struct mmio_region *mmio;
	unsigned int num_mmio, max_mmio, mmio_pages;
	struct cell *next;
};

extern struct cell root_cell;

#define for_each_cell(c)	for ((c) = &root_cell; (c); (c) = (c)->next)
#define for_each_non_root_cell(c) \
	for ((c) = root_cell.next; (c); (c) = (c)->next)

#endif
