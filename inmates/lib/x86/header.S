/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library, x86: x86 inmates start in 16-bit real mode at
 * cpu_reset_address.  Switch to flat 32-bit protected mode and, for 64-bit
 * inmates, on to long mode with the first GiB identity-mapped; then set up
 * the stack, clear BSS and call inmate_main().
 */

#define X86_CR0_PE	0x00000001
#define X86_CR0_PG	0x80000000
#define X86_CR4_PAE	0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define PAGE_PRESENT_RW	0x003
#define PAGE_HUGE	0x080

	.section .boot, "ax"
	.code16
	.globl __reset_entry
__reset_entry:
	cli
	lgdtl	%cs:gdt_ptr - __reset_entry
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$0x08, $start32

	.code32
start32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
#ifdef INMATE_32BIT
	mov	$stack_top, %esp
	call	clear_bss
	call	inmate_main
	jmp	stop
#else
	/* One PML4 and one PDPT entry, 512 2-MiB pages: the first GiB. */
	mov	$pdpt, %eax
	or	$PAGE_PRESENT_RW, %eax
	mov	%eax, pml4
	mov	$pd, %eax
	or	$PAGE_PRESENT_RW, %eax
	mov	%eax, pdpt
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PAGE_PRESENT_RW | PAGE_HUGE), %eax
	mov	%eax, pd(, %ecx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jb	1b
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$X86_CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$0x18, $start64

	.code64
start64:
	mov	$stack_top, %rsp
	call	clear_bss
	call	inmate_main
	jmp	stop
#endif

clear_bss:
	mov	$bss_start, %edi
	mov	$bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	cld
	rep stosb
	ret

	.globl stop
stop:
	cli
	hlt
	jmp	stop

	.align 16
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
gdt_ptr:
	.short	gdt_ptr - gdt - 1
	.long	gdt

#ifndef INMATE_32BIT
	.section .page_tables, "aw", @nobits
	.align 4096
pml4:	.fill 512, 8, 0
pdpt:	.fill 512, 8, 0
pd:	.fill 512, 8, 0
#endif
