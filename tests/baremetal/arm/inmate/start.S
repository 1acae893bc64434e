/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe inmate, ARMv7: entry at guest-physical 0 in SVC mode, MMU off,
 * interrupts masked (the probe polls the virtual GIC CPU interface).
 */

	.arm
	.section .boot, "ax"
	.globl	_start
_start:
	cpsid	aif
	ldr	sp, =stack_top
	ldr	r1, =bss_start
	ldr	r2, =bss_end
	mov	r0, #0
1:	cmp	r1, r2
	strlo	r0, [r1], #4
	blo	1b
	bl	inmate_main
2:	wfi
	b	2b
	.ltorg
