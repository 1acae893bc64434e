/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo, ARM and ARM64: numbered lines on the cell UART. */

/*
 * Prints a numbered line through the UART the cell was given (or the
 * hypervisor's debug console with con-virtual), one per interval.
 *
 * Options: con-* (see inmate.h), interval-ms=<ms> (default 500), count=<n>
 * (stop after n lines; default 0: forever).
 */

#include <inmate.h>

void inmate_main(void)
{
	unsigned long interval = cmdline_parse_int("interval-ms", 500);
	unsigned long count = cmdline_parse_int("count", 0);
	unsigned long n;

	printk("uart-demo: console %s, one line every %lu ms\n",
	       console_type(), interval);
	for (n = 1; !count || n <= count; n++) {
		printk("uart-demo: hello #%lu from the cell\n", n);
		delay_us(interval * 1000);
		comm_region_service(true);
	}
	printk("uart-demo: done after %lu lines\n", count);
}
