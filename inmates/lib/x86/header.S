/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library, x86: every CPU of the cell starts here, in
 * 16-bit real mode at address 0: in a cell all of them at once at
 * cpu_reset_address 0, bare only the first; later SIPI vector 0 for a CPU
 * smp_start_cpu() starts.  Switch to flat 32-bit protected mode; the CPUs
 * not being started by smp_start_cpu() count themselves (ELECT_ARRIVED),
 * wait until all of the cell's have (comm region: num_cpus), and all but
 * the one with the lowest APIC ID halt until INIT and SIPI (so do CPUs
 * arriving after the one that goes on took the boot).  Enable SSE and,
 * for 64-bit inmates, enter long mode with the first 4 GiB identity-mapped;
 * then that CPU clears BSS and calls __inmate_start(), a CPU that
 * smp_start_cpu() started (smp_boot_stack set) takes its stack and calls
 * __secondary_start().
 */

#define X86_CR0_PE	0x00000001
#define X86_CR0_MP	0x00000002
#define X86_CR0_EM	0x00000004
#define X86_CR0_PG	0x80000000
#define X86_CR4_PAE	0x00000020
#define X86_CR4_OSFXSR	0x00000200
#define X86_CR4_OSXMMEXCPT 0x00000400
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100
#define PTE_PRESENT_RW	0x003
#define PTE_UNCACHED	0x018
#define PTE_HUGE	0x080
/* 2 MiB pages from 3 GiB on (devices) are uncached. */
#define FIRST_DEVICE_PAGE 1536

/* The comm region ("JHCOMM", x86 part: num_cpus at 0x42). */
#define COMM_REGION	0x100000
#define COMM_MAGIC_LO	0x4f43484a	/* "JHCO" */
#define COMM_MAGIC_HI	0x4d4d		/* "MM" */
#define COMM_NUM_CPUS	0x42
/* How long the CPUs of a cell wait for each other at most, in pause
 * loops (a second or two under QEMU's TCG, where a pause leaves the
 * translated code; bare with a comm region, test rigs start only one). */
#define ARRIVAL_SPINS	2000000
/*
 * The election among the CPUs that started at cpu_reset_address: in the
 * comm region page's last words, which the hypervisor clears at every
 * cell start (the image's data would keep the last run's after a restart
 * without reload).  Arrived CPUs, lowest APIC ID + 1 (0: none yet), taken;
 * before them a bitmap of the arrived CPUs' APIC IDs, 256 bits, which
 * cell_cpu_apic_ids() (setup.c) reads.
 */
#define ELECT_CPUS	(COMM_REGION + 0xfd0)
#define ELECT_ARRIVED	(COMM_REGION + 0xff4)
#define ELECT_MIN	(COMM_REGION + 0xff8)
#define ELECT_TAKEN	(COMM_REGION + 0xffc)

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18

	.section .boot, "ax"
	.code16
	.globl __reset_entry
__reset_entry:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	gdt_ptr
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $start32

	.code32
start32:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	/* SSE for inmates that use it (the library itself does not). */
	mov	%cr0, %eax
	and	$~X86_CR0_EM, %eax
	or	$X86_CR0_MP, %eax
	mov	%eax, %cr0
	mov	%cr4, %eax
	or	$(X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT), %eax
	mov	%eax, %cr4
	cmpl	$0, smp_boot_stack
	jne	4f
	/* bare (no comm region): the one CPU started goes on */
	cmpl	$COMM_MAGIC_LO, COMM_REGION
	jne	4f
	cmpw	$COMM_MAGIC_HI, COMM_REGION + 4
	jne	4f
	/* elect the CPU with the lowest APIC ID: ELECT_MIN = min(own + 1) */
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	lock btsl %ebx, ELECT_CPUS
	inc	%ebx
	mov	ELECT_MIN, %eax
1:	test	%eax, %eax
	jz	5f
	cmp	%eax, %ebx
	jae	2f
5:	lock cmpxchg %ebx, ELECT_MIN	/* %eax: the value seen */
	jne	1b
2:	lock incl ELECT_ARRIVED
	/* wait until all of the cell's CPUs are there */
	mov	$ARRIVAL_SPINS, %ecx
	movzwl	COMM_REGION + COMM_NUM_CPUS, %eax
6:	cmp	%eax, ELECT_ARRIVED
	jae	3f
	pause
	loop	6b
3:	cmp	ELECT_MIN, %ebx
	jne	stop
	/* one CPU only, even if a lower APIC ID came after the wait ended */
	xor	%eax, %eax
	mov	$1, %ecx
	lock cmpxchg %ecx, ELECT_TAKEN
	jne	stop
4:

#ifdef INMATE_32BIT
	mov	smp_boot_stack, %esp
	test	%esp, %esp
	jnz	1f
	mov	$stack_top, %esp
	call	clear_bss
	call	__inmate_start
	jmp	stop
1:	call	__secondary_start
	jmp	stop
#else
	cmpl	$0, smp_boot_stack
	jne	enter_long_mode
	/* First CPU: PML4[0] -> PDPT, PDPT[0..3] -> 4 page directories
	 * (PML4 and PDPT are adjacent: zero both first). */
	mov	$pml4, %edi
	mov	$(2 * 1024), %ecx
	xor	%eax, %eax
	cld
	rep stosl
	movl	$pdpt + PTE_PRESENT_RW, pml4
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	add	$pd + PTE_PRESENT_RW, %eax
	mov	%eax, pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jb	1b
	xor	%ecx, %ecx
4:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_PRESENT_RW | PTE_HUGE), %eax
	cmp	$FIRST_DEVICE_PAGE, %ecx
	jb	5f
	or	$PTE_UNCACHED, %eax
5:	mov	%eax, pd(, %ecx, 8)
	movl	$0, pd + 4(, %ecx, 8)
	inc	%ecx
	cmp	$(4 * 512), %ecx
	jb	4b

enter_long_mode:
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$X86_CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $start64

	.code64
start64:
	mov	smp_boot_stack, %rsp
	test	%rsp, %rsp
	jnz	1f
	mov	$stack_top, %rsp
	call	clear_bss
	call	__inmate_start
	jmp	stop
1:	call	__secondary_start
	jmp	stop
#endif

clear_bss:
	mov	$bss_start, %edi
	mov	$bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	cld
	rep stosb
	ret

	.globl stop
stop:
	cli
	hlt
	jmp	stop

	.align 16
	.globl __gdt
__gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* SEL_CODE32: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* SEL_DATA: flat data */
	.quad	0x00af9b000000ffff	/* SEL_CODE64: 64-bit code */
gdt_ptr:
	.short	gdt_ptr - __gdt - 1
	.long	__gdt

	/* Set by smp_start_cpu() while a CPU is being started: its stack.
	 * In .data, so it is 0 when the image is loaded. */
	.data
	.align 8
	.globl smp_boot_stack
smp_boot_stack:
	.quad	0

#ifndef INMATE_32BIT
	.section .page_tables, "aw", @nobits
	.align 4096
pml4:	.fill 512, 8, 0
pdpt:	.fill 512, 8, 0
pd:	.fill 4 * 512, 8, 0
#endif
