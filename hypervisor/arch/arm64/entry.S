/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, arm64: image header, entry, exception vectors and
 * the way out.  The entry protocol is described in docs/hypervisor-entry.md
 * and include/jailhouse/header.h.
 */

#include <generated/asm-defines.h>
#include <generated/config.h>
#include <asm/layout.h>
#include <jailhouse/header.h>

#define EINVAL		22
#define EFAULT		14
#define FRAME_SIZE	256
/* ICH_LR_EL2 bits 63..48: pending, HW, Group 1, priority 0xa0 */
#define LR_HW_PENDING_G1	0x70a0
#define PT_TABLE	3
/* Stage-1 EL2 block: normal memory (MAIR index 0), AP[1] RES1, inner
 * shareable, access flag. */
#define PT_BLOCK_NORMAL	((1 << 0) | (1 << 6) | (3 << 8) | (1 << 10))
#define MAIR_VALUE	0x00ff		/* 0: normal WB, 1: device nGnRnE */
/* TCR_EL2: T0SZ 16, inner/outer WBWA, inner shareable, 4K, RES1 23, 31 */
#define TCR_VALUE	(16 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | \
			 (1 << 31))
/* SCTLR_EL2: RES1 bits, M, C, SA, I */
#define SCTLR_VALUE	0x30c5183d

	.section .header, "aw"
	.globl	hypervisor_header
hypervisor_header:
	.asciz	JAILHOUSE_HEADER_SIGNATURE
	.word	JAILHOUSE_HEADER_REVISION, JAILHOUSE_ARCH_ID
	.quad	arch_entry - hypervisor_header
	.quad	__image_end - hypervisor_header
	.quad	PERCPU_SIZE
	.quad	console_ring - hypervisor_header
	.word	CONFIG_MAX_CPUS, 0
	.word	0, 0			/* possible_cpus, online_cpus */
	.quad	0, 0			/* config_offset, config_size */
	.word	0, 0			/* entered_cpus, entry_status */
	.fill	5, 8, 0

	.section .text.entry, "ax"
/*
 * MMU off, physical addresses.  x0: CPU number, x1: image address,
 * x2: JAILHOUSE_ENTRY_MAGIC; ELR_EL2/SPSR_EL2 lead back to the caller.
 * Only x0-x18 are touched before the caller's x19-x30 are saved.
 */
	.globl	arch_entry
