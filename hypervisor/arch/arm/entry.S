/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: entry (placeholder until the core lands). */

#include <generated/asm-defines.h>

	.arm
	.section .text.entry, "ax"
	.globl arch_entry
arch_entry:
	/* r0: per-CPU block; switch to its stack and enter the generic code. */
	ldr	r1, =PERCPU_STACK_END
	add	sp, r0, r1
	b	entry
