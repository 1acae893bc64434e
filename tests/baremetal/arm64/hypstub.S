/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal test programs, arm64: what Linux leaves behind at EL2 when it
 * boots there with KVM off, and the EL1 side of a root "kernel".
 *
 *  - stub_vectors: a hyp stub with the calls of Linux 6.1's
 *    (HVC_SET_VECTORS, HVC_SOFT_RESTART, HVC_RESET_VECTORS, else
 *    HVC_STUB_ERR), reached with hvc #0 from EL1;
 *  - drop_to_el1(fn, arg): install the stub and continue at EL1 in fn(arg)
 *    on the current stack, the way Linux's el2 setup leaves EL2;
 *  - secondary_el2_entry / secondary_el1_entry: PSCI CPU_ON entries (x0:
 *    CPU number) that switch to the CPU's stack and call secondary_main();
 *  - root_el1_vectors: counts synchronous aborts (root_aborts) and skips
 *    the faulting instruction; anything else calls root_unexpected();
 *  - semihosting_exit(code): leave QEMU with an exit status.
 */

#define HVC_SET_VECTORS		0
#define HVC_SOFT_RESTART	1
#define HVC_RESET_VECTORS	2
#define HVC_STUB_ERR		0xbadca11
#define CPU_STACK_SIZE		0x4000
#define MAX_CPUS		4

#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7

	/* provided by the root program; absent from the others */
	.weak	secondary_main, root_unexpected

	.text
	.align	11
	.globl	stub_vectors
stub_vectors:
	.rept	8
	.align	7
	b	.
	.endr
	.align	7			/* lower EL, AArch64, synchronous */
	b	stub_sync
	.rept	7
	.align	7
	b	.
	.endr

stub_sync:
	cmp	x0, #HVC_SET_VECTORS
	b.ne	1f
	msr	vbar_el2, x1
	mov	x0, xzr
	eret
1:	cmp	x0, #HVC_SOFT_RESTART
	b.ne	2f
	mov	x5, x1
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	br	x5
2:	cmp	x0, #HVC_RESET_VECTORS
	b.ne	3f
	mov	x0, xzr
	eret
3:	movz	x0, #(HVC_STUB_ERR & 0xffff)
	movk	x0, #(HVC_STUB_ERR >> 16), lsl #16
	eret

/* x0: function to continue in at EL1, x1: its argument. */
	.globl	drop_to_el1
drop_to_el1:
	mrs	x2, id_aa64pfr0_el1
	ubfx	x2, x2, #24, #4		/* GIC system registers? */
	cbz	x2, 1f			/* no: GICv2, memory mapped */
	mov	x2, #0xf		/* SRE, DFB, DIB, Enable */
	msr	ICC_SRE_EL2, x2
	isb
	mov	x2, #1
	msr	ICC_SRE_EL1, x2
	isb
	mov	x2, #0xf0
	msr	ICC_PMR_EL1, x2
	mov	x2, #1
	msr	ICC_IGRPEN1_EL1, x2
1:	adr	x2, stub_vectors
	msr	vbar_el2, x2
	mov	x2, #(1 << 31)		/* HCR_EL2.RW */
	msr	hcr_el2, x2
	mrs	x2, mpidr_el1
	msr	vmpidr_el2, x2
	mrs	x2, midr_el1
	msr	vpidr_el2, x2
	mov	x2, #3
	msr	cnthctl_el2, x2
	msr	cntvoff_el2, xzr
	mov	x2, #0x33ff
	msr	cptr_el2, x2
	msr	vttbr_el2, xzr
	ldr	x2, =0x30d00800
	msr	sctlr_el1, x2
	adr	x2, root_el1_vectors
	msr	vbar_el1, x2
	mov	x2, sp
	msr	sp_el1, x2
	msr	elr_el2, x0
	mov	x2, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x2
	mov	x0, x1
	isb
	eret

	.globl	secondary_el2_entry
secondary_el2_entry:
	bl	set_stack
	mov	x1, x0
	ldr	x0, =secondary_main
	b	drop_to_el1

	.globl	secondary_el1_entry
secondary_el1_entry:
	bl	set_stack
	adr	x1, root_el1_vectors
	msr	vbar_el1, x1
	isb
	b	secondary_main

set_stack:
	ldr	x1, =cpu_stacks
	add	x2, x0, #1
	mov	x3, #CPU_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	ret

	.align	11
root_el1_vectors:
	.rept	4
	.align	7
	mov	x0, #0
	b	root_unexpected
	.endr
	.align	7			/* current EL, SP_EL1: synchronous */
	b	root_sync
	.rept	2
	.align	7
	mov	x0, #1
	b	root_unexpected
	.endr
	.align	7			/* current EL, SP_EL1: SError */
	b	root_serror
	.rept	8
	.align	7
	mov	x0, #1
	b	root_unexpected
	.endr

/* An SError (the hypervisor's virtual one for the root's): counted. */
root_serror:
	stp	x0, x1, [sp, #-16]!
	ldr	x1, =root_serrors
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	ldp	x0, x1, [sp], #16
	eret

root_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	lsr	x0, x0, #26
	cmp	x0, #0x25		/* data abort, same EL */
	b.ne	1f
	mrs	x0, far_el1
	ldr	x1, =root_abort_addr
	str	x0, [x1]
	ldr	x1, =root_aborts
	ldr	x0, [x1]
	add	x0, x0, #1
	str	x0, [x1]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
1:	mrs	x0, esr_el1
	b	root_unexpected

	.globl	semihosting_exit
semihosting_exit:
	ldr	x1, =exit_block
	str	x0, [x1, #8]
	mov	x0, #0x20		/* SYS_EXIT_EXTENDED */
	hlt	#0xf000
	b	.
	.ltorg

	.data
	.align	3
exit_block:
	.quad	0x20026			/* ADP_Stopped_ApplicationExit */
	.quad	0
	.globl	root_aborts, root_abort_addr, root_serrors
root_serrors:
	.quad	0
root_aborts:
	.quad	0
root_abort_addr:
	.quad	0

	.bss
	.align	4
cpu_stacks:
	.fill	(MAX_CPUS + 1) * CPU_STACK_SIZE, 1, 0
