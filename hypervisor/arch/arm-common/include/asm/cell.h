/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARM: per-cell architecture state. */

#ifndef _ASM_CELL_H
#define _ASM_CELL_H

struct cell_arch {
	/** The cell's stage-2 VMID (its ID). */
	unsigned int vmid;
	/** Shared interrupts (SPIs) the cell owns, bit n for interrupt n. */
	u32 spis[1024 / 32];
};

#endif
