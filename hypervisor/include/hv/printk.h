/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: console output and error tracing. */

#ifndef _HV_PRINTK_H
#define _HV_PRINTK_H

#include <hv/kconfig.h>
#include <hv/types.h>
#include <jailhouse/console.h>

/** The console ring page (struct jailhouse_header.console_page). */
extern struct jailhouse_console_ring console_ring;

/**
 * Print to the hypervisor console: the debug UART (if the system
 * configuration names one) and the console ring page the driver reads.
 * Understands %s %c %d %u %x %p, the l and ll length modifiers, a field
 * width and the 0 flag.
 */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print one character to the hypervisor console (serialised). */
void console_putc(char c);

/** Set up the debug UART from the system configuration. */
void console_init(void);

/** Report an error return with its source location; returns @p code. */
long __trace_error(long code, const char *file, unsigned int line);

/**
 * Mark an unexpected error return.  With CONFIG_TRACE_ERROR the console
 * shows file and line; otherwise this is just @p code.
 */
#define trace_error(code) \
	(CONFIG_TRACE_ERROR ? __trace_error((code), __FILE__, __LINE__) \
			    : (long)(code))

#endif
