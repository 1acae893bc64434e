/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse tool inmate, ARMv7: enters a Linux zImage per the ARM boot protocol. */

/*
 * Documentation/arch/arm/booting.rst: SVC mode (the cell's), MMU and data
 * cache off, interrupts masked, r0 = 0, r1 = ~0 (no machine number: the
 * device tree describes the machine), r2 = the device tree's address,
 * entered in ARM state.  The rest of the loader lives in
 * ../arm-common/linux-loader.c.
 */

#include "../arm-common/linux-loader.h"

#define ZIMAGE_MAGIC_OFFSET	0x24
#define ZIMAGE_MAGIC		0x016f2818

#define SCTLR_M			(1 << 0)
#define SCTLR_C			(1 << 2)

const char arch_kernel_format[] = "zImage";

bool arch_kernel_valid(unsigned long kernel)
{
	return *(volatile u32 *)(kernel + ZIMAGE_MAGIC_OFFSET) == ZIMAGE_MAGIC;
}

void arch_boot_linux(unsigned long kernel, unsigned long dtb)
{
	unsigned long sctlr;

	asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r" (sctlr));
	sctlr &= ~(SCTLR_M | SCTLR_C);
	/* Registers only from here on, then a branch that enters ARM state. */
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
