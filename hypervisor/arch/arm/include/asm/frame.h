/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the guest register frame of an exit
 * (placeholder layout: r0..r12 and the guest's lr; the ARMv7 entry code
 * defines the real one and the access to banked registers).
 */

#ifndef _ASM_FRAME_H
#define _ASM_FRAME_H

#include <hv/percpu.h>

struct trap_context {
	unsigned long regs[14];
	unsigned long pad[2];
};

static inline struct trap_context *guest_frame(struct per_cpu *c)
{
	return (struct trap_context *)(c->stack + PERCPU_STACK_SIZE) - 1;
}

/** Register @p n as an instruction names it. */
static inline unsigned long arm_guest_reg(struct trap_context *ctx,
					  unsigned int n)
{
	return n < 14 ? ctx->regs[n] : 0;
}

static inline void arm_set_guest_reg(struct trap_context *ctx,
				     unsigned int n, unsigned long val)
{
	if (n < 14)
		ctx->regs[n] = val;
}

#endif
