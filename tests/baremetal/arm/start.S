/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, ARMv7: boot CPU entry from QEMU, in HYP mode. */

	.arm
	.section .text.boot, "ax"
	.globl _start
_start:
	cpsid	aif
	ldr	sp, =__stack_top
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	main
	bl	system_off
2:	wfi
	b	2b
