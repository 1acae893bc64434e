/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, x86-64: COM1 console and isa-debug-exit. */

#include <baremetal.h>

#define COM1		0x3f8
#define LSR_THRE	0x20
#define DEBUG_EXIT_PORT	0xf4

static inline void outb(unsigned char v, unsigned short port)
{
	asm volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	asm volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

void putc(char c)
{
	if (c == '\n')
		putc('\r');
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(c, COM1);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

void exit_status(unsigned int status);

void exit_status(unsigned int status)
{
	/* QEMU exits with (status << 1) | 1 */
	asm volatile("outl %0, %1" : : "a" (status), "Nd" (DEBUG_EXIT_PORT));
	while (1)
		asm volatile("cli; hlt");
}

void system_off(void)
{
	exit_status(0);
}

unsigned int current_el(void)
{
	return 0;
}
