/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the guest register frame of an exit.  The
 * vectors save r0..r12 and lr, which HYP mode shares with USR and SYS
 * mode; the other modes' banked registers stay in the CPU.
 */

#ifndef _ASM_FRAME_H
#define _ASM_FRAME_H

#include <hv/percpu.h>


struct trap_context {
	/** r0..r12, then lr (USR/SYS). */
	unsigned long regs[14];
	unsigned long pad[2];
};

/** The frame slot of the link register (of HYP code, in a HYP fault). */
#define ARM_FRAME_LR	13

/** The address the current exception returns to (ELR_hyp). */
static inline unsigned long arm_exception_pc(void)
{
	unsigned long elr;

	asm volatile("mrs %0, elr_hyp" : "=r" (elr));
	return elr;
}

static inline void arm_set_exception_pc(unsigned long pc)
{
	asm volatile("msr elr_hyp, %0" : : "r" (pc));
}

static inline struct trap_context *guest_frame(struct per_cpu *c)
{
	return (struct trap_context *)(c->stack + PERCPU_STACK_SIZE) - 1;
}

/**
 * Register @p n (0..14) as the trapped instruction names it, in the mode
 * the guest was in: r8..r12 of FIQ mode and the sp and lr of every mode
 * but USR/SYS (whose lr is HYP's, in the frame) are banked and stay in
 * the CPU (arch/arm/guest-regs.c).
 */
unsigned long arm_guest_reg(struct trap_context *ctx, unsigned int n);
void arm_set_guest_reg(struct trap_context *ctx, unsigned int n,
		       unsigned long val);

#endif
