/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: the interface inmates program against. */

#ifndef _INMATE_H
#define _INMATE_H

/** Entry point of every inmate, called after stack and BSS are set up. */
void inmate_main(void);

/** Write one character to the inmate's console (arch/board specific). */
void arch_console_putc(char c);

/** Print a formatted string: %s, %c, %d, %u, %x and %lx are understood. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Stop this CPU for good. */
void __attribute__((noreturn)) stop(void);

#endif
