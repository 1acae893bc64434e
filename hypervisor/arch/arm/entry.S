/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: image header, entry, HYP vectors and the
 * way out.  The entry protocol is described in docs/hypervisor-entry.md
 * and include/jailhouse/header.h: Linux's hyp stub branches here in HYP
 * mode with the MMU off (HVC_SOFT_RESTART), r2 the CPU number, r3 the
 * image's physical address, ELR_hyp/SPSR_hyp leading back to the caller.
 */

#include <generated/asm-defines.h>
#include <generated/config.h>
#include <asm/layout.h>
#include <jailhouse/header.h>

#define EINVAL		22
#define FRAME_SIZE	64
#define PT_TABLE	3
/* HYP stage-1 block: normal memory (HMAIR index 0), AP[1] should-be-one,
 * inner shareable, access flag. */
#define PT_BLOCK_NORMAL	((1 << 0) | (1 << 6) | (3 << 8) | (1 << 10))
#define HMAIR0_VALUE	0xff		/* 0: normal WB, 1: device nGnRnE */
/* HTCR: T0SZ 0 (32-bit VA), inner/outer WBWA, RES1; shareability from
 * ID_MMFR0 (inner where the CPU has two levels, else outer) */
#define HTCR_VALUE	((1 << 8) | (1 << 10) | (1 << 23) | (1 << 31))
#define HTCR_SH_INNER	(3 << 12)
#define HTCR_SH_OUTER	(2 << 12)
#define PSR_MODE_HYP	0x1a
#define EFAULT		14
/* HSCTLR: RES1 bits, M, C, CP15BEN, I */
#define HSCTLR_VALUE	0x30c5183d
#define BASE_L1_INDEX	(JAILHOUSE_BASE >> 30)
#define BASE_L2_INDEX	((JAILHOUSE_BASE >> 21) & 511)

	.arch_extension virt
	.arm

	.section .header, "aw"
	.globl	hypervisor_header
hypervisor_header:
	.asciz	JAILHOUSE_HEADER_SIGNATURE
	.word	JAILHOUSE_HEADER_REVISION, JAILHOUSE_ARCH_ID
	.word	arch_entry - hypervisor_header, 0
	.word	__image_end - hypervisor_header, 0
	.word	PERCPU_SIZE, 0
	.word	console_ring - hypervisor_header, 0
	.word	CONFIG_MAX_CPUS, 0
	.word	0, 0			/* possible_cpus, online_cpus */
	.quad	0, 0			/* config_offset, config_size */
	.word	0, 0			/* entered_cpus, entry_status */
	.fill	5, 8, 0

	.section .text.entry, "ax"
/*
 * HYP mode, MMU off.  Only r0-r3, r12 and lr may change before the
 * caller's r4-r11 are saved.
 */
	.globl	arch_entry
