/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: what the trap handlers of arm-common (PSCI,
 * MMIO decoding, GIC events) need from each other and from the arch.  The
 * guest register frame is per arch (<asm/frame.h>): r0..r3 / x0..x3 are
 * regs[0..3] in both, other registers go through arm_guest_reg().
 */

#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H

#include <asm/frame.h>

/** Skip the trapped instruction (arch). */
void arch_skip_instruction(void);

/**
 * Pass the SMC/HVC of the root cell in @p ctx on to the firmware (arch).
 * @return the firmware's result register.
 */
long arm_firmware_call(struct trap_context *ctx);

/** Handle an SMC or HVC with a PSCI/SMCCC function ID in r0/x0. */
void psci_dispatch(struct trap_context *ctx);

/**
 * Emulate a stage-2 data abort.
 * @param esr	The syndrome (ESR_EL2 / HSR).
 * @return false if it is not an MMIO access the cell may make.
 */
bool arm_handle_dabt(struct trap_context *ctx, unsigned long esr);

/** The faulting guest-physical address from HPFAR and FAR. */
static inline u64 arm_fault_ipa(unsigned long hpfar, unsigned long far)
{
	return ((u64)(hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff);
}

#endif
