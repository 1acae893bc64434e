/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo, x86: the smallest cell, greets and reports its setting. */

#include <inmate.h>

void inmate_main(void)
{
	printk("Hello from this tiny cell!\n");
	printk("tiny-demo: %s mode, console %s, %s\n",
	       sizeof(long) == 8 ? "64-bit" : "32-bit", console_type(),
	       comm_region ? "in a cell" : "bare");
}
