/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, ARMv7: QEMU virt power-off (the console
 * is arm-common/pl011.c). */

#include <baremetal.h>

#define PSCI_SYSTEM_OFF	0x84000008UL
#define PSR_MODE_HYP	0x1a

void system_off(void)
{
	/* QEMU virt implements PSCI through smc; SYSTEM_OFF exits QEMU with 0. */
	register unsigned long r0 asm("r0") = PSCI_SYSTEM_OFF;

	asm volatile(".arch_extension sec\n\tsmc #0" : "+r" (r0) : : "memory");
}

/* The ARMv8 name of the privilege level: 2 in HYP mode, 1 in SVC mode. */
unsigned int current_el(void)
{
	unsigned long cpsr;

	asm volatile("mrs %0, cpsr" : "=r" (cpsr));
	return (cpsr & 0x1f) == PSR_MODE_HYP ? 2 : 1;
}
