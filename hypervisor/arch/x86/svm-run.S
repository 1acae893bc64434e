/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64 AMD-V: the guest loop. */

#include <generated/asm-defines.h>
#include <asm/guest-frame.h>

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
	pop_guest_frame rax=skip

	vmload	%rax
	vmrun	%rax
	vmsave	%rax

	push_guest_frame rax=$0, rsp=%rax
	mov	%rsp, %rdi
	call	svm_handle_exit
	jmp	1b
