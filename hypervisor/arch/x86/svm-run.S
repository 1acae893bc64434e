/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64 AMD-V: the guest loop. */

#include <generated/asm-defines.h>

/*
 * rdi: per-CPU block.  The guest's registers (struct guest_regs, rax and
 * rsp live in the VMCB) sit at the top of the stack; the rsp slot of the
 * frame holds the VMCB's physical address.
 */
	.text
	.globl	svm_vm_loop
svm_vm_loop:
	lea	PERCPU_STACK_SIZE-GUEST_REGS_SIZE(%rdi), %rsp
1:	mov	11*8(%rsp), %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rbp
	add	$8, %rsp
	pop	%rbx
	pop	%rdx
	pop	%rcx
	add	$8, %rsp

	vmload	%rax
	vmrun	%rax
	vmsave	%rax

	push	$0
	push	%rcx
	push	%rdx
	push	%rbx
	push	%rax
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	call	svm_handle_exit
	jmp	1b
