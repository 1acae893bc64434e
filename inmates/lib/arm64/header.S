/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, arm64: start at cpu_reset_address, EL1. */

	.section .boot, "ax"
	.globl __reset_entry
__reset_entry:
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =bss_start
	ldr	x1, =bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	inmate_main
	.globl stop
stop:
	wfi
	b	stop
