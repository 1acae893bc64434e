/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo: the smallest inmate, prints a greeting and stops. */

#include <inmate.h>

void inmate_main(void)
{
	printk("Hello from a Jailhouse inmate!\n");
}
