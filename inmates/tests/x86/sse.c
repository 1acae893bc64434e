/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: FPU and SSE state survives what makes a
 * cell exit to the hypervisor (CPUID, port I/O, hypercalls in a cell).
 * The library is built without SSE; this test uses it through asm only.
 */

#include <inmate.h>
#include <arch.h>

static u64 pattern[16] __aligned(16), readback[16] __aligned(16);

static void fill(void)
{
	unsigned int n;

	for (n = 0; n < 16; n++)
		pattern[n] = 0x0101010101010101ULL * (n + 1) ^ 0xa5a5a5a5ULL;
	asm volatile("movdqa 0(%0), %%xmm0\n\t"
		     "movdqa 16(%0), %%xmm1\n\t"
		     "movdqa 32(%0), %%xmm2\n\t"
		     "movdqa 48(%0), %%xmm3\n\t"
		     "movdqa 64(%0), %%xmm4\n\t"
		     "movdqa 80(%0), %%xmm5\n\t"
		     "movdqa 96(%0), %%xmm6\n\t"
		     "movdqa 112(%0), %%xmm7\n\t"
		     : : "r" (pattern) : "memory");
}

static void read_back(void)
{
	asm volatile("movdqa %%xmm0, 0(%0)\n\t"
		     "movdqa %%xmm1, 16(%0)\n\t"
		     "movdqa %%xmm2, 32(%0)\n\t"
		     "movdqa %%xmm3, 48(%0)\n\t"
		     "movdqa %%xmm4, 64(%0)\n\t"
		     "movdqa %%xmm5, 80(%0)\n\t"
		     "movdqa %%xmm6, 96(%0)\n\t"
		     "movdqa %%xmm7, 112(%0)\n\t"
		     : : "r" (readback) : "memory");
}

/* Things that exit in a cell; printk is left out (it could use SSE in a
 * future compiler setting, and the console may be a hypercall). */
static void exits(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	cpuid(1, 0, &a, &b, &c, &d);
	inl(pm_timer_port());
	if (comm_region)
		hypercall(JAILHOUSE_HC_CELL_GET_STATE, 0, 0);
}

void inmate_main(void)
{
	/* IEEE doubles as bit patterns: the library has no floating point. */
	static const u64 x = 0x3ff8000000000000ULL;	/* 1.5 */
	static const u64 y = 0x4010000000000000ULL;	/* 4.0 */
	static const u64 p = 0x4002000000000000ULL;	/* 2.25 */
	static const u64 q = 0x3fe0000000000000ULL;	/* 0.5 */
	u32 a, b, c, d;
	u64 result;
	u16 fpu_control;

	cpuid(1, 0, &a, &b, &c, &d);
	EXPECT_TRUE(d & (1 << 25));		/* SSE */
	EXPECT_TRUE(d & (1 << 26));		/* SSE2 */

	fill();
	exits();
	read_back();
	EXPECT_EQUAL(memcmp(pattern, readback, 128), 0);

	/* x87: 1.5 * 4.0 across exits */
	asm volatile("fninit\n\t"
		     "fnstcw %0" : "=m" (fpu_control));
	EXPECT_EQUAL(fpu_control, 0x037f);
	asm volatile("fldl %0\n\tfldl %1" : : "m" (x), "m" (y));
	exits();
	asm volatile("fmulp\n\tfstpl %0" : "=m" (result));
	EXPECT_EQUAL(result, 0x4018000000000000ULL);		/* 6.0 */

	/* SSE2 double arithmetic: 2.25 + 0.5 */
	asm volatile("movsd %0, %%xmm3" : : "m" (p));
	exits();
	asm volatile("addsd %1, %%xmm3\n\tmovsd %%xmm3, %0"
		     : "=m" (result) : "m" (q));
	EXPECT_EQUAL(result, 0x4006000000000000ULL);		/* 2.75 */
	test_summary();
}
