/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, ARM: QEMU virt's PL011 console. */

#include <baremetal.h>

#define PL011_BASE	0x09000000UL
#define UARTFR_TXFF	(1 << 5)

void putc(char c)
{
	volatile unsigned int *uart = (volatile unsigned int *)PL011_BASE;

	if (c == '\n')
		putc('\r');
	while (uart[0x18 / 4] & UARTFR_TXFF)
		;
	uart[0] = c;
}
