/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: control register and XCR0 writes a CPU
 * refuses must be refused in a cell too (#GP, #UD without CR4.OSXSAVE),
 * whichever vendor intercepts them: clearing CR4.PAE or toggling LA57 in
 * long mode, VMXE, reserved CR0/CR4 bits, NW without CD, leaving long mode
 * from 64-bit code, PG without PE, and XSETBV with an XCR other than 0 or
 * an XCR0 value the SDM forbids (the hypervisor executes XSETBV itself: a
 * value it let through would fault in the hypervisor).  Legal writes go
 * through and read back.  Each refused instruction lands on the
 * instruction after it through a #GP/#UD handler of this test.  64-bit
 * only.
 */

#include <inmate.h>
#include <arch.h>

#define X86_CR0_NE	(1UL << 5)
#define X86_CR0_AM	(1UL << 18)
#define X86_CR0_NW	(1UL << 29)
#define X86_CR0_CD	(1UL << 30)
#define X86_CR0_PG	(1UL << 31)
#define X86_CR0_PE	(1UL << 0)
#define X86_CR4_PAE	(1UL << 5)
#define X86_CR4_PGE	(1UL << 7)
#define X86_CR4_LA57	(1UL << 12)
#define X86_CR4_VMXE	(1UL << 13)
#define X86_CR4_OSXSAVE	(1UL << 18)
#define EXC_NONE	0xff
#define EXC_UD		6
#define EXC_GP		13

/* Set by the handlers below: the vector caught, where to go on. */
volatile unsigned long cr_guard_vector, cr_guard_resume;

/*
 * #GP (with an error code) and #UD (without) continue at cr_guard_resume.
 * Interrupts stay off in this test.
 */
asm(".pushsection .text\n"
    "cr_guard_gp:\n\t"
    "add $8, %rsp\n\t"
    "movq $13, cr_guard_vector(%rip)\n\t"
    "jmp 1f\n"
    "cr_guard_ud:\n\t"
    "movq $6, cr_guard_vector(%rip)\n"
    "1:\tpush %rax\n\t"
    "mov cr_guard_resume(%rip), %rax\n\t"
    "mov %rax, 8(%rsp)\n\t"
    "pop %rax\n\t"
    "iretq\n"
    ".popsection");
extern const char cr_guard_gp[], cr_guard_ud[];

/* Each write: the vector it raised, EXC_NONE if it went through. */
#define TRY(insn, ...) ({						\
	cr_guard_vector = EXC_NONE;					\
	asm volatile("lea 1f(%%rip), %%rax\n\t"				\
		     "mov %%rax, cr_guard_resume(%%rip)\n\t"		\
		     insn "\n"						\
		     "1:" : : __VA_ARGS__ : "rax", "memory");		\
	cr_guard_vector;						\
})

static unsigned long write_cr0(unsigned long val)
{
	return TRY("mov %0, %%cr0", "r" (val));
}

static unsigned long write_cr4(unsigned long val)
{
	return TRY("mov %0, %%cr4", "r" (val));
}

static unsigned long xsetbv(unsigned int xcr, u64 val)
{
	cr_guard_vector = EXC_NONE;
	asm volatile("lea 1f(%%rip), %%rbx\n\t"
		     "mov %%rbx, cr_guard_resume(%%rip)\n\t"
		     "xsetbv\n"
		     "1:" : : "c" (xcr), "a" ((u32)val), "d" ((u32)(val >> 32))
		     : "rbx", "memory");
	return cr_guard_vector;
}

static unsigned long read_cr0(void)
{
	unsigned long val;

	asm volatile("mov %%cr0, %0" : "=r" (val));
	return val;
}

static unsigned long read_cr4(void)
{
	unsigned long val;

	asm volatile("mov %%cr4, %0" : "=r" (val));
	return val;
}

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return lo | ((u64)hi << 32);
}

