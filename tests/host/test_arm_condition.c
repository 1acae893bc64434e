/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test of hypervisor/arch/arm/condition.c: the condition check of
 * trapped ARMv7 instructions and ITSTATE, including the failing cases
 * QEMU never traps (it skips a failing conditional instruction itself).
 */

#include <asm/condition.h>
#include "host.h"

#define N	(1UL << 31)
#define Z	(1UL << 30)
#define C	(1UL << 29)
#define V	(1UL << 28)
#define HSR(ec, cv, cond) \
	((unsigned long)(ec) << 26 | (cv ? 1UL << 24 : 0) | (cond) << 20)
#define EC_WFX		0x01
#define EC_CP15_32	0x03
#define EC_HVC		0x12
#define EC_SMC		0x13
#define EC_DABT		0x24

/* The ARM ARM's table, one line per condition. */
static bool reference(unsigned int cond, bool n, bool z, bool c, bool v)
{
	/* EQ NE CS CC MI PL VS VC HI LS GE LT GT LE, then AL and 0b1111 */
	switch (cond) {
	case 0: return z;
	case 1: return !z;
	case 2: return c;
	case 3: return !c;
	case 4: return n;
	case 5: return !n;
	case 6: return v;
	case 7: return !v;
	case 8: return c && !z;
	case 9: return !c || z;
	case 10: return n == v;
	case 11: return n != v;
	case 12: return !z && n == v;
	case 13: return z || n != v;
	default: return true;
	}
}

static unsigned long psr_of(unsigned int nzcv)
{
	return (unsigned long)nzcv << 28 | 0x1d3;	/* SVC, masked */
}

/* ITSTATE @it in a PSR with the flags of @psr. */
static unsigned long with_it(unsigned long psr, unsigned int it)
{
	return (psr & ~ARM_PSR_IT_MASK) | (unsigned long)(it >> 2) << 10 |
		(unsigned long)(it & 3) << 25;
}

static void test_conditions(void)
{
	unsigned int cond, f;

	for (cond = 0; cond < 16; cond++)
		for (f = 0; f < 16; f++)
			CHECK_EQ(arm_condition_holds(cond, psr_of(f)),
				 reference(cond, f & 8, f & 4, f & 2, f & 1));
}

static void test_trapped(void)
{
	unsigned long zero = psr_of(4), nonzero = psr_of(0);

	/* HSR.CV with COND: MRC NE with Z set fails, MRC EQ passes */
	CHECK(!arm_trap_condition_passed(HSR(EC_CP15_32, 1, 1), zero));
	CHECK(arm_trap_condition_passed(HSR(EC_CP15_32, 1, 0), zero));
	CHECK(!arm_trap_condition_passed(HSR(EC_WFX, 1, 0), nonzero));
	CHECK(!arm_trap_condition_passed(HSR(EC_SMC, 1, 0), nonzero));
	CHECK(arm_trap_condition_passed(HSR(EC_CP15_32, 1, 14), nonzero));
	/* unconditional classes, whatever the ISS bits say */
	CHECK(arm_trap_condition_passed(HSR(EC_HVC, 1, 1), zero));
	CHECK(arm_trap_condition_passed(HSR(EC_DABT, 1, 1), zero));
	/* no CV: ARM state / outside an IT block passes */
	CHECK(arm_trap_condition_passed(HSR(EC_CP15_32, 0, 0), nonzero));
	/* no CV in an IT block: the condition of ITSTATE[7:4] */
	CHECK(!arm_trap_condition_passed(HSR(EC_CP15_32, 0, 0),
					 with_it(zero, 0x18)));	/* NE */
	CHECK(arm_trap_condition_passed(HSR(EC_CP15_32, 0, 0),
					with_it(zero, 0x0c)));	/* EQ */
}

static void test_itstate(void)
{
	unsigned long psr = with_it(psr_of(0xf), 0x0c);	/* ITE EQ */

	CHECK_EQ(arm_itstate(psr), 0x0c);
	CHECK_EQ(psr & ARM_PSR_IT_MASK, 0x3UL << 10);
	psr = arm_itstate_advance(psr);			/* on to the E: NE */
	CHECK_EQ(arm_itstate(psr), 0x18);
	CHECK_EQ(psr & ~ARM_PSR_IT_MASK, psr_of(0xf));
	psr = arm_itstate_advance(psr);			/* block done */
	CHECK_EQ(arm_itstate(psr), 0);
	CHECK_EQ(psr, psr_of(0xf));
	/* ITSTATE bits 1:0 live in PSR bits 26:25 */
	psr = with_it(psr_of(0), 0x07);			/* ITTTT, cond 0 */
	CHECK_EQ(psr & ARM_PSR_IT_MASK, 0x1UL << 10 | 0x3UL << 25);
	CHECK_EQ(arm_itstate(arm_itstate_advance(psr)), 0x0e);
	/* outside a block nothing changes */
	CHECK_EQ(arm_itstate_advance(psr_of(5)), psr_of(5));
}

int main(void)
{
	test_conditions();
	test_trapped();
	test_itstate();
	return host_done("arm_condition");
}
