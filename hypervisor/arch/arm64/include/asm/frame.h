/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: the guest register frame of an exit. */

#ifndef _ASM_FRAME_H
#define _ASM_FRAME_H

#include <hv/percpu.h>

/** Guest x0..x30, saved by the exception vectors at the top of the stack. */
struct trap_context {
	unsigned long regs[31];
	unsigned long pad;
};

/** The frame slot of the link register (of EL2 code, in an EL2 fault). */
#define ARM_FRAME_LR	30

/** The address the current exception returns to (ELR_EL2). */
static inline unsigned long arm_exception_pc(void)
{
	unsigned long elr;

	asm volatile("mrs %0, elr_el2" : "=r" (elr));
	return elr;
}

static inline void arm_set_exception_pc(unsigned long pc)
{
	asm volatile("msr elr_el2, %0" : : "r" (pc));
}

static inline struct trap_context *guest_frame(struct per_cpu *c)
{
	return (struct trap_context *)(c->stack + PERCPU_STACK_SIZE) - 1;
}

/** Register @p n as an instruction names it (31 is the zero register). */
static inline unsigned long arm_guest_reg(struct trap_context *ctx,
					  unsigned int n)
{
	return n < 31 ? ctx->regs[n] : 0;
}

static inline void arm_set_guest_reg(struct trap_context *ctx,
				     unsigned int n, unsigned long val)
{
	if (n < 31)
		ctx->regs[n] = val;
}

#endif
