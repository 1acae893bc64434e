/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, arm64: boot CPU entry from QEMU, at EL2. */

	.section .text.boot, "ax"
	.globl _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	main
	bl	system_off
3:	wfi
	b	3b
