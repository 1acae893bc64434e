/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-only boot sector for Bochs: starts a multiboot (v1, a.out kludge)
 * program that Bochs has already put into RAM (optramimage), the way a
 * multiboot loader would.  Bochs has no -kernel; its BIOS loads this
 * sector from a floppy image to 0x7c00 and runs it in real mode.
 *
 * tests/machines.py assembles it, fills the parameter block at offset
 * PARAMS (entry point, bss to clear, memory size, command line) from the
 * program's multiboot header and the run's options, and pads it to a
 * 1.44 MB floppy image.  The sector enables A20 (port 0x92), builds a
 * multiboot information structure at MBI (memory, command line), switches
 * to 32-bit protected mode with flat segments, clears the bss and jumps
 * to the entry with EAX = 0x2badb002 and EBX = MBI, interrupts off.
 *
 *   gcc -m32 -nostdlib -static -Wl,-Ttext=0x7c00 -Wl,--oformat=binary
 */

#define MB_BOOT_MAGIC	0x2badb002
#define MBI		0x6000
#define MBI_FLAGS	0x5		/* mem_lower/upper, cmdline */
#define PARAMS		0x100		/* offset of the parameter block */
#define SEL_CODE	0x08
#define SEL_DATA	0x10

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %sp
	ljmp	$0, $1f
1:	inb	$0x92, %al		/* fast A20 */
	or	$2, %al
	and	$0xfe, %al
	outb	%al, $0x92
	lgdtl	gdt_ptr
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE, $pm32

	.code32
pm32:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %esp
	/* multiboot information: flags, mem_lower, mem_upper, boot device,
	 * cmdline */
	mov	$MBI, %edi
	mov	$MBI_FLAGS, %eax
	stosl
	mov	$639, %eax
	stosl
	mov	p_mem_upper, %eax
	stosl
	mov	$0xffffffff, %eax
	stosl
	mov	$p_cmdline, %eax
	stosl
	/* clear the bss */
	mov	p_bss_start, %edi
	mov	p_bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep	stosb
	mov	$MB_BOOT_MAGIC, %eax
	mov	$MBI, %ebx
	jmp	*p_entry

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 32-bit code */
	.quad	0x00cf93000000ffff	/* data */
gdt_ptr:
	.word	gdt_ptr - gdt - 1
	.long	gdt

	/* the parameter block, filled in by tests/machines.py */
	.org	PARAMS
params:
	.ascii	"JHBOOT01"		/* what the filler looks for */
p_entry:
	.long	0
p_bss_start:
	.long	0
p_bss_end:
	.long	0
p_mem_upper:
	.long	0			/* KiB above 1 MiB */
p_cmdline:
	.fill	0x1fe - (p_cmdline - _start), 1, 0
	.word	0xaa55
