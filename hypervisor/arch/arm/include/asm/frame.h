/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the guest register frame of an exit.  The
 * vectors save r0..r12 and lr, which HYP mode shares with USR and SYS
 * mode; the other modes' banked sp and lr stay in the CPU.
 */

#ifndef _ASM_FRAME_H
#define _ASM_FRAME_H

#include <hv/percpu.h>

#define PSR_MODE_MASK	0x1f
#define PSR_MODE_USR	0x10
#define PSR_MODE_SYS	0x1f

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

/* The guest's mode at the exit (SPSR_hyp). */
static inline unsigned long arm_guest_mode(void)
{
	unsigned long spsr;

	asm volatile("mrs %0, spsr" : "=r" (spsr));
	return spsr & PSR_MODE_MASK;
}

/* Index of register @n in the frame, or -1 for a banked sp/lr. */
static inline int arm_frame_index(unsigned int n)
{
	unsigned long mode;

	if (n < 13)
		return n;
	mode = arm_guest_mode();
	if (n == 14 && (mode == PSR_MODE_USR || mode == PSR_MODE_SYS))
		return 13;
	return -1;
}

/** Register @p n as an instruction names it (banked sp/lr read as 0). */
static inline unsigned long arm_guest_reg(struct trap_context *ctx,
					  unsigned int n)
{
	int i = arm_frame_index(n);

	return i < 0 ? 0 : ctx->regs[i];
}

static inline void arm_set_guest_reg(struct trap_context *ctx,
				     unsigned int n, unsigned long val)
{
	int i = arm_frame_index(n);

	if (i >= 0)
		ctx->regs[i] = val;
}

#endif
