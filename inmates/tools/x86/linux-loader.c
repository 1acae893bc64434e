/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse tool inmate: boots a Linux kernel inside a non-root cell
 * (`jailhouse cell linux`).  Placeholder: it reports that it cannot do so
 * yet, until the cell-linux work lands.
 */

#include <inmate.h>

void inmate_main(void)
{
	printk("linux-loader: not implemented yet\n");
}
