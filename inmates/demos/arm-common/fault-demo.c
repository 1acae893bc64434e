/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo, ARM and ARM64: a cell that reaches outside its memory. */

/*
 * Reads a word at an address its cell does not own (default 0x40000000,
 * the root cell's RAM on QEMU virt; "address=" on the command line picks
 * another). Under the hypervisor the read is a stage-2 fault nobody
 * handles: the cell's CPUs stop and `jailhouse cell list` shows it as
 * "failed". Without the hypervisor (bare run) the read simply succeeds.
 */

#include <inmate.h>

#define OUTSIDE_THE_CELL	0x40000000UL

void inmate_main(void)
{
	unsigned long address = (unsigned long)
		cmdline_parse_int("address", OUTSIDE_THE_CELL);
	u32 value;

	printk("fault-demo: reading 0x%lx, outside this cell\n", address);
	value = mmio_read32(address);
	printk("fault-demo: read 0x%x, nothing stopped this cell\n", value);
}
