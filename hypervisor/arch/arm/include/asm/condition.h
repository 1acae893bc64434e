/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: conditional execution of trapped
 * instructions.  The architecture lets a conditional instruction that fails
 * its condition trap (or not): the hypervisor must then skip it without
 * effect; skipping any instruction of a Thumb IT block advances ITSTATE.
 */

#ifndef _ASM_CONDITION_H
#define _ASM_CONDITION_H

#include <hv/types.h>

/** ITSTATE (IT[7:0]) bits in the PSR: IT[1:0] at 26:25, IT[7:2] at 15:10. */
#define ARM_PSR_IT_MASK		0x0600fc00UL

/** IT[7:0] of @p psr. */
unsigned int arm_itstate(unsigned long psr);

/** @p psr with ITSTATE advanced past one instruction (ITAdvance()). */
unsigned long arm_itstate_advance(unsigned long psr);

/** Whether condition @p cond (0-15) holds for the flags of @p psr. */
bool arm_condition_holds(unsigned int cond, unsigned long psr);

/**
 * Whether the instruction trapped with syndrome @p hsr passes its
 * condition check, given the guest's @p psr (SPSR_hyp).
 */
bool arm_trap_condition_passed(unsigned long hsr, unsigned long psr);

#endif
