/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, arm64: QEMU virt power-off (the console
 * is arm-common/pl011.c). */

#include <baremetal.h>

#define PSCI_SYSTEM_OFF	0x84000008UL

void system_off(void)
{
	/* QEMU virt implements PSCI through smc; SYSTEM_OFF exits QEMU with 0. */
	register unsigned long x0 asm("x0") = PSCI_SYSTEM_OFF;

	asm volatile("smc #0" : "+r" (x0) : : "memory");
}

unsigned int current_el(void)
{
	unsigned long el;

	asm volatile("mrs %0, CurrentEL" : "=r" (el));
	return (el >> 2) & 3;
}
