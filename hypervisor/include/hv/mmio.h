/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: dispatch of trapped MMIO accesses. */

#ifndef _HV_MMIO_H
#define _HV_MMIO_H

#include <hv/cell.h>

struct mmio_access {
	/** Guest-physical address. */
	unsigned long address;
	/** Width in bytes: 1, 2, 4 or 8. */
	unsigned int size;
	bool is_write;
	/** Value written, or the value to return for a read. */
	unsigned long value;
};

enum mmio_result { MMIO_HANDLED, MMIO_UNHANDLED, MMIO_ERROR };

typedef enum mmio_result (*mmio_handler)(void *arg,
					 struct mmio_access *access);

struct mmio_region {
	unsigned long start, size;
	mmio_handler handler;
	void *arg;
};

/**
 * Emulate accesses of @p cell to [@p start, @p start + @p size).
 * @return 0 or -ENOMEM if the cell's table is full.
 */
int mmio_region_register(struct cell *cell, unsigned long start,
			 unsigned long size, mmio_handler handler, void *arg);

/**
 * Register the handler of a sub-page (or not page aligned) I/O region: the
 * cell may access exactly the configured bytes with the configured widths.
 * @return 0, -ENOMEM.
 */
int mmio_subpage_register(struct cell *cell,
			  const struct jailhouse_memory *mem);

/** Drop the sub-page mappings of @p cell. */
void mmio_cell_exit(struct cell *cell);

/** Dispatch an access of the current cell. */
enum mmio_result mmio_handle_access(struct mmio_access *access);

#endif
