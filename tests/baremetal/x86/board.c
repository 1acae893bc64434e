/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal test programs, x86-64: COM1 console and the end of the run:
 * QEMU's isa-debug-exit, or under Bochs (tests/bochs.py) the magic break
 * for status 0 and the shutdown port for any other status.
 */

#include <baremetal.h>
#include <root-arch.h>

#define COM1		0x3f8
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define DEBUG_EXIT_PORT	0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

/* 115200 8N1: QEMU does not care, Bochs sends 5-bit characters without */
static void uart_init(void)
{
	static int done;

	if (done)
		return;
	outb(0x80, COM1 + 3);		/* divisor latch */
	outb(1, COM1);
	outb(0, COM1 + 1);
	outb(0x03, COM1 + 3);		/* 8 bits, no parity, 1 stop bit */
	done = 1;
}

void putc(char c)
{
	uart_init();
	if (c == '\n')
		putc('\r');
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(c, COM1);
}

void __attribute__((noreturn)) root_exit(unsigned int status);

void root_exit(unsigned int status)
{
	const char *word = "Shutdown";

	/* everything sent: Bochs emulates the baud rate */
	while (!(inb(COM1 + 5) & LSR_TEMT))
		;
	/* QEMU exits with (status << 1) | 1 */
	asm volatile("outl %0, %1" : : "a" (status), "Nd" (DEBUG_EXIT_PORT));
	if (!status)
		asm volatile("xchg %bx, %bx");
	while (*word)
		asm volatile("outb %0, %1" : : "a" (*word++),
			     "d" ((unsigned short)BOCHS_SHUTDOWN_PORT));
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
