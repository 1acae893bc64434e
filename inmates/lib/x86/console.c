/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: COM1 console output (8250 at port 0x3f8). */

#include <inmate.h>

#define COM1		0x3f8
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static inline void outb(unsigned char value, unsigned short port)
{
	asm volatile("outb %0,%1" : : "a" (value), "Nd" (port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char value;

	asm volatile("inb %1,%0" : "=a" (value) : "Nd" (port));
	return value;
}

void arch_console_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & UART_LSR_THRE))
		;
	outb(c, COM1);
}
