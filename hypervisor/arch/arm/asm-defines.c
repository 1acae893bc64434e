/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm: constants the assembly code needs (placeholder). */

#include <hv/asm-offsets.h>

void common(void);

void common(void)
{
	DEFINE(PERCPU_STACK_END, 4 * 4096);
}
