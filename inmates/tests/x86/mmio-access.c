/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: the instruction forms a cell may use on
 * MMIO, which the hypervisor has to decode (no decode assists on AMD under
 * QEMU): loads and stores of 1, 2, 4 and 8 bytes, immediates, zero- and
 * sign-extending loads, REX registers, base, displacement and index
 * addressing.  Each form writes and reads back at mmio-base= (default: a
 * page of RAM, so the test checks itself bare; in a cell, a region the
 * hypervisor emulates as read-write).
 */

#include <inmate.h>

static u8 scratch[4096] __aligned(4096);

#ifndef INMATE_32BIT
static void test_64bit_forms(unsigned long base)
{
	u64 value;

	/* mov %r9, 8(%r8) / mov 8(%r8), %r10 */
	asm volatile("mov %1, %%r9\n\t"
		     "mov %%r9, 8(%2)\n\t"
		     "mov 8(%2), %%r10\n\t"
		     "mov %%r10, %0"
		     : "=r" (value) : "r" (0x1122334455667788ULL), "r" (base)
		     : "r9", "r10", "memory");
	EXPECT_EQUAL(value, 0x1122334455667788ULL);
	EXPECT_EQUAL(mmio_read32(base + 12), 0x11223344);

	/* movq $imm32 (sign-extended) */
	asm volatile("movq $-2, 16(%0)" : : "r" (base) : "memory");
	EXPECT_EQUAL(*(volatile u64 *)(base + 16), 0xfffffffffffffffeULL);

	/* index * scale + displacement, REX.X */
	asm volatile("mov %1, %%r11\n\t"
		     "movl $0xcafe, 0x20(%0, %%r11, 4)"
		     : : "r" (base), "r" (3UL) : "r11", "memory");
	EXPECT_EQUAL(mmio_read32(base + 0x2c), 0xcafe);

	/* movsbq, movzwq, movslq */
	mmio_write32(base + 0x40, 0x8001ff80);
	asm volatile("movsbq 0x40(%1), %0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL(value, 0xffffffffffffff80ULL);
	asm volatile("movzwq 0x40(%1), %0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL(value, 0xff80);
	asm volatile("movslq 0x40(%1), %0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL(value, 0xffffffff8001ff80ULL);
}
#endif

void inmate_main(void)
{
	unsigned long base = cmdline_parse_int("mmio-base",
					       (unsigned long)scratch);
	unsigned long value;

	printk("mmio-access: testing at 0x%lx\n", base);

	/* plain stores and loads of every size */
	mmio_write8(base, 0x5a);
	EXPECT_EQUAL(mmio_read8(base), 0x5a);
	mmio_write16(base + 2, 0xbeef);
	EXPECT_EQUAL(mmio_read16(base + 2), 0xbeef);
	mmio_write32(base + 4, 0xdeadbeef);
	EXPECT_EQUAL(mmio_read32(base + 4), 0xdeadbeef);
	EXPECT_EQUAL(mmio_read32(base), 0xbeef005a);

	/* immediate stores */
	asm volatile("movb $0x42, 0x100(%0)" : : "r" (base) : "memory");
	EXPECT_EQUAL(mmio_read8(base + 0x100), 0x42);
	asm volatile("movw $0x4243, 0x102(%0)" : : "r" (base) : "memory");
	EXPECT_EQUAL(mmio_read16(base + 0x102), 0x4243);
	asm volatile("movl $0x44454647, 0x104(%0)" : : "r" (base) : "memory");
	EXPECT_EQUAL(mmio_read32(base + 0x104), 0x44454647);

	/* zero- and sign-extending loads, 32-bit destination */
	mmio_write32(base + 0x108, 0x000080f0);
	asm volatile("movzbl 0x108(%1), %k0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL(value, 0xf0);
	asm volatile("movzwl 0x108(%1), %k0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL(value, 0x80f0);
	asm volatile("movswl 0x108(%1), %k0" : "=r" (value) : "r" (base));
	EXPECT_EQUAL((u32)value, 0xffff80f0);

	/* 32-bit displacement */
	asm volatile("movl $0x600dc0de, 0x800(%0)" : : "r" (base) : "memory");
	EXPECT_EQUAL(mmio_read32(base + 0x800), 0x600dc0de);

#ifndef INMATE_32BIT
	test_64bit_forms(base);
#endif
	test_summary();
}
