/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, arm64: entry (EL1), vectors, secondaries. */

#define EXC_SYNC	0
#define EXC_IRQ		1
#define EXC_FIQ		2
#define EXC_SERROR	3
#define EXC_OTHER	4

/* Exception frame: x0..x30, elr, spsr, padding (struct exc_frame). */
#define FRAME_SIZE	(34 * 8)

	.section .boot, "ax"
	.globl __reset_entry
__reset_entry:
	msr	daifset, #0xf
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =__vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =bss_start
	ldr	x1, =bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	__inmate_start
	b	stop

	.text
/* x0: struct boot_ctx * (stack top first), handed through PSCI CPU_ON. */
	.globl __secondary_entry
__secondary_entry:
	msr	daifset, #0xf
	ldr	x1, [x0]
	mov	sp, x1
	ldr	x1, =__vectors
	msr	vbar_el1, x1
	isb
	bl	__secondary_start
	/* fall through */

	.globl stop
stop:
	msr	daifset, #0x3
1:	wfi
	b	1b

	.globl arch_irq_enable
arch_irq_enable:
	msr	daifclr, #0x2
	ret

	.globl arch_irq_disable
arch_irq_disable:
	msr	daifset, #0x2
	ret

/* One vector slot: save x0/x1, stamp the counter (IRQ latency), go on. */
.macro vector kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mrs	x1, cntvct_el0
	mov	x0, #\kind
	b	exception_common
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl __vectors
__vectors:
	/* current EL, SP_EL0 */
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	/* current EL, SP_ELx: the inmate's own exceptions */
	vector	EXC_SYNC
	vector	EXC_IRQ
	vector	EXC_FIQ
	vector	EXC_SERROR
	/* lower EL, AArch64 and AArch32: not used by inmates */
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER
	vector	EXC_OTHER

exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #16 * 15]
	mrs	x2, spsr_el1
	str	x2, [sp, #16 * 16]

	mov	x2, x1			/* counter stamp */
	mov	x1, x0			/* kind */
	mov	x0, sp			/* frame */
	bl	__exception_handler

	ldr	x2, [sp, #16 * 16]
	msr	spsr_el1, x2
	ldp	x30, x2, [sp, #16 * 15]
	msr	elr_el1, x2
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
