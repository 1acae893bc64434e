/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal test programs, x86-64: one loadable segment at 2 MiB, booted
 * by QEMU's multiboot loader through the header's load addresses (the
 * "a.out kludge"), so the ELF may be 64-bit.
 */

ENTRY(_start32)

PHDRS
{
	all PT_LOAD FLAGS(7);
}

SECTIONS
{
	. = 0x200000;
	__load_start = .;
	.text : { *(.multiboot) *(.text.boot) *(.text .text.*) } :all
	.rodata : { *(.rodata .rodata.*) } :all
	.data : { *(.data .data.*) } :all
	. = ALIGN(16);
	__load_end = .;
	.bss : { *(.bss .bss.*) *(COMMON) } :all
	. = ALIGN(4096);
	. += 0x4000;
	__stack_top = .;
	__bss_end = .;
	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) }
}
