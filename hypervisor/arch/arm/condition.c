/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the condition of a trapped instruction.
 * Pure functions of the syndrome and the guest's PSR (host tested:
 * tests/host/test_arm_condition.c).
 */

#include <asm/condition.h>

#define HSR_EC(hsr)		(((hsr) >> 26) & 0x3f)
#define HSR_CV			(1UL << 24)
#define HSR_COND(hsr)		(((hsr) >> 20) & 0xf)
#define EC_SMC			0x13
#define PSR_N			(1UL << 31)
#define PSR_Z			(1UL << 30)
#define PSR_C			(1UL << 29)
#define PSR_V			(1UL << 28)
#define PSR_IT_LOW(psr)		(((psr) >> 25) & 0x3)	/* IT[1:0] */
#define PSR_IT_HIGH(psr)	(((psr) >> 10) & 0x3f)	/* IT[7:2] */

unsigned int arm_itstate(unsigned long psr)
{
	return PSR_IT_HIGH(psr) << 2 | PSR_IT_LOW(psr);
}

unsigned long arm_itstate_advance(unsigned long psr)
{
	unsigned int it = arm_itstate(psr);

	/* the block ends after its last instruction, else the next one */
	if (!(it & 0x7))
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	return (psr & ~ARM_PSR_IT_MASK) | (unsigned long)(it >> 2) << 10 |
		(unsigned long)(it & 0x3) << 25;
}

bool arm_condition_holds(unsigned int cond, unsigned long psr)
{
	bool n = psr & PSR_N, z = psr & PSR_Z, c = psr & PSR_C,
	     v = psr & PSR_V, holds;

	/* the odd condition of each pair is the even one negated */
	switch (cond >> 1) {
	case 0: holds = z; break;		/* EQ */
	case 1: holds = c; break;		/* CS */
	case 2: holds = n; break;		/* MI */
	case 3: holds = v; break;		/* VS */
	case 4: holds = c && !z; break;		/* HI */
	case 5: holds = n == v; break;		/* GE */
	case 6: holds = n == v && !z; break;	/* GT */
	default: return true;			/* AL and 0b1111 */
	}
	return cond & 1 ? !holds : holds;
}

/*
 * Exception classes 0x00-0x0f (WFI/WFE, coprocessor accesses) and SMC
 * carry the condition of the instruction (HSR.CV: COND is valid) or leave
 * it to ITSTATE (Thumb, in an IT block).  The rest are unconditional.
 */
bool arm_trap_condition_passed(unsigned long hsr, unsigned long psr)
{
	unsigned int it;

	if (HSR_EC(hsr) >= 0x10 && HSR_EC(hsr) != EC_SMC)
		return true;
	if (hsr & HSR_CV)
		return arm_condition_holds(HSR_COND(hsr), psr);
	it = arm_itstate(psr);
	return !it || arm_condition_holds(it >> 4, psr);
}
