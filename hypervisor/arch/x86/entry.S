/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: image header, entry, the way back to the
 * caller and the hypervisor's exception stubs.  The protocol is described
 * in docs/hypervisor-entry.md: the caller maps the hypervisor memory at
 * some address V and calls V + header.entry as a C function
 *
 *	int entry(unsigned int cpu, __u64 image_phys);
 *
 * The entry builds the hypervisor's own page tables (its memory at
 * JAILHOUSE_BASE, and image page 0 at V), switches to them from page 0,
 * which is mapped at V in both worlds, and continues at JAILHOUSE_BASE.
 * Leaving switches back the same way.
 */

#include <generated/asm-defines.h>
#include <generated/config.h>
#include <asm/guest-frame.h>
#include <asm/layout.h>
#include <jailhouse/header.h>

#define EINVAL		22
#define MSR_EFER	0xc0000080
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define PTE_TABLE	0x7		/* present, writable, user (NPT) */
#define PTE_2M		0x83		/* present, writable, large */
#define PTE_4K		0x3
#define CR4_PGE		0x80
#define PT_HV_PML4	((JAILHOUSE_BASE >> 39) & 511)
#define PT_HV_PDPT	((JAILHOUSE_BASE >> 30) & 511)
#define PT_HV_PD	((JAILHOUSE_BASE >> 21) & 511)

	.section .header, "awx"
	.globl	hypervisor_header
hypervisor_header:
	.asciz	JAILHOUSE_HEADER_SIGNATURE
	.long	JAILHOUSE_HEADER_REVISION, JAILHOUSE_ARCH_ID
	.quad	arch_entry - hypervisor_header
	.quad	__image_end - hypervisor_header
	.quad	PERCPU_SIZE
	.quad	console_ring - hypervisor_header
	.long	CONFIG_MAX_CPUS, 0
	.long	0, 0			/* possible_cpus, online_cpus */
	.quad	0, 0			/* config_offset, config_size */
	.long	0, 0			/* entered_cpus, entry_status */
	.fill	5, 8, 0

/*
 * Image page 0 continues with the two stubs that run while CR3 changes;
 * they are executed at the caller's address of this page, which both the
 * caller's and the hypervisor's page tables map.
 *
 * rax: the hypervisor's CR3, rbx: where to continue (JAILHOUSE_BASE).
 */
switch_to_hv:
	mov	%rax, %cr3
	jmp	*%rbx

/*
 * rdi: struct x86_leave at the caller's address, rdx: the caller's CR3.
 * Everything else comes from the struct; iretq lands in the caller.
 */
	.globl	x86_leave_stub
x86_leave_stub:
	mov	%rdx, %cr3
	mov	LV_CR4(%rdi), %rax
	mov	%rax, %cr4
	lgdt	LV_GDTR+6(%rdi)
	lidt	LV_IDTR+6(%rdi)
	mov	LV_DS(%rdi), %rax
	mov	%ax, %ds
	mov	LV_ES(%rdi), %rax
	mov	%ax, %es
	cmpq	$0, LV_RELOAD_SEGS(%rdi)
	je	2f
	lldt	LV_LDTR(%rdi)
	mov	LV_FS(%rdi), %rax
	mov	%ax, %fs
	mov	LV_GS(%rdi), %rax
	mov	%ax, %gs
	mov	$MSR_FS_BASE, %ecx
	mov	LV_FS_BASE(%rdi), %eax
	mov	LV_FS_BASE+4(%rdi), %edx
	wrmsr
	mov	$MSR_GS_BASE, %ecx
	mov	LV_GS_BASE(%rdi), %eax
	mov	LV_GS_BASE+4(%rdi), %edx
	wrmsr
	mov	LV_TR(%rdi), %rax
	test	%ax, %ax
	jz	2f
	lgdt	LV_TR_GDTR+6(%rdi)
	ltr	%ax
	lgdt	LV_GDTR+6(%rdi)
