/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: PL011 console output (QEMU virt UART). */

#include <inmate.h>

#define PL011_BASE	0x09000000UL
#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	(1 << 5)

static inline unsigned int mmio_read32(unsigned long addr)
{
	return *(volatile unsigned int *)addr;
}

void arch_console_putc(char c)
{
	while (mmio_read32(PL011_BASE + UARTFR) & UARTFR_TXFF)
		;
	*(volatile unsigned int *)(PL011_BASE + UARTDR) = c;
}
