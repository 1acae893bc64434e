/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-only multiboot loader: starts an x86 inmate in QEMU the way a cell
 * CPU starts it, without the hypervisor.  QEMU (-kernel this, -initrd
 * "inmate.bin [command line]") enters here in 32-bit protected mode.  The
 * loader copies the inmate image (the first module) to address 0 and the
 * module's command line, if any, to 0x1000 (as `jailhouse cell load -s ...
 * -a 0x1000` does), a second module, if given, to 0x100000 (a comm region
 * as the hypervisor fills it), masks the legacy PICs (a cell has none),
 * and enters the
 * inmate in real mode at 0000:0000 (cpu_reset_address 0) with interrupts
 * off, flat 64 KiB real-mode segments and the interrupt table at 0.
 * Built by tests/x86_inmates.py; not part of any inmate.
 *
 *   gcc -m32 -nostdlib -static -Wl,-Ttext=0x200000 -o loader.elf this.S
 */

#define MB_MAGIC		0x1badb002
#define MB_FLAGS		0x00000001	/* modules page-aligned */
#define MB_BOOT_MAGIC		0x2badb002
#define MB_INFO_FLAGS		0
#define MB_INFO_MODS		(1 << 3)
#define MB_INFO_MODS_COUNT	20
#define MB_INFO_MODS_ADDR	24
#define MOD_START		0
#define MOD_END			4
#define MOD_STRING		8

#define IMAGE_MAX		0xf0000		/* below the comm region */
#define COMM_REGION		0x100000
#define COMM_REGION_MAX		0x1000
#define MOD_SIZE		16
#define CMDLINE_OFFSET		0x1000
#define CMDLINE_MAX		0x0fff
#define DEBUG_EXIT_PORT		0xf4

	.text
	.globl _start
	.align 4
multiboot_header:
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

_start:
	cli
	mov	$stack_top, %esp
	cmp	$MB_BOOT_MAGIC, %eax
	jne	fail
	testl	$MB_INFO_MODS, MB_INFO_FLAGS(%ebx)
	jz	fail
	cmpl	$0, MB_INFO_MODS_COUNT(%ebx)
	je	fail
	mov	MB_INFO_MODS_ADDR(%ebx), %edx

	/* The image to 0. */
	mov	MOD_START(%edx), %esi
	mov	MOD_END(%edx), %ecx
	sub	%esi, %ecx
	cmp	$IMAGE_MAX, %ecx
	ja	fail
	xor	%edi, %edi
	cld
	rep movsb

	/* Its command line: what follows the first blank of the module's
	 * string (the file name comes first). */
	mov	MOD_STRING(%edx), %esi
	test	%esi, %esi
	jz	2f
1:	lodsb
	test	%al, %al
	jz	2f
	cmp	$' ', %al
	jne	1b
	cmpb	$0, (%esi)
	je	2f
	mov	$CMDLINE_OFFSET, %edi
	mov	$CMDLINE_MAX, %ecx
3:	lodsb
	stosb
	test	%al, %al
	jz	2f
	loop	3b
	movb	$0, (%edi)
2:
	/* A second module: the comm region. */
	cmpl	$2, MB_INFO_MODS_COUNT(%ebx)
	jb	4f
	mov	MOD_SIZE + MOD_START(%edx), %esi
	mov	MOD_SIZE + MOD_END(%edx), %ecx
	sub	%esi, %ecx
	cmp	$COMM_REGION_MAX, %ecx
	ja	fail
	mov	$COMM_REGION, %edi
	rep movsb
4:
	/* Mask both 8259 PICs. */
	mov	$0xff, %al
	out	%al, $0x21
	out	%al, $0xa1

	/* 16-bit code segment based at the trampoline, 64 KiB limit. */
	mov	$trampoline, %eax
	mov	%ax, gdt_code16 + 2
	shr	$16, %eax
	mov	%al, gdt_code16 + 4
	mov	%ah, gdt_code16 + 7
	lgdt	gdt_ptr
	lidt	ivt_ptr
	ljmp	$0x08, $0

fail:
	mov	$2, %eax
	out	%eax, $DEBUG_EXIT_PORT
	cli
	hlt
	jmp	fail

	.code16
trampoline:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	%cr0, %eax
	and	$~1, %eax
	mov	%eax, %cr0
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	xor	%esp, %esp
	ljmp	$0, $0
	.code32

	.data
	.align 8
gdt:
	.quad	0
gdt_code16:
	.quad	0x00009b000000ffff	/* 0x08: 16-bit code, base patched */
	.quad	0x000093000000ffff	/* 0x10: 16-bit data, base 0 */
gdt_ptr:
	.short	gdt_ptr - gdt - 1
	.long	gdt
ivt_ptr:
	.short	0x3ff
	.long	0

	.bss
	.align 16
	.fill	1024, 1, 0
stack_top:
