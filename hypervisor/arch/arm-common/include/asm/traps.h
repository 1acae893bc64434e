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

/*
 * Exit types entry.S hands to arch_handle_exit() (arm-common/traps.c) in
 * its first argument: the vector a guest left through.
 */
#define ARM_EXIT_SYNC		0
#define ARM_EXIT_IRQ		1	/* acknowledged INTID in bits 8.. */
#define ARM_EXIT_FIQ		2
#define ARM_EXIT_SERROR		3	/* asynchronous abort */
#define ARM_EXIT_FOREIGN	4	/* arm64: from an AArch32 guest */
#define ARM_EXIT_IRQ_MMIO	6	/* GICv2: not acknowledged yet */

void arch_handle_exit(unsigned long type, struct trap_context *ctx);
void arch_handle_hyp_fault(struct trap_context *ctx);

/**
 * Handle a synchronous exit whose exception class only this arch knows
 * (arm64: system registers, ARMv7: CP15/CP14 accesses).
 * @return false if the access is not one the cell may make.
 */
bool arch_handle_trap(struct trap_context *ctx, unsigned long esr);

/**
 * Reflect a fault of the root cell into it as the exception real hardware
 * would raise (arch): the root cannot be stopped.
 */
void arch_inject_root_exception(unsigned long esr);

/**
 * A trap the cell must not cause: print @p what with the syndrome, stop a
 * non-root cell, reflect the fault into the root cell.
 */
void arm_unhandled(const char *what, unsigned long esr);

/** Skip the trapped instruction (arch). */
void arch_skip_instruction(void);

/**
 * Whether the trapped instruction with syndrome @p esr passes its
 * condition check (arch): ARMv7 may trap conditional instructions that
 * fail it, which must then be skipped without effect; AArch64 guests have
 * none.
 */
bool arch_trap_condition_passed(unsigned long esr);

/**
 * Pass the SMC/HVC of the root cell in @p ctx on to the firmware (arch).
 * @return the firmware's result register.
 */
long arm_firmware_call(struct trap_context *ctx);

/**
 * Guarded accesses (entry.S): an abort while the hypervisor touches memory
 * or a device for a cell resumes at their fixup, which returns -EFAULT.
 * @p how is the access size, | ARM_GUARDED_WRITE for a write.
 */
#define ARM_GUARDED_WRITE	0x10
long arm_guarded_access(void *addr, unsigned long how, unsigned long *value);
long arm_guarded_copy(void *dst, const void *src, unsigned long size);
long arm_guarded_zero(void *addr, unsigned long size);
extern const u8 guarded_start[], guarded_end[], guarded_fixup[];

/**
 * Take here an SError (asynchronous abort) still pending from the CPU's
 * last owner, before the CPU is handed to its next one: the hypervisor
 * runs with them masked, and one left pending would hit (and stop) the
 * next guest at its first instruction.  arch_handle_hyp_fault() reports
 * and discards one taken in [serror_drain_start, serror_drain_end].
 * @return 1 if one was pending, else 0.
 */
long arm_drain_serror(void);
extern const u8 serror_drain_start[], serror_drain_end[];

/**
 * Whether a trapped cp15 / system instruction (CRn, opc1, CRm, opc2) is
 * data cache maintenance by set/way: DC ISW, DC CSW or DC CISW (ARMv7:
 * DCISW, DCCSW, DCCISW).
 */
static inline bool arm_is_dc_setway(unsigned int crn, unsigned int opc1,
				    unsigned int crm, unsigned int opc2)
{
	return crn == 7 && opc1 == 0 && opc2 == 2 &&
		(crm == 6 || crm == 10 || crm == 14);
}

/**
 * Carry out a trapped data cache maintenance by set/way (HCR.TSW) with
 * operand @p setway as clean and invalidate, and skip the instruction.
 */
void arm_handle_setway(unsigned long setway);

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
