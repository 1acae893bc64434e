/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the HYP mode state of the caller, saved by
 * the entry code (placeholder until the ARMv7 entry lands).
 */

#ifndef _ASM_HOST_STATE_H
#define _ASM_HOST_STATE_H

struct host_state {
	/** r4..r14 of the caller. */
	unsigned long regs[11];
};

#endif
