/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library, x86: one 16-byte entry stub per vector.  Each
 * pushes a dummy error code where the CPU pushes none, then the vector, and
 * calls __int_dispatch(vector, frame) with the caller-saved registers
 * saved; frame points at the vector, followed by the error code and the
 * CPU's interrupt frame (IP, CS, flags, ...).
 */

/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.align 16
	.globl __int_stubs
__int_stubs:
	.set vector, 0
	.rept 256
	.align 16
	.if !HAS_ERROR_CODE(vector)
	push	$0
	.endif
	push	$vector
	jmp	int_common
	.set vector, vector + 1
	.endr

int_common:
#ifdef INMATE_32BIT
	pusha
	lea	32(%esp), %eax
	push	%eax
	push	(%eax)
	call	__int_dispatch
	add	$8, %esp
	popa
	add	$8, %esp
	iret
#else
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	lea	72(%rsp), %rsi
	mov	(%rsi), %rdi
	call	__int_dispatch
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp
	iretq
#endif
