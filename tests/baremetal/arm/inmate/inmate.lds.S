/* SPDX-License-Identifier: GPL-2.0-only */
/* Probe inmate, ARMv7: linked at guest-physical 0. */

ENTRY(_start)

SECTIONS
{
	. = 0;
	.boot : { *(.boot) }
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	. = ALIGN(16);
	bss_start = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	bss_end = .;
	. = ALIGN(4096);
	. += 0x2000;
	stack_top = .;
	/DISCARD/ : { *(.note .note.*) *(.comment) *(.ARM.exidx*) *(.ARM.attributes) }
}
