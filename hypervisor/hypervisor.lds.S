/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: image layout, shared by every architecture. */

#include <asm/layout.h>

ENTRY(arch_entry)

SECTIONS
{
	. = JAILHOUSE_BASE;
	__image_start = .;

	.header : { KEEP(*(.header)) }

	. = ALIGN(16);
	.text : { *(.text.entry) *(.text .text.*) }

	. = ALIGN(16);
	.rodata : { *(.rodata .rodata.*) }

	. = ALIGN(16);
	.units : {
		__units_start = .;
		KEEP(*(.units))
		__units_end = .;
	}

	. = ALIGN(16);
	.data : { *(.data .data.*) }

	. = ALIGN(PAGE_SIZE);
	.bss : { __bss_start = .; *(.bss .bss.*) *(COMMON) __bss_end = .; }

	. = ALIGN(PAGE_SIZE);
	__image_end = .;

	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) *(.interp) }
}
