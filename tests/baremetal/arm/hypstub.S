/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal test programs, ARMv7: what Linux leaves behind in HYP mode
 * when it boots there (KVM is gone from 32-bit ARM since Linux 5.7), and
 * the SVC side of a root "kernel".
 *
 *  - stub_vectors: a hyp stub with the calls of Linux 6.1's
 *    arch/arm/kernel/hyp-stub.S (HVC_SET_VECTORS, HVC_SOFT_RESTART: "bx
 *    r1" in HYP mode with r2/r3 untouched, HVC_RESET_VECTORS, else
 *    HVC_STUB_ERR), reached with hvc #0 from SVC mode;
 *  - drop_to_svc(fn, arg): install the stub and continue in SVC mode in
 *    fn(arg) on the current stack, the way Linux leaves HYP mode;
 *  - secondary_hyp_entry / secondary_svc_entry: PSCI CPU_ON entries (r0:
 *    CPU number) that switch to the CPU's stack and call secondary_main();
 *  - root_svc_vectors: data aborts count in root_aborts and skip the
 *    faulting instruction; anything else calls root_unexpected();
 *  - semihosting_exit(code): leave QEMU with an exit status.
 */

#define HVC_SET_VECTORS		0
#define HVC_SOFT_RESTART	1
#define HVC_RESET_VECTORS	2
#define HVC_STUB_ERR		0xbadca11
#define CPU_STACK_SIZE		0x4000
#define ABT_STACK_OFFSET	0x3000
#define MAX_CPUS		4
#define EC_HVC			0x12
#define PSR_SVC_MASKED		0x1d3

	.arm
	.arch_extension virt
	.arch_extension sec

	/* provided by the root program; absent from the others */
	.weak	secondary_main, root_unexpected

	.text
	.align	5
	.globl	stub_vectors
stub_vectors:
	.rept	5
	b	.
	.endr
	b	stub_trap			/* HYP trap: hvc from SVC */
	b	.
	b	.

stub_trap:
	mrc	p15, 4, r12, c5, c2, 0		/* HSR */
	lsr	r12, r12, #26
	cmp	r12, #EC_HVC
	bne	.
	cmp	r0, #HVC_SET_VECTORS
	bne	1f
	mcr	p15, 4, r1, c12, c0, 0		/* HVBAR */
	mov	r0, #0
	eret
1:	cmp	r0, #HVC_SOFT_RESTART
	bne	2f
	bx	r1
2:	cmp	r0, #HVC_RESET_VECTORS
	bne	3f
	mov	r0, #0
	eret
3:	ldr	r0, =HVC_STUB_ERR
	eret

/* r0: function to continue in, in SVC mode; r1: its argument. */
	.globl	drop_to_svc
drop_to_svc:
	ldr	r2, =stub_vectors
	mcr	p15, 4, r2, c12, c0, 0		/* HVBAR */
	mov	r2, #0
	mcr	p15, 4, r2, c1, c1, 0		/* HCR */
	mcr	p15, 4, r2, c1, c1, 3		/* HSTR */
	mrc	p15, 0, r2, c0, c0, 5		/* MPIDR */
	mcr	p15, 4, r2, c0, c0, 5		/* VMPIDR */
	mrc	p15, 0, r2, c0, c0, 0		/* MIDR */
	mcr	p15, 4, r2, c0, c0, 0		/* VPIDR */
	mov	r2, #3
	mcr	p15, 4, r2, c14, c1, 0		/* CNTHCTL: PL1 timer access */
	mov	r2, #0
	mcrr	p15, 4, r2, r2, c14		/* CNTVOFF */
	ldr	r2, =0x00c50078
	mcr	p15, 0, r2, c1, c0, 0		/* SCTLR: MMU, caches off */
	ldr	r2, =root_svc_vectors
	mcr	p15, 0, r2, c12, c0, 0		/* VBAR */
	msr	sp_svc, sp
	sub	r2, sp, #ABT_STACK_OFFSET
	msr	sp_abt, r2
	msr	elr_hyp, r0
	mov	r2, #PSR_SVC_MASKED
	msr	spsr_cxsf, r2
	mov	r0, r1
	isb
	eret

	.globl	secondary_hyp_entry
secondary_hyp_entry:
	bl	set_stack
	mov	r1, r0
	ldr	r0, =secondary_main
	b	drop_to_svc

	.globl	secondary_svc_entry
secondary_svc_entry:
	bl	set_stack
	sub	r1, sp, #ABT_STACK_OFFSET
	msr	sp_abt, r1
	ldr	r1, =root_svc_vectors
	mcr	p15, 0, r1, c12, c0, 0		/* VBAR */
	isb
	b	secondary_main

set_stack:
	ldr	r1, =cpu_stacks
	add	r2, r0, #1
	mov	r3, #CPU_STACK_SIZE
	mla	sp, r2, r3, r1
	bx	lr

	.align	5
root_svc_vectors:
	b	root_reset
	b	root_und
	b	root_svc
	b	root_pabt
	b	root_dabt
	b	root_reserved
	b	root_irq
	b	root_fiq

root_reset:
	mov	r0, #0
	b	root_unexpected
root_reserved:
	mov	r0, #5
	b	root_unexpected

root_und:
	mov	r0, #1
	mrc	p15, 0, r1, c5, c0, 0		/* DFSR */
	b	root_unexpected
root_svc:
	mov	r0, #2
	b	root_unexpected
root_pabt:
	mov	r0, #3
	mrc	p15, 0, r1, c5, c0, 1		/* IFSR */
	b	root_unexpected
root_irq:
	mov	r0, #6
	b	root_unexpected
root_fiq:
	mov	r0, #7
	b	root_unexpected

/*
 * Abort mode: an asynchronous abort (the hypervisor's virtual one for the
 * root's SError, DFSR status 0x406) is counted and returns to where it
 * came; a data abort is counted with its address, and the instruction
 * skipped.
 */
root_dabt:
	push	{r0, r1}
	mrc	p15, 0, r0, c5, c0, 0		/* DFSR */
	movw	r1, #0x40f
	and	r0, r0, r1
	movw	r1, #0x406
	cmp	r0, r1
	bne	1f
	ldr	r1, =root_serrors
	ldr	r0, [r1]
	add	r0, r0, #1
	str	r0, [r1]
	pop	{r0, r1}
	subs	pc, lr, #8
1:	mrc	p15, 0, r0, c6, c0, 0		/* DFAR */
	ldr	r1, =root_abort_addr
	str	r0, [r1]
	ldr	r1, =root_aborts
	ldr	r0, [r1]
	add	r0, r0, #1
	str	r0, [r1]
	pop	{r0, r1}
	subs	pc, lr, #4

	.globl	semihosting_exit
semihosting_exit:
	ldr	r1, =exit_block
	str	r0, [r1, #4]
	mov	r0, #0x20			/* SYS_EXIT_EXTENDED */
	svc	0x123456
	b	.
	.ltorg

	.data
	.align	3
exit_block:
	.word	0x20026				/* ADP_Stopped_ApplicationExit */
	.word	0
	.globl	root_aborts, root_abort_addr, root_serrors
root_serrors:
	.word	0
root_aborts:
	.word	0
root_abort_addr:
	.word	0

	.bss
	.align	4
cpu_stacks:
	.fill	(MAX_CPUS + 1) * CPU_STACK_SIZE, 1, 0
