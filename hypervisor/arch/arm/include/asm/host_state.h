/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the HYP mode state of the caller, saved by
 * the entry code (entry.S, through asm offsets) and restored when leaving.
 */

#ifndef _ASM_HOST_STATE_H
#define _ASM_HOST_STATE_H

struct host_state {
	/** r4..r11 and lr (r14, shared with SVC's caller chain) of the caller. */
	unsigned long regs[9];
	/** The hyp stub's vectors (HVBAR). */
	unsigned long hvbar;
	unsigned long hcr;
	unsigned long hsctlr;
	unsigned long hcptr;
	unsigned long hdcr;
	unsigned long hstr;
	unsigned long vtcr;
	unsigned long long vttbr;
	/** Registers handed back when leaving (r0..r12, lr). */
	unsigned long leave_regs[14];
};

#endif
