/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal test programs, x86-64: multiboot entry (32-bit protected
 * mode), the switch to long mode with the first 4 GiB identity mapped,
 * and the start-up code of the other CPUs (INIT-SIPI-SIPI lands in
 * ap_tramp, copied to AP_TRAMP_ADDR).
 */

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00010000	/* load addresses in the header */
#define CR4_BITS	0xa0		/* PAE, PGE */
#define MSR_EFER	0xc0000080
#define EFER_BITS	0x901		/* SCE, LME, NXE */
#define CR0_BITS	0x80000001	/* PG, PE */
#define AP_TRAMP_ADDR	0x8000
#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18

	.section .multiboot, "a"
	.balign	4
mb_header:
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long	mb_header, __load_start, __load_end, __bss_end, _start32

	.section .text.boot, "ax"
	.code32
	.globl	_start32
_start32:
	mov	%ebx, multiboot_info
	lgdt	gdt_ptr
	xor	%esi, %esi		/* boot CPU */
	ljmp	$SEL_CODE32, $long_mode_32

/* Protected mode, paging off; esi: 0 on the boot CPU, 1 on the others. */
long_mode_32:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$CR4_BITS, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_BITS, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_BITS, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long_mode_64

	.code64
long_mode_64:
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	test	%esi, %esi
	jnz	1f
	mov	$__stack_top, %rsp
	call	main
	call	system_off
	jmp	2f
1:	mov	ap_stack(%rip), %rsp
	mov	ap_cpu(%rip), %edi
	call	secondary_main
2:	cli
	hlt
	jmp	2b

/*
 * long call_entry_checked(entry, cpu, image_phys, const u64 in[6],
 * u64 out[6]): call the hypervisor entry as the driver does, with rbx,
 * rbp, r12-r15 set from in[], and store what they hold afterwards.
 */
	.globl	call_entry_checked
call_entry_checked:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%r8
	mov	0(%rcx), %rbx
	mov	8(%rcx), %rbp
	mov	16(%rcx), %r12
	mov	24(%rcx), %r13
	mov	32(%rcx), %r14
	mov	40(%rcx), %r15
	mov	%rdi, %rax
	mov	%esi, %edi
	mov	%rdx, %rsi
	call	*%rax
	pop	%r8
	mov	%rbx, 0(%r8)
	mov	%rbp, 8(%r8)
	mov	%r12, 16(%r8)
	mov	%r13, 24(%r8)
	mov	%r14, 32(%r8)
	mov	%r15, 40(%r8)
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/* Real mode at AP_TRAMP_ADDR (CS = AP_TRAMP_ADDR >> 4, IP = 0). */
	.code16
	.globl	ap_tramp, ap_tramp_end
ap_tramp:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	AP_TRAMP_ADDR + (ap_gdt_ptr - ap_tramp)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $AP_TRAMP_ADDR + (ap_prot - ap_tramp)
	.code32
ap_prot:
	mov	$1, %esi
	mov	$long_mode_32, %eax
	jmp	*%eax
	.balign	8
ap_gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt
ap_tramp_end:

	.data
	.balign	16
	.globl	gdt
gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 64-bit code */
	.quad	0x00cf93000000ffff	/* data */
	.quad	0x00cf9b000000ffff	/* 32-bit code */
	.fill	2 * 4, 8, 0		/* TSS of CPU 0..3 (board.c) */
	.fill	2, 8, 0			/* LDT (prog-jailhouse.c) */
gdt_end:
	.balign	8
	.word	0, 0, 0
gdt_ptr:
	.word	gdt_end - gdt - 1
	.quad	gdt

	.globl	multiboot_info, ap_stack, ap_cpu
multiboot_info:
	.long	0
ap_cpu:
	.long	0
ap_stack:
	.quad	0

/* Page tables: 0..4 GiB identity mapped with 2 MiB pages. */
	.balign	4096
	.globl	pml4
pml4:
	.quad	pdpt + 3
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0x0003, pd + 0x1003, pd + 0x2003, pd + 0x3003
	.fill	508, 8, 0
pd:
	.set	addr, 0
	.rept	2048
	.quad	addr + 0x83
	.set	addr, addr + 0x200000
	.endr
