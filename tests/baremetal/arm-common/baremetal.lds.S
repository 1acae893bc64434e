/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs, ARMv7 and ARM64: linked into QEMU virt's RAM. */

ENTRY(_start)

SECTIONS
{
	/* QEMU puts the device tree at the start of RAM: stay above it. */
	. = 0x40080000;
	.text : { *(.text.boot) *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	. = ALIGN(16);
	__bss_start = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	__bss_end = .;
	. = ALIGN(4096);
	. += 0x4000;
	__stack_top = .;
	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame)
		    *(.ARM.exidx*) *(.ARM.attributes) }
}