2:	lea	LV_IRET(%rdi), %rsp
	mov	LV_REGS+0*8(%rdi), %rax
	mov	LV_REGS+1*8(%rdi), %rcx
	mov	LV_REGS+2*8(%rdi), %rdx
	mov	LV_REGS+3*8(%rdi), %rbx
	mov	LV_REGS+5*8(%rdi), %rbp
	mov	LV_REGS+6*8(%rdi), %rsi
	mov	LV_REGS+8*8(%rdi), %r8
	mov	LV_REGS+9*8(%rdi), %r9
	mov	LV_REGS+10*8(%rdi), %r10
	mov	LV_REGS+11*8(%rdi), %r11
	mov	LV_REGS+12*8(%rdi), %r12
	mov	LV_REGS+13*8(%rdi), %r13
	mov	LV_REGS+14*8(%rdi), %r14
	mov	LV_REGS+15*8(%rdi), %r15
	mov	LV_REGS+7*8(%rdi), %rdi
	iretq

/* The raw GDT descriptor of a saved selector (0 if null or in the LDT). */
	.macro	save_seg seg, slot
	mov	%\seg, %rax
	mov	%rax, \slot(%r9)
	.endm

/* Entry of the table at bootstrap_pt + offs for the caller's address. */
	.macro	map_v shift, offs, value
	mov	%r8, %rax
	shr	$\shift, %rax
	and	$511, %eax
	lea	\value, %rcx
	mov	%rcx, \offs(%r11,%rax,8)
	.endm

	.macro	descriptor slot, n
	mov	\slot(%r9), %rax
	xor	%ecx, %ecx
	test	$4, %al
	jnz	10f
	and	$0xfff8, %eax
	jz	10f
	mov	(%r10,%rax), %rcx
10:	mov	%rcx, ES_DESC+\n*8(%r9)
	.endm

/* Both words of a system descriptor (TSS, LDT), 0 if null. */
	.macro	system_descriptor slot, n
	descriptor \slot, \n
	xor	%ecx, %ecx
	mov	ES_DESC+\n*8(%r9), %rax
	test	%rax, %rax
	jz	11f
	mov	\slot(%r9), %rax
	and	$0xfff8, %eax
	mov	8(%r10,%rax), %rcx
11:	mov	%rcx, ES_DESC+(\n+1)*8(%r9)
	.endm

	.text
/*
 * Runs at the caller's address, position independent.  edi: CPU number,
 * rsi: physical address of the image (2 MiB aligned).  Only rax, rcx,
 * rdx, r8-r11 are touched before the caller's registers are saved.
 */
	.globl	arch_entry
arch_entry:
	lea	hypervisor_header(%rip), %r8
	mov	$-EINVAL, %rax
	test	$0x1fffff, %rsi
	jnz	9f
	mov	%r8, %rcx
	shr	$39, %rcx
	and	$511, %ecx
	cmp	$PT_HV_PML4, %ecx	/* the caller's mapping must not share */
	je	9f			/* the hypervisor's top-level entry */
	mov	HDR_POSSIBLE_CPUS(%r8), %ecx
	cmp	HDR_MAX_CPUS(%r8), %ecx
	ja	9f
	cmp	%ecx, %edi
	jae	9f
	mov	HDR_CONFIG_OFFSET(%r8), %rcx
	test	$0xfff, %rcx
	jnz	9f
	mov	SYS_HV_MEM_SIZE(%r8,%rcx), %rcx
	test	%rcx, %rcx
	jz	9f
	test	$0x1fffff, %rcx
	jnz	9f
	cmp	$HV_MEM_MAX, %rcx
	ja	9f

	/* r9: this CPU's per-CPU block; clear it but the stack */
	mov	%edi, %eax
	imul	HDR_PERCPU_SIZE(%r8), %rax
	add	HDR_CORE_SIZE(%r8), %rax
	lea	(%r8,%rax), %r9
	lea	PERCPU_STACK_SIZE(%r9), %rax
	mov	HDR_PERCPU_SIZE(%r8), %rcx
	add	%r9, %rcx
