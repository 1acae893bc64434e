/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARMv7: entry (SVC mode), vectors, secondaries. */

/* Exceptions run on the SVC stack (srs/rfe): no other mode needs a stack. */

#define EXC_SYNC	0
#define EXC_IRQ		1
#define EXC_FIQ		2
#define EXC_SERROR	3
#define EXC_OTHER	4

#define MODE_SVC	0x13

	.arm
	.arch_extension sec
	.arch_extension virt
	.section .boot, "ax"
	.globl __reset_entry
__reset_entry:
	cpsid	aif
	ldr	sp, =stack_top
	ldr	r0, =__vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	isb
	ldr	r0, =bss_start
	ldr	r1, =bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	__inmate_start
	b	stop

	.text
@ r0: struct boot_ctx * (stack top first), handed through PSCI CPU_ON.
	.globl __secondary_entry
__secondary_entry:
	cpsid	aif
	ldr	sp, [r0]
	ldr	r1, =__vectors
	mcr	p15, 0, r1, c12, c0, 0		@ VBAR
	isb
	bl	__secondary_start
	@ fall through

	.globl stop
stop:
	cpsid	if
1:	wfi
	b	1b

	.globl arch_irq_enable
arch_irq_enable:
	cpsie	i
	bx	lr

	.globl arch_irq_disable
arch_irq_disable:
	cpsid	i
	bx	lr

@ Save the interrupted context on the SVC stack and call the C handler:
@ frame = r0-r4, r12, lr_svc, return address, spsr (struct exc_frame).
.macro handler kind, lr_adjust
	sub	lr, lr, #\lr_adjust
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0-r4, r12, lr}
	mrrc	p15, 1, r2, r3, c14		@ CNTVCT: IRQ latency stamp
	mov	r0, sp
	mov	r1, #\kind
	mov	r4, sp
	bic	sp, sp, #7			@ AAPCS stack alignment
	bl	__exception_handler
	mov	sp, r4
	pop	{r0-r4, r12, lr}
	rfeia	sp!
.endm

	.section .text.vectors, "ax"
	.balign	32
	.globl __vectors
__vectors:
	b	.			@ reset
	b	undef_entry
	b	svc_entry
	b	pabt_entry
	b	dabt_entry
	b	.			@ not used
	b	irq_entry
	b	fiq_entry

undef_entry:
	handler	EXC_OTHER, 4
svc_entry:
	handler	EXC_OTHER, 4
pabt_entry:
	handler	EXC_OTHER, 4
dabt_entry:
	handler	EXC_SYNC, 8		@ return address = faulting instruction
irq_entry:
	handler	EXC_IRQ, 4
fiq_entry:
	handler	EXC_FIQ, 4
