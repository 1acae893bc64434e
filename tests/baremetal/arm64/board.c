/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, arm64: QEMU virt console and power-off. */

#include <baremetal.h>

#define PL011_BASE	0x09000000UL
#define UARTFR_TXFF	(1 << 5)
#define PSCI_SYSTEM_OFF	0x84000008UL

void putc(char c)
{
	volatile unsigned int *uart = (volatile unsigned int *)PL011_BASE;

	if (c == '\n')
		putc('\r');
	while (uart[0x18 / 4] & UARTFR_TXFF)
		;
	uart[0] = c;
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

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