1:	movq	$0, (%rax)
	add	$8, %rax
	cmp	%rcx, %rax
	jb	1b

	/* the caller's state */
	mov	%rbx, ES_RBX(%r9)
	mov	%rbp, ES_RBP(%r9)
	mov	%r12, ES_R12(%r9)
	mov	%r13, ES_R13(%r9)
	mov	%r14, ES_R14(%r9)
	mov	%r15, ES_R15(%r9)
	lea	8(%rsp), %rax
	mov	%rax, ES_RSP(%r9)
	mov	(%rsp), %rax
	mov	%rax, ES_RIP(%r9)
	pushfq
	pop	ES_RFLAGS(%r9)
	mov	%cr0, %rax
	mov	%rax, ES_CR0(%r9)
	mov	%cr3, %rax
	mov	%rax, ES_CR3(%r9)
	mov	%cr4, %rax
	mov	%rax, ES_CR4(%r9)
	mov	$MSR_EFER, %ecx
	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, ES_EFER(%r9)
	sgdt	ES_GDTR+6(%r9)
	sidt	ES_IDTR+6(%r9)
	save_seg cs, ES_CS
	save_seg ss, ES_SS
	save_seg ds, ES_DS
	save_seg es, ES_ES
	save_seg fs, ES_FS
	save_seg gs, ES_GS
	str	%rax
	mov	%rax, ES_TR(%r9)
	sldt	%rax
	mov	%rax, ES_LDTR(%r9)
	/* GDT descriptors of cs, ss, ds, es (the GDT is mapped here only) */
	mov	ES_GDTR+8(%r9), %r10
	descriptor ES_CS, 0
	descriptor ES_SS, 1
	descriptor ES_DS, 2
	descriptor ES_ES, 3
	system_descriptor ES_TR, 4
	system_descriptor ES_LDTR, 6
	mov	%r8, ES_VIRT(%r9)

	/*
	 * Bootstrap page tables in the bss: PML4, PDPT and PD of
	 * JAILHOUSE_BASE (2 MiB pages of the hypervisor memory), PDPT, PD
	 * and PT of image page 0 at the caller's address.  Every CPU writes
	 * the same values.  rbx: physical address of the PML4.
	 */
	lea	bootstrap_pt(%rip), %r11
	mov	%r11, %rbx
	sub	%r8, %rbx
	add	%rsi, %rbx
	lea	0x1000+PTE_TABLE(%rbx), %rax
	mov	%rax, PT_HV_PML4*8(%r11)
	lea	0x2000+PTE_TABLE(%rbx), %rax
	mov	%rax, 0x1000+PT_HV_PDPT*8(%r11)
	mov	HDR_CONFIG_OFFSET(%r8), %rcx
	mov	SYS_HV_MEM_SIZE(%r8,%rcx), %rcx
	shr	$21, %rcx
	lea	0x2000+PT_HV_PD*8(%r11), %rdx
	lea	PTE_2M(%rsi), %rax
2:	mov	%rax, (%rdx)
	add	$8, %rdx
	add	$0x200000, %rax
	dec	%rcx
	jnz	2b
	map_v	39, 0x0000, 0x3000+PTE_TABLE(%rbx)
	map_v	30, 0x3000, 0x4000+PTE_TABLE(%rbx)
	map_v	21, 0x4000, 0x5000+PTE_TABLE(%rbx)
	map_v	12, 0x5000, PTE_4K(%rsi)

	/* r9 becomes the hypervisor's address of the per-CPU block */
	sub	%r8, %r9
	movabs	$JAILHOUSE_BASE, %rax
	add	%rax, %r9
	mov	%edi, %r12d
	mov	%rsi, %r13
	mov	%rbx, %rax
	movabs	$virt_entry, %rbx
	jmp	switch_to_hv

