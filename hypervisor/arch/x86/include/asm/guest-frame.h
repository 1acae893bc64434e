/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: the guest register frame (struct
 * guest_regs: r15 at the lowest address, rax at the highest) as the run
 * stubs of both vendors (svm-run.S, vmx-run.S) fill and empty it.
 */

#ifndef _ASM_GUEST_FRAME_H
#define _ASM_GUEST_FRAME_H

#ifdef __ASSEMBLY__
/*
 * Push the guest's registers onto the stack as a frame; the rax and rsp
 * slots get @rax and @rsp (a vendor keeps one of them elsewhere).
 */
	.macro	push_guest_frame rax=%rax, rsp=$0
	push	\rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	\rsp
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

/*
 * Load the guest's registers from the frame at the stack pointer and drop
 * it; the rsp slot is skipped, and so is the rax slot with rax=skip.
 */
	.macro	pop_guest_frame rax=%rax
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
	.ifc	\rax, skip
	add	$8, %rsp
	.else
	pop	\rax
	.endif
	.endm
#endif

#endif
