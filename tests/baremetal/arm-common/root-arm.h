/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library, what the ARM roots share (see include/root.h):
 * QEMU virt, the root runs with the MMU off, PSCI through SMC, semihosting
 * exit (arm-common/root-psci.c).  <root-arch.h> defines PSCI_FN_NATIVE (the function ID base of the
 * calls that take addresses: SMC32 or SMC64) and includes this.
 */

#ifndef _ROOT_ARM_H
#define _ROOT_ARM_H

#define NUM_CPUS	4
#define HV_PHYS		0x7fc00000UL
#define HV_BASE		HV_PHYS
/* the scenario's name, then its argument (tests/hvroot.py) */
#define SCENARIO_ADDR	0x4ff00000UL

#define PSCI_CPU_OFF	0x84000002UL
#define PSCI_CPU_ON	(PSCI_FN_NATIVE + 3)
#define PSCI_AFFINITY_INFO (PSCI_FN_NATIVE + 4)

/* The root's loops poll memory other CPUs write (uncached, MMU off). */
#define cpu_relax()	asm volatile("" : : : "memory")

void __attribute__((noreturn)) semihosting_exit(unsigned long code);
/* DISABLE on CPU 0 and the CPUs of @mask (the others are off). */
long disable(unsigned int mask);

#endif
