/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: resetting the CPU state an owner leaves
 * (cpu-state.c), with the debug register access each arch provides.
 */

#ifndef _ASM_CPU_STATE_H
#define _ASM_CPU_STATE_H

#include <asm/sysregs.h>

/**
 * Reset the performance monitors, breakpoints, watchpoints, debug
 * controls and timer compare values of this CPU.
 */
void arm_reset_pmu_debug_timers(void);

/** The numbers of breakpoint and watchpoint register pairs (arch). */
void arm_debug_pair_counts(unsigned int *brps, unsigned int *wrps);

/** Disable and clear breakpoint @p n, or watchpoint @p n with @p watch. */
void arm_clear_debug_pair(unsigned int n, bool watch);

#endif
