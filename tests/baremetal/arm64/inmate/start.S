/* SPDX-License-Identifier: GPL-2.0-only */
/* Probe inmate for the hypervisor tests: entry at guest-physical 0, EL1. */

	.section .boot, "ax"
	.globl	_start
_start:
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	ldr	x1, =stack_top
	mov	sp, x1
	ldr	x1, =bss_start
	ldr	x2, =bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	inmate_main
3:	wfi
	b	3b

/* PSCI CPU_ON entry of further CPUs: x0 (context ID) is their stack. */
	.globl	secondary_start
secondary_start:
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	mov	sp, x0
	bl	secondary_main
	b	3b

/* EL1 vectors: IRQs from EL1h go to irq_handler(), the rest hangs. */
	.macro	hang
	.align	7
	b	.
	.endm

	.text
	.align	11
vectors:
	.rept	4
	hang
	.endr
	hang				/* EL1h synchronous */
	.align	7			/* EL1h IRQ */
	b	irq_entry
	.rept	10
	hang
	.endr

irq_entry:
	sub	sp, sp, #176
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	bl	irq_handler
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #176
	eret
	.ltorg
