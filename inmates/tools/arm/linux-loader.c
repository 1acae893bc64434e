/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse tool inmate, ARMv7: starts the Linux zImage that `jailhouse cell
 * linux` loaded into the cell.  Its parameter string (at the inmate's
 * command-line offset) names where: "kernel=0x<zImage> dtb=0x<device tree>".
 *
 * ARM boot protocol: SVC mode, interrupts masked, MMU and data cache off,
 * r0 = 0, r1 = ~0 (no machine number: the device tree describes the
 * machine), r2 = the device tree's address, entered in ARM state.
 */

#include <inmate.h>

#define ZIMAGE_MAGIC_OFFSET	0x24
#define ZIMAGE_MAGIC		0x016f2818
#define FDT_MAGIC_BE		0xedfe0dd0	/* 0xd00dfeed, read little-endian */

#define SCTLR_M			(1 << 0)
#define SCTLR_C			(1 << 2)

void inmate_main(void)
{
	unsigned long kernel = cmdline_parse_int("kernel", 0);
	unsigned long dtb = cmdline_parse_int("dtb", 0);
	unsigned long sctlr;

	if (!kernel || !dtb) {
		printk("linux-loader: no kernel=/dtb= parameters\n");
		return;
	}
	if (*(volatile u32 *)(kernel + ZIMAGE_MAGIC_OFFSET) != ZIMAGE_MAGIC) {
		printk("linux-loader: no zImage at 0x%lx\n", kernel);
		return;
	}
	if (*(volatile u32 *)dtb != FDT_MAGIC_BE) {
		printk("linux-loader: no device tree at 0x%lx\n", dtb);
		return;
	}
	printk("linux-loader: zImage at 0x%lx, device tree at 0x%lx\n",
	       kernel, dtb);

	asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r" (sctlr));
	sctlr &= ~(SCTLR_M | SCTLR_C);
	/*
	 * From here on only registers: r0-r2 as the protocol wants them, the
	 * MMU and data cache off, then a branch to the (even) entry address,
	 * which enters in ARM state.
	 */
	asm volatile("cpsid aif\n\t"
		     "mov r0, #0\n\t"
		     "mvn r1, #0\n\t"
		     "mov r2, %0\n\t"
		     "mcr p15, 0, %1, c1, c0, 0\n\t"
		     "isb\n\t"
		     "bx %2"
		     : : "r" (dtb), "r" (sctlr), "r" (kernel)
		     : "r0", "r1", "r2", "memory");
	__builtin_unreachable();
}
