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

/*
 * EL1 vectors: IRQs from EL1h and from AArch32 EL0 go to irq_handler(),
 * the SVC of run_a32_el0()'s code returns from it, the rest hangs.
 */
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
	.rept	6			/* EL1h FIQ, SError; lower AArch64 */
	hang
	.endr
	.align	7			/* lower AArch32 synchronous */
	b	a32_return
	.align	7			/* lower AArch32 IRQ */
	b	irq_entry
	.rept	2
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

/*
 * unsigned long run_a32_el0(code, r1, r3): run the A32 code at @code in
 * AArch32 User mode (interrupts unmasked) with r1 and r3 set, until its
 * exception (an SVC) back here; returns its r0.
 */
	.globl	run_a32_el0
run_a32_el0:
	sub	sp, sp, #96
	stp	x19, x20, [sp]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	msr	elr_el1, x0
	mov	x0, #0x10		/* AArch32 User, A32, DAIF clear */
	msr	spsr_el1, x0
	mov	x3, x2
	mov	x0, xzr
	mov	x2, xzr
	mov	x4, xzr
	eret
a32_return:
	mov	w0, w0
	ldp	x19, x20, [sp]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret

/*
 * A32: read the word at r1, arm the virtual timer (compare value 0: due),
 * wait for the word at r3 to become non-zero, SVC.
 */
	.align	2
	.globl	a32_code
a32_code:
	.word	0xe5910000		/* ldr r0, [r1] */
	.word	0xe3a04000		/* mov r4, #0 */
	.word	0xec444f3e		/* mcrr p15, 3, r4, r4, c14: CNTV_CVAL */
	.word	0xe3a04001		/* mov r4, #1 */
	.word	0xee0e4f33		/* mcr p15, 0, r4, c14, c3, 1: CNTV_CTL */
	.word	0xe5932000		/* 1: ldr r2, [r3] */
	.word	0xe3520000		/* cmp r2, #0 */
	.word	0x0afffffc		/* beq 1b */
	.word	0xef000000		/* svc #0 */
	.ltorg
