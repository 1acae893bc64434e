/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: image layout at INMATE_BASE. */

ENTRY(__reset_entry)

SECTIONS
{
	. = INMATE_BASE;
	.boot : { *(.boot) }

	/* The command line lives at image offset 0x1000 (compatible ABI). */
	. = INMATE_BASE + 0x1000;
	.cmdline : { *(.cmdline) BYTE(0) }

	. = ALIGN(16);
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }

	. = ALIGN(16);
	bss_start = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	bss_end = .;

	. = ALIGN(4096);
	. += 0x1000;
	stack_top = .;

	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) *(.ARM.exidx*) }
}