arch_entry:
	ldr	w3, =JAILHOUSE_ENTRY_MAGIC
	cmp	w2, w3
	b.ne	early_fail
	tst	x1, #0x1fffff
	b.ne	early_fail
	ldr	w4, [x1, #HDR_POSSIBLE_CPUS]
	ldr	w5, [x1, #HDR_MAX_CPUS]
	cmp	w4, w5
	b.hi	early_fail
	cmp	w0, w4
	b.hs	early_fail
	ldr	x5, [x1, #HDR_CONFIG_OFFSET]
	tst	x5, #0xfff
	b.ne	early_fail

	/* x6: this CPU's per-CPU block */
	ldr	x6, [x1, #HDR_CORE_SIZE]
	ldr	x7, [x1, #HDR_PERCPU_SIZE]
	madd	x6, x0, x7, x6
	add	x6, x6, x1
	/* clear it (but the stack): nothing survives from a previous run */
	ldr	x7, =PERCPU_STACK_SIZE
	add	x7, x6, x7
	ldr	x8, [x1, #HDR_PERCPU_SIZE]
	add	x8, x6, x8
3:	stp	xzr, xzr, [x7], #16
	cmp	x7, x8
	b.lo	3b
	ldr	x7, =PERCPU_HOST
	add	x7, x6, x7
	stp	x19, x20, [x7, #(HOST_X19 + 0)]
	stp	x21, x22, [x7, #(HOST_X19 + 16)]
	stp	x23, x24, [x7, #(HOST_X19 + 32)]
	stp	x25, x26, [x7, #(HOST_X19 + 48)]
	stp	x27, x28, [x7, #(HOST_X19 + 64)]
	stp	x29, x30, [x7, #(HOST_X19 + 80)]
	mrs	x8, vbar_el2
	str	x8, [x7, #HOST_VBAR_EL2]
	mrs	x8, hcr_el2
	str	x8, [x7, #HOST_HCR_EL2]
	mrs	x8, sctlr_el2
	str	x8, [x7, #HOST_SCTLR_EL2]
	mrs	x8, cptr_el2
	str	x8, [x7, #HOST_CPTR_EL2]
	mrs	x8, mdcr_el2
	str	x8, [x7, #HOST_MDCR_EL2]
	mrs	x8, vttbr_el2
	str	x8, [x7, #HOST_VTTBR_EL2]
	mrs	x8, vtcr_el2
	str	x8, [x7, #HOST_VTCR_EL2]

	/* number of 2 MiB blocks of hypervisor memory (32-bit loads: MMU off) */
	add	x8, x1, x5
	ldr	w9, [x8, #SYS_HV_MEM_SIZE]
	ldr	w10, [x8, #SYS_HV_MEM_SIZE + 4]
	orr	x9, x9, x10, lsl #32
	lsr	x9, x9, #21
	cbz	x9, early_fail
	cmp	x9, #(HV_MEM_MAX >> 21)
	b.hi	early_fail

	/*
	 * Bootstrap page tables in the bss (cleared by the loader): L0, the
	 * identity L1, the L1 and L2 of JAILHOUSE_BASE.  Every CPU writes the
	 * same values.
	 */
	adrp	x10, bootstrap_pt
	add	x11, x10, #0x1000
	add	x12, x10, #0x2000
	add	x13, x10, #0x3000
	lsr	x14, x1, #39
	orr	x15, x11, #PT_TABLE
	str	x15, [x10, x14, lsl #3]
	orr	x15, x12, #PT_TABLE
	str	x15, [x10, #(((JAILHOUSE_BASE >> 39) & 511) * 8)]
	ldr	x16, =PT_BLOCK_NORMAL
	ubfx	x14, x1, #30, #9
	lsr	x15, x1, #30
	lsl	x15, x15, #30
	orr	x15, x15, x16
	str	x15, [x11, x14, lsl #3]
	orr	x15, x13, #PT_TABLE
	str	x15, [x12, #(((JAILHOUSE_BASE >> 30) & 511) * 8)]
	orr	x15, x1, x16
	mov	x14, x13
1:	str	x15, [x14], #8
	add	x15, x15, #0x200000
	subs	x9, x9, #1
	b.ne	1b
	dsb	sy
	mov	x14, x10
	add	x15, x10, #0x4000
2:	dc	ivac, x14
	add	x14, x14, #64
	cmp	x14, x15
	b.lo	2b
	dsb	sy

	ldr	x14, =MAIR_VALUE
	msr	mair_el2, x14
	mrs	x14, id_aa64mmfr0_el1
	and	x14, x14, #7
	mov	x15, #5
	cmp	x14, x15
	csel	x14, x14, x15, ls
	ldr	x15, =TCR_VALUE
	orr	x15, x15, x14, lsl #16
	msr	tcr_el2, x15
	msr	ttbr0_el2, x10
	isb
	tlbi	alle2
	dsb	nsh
	ldr	x14, =SCTLR_VALUE
	msr	sctlr_el2, x14
	isb
	ldr	x14, =virt_entry
	br	x14

virt_entry:
	ldr	x14, =JAILHOUSE_BASE
	sub	x6, x6, x1
	add	x6, x6, x14
	ldr	x14, =PERCPU_STACK_SIZE
	add	x14, x6, x14
	mov	sp, x14
	msr	tpidr_el2, x6
	ldr	x14, =PERCPU_CPU_ID
	str	w0, [x6, x14]
	ldr	x14, =PERCPU_PHYS_BASE
	str	x1, [x6, x14]
	mov	x0, x6
	bl	entry

	/* Success: back to the caller, now the root cell, with x0 = 0. */
	mrs	x6, tpidr_el2
	ldr	x7, =PERCPU_HOST
	add	x7, x6, x7
	ldp	x19, x20, [x7, #(HOST_X19 + 0)]
	ldp	x21, x22, [x7, #(HOST_X19 + 16)]
	ldp	x23, x24, [x7, #(HOST_X19 + 32)]
	ldp	x25, x26, [x7, #(HOST_X19 + 48)]
	ldp	x27, x28, [x7, #(HOST_X19 + 64)]
	ldp	x29, x30, [x7, #(HOST_X19 + 80)]
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18
	mov	x\r, xzr
	.endr
	eret

early_fail:
	mov	x0, #-EINVAL
	eret
	.ltorg

/* ---- exits from guests ---- */

	.macro	ventry, type
	.align	7
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\type
	b	guest_exit
	.endm

	.macro	save_rest
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	.endm

	.text
	.align	11
	.globl	hyp_vectors
hyp_vectors:
	/*
	 * From EL2 itself: a guarded access's abort, an SError that
	 * arm_drain_serror() takes, or a hypervisor bug (see
	 * arch_handle_hyp_fault()).
	 */
	.rept	8
	ventry	5
	.endr
	ventry	0			/* lower EL, AArch64: synchronous */
	.align	7			/* IRQ */
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	b	irq_entry
	ventry	2			/* FIQ */
	ventry	3			/* SError */
	.rept	4			/* lower EL, AArch32 */
	ventry	4
	.endr

/*
 * A physical interrupt.  Fast path for the common case, a private or shared
 * peripheral interrupt of the cell on this CPU (routing keeps shared ones
 * on CPUs of their owner) with a free list register and nothing queued:
 * drop its priority and inject it with the hardware link, so the guest's
 * deactivation reaches the physical interrupt.  Everything else (SGIs,
 * LPIs, the maintenance interrupt, full list registers) goes to C with the
 * acknowledged INTID in the exit type (bits 8 and up).
 */
irq_entry:
	ldr	w0, gic_cpuif_mmio
	cbnz	w0, irq_mmio
	mrs	x0, ICC_IAR1_EL1
	sub	x1, x0, #16
	cmp	x1, #(1020 - 16)
	b.hs	irq_slow
	ldr	w2, maint_irq
	cmp	w0, w2
	b.eq	irq_slow
	mrs	x3, tpidr_el2
	ldr	x2, [x3, #PERCPU_NUM_PENDING]
	cbnz	x2, irq_slow
	mrs	x2, ICH_ELRSR_EL2
	cbz	x2, irq_slow
	msr	ICC_EOIR1_EL1, x0
	orr	x0, x0, x0, lsl #32		/* vINTID, pINTID */
	movz	x1, #LR_HW_PENDING_G1, lsl #48	/* + priority */
	orr	x0, x0, x1
	rbit	x2, x2
	clz	x2, x2
	adr	x1, 1f
	add	x1, x1, x2, lsl #3
	br	x1
1:	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	msr	ICH_LR\n\()_EL2, x0
	b	2f
	.endr
2:	ldr	x2, [x3, #PERCPU_STAT_TOTAL]
	add	x2, x2, #1
	str	x2, [x3, #PERCPU_STAT_TOTAL]
	ldr	x2, [x3, #PERCPU_STAT_VIRQ]
	add	x2, x2, #1
	str	x2, [x3, #PERCPU_STAT_VIRQ]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

irq_slow:
	lsl	x0, x0, #8
	orr	x0, x0, #1
	ldp	x2, x3, [sp, #16]
	b	guest_exit

/* GICv2: the memory-mapped CPU interface is read in C. */
irq_mmio:
	mov	x0, #6
	ldp	x2, x3, [sp, #16]

guest_exit:
	save_rest
	mov	x1, sp
	cmp	x0, #5
	b.eq	1f
	bl	arch_handle_exit
	.globl	vm_return
vm_return:
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
1:	mov	x0, x1
	bl	arch_handle_hyp_fault
	b	vm_return		/* a guarded access: to its fixup */

/* x0: the guest frame at the top of the stack; wait there while parked. */
	.globl	arm64_park_on_frame
arm64_park_on_frame:
	mov	sp, x0
	bl	check_events
	b	vm_return

/*
 * Guarded accesses: the hypervisor touches memory or a device for a cell
 * at an address the cell (or its configuration) chose.  An abort there,
 * synchronous or an SError (made precise by unmasking SErrors around the
 * access and waiting for it with dsb/isb), must not stop the hypervisor:
 * arch_handle_hyp_fault() sees an exception address in [guarded_start,
 * guarded_end) and resumes at guarded_fixup, which returns -EFAULT.
 * That exception overwrites the exception registers of the guest's trap
 * being handled: each access saves them in x5-x8 for the fixup to restore.
 *
 * long arm_guarded_access(addr, size | write << 4, value pointer)
 * long arm_guarded_copy(dst, src, size)
 * long arm_guarded_zero(addr, size)
 */
	.globl	guarded_start, guarded_end, guarded_fixup
	.globl	arm_guarded_access, arm_guarded_copy, arm_guarded_zero
	.macro	guard_enter
	mrs	x5, elr_el2
	mrs	x6, spsr_el2
	mrs	x7, esr_el2
	mrs	x8, far_el2
	msr	daifclr, #4
	.endm

guarded_start:
arm_guarded_access:
	guard_enter
	isb
	tbnz	x1, #4, 5f
	cmp	x1, #1
	b.ne	1f
	ldrb	w3, [x0]
	b	4f
1:	cmp	x1, #2
	b.ne	2f
	ldrh	w3, [x0]
	b	4f
2:	cmp	x1, #4
	b.ne	3f
	ldr	w3, [x0]
	b	4f
3:	ldr	x3, [x0]
4:	str	x3, [x2]
	b	9f
5:	ldr	x3, [x2]
	and	x1, x1, #0xf
	cmp	x1, #1
	b.ne	6f
	strb	w3, [x0]
	b	9f
6:	cmp	x1, #2
	b.ne	7f
	strh	w3, [x0]
	b	9f
7:	cmp	x1, #4
	b.ne	8f
	str	w3, [x0]
	b	9f
8:	str	x3, [x0]
9:	dsb	sy
	isb
	msr	daifset, #4
	mov	x0, #0
	ret

arm_guarded_copy:
	guard_enter
	isb
	cbz	x2, 2f
1:	ldrb	w3, [x1], #1
	strb	w3, [x0], #1
	subs	x2, x2, #1
	b.ne	1b
2:	dsb	sy
	isb
	msr	daifset, #4
	mov	x0, #0
	ret

/* Normal memory: dc zva blocks where allowed, else pairs of stores. */
arm_guarded_zero:
	guard_enter
	isb
	add	x1, x1, x0
	mrs	x3, dczid_el0
	tbnz	x3, #4, 2f
	and	x3, x3, #0xf
	mov	x4, #4
	lsl	x3, x4, x3
1:	dc	zva, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	1b
	b	3f
2:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	2b
3:	dsb	sy
	isb
	msr	daifset, #4
	mov	x0, #0
	ret
guarded_end:

guarded_fixup:
	msr	daifset, #4
	msr	elr_el2, x5
	msr	spsr_el2, x6
	msr	esr_el2, x7
	msr	far_el2, x8
	mov	x0, #-EFAULT
	ret

/*
 * long arm_drain_serror(void): unmask SErrors for a moment, after every
 * access of the last owner completed (dsb), so that one it left pending
 * is taken here; arch_handle_hyp_fault() resumes at serror_drain_end with
 * x0 = 1.
 */
	.globl	arm_drain_serror, serror_drain_start, serror_drain_end
arm_drain_serror:
	mov	x0, #0
	dsb	sy
	isb
serror_drain_start:
	msr	daifclr, #4
	isb
	nop
serror_drain_end:
	msr	daifset, #4
	ret

/* Clear the FP/SIMD state for a CPU that starts a new guest. */
	.globl	arm64_reset_fpsimd
arm64_reset_fpsimd:
	.irp	r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\r\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

/*
 * Called at their physical (identity mapped) address.  x0: physical address
 * of x0..x30 to return to the caller with, x1: SCTLR_EL2 to restore (MMU
 * off).  ELR_EL2/SPSR_EL2 and VBAR_EL2 are already set.
 */
	.globl	arm64_leave_el2
arm64_leave_el2:
	msr	sctlr_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	ic	iallu
	isb
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret

/* Same way out for a parked CPU, which then powers off through PSCI. */
	.globl	arm64_off_el2
arm64_off_el2:
	msr	sctlr_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	movz	x0, #0x8400, lsl #16
	movk	x0, #0x0002		/* PSCI CPU_OFF */
	smc	#0
1:	wfi
	b	1b

	.bss
	.align	12
	.globl	bootstrap_pt
bootstrap_pt:
	.fill	4 * 4096, 1, 0
