/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, arm64: the EL2 state of the caller, saved by the
 * entry code (entry.S, through asm offsets) and restored when leaving.
 */

#ifndef _ASM_HOST_STATE_H
#define _ASM_HOST_STATE_H

struct host_state {
	/** x19..x30 of the caller. */
	unsigned long regs[12];
	/** The hyp stub's vectors. */
	unsigned long vbar_el2;
	unsigned long hcr_el2;
	unsigned long sctlr_el2;
	unsigned long cptr_el2;
	unsigned long mdcr_el2;
	unsigned long vttbr_el2;
	unsigned long vtcr_el2;
	/** Registers handed back when leaving (x0..x30). */
	unsigned long leave_regs[31];
};

#endif
