/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse tool inmate, ARM64: enters a Linux Image per the arm64 boot protocol. */

/*
 * Documentation/arch/arm64/booting.rst: EL1 (the cell's level), MMU off,
 * data cache off (the loader never turned it on: nothing of the kernel or
 * the device tree is in it), all of DAIF masked, x0 = the device tree's
 * physical address, x1..x3 = 0.  The rest of the loader lives in
 * ../arm-common/linux-loader.c.
 */

#include "../arm-common/linux-loader.h"

#define IMAGE_MAGIC_OFFSET	56
#define IMAGE_MAGIC		0x644d5241	/* "ARM\x64" */

#define SCTLR_M			(1UL << 0)
#define SCTLR_C			(1UL << 2)

const char arch_kernel_format[] = "Image";

bool arch_kernel_valid(unsigned long kernel)
{
	return *(volatile u32 *)(kernel + IMAGE_MAGIC_OFFSET) == IMAGE_MAGIC;
}

void arch_boot_linux(unsigned long kernel, unsigned long dtb)
{
	unsigned long sctlr;

	asm volatile("mrs %0, sctlr_el1" : "=r" (sctlr));
	sctlr &= ~(SCTLR_M | SCTLR_C);
	/*
	 * Registers only from here on (the stack is not touched once the MMU
	 * setting changes): the protocol's x0..x3, then the jump.
	 */
	asm volatile("msr daifset, #0xf\n\t"
		     "mov x0, %0\n\t"
		     "mov x1, xzr\n\t"
		     "mov x2, xzr\n\t"
		     "mov x3, xzr\n\t"
		     "msr sctlr_el1, %1\n\t"
		     "isb\n\t"
		     "br %2"
		     : : "r" (dtb), "r" (sctlr), "r" (kernel)
		     : "x0", "x1", "x2", "x3", "memory");
	__builtin_unreachable();
}
