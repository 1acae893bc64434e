/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: entry (placeholder until the core lands). */

#include <generated/asm-defines.h>

	.section .text.entry, "ax"
	.globl arch_entry
arch_entry:
	/* rdi: per-CPU block; switch to its stack and enter the generic code. */
	lea	PERCPU_STACK_END(%rdi), %rsp
	jmp	entry
