/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse tool inmate, ARM and ARM64: boots the Linux kernel `jailhouse cell linux` loaded into the cell. */

#include "linux-loader.h"

/* The device tree header's magic 0xd00dfeed (big endian), read as a u32. */
#define FDT_MAGIC_LE	0xedfe0dd0

static void refuse(const char *what, unsigned long address)
{
	printk("linux-loader: %s at 0x%lx; parameters: \"%s\"\n", what,
	       address, cmdline);
	if (comm_region)
		comm_region_set_state(JAILHOUSE_CELL_FAILED);
}

void inmate_main(void)
{
	unsigned long kernel = cmdline_parse_int("kernel", 0);
	unsigned long dtb = cmdline_parse_int("dtb", 0);

	if (!kernel || !dtb) {
		refuse("missing kernel= or dtb= parameter", 0);
		return;
	}
	if (!arch_kernel_valid(kernel)) {
		refuse(arch_kernel_format[0] == 'z' ? "no zImage" : "no Image",
		       kernel);
		return;
	}
	if (*(volatile u32 *)dtb != FDT_MAGIC_LE) {
		refuse("no device tree", dtb);
		return;
	}
	printk("linux-loader: booting %s at 0x%lx, device tree at 0x%lx\n",
	       arch_kernel_format, kernel, dtb);
	arch_boot_linux(kernel, dtb);
}
