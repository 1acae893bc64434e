/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64 Intel VT-x: the guest loop. */

/*
 * The guest's registers (struct guest_regs, all but rsp, which lives in
 * the VMCS) sit at the top of the per-CPU stack; HOST_RSP points just
 * above them, so an exit pushes them in place.
 */
	.macro	pop_guest
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
	pop	%rax
	.endm

	.macro	push_guest
	push	%rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	$0
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
	.endm

	.text
/* rdi: the guest register frame */
	.globl	vmx_vm_launch
vmx_vm_launch:
	mov	%rdi, %rsp
	pop_guest
	vmlaunch
	jmp	1f

	.globl	vmx_vm_resume
vmx_vm_resume:
	mov	%rdi, %rsp
	pop_guest
	vmresume
1:	push_guest
	mov	%rsp, %rdi
	call	vmx_entry_failed

	.globl	vmx_vm_exit
vmx_vm_exit:
	push_guest
	mov	%rsp, %rdi
	call	vmx_handle_exit
	mov	%rsp, %rdi
	jmp	vmx_vm_resume
