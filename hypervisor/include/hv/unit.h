/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: units, the subsystems that set themselves up
 * (interrupt controller; x86: IOAPIC, PCI, local APIC, AMD IOMMU; ivshmem
 * and the test device later).  A unit is one DEFINE_UNIT() in its own source file: the linker
 * collects the descriptions in the .units section and the core walks them
 * with for_each_unit(), in link order to set up and in reverse to tear
 * down.  Adding a unit is one file plus one SConscript line.
 */

#ifndef _HV_UNIT_H
#define _HV_UNIT_H

#include <hv/types.h>

struct cell;

struct unit {
	/** Name for messages. */
	const char *name;
	/**
	 * Global set-up on the first CPU, after the page pools and the
	 * console are ready and before the root cell is built.
	 * @return 0 or a negative errno.
	 */
	int (*init)(void);
	/** Undo init (failed entry, disable); called only after init. */
	void (*shutdown)(void);
	/**
	 * Number of MMIO regions cell_init() registers for @p cell (the
	 * core sizes the cell's MMIO table from the sum over all units).
	 */
	unsigned int (*mmio_count)(struct cell *cell);
	/**
	 * Set up @p cell (the root cell too): check its configuration, take
	 * its resources, register its MMIO regions.
	 * @return 0 or a negative errno (then nothing may be left over).
	 */
	int (*cell_init)(struct cell *cell);
	/** Undo cell_init (destroy, or a later unit's cell_init failed). */
	void (*cell_exit)(struct cell *cell);
};

/** Register unit @p obj: its functions are @p obj_init etc. */
#define DEFINE_UNIT(obj, label)						\
	static const struct unit __unit_##obj				\
	__attribute__((section(".units"), used,				\
		       aligned(__alignof__(struct unit)))) = {		\
		.name = label,						\
		.init = obj##_init,					\
		.shutdown = obj##_shutdown,				\
		.mmio_count = obj##_mmio_count,				\
		.cell_init = obj##_cell_init,				\
		.cell_exit = obj##_cell_exit,				\
	}

extern const struct unit __units_start[], __units_end[];

#define for_each_unit(u)						\
	for ((u) = __units_start; (u) < __units_end; (u)++)
#define for_each_unit_reverse(u)					\
	for ((u) = __units_end; (u)-- != __units_start; )

/**
 * Initialise every unit; on failure shut down the ones already set up, in
 * reverse order.
 * @return 0 or the failing unit's negative errno.
 */
int units_init(void);

/** Shut every unit down, in reverse order. */
void units_shutdown(void);

/** Sum of the units' MMIO regions for @p cell. */
unsigned int units_mmio_count(struct cell *cell);

/**
 * Set up @p cell in every unit; on failure undo the units already done,
 * in reverse order.
 * @return 0 or the failing unit's negative errno.
 */
int units_cell_init(struct cell *cell);

/** Undo units_cell_init(), in reverse order. */
void units_cell_exit(struct cell *cell);

#endif
