/* SPDX-License-Identifier: GPL-2.0-only */
/* Probe inmate for the hypervisor tests: entry at guest-physical 0, EL1. */

	.section .boot, "ax"
	.globl	_start
_start:
	ldr	x1, =stack_top
	mov	sp, x1
	ldr	x1, =bss_start
	ldr	x2, =bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	inmate_main
3:	wfi
	b	3b

/* PSCI CPU_ON entry of further CPUs: x0 (context ID) is their stack. */
	.globl	secondary_start
secondary_start:
	mov	sp, x0
	bl	secondary_main
	b	3b
	.ltorg
