/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal hello for QEMU virt: proves the toolchain and QEMU set-up. */

#include <baremetal.h>

int main(void)
{
	puts("Hello from bare-metal ARM64 at EL");
	putc('0' + current_el());
	puts("\n");
	return 0;
}
