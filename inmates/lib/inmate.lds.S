/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: image layout at INMATE_BASE, every architecture. */

#ifdef INMATE_32BIT
OUTPUT_FORMAT("elf32-i386")
#endif

ENTRY(__reset_entry)

SECTIONS
{
	. = INMATE_BASE;
	.boot : { *(.boot) }

	/* The command line lives at image offset 0x1000 (compatible ABI). */
	. = INMATE_BASE + 0x1000;
	.cmdline : { *(.cmdline) BYTE(0) }

	. = ALIGN(16);
	/* ARM exception vectors need 2 KiB alignment: keep them first. */
	.text : { *(.text.vectors) *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }

	. = ALIGN(4096);
	/* x86 64-bit inmates build their identity map here, outside BSS. */
	.page_tables (NOLOAD) : { *(.page_tables) }

	bss_start = .;
	.bss : { *(.bss .bss.*) *(COMMON) }
	. = ALIGN(16);
	bss_end = .;

	/* Boot CPU stack. */
	. = ALIGN(4096);
	. += 0x1000;
	stack_top = .;

	/* alloc() hands out memory from here on (secondary CPU stacks too). */
	heap_start = .;

	ASSERT(SIZEOF(.boot) <= 0x1000, "start-up code overlaps the command line")
	ASSERT(ADDR(.cmdline) == INMATE_BASE + 0x1000, "command line not at 0x1000")

	/DISCARD/ : { *(.note .note.*) *(.comment) *(.eh_frame) *(.ARM.exidx*) }
}