arch_entry:
	mov	r0, r2				/* CPU number */
	mov	r1, r3				/* image */
	ldr	r12, =0x1fffff
	tst	r1, r12
	bne	early_fail
	ldr	r2, [r1, #HDR_POSSIBLE_CPUS]
	ldr	r3, [r1, #HDR_MAX_CPUS]
	cmp	r2, r3
	bhi	early_fail
	cmp	r0, r2
	bhs	early_fail
	ldr	r2, [r1, #HDR_CONFIG_OFFSET + 4]
	cmp	r2, #0
	bne	early_fail
	ldr	r2, [r1, #HDR_CONFIG_OFFSET]
	lsls	r3, r2, #20			/* page aligned? */
	bne	early_fail
	/* hypervisor memory: 1..HV_MEM_MAX in 2 MiB blocks */
	add	r2, r2, r1
	ldr	r3, [r2, #SYS_HV_MEM_SIZE + 4]
	cmp	r3, #0
	bne	early_fail
	ldr	r3, [r2, #SYS_HV_MEM_SIZE]
	lsrs	r3, r3, #21
	beq	early_fail
	cmp	r3, #(HV_MEM_MAX >> 21)
	bhi	early_fail
	/* the image must not share the 1 GiB of JAILHOUSE_BASE */
	lsr	r3, r1, #30
	cmp	r3, #BASE_L1_INDEX
	beq	early_fail

	/* r12: this CPU's per-CPU block */
	ldr	r2, [r1, #HDR_CORE_SIZE]
	ldr	r3, [r1, #HDR_PERCPU_SIZE]
	mla	r12, r0, r3, r2
	add	r12, r12, r1
	/* the CPU number waits in HTPIDR while r0 clears */
	mcr	p15, 4, r0, c13, c0, 2
	add	r2, r12, #PERCPU_STACK_SIZE
	add	r3, r3, r12
	mov	r0, #0
1:	str	r0, [r2], #4
	cmp	r2, r3
	blo	1b
	ldr	r2, =PERCPU_HOST
	add	r2, r2, r12
	stmia	r2!, {r4-r11, lr}
	mrc	p15, 4, r4, c12, c0, 0		/* HVBAR */
	mrc	p15, 4, r5, c1, c1, 0		/* HCR */
	mrc	p15, 4, r6, c1, c0, 0		/* HSCTLR */
	mrc	p15, 4, r7, c1, c1, 2		/* HCPTR */
	mrc	p15, 4, r8, c1, c1, 1		/* HDCR */
	mrc	p15, 4, r9, c1, c1, 3		/* HSTR */
	mrc	p15, 4, r10, c2, c1, 2		/* VTCR */
	stmia	r2!, {r4-r10}
	mrrc	p15, 6, r4, r5, c2		/* VTTBR */
	stmia	r2, {r4, r5}

	/*
	 * Bootstrap page tables in the bss (cleared by the loader): L1 with
	 * the image identity mapped as a 1 GiB block, the L2 of
	 * JAILHOUSE_BASE with the hypervisor memory in 2 MiB blocks.  Every
	 * CPU writes the same values.
	 */
	ldr	r4, =bootstrap_pt
	sub	r4, r4, #JAILHOUSE_BASE
	add	r4, r4, r1			/* L1, physical */
	add	r5, r4, #0x1000			/* L2 of JAILHOUSE_BASE */
	mov	r7, #0
	lsr	r6, r1, #30
	lsl	r8, r6, #30
	ldr	r9, =PT_BLOCK_NORMAL
	orr	r8, r8, r9
	add	r6, r4, r6, lsl #3
	str	r8, [r6]
	str	r7, [r6, #4]
	orr	r8, r5, #PT_TABLE
	str	r8, [r4, #(BASE_L1_INDEX * 8)]
	str	r7, [r4, #(BASE_L1_INDEX * 8 + 4)]
	ldr	r2, [r1, #HDR_CONFIG_OFFSET]
	add	r2, r2, r1
	ldr	r3, [r2, #SYS_HV_MEM_SIZE]
	lsr	r3, r3, #21
	orr	r8, r1, r9
	add	r6, r5, #(BASE_L2_INDEX * 8)
2:	str	r8, [r6], #4
	str	r7, [r6], #4
	add	r8, r8, #0x200000
	subs	r3, r3, #1
	bne	2b
	dsb	sy
	mov	r6, r4
	add	r7, r4, #0x2000
3:	mcr	p15, 0, r6, c7, c6, 1		/* DCIMVAC */
	add	r6, r6, #32
	cmp	r6, r7
	blo	3b
	dsb	sy

	ldr	r6, =HMAIR0_VALUE
	mcr	p15, 4, r6, c10, c2, 0		/* HMAIR0 */
	ldr	r6, =HTCR_VALUE
	mrc	p15, 0, r7, c0, c1, 4		/* ID_MMFR0 */
	tst	r7, #0xf000			/* shareability levels */
	orrne	r6, r6, #HTCR_SH_INNER
	orreq	r6, r6, #HTCR_SH_OUTER
	mcr	p15, 4, r6, c2, c0, 2		/* HTCR */
	mov	r7, #0
	mcrr	p15, 4, r4, r7, c2		/* HTTBR */
	isb
	mcr	p15, 4, r7, c8, c7, 0		/* TLBIALLH */
	dsb	nsh
	ldr	r6, =HSCTLR_VALUE
	mcr	p15, 4, r6, c1, c0, 0		/* HSCTLR */
	isb
	ldr	pc, =virt_entry

virt_entry:
	sub	r12, r12, r1
	add	r12, r12, #JAILHOUSE_BASE
	add	sp, r12, #PERCPU_STACK_SIZE
	mrc	p15, 4, r0, c13, c0, 2		/* CPU number */
	mcr	p15, 4, r12, c13, c0, 2		/* HTPIDR: per-CPU block */
	ldr	r2, =PERCPU_CPU_ID
	str	r0, [r12, r2]
	ldr	r2, =PERCPU_PHYS_BASE
	str	r1, [r12, r2]
	mov	r0, r12
	bl	entry

	/* Success: back to the caller, now the root cell, with r0 = 0. */
	mrc	p15, 4, r12, c13, c0, 2
	ldr	r2, =PERCPU_HOST
	add	r2, r2, r12
	ldmia	r2, {r4-r11, lr}
	mov	r0, #0
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	mov	r12, #0
	eret

early_fail:
	mvn	r0, #(EINVAL - 1)
	eret
	.ltorg

/* ---- exits from guests ---- */

	.text
	.align	5
	.globl	hyp_vectors
hyp_vectors:
	b	hyp_fault			/* reset */
	b	hyp_fault			/* undefined, in HYP */
	b	hyp_fault			/* HVC, in HYP */
	b	hyp_fault			/* prefetch abort, in HYP */
	b	data_abort			/* in HYP, or a guest's async. */
	b	guest_trap			/* HYP trap: exits of guests */
	b	guest_irq
	b	guest_fiq

/* exit types: ARM_EXIT_* of arm-common's <asm/traps.h> */
	.macro	save_frame type
	sub	sp, sp, #FRAME_SIZE
	stmia	sp, {r0-r12, lr}
	mov	r0, #\type
	.endm

guest_trap:
	save_frame 0
	b	guest_exit
guest_irq:
	save_frame 6				/* GICv2: read the GICC in C */
	b	guest_exit
guest_fiq:
	save_frame 2
	b	guest_exit
/*
 * The data abort vector takes aborts in HYP mode (those of guarded
 * accesses, an asynchronous abort arm_drain_serror() takes); a guest's
 * asynchronous abort (HCR.AMO) comes through the HYP trap vector as a
 * data abort with an asynchronous fault status (arm-common's traps.c).
 * SPSR_hyp tells from where.
 */
data_abort:
	save_frame 3
	mrs	r1, spsr
	and	r1, r1, #0x1f
	cmp	r1, #PSR_MODE_HYP
	beq	1f

guest_exit:
	mov	r1, sp
	bl	arch_handle_exit
	.globl	vm_return
vm_return:
	ldmia	sp, {r0-r12, lr}
	add	sp, sp, #FRAME_SIZE
	eret

hyp_fault:
	save_frame 5
1:	mov	r0, sp
	bl	arch_handle_hyp_fault
	b	vm_return			/* a guarded access: to its fixup */

/*
 * Guarded accesses: the hypervisor touches memory or a device for a cell
 * at an address the cell (or its configuration) chose.  An abort there,
 * synchronous or asynchronous (made precise by unmasking asynchronous
 * aborts around the access and waiting for it with dsb/isb), must not stop
 * the hypervisor: arch_handle_hyp_fault() sees an exception address in
 * [guarded_start, guarded_end) and resumes at guarded_fixup, which returns
 * -EFAULT.  That exception overwrites ELR_hyp, SPSR_hyp, HSR and HDFAR of
 * the guest's trap being handled: each access saves them on the stack
 * (r4-r7) for the fixup to restore.
 *
 * long arm_guarded_access(addr, size | write << 4, value pointer)
 * long arm_guarded_copy(dst, src, size)
 * long arm_guarded_zero(addr, size)
 */
	.globl	guarded_start, guarded_end, guarded_fixup
	.globl	arm_guarded_access, arm_guarded_copy, arm_guarded_zero
	.macro	guard_enter
	push	{r4-r7}
	mrs	r4, elr_hyp
	mrs	r5, spsr
	mrc	p15, 4, r6, c5, c2, 0		/* HSR */
	mrc	p15, 4, r7, c6, c0, 0		/* HDFAR */
	cpsie	a
	isb
	.endm

	.macro	guard_leave
	dsb	sy
	isb
	cpsid	a
	pop	{r4-r7}
	mov	r0, #0
	bx	lr
	.endm

guarded_start:
arm_guarded_access:
	guard_enter
	tst	r1, #0x10
	bne	5f
	cmp	r1, #1
	ldreqb	r3, [r0]
	cmp	r1, #2
	ldreqh	r3, [r0]
	cmp	r1, #4
	ldreq	r3, [r0]
	str	r3, [r2]
	guard_leave
5:	ldr	r3, [r2]
	and	r1, r1, #0xf
	cmp	r1, #1
	streqb	r3, [r0]
	cmp	r1, #2
	streqh	r3, [r0]
	cmp	r1, #4
	streq	r3, [r0]
	guard_leave

arm_guarded_copy:
	guard_enter
	cmp	r2, #0
	beq	2f
1:	ldrb	r3, [r1], #1
	strb	r3, [r0], #1
	subs	r2, r2, #1
	bne	1b
2:	guard_leave

arm_guarded_zero:
	guard_enter
	mov	r2, #0
	mov	r3, #0
	add	r1, r1, r0
1:	strd	r2, r3, [r0], #8
	cmp	r0, r1
	blo	1b
	guard_leave
guarded_end:

guarded_fixup:
	cpsid	a
	msr	elr_hyp, r4
	msr	spsr_cxsf, r5
	mcr	p15, 4, r6, c5, c2, 0		/* HSR */
	mcr	p15, 4, r7, c6, c0, 0		/* HDFAR */
	pop	{r4-r7}
	mvn	r0, #(EFAULT - 1)
	bx	lr

/*
 * long arm_drain_serror(void): unmask asynchronous aborts for a moment,
 * after every access of the last owner completed (dsb), so that one it
 * left pending is taken here; arch_handle_hyp_fault() resumes at
 * serror_drain_end with r0 = 1.
 */
	.globl	arm_drain_serror, serror_drain_start, serror_drain_end
arm_drain_serror:
	mov	r0, #0
	dsb	sy
	isb
serror_drain_start:
	cpsie	a
	isb
	nop
serror_drain_end:
	cpsid	a
	bx	lr

/* r0: the guest frame at the top of the stack; wait there while parked. */
	.globl	arm_park_on_frame
arm_park_on_frame:
	mov	sp, r0
	bl	check_events
	b	vm_return

/*
 * Called at their physical (identity mapped) address.  r0: physical
 * address of r0..r12, lr to return to the caller with, r1: HSCTLR to
 * restore (MMU off).  ELR_hyp/SPSR_hyp and HVBAR are already set.
 */
	.globl	arm_leave_hyp
arm_leave_hyp:
	mcr	p15, 4, r1, c1, c0, 0		/* HSCTLR */
	isb
	mov	r1, #0
	mcr	p15, 4, r1, c8, c7, 0		/* TLBIALLH */
	mcr	p15, 0, r1, c7, c5, 0		/* ICIALLU */
	dsb	nsh
	isb
	ldmia	r0, {r0-r12, lr}
	eret

/* Same way out for a parked CPU, which then powers off through PSCI. */
	.globl	arm_off_hyp
arm_off_hyp:
	mcr	p15, 4, r1, c1, c0, 0		/* HSCTLR */
	isb
	mov	r1, #0
	mcr	p15, 4, r1, c8, c7, 0		/* TLBIALLH */
	dsb	nsh
	ldr	r0, =0x84000002			/* PSCI CPU_OFF */
	smc	#0
1:	wfi
	b	1b
	.ltorg

	.bss
	.align	12
	.globl	bootstrap_pt
bootstrap_pt:
	.fill	4 * 4096, 1, 0