9:	ret

/* Now at JAILHOUSE_BASE.  r9: per-CPU block, r12d: CPU, r13: image phys. */
virt_entry:
	mov	%cr4, %rax		/* flush the caller's global TLB entries; */
	and	$~CR4_PGE, %rax		/* the hypervisor runs without them */
	mov	%rax, %cr4
	/* the guest register frame sits at the top of the stack */
	lea	PERCPU_STACK_SIZE-GUEST_REGS_SIZE(%r9), %rsp
	mov	%r12d, PERCPU_CPU_ID(%r9)
	mov	%r13, PERCPU_PHYS_BASE(%r9)
	mov	%r9, %rdi
	call	x86_cpu_early
	lea	GUEST_REGS_SIZE-PERCPU_STACK_SIZE(%rsp), %rdi
	call	entry
	/* success: run the caller as a guest from here on */
	lea	GUEST_REGS_SIZE-PERCPU_STACK_SIZE(%rsp), %rdi
	jmp	vcpu_activate

/* Exceptions in the hypervisor: report and stop (NMIs: x86_nmi). */
	.macro	excp vec
	.balign	16
	.if	\vec == 2
	jmp	nmi_common
	.else
	.if	(\vec != 8) && ((\vec < 10) || (\vec > 14)) && (\vec != 17)
	push	$0
	.endif
	push	$\vec
	jmp	excp_common
	.endif
	.endm

	.balign	16
	.globl	x86_exception_stubs
x86_exception_stubs:
	.irp	vec, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	excp	\vec
	.endr

/* x86_exception() returns only after it moved a guarded access's RIP. */
excp_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbp
	lea	80(%rsp), %rdi
	mov	%rsp, %rbp
	and	$~15, %rsp
	call	x86_exception
	mov	%rbp, %rsp
	pop	%rbp
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

/*
 * Instructions the hypervisor executes with a guest's values, which the
 * CPU may refuse with a fault where our checks did not foresee it:
 *	int x86_guarded_xsetbv(u64 xcr0);
 *	int x86_guarded_wrmsr(u32 msr, u64 value);
 *	int x86_guarded_xrstor(const void *area);	(all components: XFD)
 * return 0, or -1 when the instruction faulted (the fault handler moves
 * the RIP of an instruction in [x86_guarded_start, x86_guarded_end) to
 * x86_guarded_fixup; nothing is on the stack but the return address).
 */
	.globl	x86_guarded_xsetbv
x86_guarded_xsetbv:
	mov	%edi, %eax
	mov	%rdi, %rdx
	shr	$32, %rdx
	xor	%ecx, %ecx
	jmp	1f

	.globl	x86_guarded_wrmsr
x86_guarded_wrmsr:
	mov	%edi, %ecx
	mov	%esi, %eax
	mov	%rsi, %rdx
	shr	$32, %rdx
	jmp	2f

	.globl	x86_guarded_xrstor
x86_guarded_xrstor:
	mov	$-1, %eax
	mov	$-1, %edx
	jmp	3f

	.globl	x86_guarded_start
x86_guarded_start:
1:	xsetbv
	xor	%eax, %eax
	ret
2:	wrmsr
	xor	%eax, %eax
	ret
3:	xrstor64 (%rdi)
	xor	%eax, %eax
	ret
	.globl	x86_guarded_end
x86_guarded_end:

	.globl	x86_guarded_fixup
x86_guarded_fixup:
	mov	$-1, %eax
	ret

/* An NMI (another CPU's kick) while in the hypervisor: the vendor's say
 * (all registers kept, in the frame of the run stubs). */
nmi_common:
	push_guest_frame
	mov	%rsp, %rbp
	and	$~15, %rsp
	call	x86_nmi
	mov	%rbp, %rsp
	pop_guest_frame
	iretq

	.bss
	.balign	4096
	.globl	bootstrap_pt
bootstrap_pt:
	.fill	6 * 4096, 1, 0
