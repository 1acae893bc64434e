/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARMv7: start at cpu_reset_address, SVC mode. */

	.arm
	.section .boot, "ax"
	.globl __reset_entry
__reset_entry:
	ldr	sp, =stack_top
	ldr	r0, =bss_start
	ldr	r1, =bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	inmate_main
	.globl stop
stop:
	wfi
	b	stop
