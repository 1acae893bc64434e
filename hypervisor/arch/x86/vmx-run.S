/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64 Intel VT-x: the guest loop. */

#include <asm/guest-frame.h>

/*
 * The guest's registers (struct guest_regs, all but rsp, which lives in
 * the VMCS) sit at the top of the per-CPU stack; HOST_RSP points just
 * above them, so an exit pushes them in place.
 */
	.text
/* rdi: the guest register frame */
	.globl	vmx_vm_launch
vmx_vm_launch:
	mov	%rdi, %rsp
	pop_guest_frame
	vmlaunch
	jmp	1f

	.globl	vmx_vm_resume
vmx_vm_resume:
	mov	%rdi, %rsp
	pop_guest_frame
	vmresume
1:	push_guest_frame
	mov	%rsp, %rdi
	call	vmx_entry_failed

	.globl	vmx_vm_exit
vmx_vm_exit:
	push_guest_frame
	mov	%rsp, %rdi
	call	vmx_handle_exit
	mov	%rsp, %rdi
	jmp	vmx_vm_resume
