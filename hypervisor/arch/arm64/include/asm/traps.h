/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: guest register frame and trap helpers. */

#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H

#include <hv/percpu.h>

/** Guest x0..x30, saved by the exception vectors at the top of the stack. */
struct trap_context {
	unsigned long regs[31];
	unsigned long pad;
};

static inline struct trap_context *guest_frame(struct per_cpu *c)
{
	return (struct trap_context *)(c->stack + PERCPU_STACK_SIZE) - 1;
}

/** Skip the trapped instruction. */
void arch_skip_instruction(void);

/* arm-common parts, called by the arm64 trap dispatcher */

/** Handle an SMC or HVC with a PSCI/SMCCC function ID in x0. */
void psci_dispatch(struct trap_context *ctx);
/** Emulate a stage-2 data abort; false if it is not an MMIO access. */
bool arm_handle_dabt(struct trap_context *ctx, unsigned long esr);
/** Acknowledge hypervisor events (SGIs) pending on this CPU. */
void gic_handle_events(void);

#endif
