/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the traps only ARMv7 has (CP15/CP14
 * accesses) and the root's faults reflected into it; the exit dispatch is
 * arm-common's (traps.c).
 */

#include <hv/control.h>
#include <asm/condition.h>
#include <asm/traps.h>

#define FSR_EXT_ABORT_LPAE	0x210	/* LPAE format, external abort */
#define FSR_UNDEF		0
#define PSR_MODE_ABT		0x17
#define PSR_MODE_UND		0x1b
#define PSR_A			(1UL << 8)
#define PSR_I			(1UL << 7)
#define PSR_F			(1UL << 6)
#define PSR_T			(1UL << 5)
#define SCTLR_V			(1UL << 13)
#define SCTLR_TE		(1UL << 30)

/*
 * The root cell cannot be stopped: a fault of its own is reflected into it
 * as the exception real hardware would raise, a data or prefetch abort
 * (external abort) for memory it does not own, an undefined instruction
 * otherwise.
 */
void arch_inject_root_exception(unsigned long esr)
{
	unsigned long elr, spsr, sctlr, far, vbar, mode, offset, lr, cpsr;
	unsigned long ec = ESR_EC(esr);

	asm volatile("mrs %0, elr_hyp; mrs %1, spsr"
		     : "=r" (elr), "=r" (spsr));
	arm_read_sysreg(SCTLR, sctlr);
	arm_read_sysreg(VBAR, vbar);
	if (sctlr & SCTLR_V)
		vbar = 0xffff0000;
	if (ec == EC_DABT_LOW) {
		arm_read_sysreg(FAR_EL2, far);
		arm_write_sysreg(DFAR, far);
		arm_write_sysreg(DFSR, FSR_EXT_ABORT_LPAE |
				 (esr & (1UL << 6) ? 1UL << 11 : 0));
		mode = PSR_MODE_ABT;
		offset = 0x10;
		lr = elr + 8;
	} else if (ec == EC_IABT_LOW) {
		arm_read_sysreg(HIFAR, far);
		arm_write_sysreg(IFAR, far);
		arm_write_sysreg(IFSR, FSR_EXT_ABORT_LPAE);
		mode = PSR_MODE_ABT;
		offset = 0x0c;
		lr = elr + 4;
	} else {
		mode = PSR_MODE_UND;
		offset = 0x04;
		lr = elr + (spsr & PSR_T ? 2 : 4);
	}
	cpsr = mode | PSR_A | PSR_I | (spsr & PSR_F) |
		(sctlr & SCTLR_TE ? PSR_T : 0);
	if (mode == PSR_MODE_ABT)
		asm volatile("msr spsr_abt, %0; msr lr_abt, %1"
			     : : "r" (spsr), "r" (lr));
	else
		asm volatile("msr spsr_und, %0; msr lr_und, %1"
			     : : "r" (spsr), "r" (lr));
	asm volatile("msr elr_hyp, %0; msr spsr_cxsf, %1"
		     : : "r" (vbar + offset), "r" (cpsr & ~ARM_PSR_IT_MASK));
}

bool arch_trap_condition_passed(unsigned long esr)
{
	unsigned long spsr;

	asm volatile("mrs %0, spsr" : "=r" (spsr));
	return arm_trap_condition_passed(esr, spsr);
}

/* Skip it; inside a Thumb IT block, on to the block's next instruction. */
void arch_skip_instruction(void)
{
	unsigned long elr, esr, spsr;

	asm volatile("mrs %0, elr_hyp; mrs %1, spsr" : "=r" (elr), "=r" (spsr));
	arm_read_sysreg(ESR_EL2, esr);
	elr += esr & ESR_IL ? 4 : 2;
	asm volatile("msr elr_hyp, %0; msr spsr_cxsf, %1"
		     : : "r" (elr), "r" (arm_itstate_advance(spsr)));
}

/* Performance monitors: c9, c12..c14 (and PMCCNTR as a 64-bit access). */
static bool is_pmu_reg(unsigned long esr)
{
	unsigned int crm = ISS_CP_CRM(esr);

	if (ESR_EC(esr) == EC_CP15_64)
		return crm == 9;
	return ISS_CP_CRN(esr) == 9 && ISS_CP_OPC1(esr) == 0 && crm >= 12;
}

/*
 * Implementation defined CP15 registers (HCR.TIDCP): c9 with CRm 0-2 and
 * 5-8, c10 with CRm 0, 1, 4 and 8, c11 with CRm 0-8 and 15, all of c15.
 */
static bool is_impdef_reg(unsigned long esr)
{
	unsigned int crn = ISS_CP_CRN(esr), crm = ISS_CP_CRM(esr);

	if (ESR_EC(esr) != EC_CP15_32)
		return false;
	switch (crn) {
	case 9:
		return crm <= 2 || (crm >= 5 && crm <= 8);
	case 10:
		return crm <= 1 || crm == 4 || crm == 8;
	case 11:
		return crm <= 8 || crm == 15;
	default:
		return crn == 15;
	}
}

static bool is_actlr(unsigned long esr)
{
	return ESR_EC(esr) == EC_CP15_32 && ISS_CP_CRN(esr) == 1 &&
		ISS_CP_OPC1(esr) == 0 && ISS_CP_CRM(esr) == 0 &&
		ISS_CP_OPC2(esr) == 1;
}

/*
 * Trapped coprocessor accesses (see setup.c): ACTLR (HCR.TAC) for every
 * cell, readable, writes ignored, as it changes the core's behaviour -
 * coherency, caches, prefetching - for everyone; for non-root cells the
 * performance monitors, the debug and trace registers (HDCR, HCPTR.TTA)
 * and the implementation defined ones (HCR.TIDCP): read as zero, writes
 * ignored.  Anything else trapped stops the cell.
 */
bool arch_handle_trap(struct trap_context *ctx, unsigned long esr)
{
	unsigned int ec = ESR_EC(esr), rt = ISS_CP_RT(esr);
	bool root = this_cell() == &root_cell, read = esr & ISS_CP_READ;
	unsigned long val = 0;

	if (ec == EC_CP15_32 && !read &&
	    arm_is_dc_setway(ISS_CP_CRN(esr), ISS_CP_OPC1(esr), ISS_CP_CRM(esr),
			     ISS_CP_OPC2(esr))) {
		arm_handle_setway(arm_guest_reg(ctx, rt));
		return true;
	}
	switch (ec) {
	case EC_CP15_32:
	case EC_CP15_64:
		if (is_actlr(esr))
			arm_read_sysreg(ACTLR, val);
		else if (root || !(is_pmu_reg(esr) || is_impdef_reg(esr)))
			return false;
		break;
	case EC_CP14_32:
	case EC_CP14_64:
	case EC_CP14_LS:
		/* debug: trapped for non-root cells only (HDCR.TDA...) */
		if (root)
			return false;
		break;
	default:
		return false;
	}
	this_cpu()->stats[JAILHOUSE_CPU_STAT_VMEXITS_CP15]++;
	if (read && ec != EC_CP14_LS) {
		arm_set_guest_reg(ctx, rt, val);
		if (ec == EC_CP15_64 || ec == EC_CP14_64)
			arm_set_guest_reg(ctx, ISS_CP_RT2(esr), 0);
	}
	arch_skip_instruction();
	return true;
}