static void test_xsetbv(unsigned long cr4)
{
	u32 a, b, c, d;
	u64 ok;

	cpuid(1, 0, &a, &b, &c, &d);
	/* without CR4.OSXSAVE: #UD */
	EXPECT_EQUAL(xsetbv(0, 3), EXC_UD);
	if (!(c & (1U << 26))) {
		printk("cr-guard: no XSAVE on this CPU\n");
		EXPECT_EQUAL(write_cr4(cr4 | X86_CR4_OSXSAVE), EXC_GP);
		return;
	}
	EXPECT_EQUAL(write_cr4(cr4 | X86_CR4_OSXSAVE), EXC_NONE);
	cpuid(0xd, 0, &a, &b, &c, &d);
	ok = 3;					/* x87, SSE */
	EXPECT_EQUAL(xsetbv(0, ok), EXC_NONE);
	EXPECT_EQUAL(xgetbv0(), ok);
	EXPECT_EQUAL(xsetbv(1, ok), EXC_GP);		/* XCR1 */
	EXPECT_EQUAL(xsetbv(0x80000000, ok), EXC_GP);
	EXPECT_EQUAL(xsetbv(0, 2), EXC_GP);		/* no x87 */
	EXPECT_EQUAL(xsetbv(0, 1 | 4), EXC_GP);		/* AVX, no SSE */
	EXPECT_EQUAL(xsetbv(0, ok | (1ULL << 63)), EXC_GP);
	EXPECT_EQUAL(xsetbv(0, ok | (1ULL << 8)), EXC_GP); /* supervisor */
	/* one AVX-512 state alone, one MPX state alone */
	EXPECT_EQUAL(xsetbv(0, ok | 4 | (1 << 5)), EXC_GP);
	EXPECT_EQUAL(xsetbv(0, ok | (1 << 3)), EXC_GP);
	EXPECT_EQUAL(xgetbv0(), ok);
	if (a & 4) {
		EXPECT_EQUAL(xsetbv(0, ok | 4), EXC_NONE);
		EXPECT_EQUAL(xgetbv0(), ok | 4);
	}
	EXPECT_EQUAL(xsetbv(0, ok), EXC_NONE);
	printk("cr-guard: XCR0 0x%llx of 0x%x allowed, bad values refused\n",
	       xgetbv0(), a);
	EXPECT_EQUAL(write_cr4(cr4), EXC_NONE);
}

void inmate_main(void)
{
	unsigned long cr0 = read_cr0(), cr4 = read_cr4(), vector;

	int_set_gate(EXC_GP, cr_guard_gp);
	int_set_gate(EXC_UD, cr_guard_ud);
	printk("cr-guard: CR0 0x%lx CR4 0x%lx\n", cr0, cr4);

	/* legal: NE (Intel: a bit the hypervisor holds), AM, PGE */
	EXPECT_EQUAL(write_cr0(cr0 | X86_CR0_NE | X86_CR0_AM), EXC_NONE);
	EXPECT_EQUAL(read_cr0(), cr0 | X86_CR0_NE | X86_CR0_AM);
	EXPECT_EQUAL(write_cr0(cr0), EXC_NONE);
	EXPECT_EQUAL(read_cr0(), cr0);
	EXPECT_EQUAL(write_cr4(cr4 ^ X86_CR4_PGE), EXC_NONE);
	EXPECT_EQUAL(read_cr4(), cr4 ^ X86_CR4_PGE);
	EXPECT_EQUAL(write_cr4(cr4), EXC_NONE);

	/* CR0: reserved high bits, NW without CD, PG without PE, leaving
	 * long mode from 64-bit code (with NE: Intel exits on it) */
	/* (QEMU's TCG drops CR0's high bits without #GP, and so without
	 * an exit: then nothing may have changed) */
	vector = write_cr0(cr0 | (1UL << 32));
	EXPECT_TRUE(vector == EXC_GP ||
		    (vector == EXC_NONE && read_cr0() == cr0));
	EXPECT_EQUAL(write_cr0((cr0 & ~X86_CR0_CD) | X86_CR0_NW), EXC_GP);
	EXPECT_EQUAL(write_cr0(cr0 & ~X86_CR0_PE), EXC_GP);
	EXPECT_EQUAL(write_cr0((cr0 & ~X86_CR0_PG) | X86_CR0_NE), EXC_GP);
	EXPECT_EQUAL(write_cr0(cr0 & ~X86_CR0_PG), EXC_GP);
	EXPECT_EQUAL(read_cr0(), cr0);

	/* CR4: PAE stays in long mode, also together with a bit Intel's
	 * hypervisor holds (VMXE); LA57 does not change; VMXE, reserved */
	EXPECT_EQUAL(write_cr4(cr4 & ~X86_CR4_PAE), EXC_GP);
	EXPECT_EQUAL(write_cr4((cr4 & ~X86_CR4_PAE) | X86_CR4_VMXE), EXC_GP);
	EXPECT_EQUAL(write_cr4(cr4 ^ X86_CR4_LA57), EXC_GP);
	EXPECT_EQUAL(write_cr4(cr4 | X86_CR4_VMXE), EXC_GP);
	EXPECT_EQUAL(write_cr4(cr4 | (1UL << 15)), EXC_GP);
	EXPECT_EQUAL(write_cr4(cr4 | (1UL << 40)), EXC_GP);
	EXPECT_EQUAL(read_cr4(), cr4);

	test_xsetbv(cr4);
	printk("cr-guard: done\n");
	test_summary();
}
