/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: entry (placeholder until the core lands). */

#include <generated/asm-defines.h>

	.section .text.entry, "ax"
	.globl arch_entry
arch_entry:
	/* x0: per-CPU block; switch to its stack and enter the generic code. */
	mov	x1, #PERCPU_STACK_END
	add	x1, x0, x1
	mov	sp, x1
	b	entry
