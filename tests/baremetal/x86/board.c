/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, x86-64: COM1 console and isa-debug-exit. */

#include <baremetal.h>
#include <root-arch.h>

#define COM1		0x3f8
#define LSR_THRE	0x20
#define DEBUG_EXIT_PORT	0xf4

void putc(char c)
{
	if (c == '\n')
		putc('\r');
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(c, COM1);
}

void __attribute__((noreturn)) root_exit(unsigned int status);

void root_exit(unsigned int status)
{
	/* QEMU exits with (status << 1) | 1 */
	asm volatile("outl %0, %1" : : "a" (status), "Nd" (DEBUG_EXIT_PORT));
	while (1)
		asm volatile("cli; hlt");
}

void system_off(void)
{
	root_exit(0);
}

unsigned int current_el(void)
{
	return 0;
}
