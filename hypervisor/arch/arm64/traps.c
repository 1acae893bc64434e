/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: dispatch of exits from guests. */

#include <hv/control.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define FSC_EXTERNAL_ABORT	0x10

/*
 * The root cell cannot be stopped: a fault of its own is reflected into it
 * as the exception real hardware would raise (an external abort for memory
 * it does not own, an undefined instruction otherwise).
 */
void arch_inject_root_exception(unsigned long esr)
{
	unsigned long elr, spsr, vbar, far, ec = ESR_EC(esr), offset;
	bool from_el0;

	arm_read_sysreg(ELR_EL2, elr);
	arm_read_sysreg(SPSR_EL2, spsr);
	arm_read_sysreg(VBAR_EL1, vbar);
	arm_read_sysreg(FAR_EL2, far);
	from_el0 = (spsr & 0xf) == 0;
	if (ec == EC_DABT_LOW || ec == EC_IABT_LOW)
		esr = ((ec + (from_el0 ? 0 : 1)) << 26) | ESR_IL |
			FSC_EXTERNAL_ABORT;
	else
		esr = (EC_UNKNOWN << 26) | ESR_IL;
	offset = spsr & 0x10 ? 0x600 : from_el0 ? 0x400 :
		 (spsr & 1) ? 0x200 : 0;
	arm_write_sysreg(ESR_EL1, esr);
	arm_write_sysreg(FAR_EL1, far);
	arm_write_sysreg(ELR_EL1, elr);
	arm_write_sysreg(SPSR_EL1, spsr);
	arm_write_sysreg(ELR_EL2, vbar + offset);
	arm_write_sysreg(SPSR_EL2, SPSR_EL1H_MASKED);
}

/* Performance monitor registers (PMCR_EL0 ... PMCCFILTR_EL0). */
static bool is_pmu_reg(unsigned long iss)
{
	unsigned int crn = ISS_SYSREG_CRN(iss), crm = ISS_SYSREG_CRM(iss);

	return ISS_SYSREG_OP0(iss) == 3 &&
		((crn == 9 && crm >= 12) ||
		 (crn == 14 && ISS_SYSREG_OP1(iss) == 3 && crm >= 8));
}

/* Implementation defined registers (op0 3, CRn 11 or 15: HCR_EL2.TIDCP). */
static bool is_impdef_reg(unsigned long iss)
{
	return ISS_SYSREG_OP0(iss) == 3 &&
		(ISS_SYSREG_CRN(iss) == 11 || ISS_SYSREG_CRN(iss) == 15);
}

/*
 * Trapped system register accesses: the SGI registers (HCR_EL2.IMO),
 * ACTLR_EL1 (HCR_EL2.TAC: readable, writes ignored, as it may change the
 * core's behaviour for everyone), and for non-root cells the debug, trace,
 * performance monitor and implementation defined registers (MDCR_EL2,
 * CPTR_EL2.TTA, HCR_EL2.TIDCP, see setup.c): read as zero, writes ignored.
 */
static bool handle_sysreg(struct trap_context *ctx, unsigned long esr)
{
	unsigned int rt = ISS_SYSREG_RT(esr);
	unsigned long val = rt == 31 ? 0 : ctx->regs[rt], iss = esr & ISS_SYSREG_MASK;
	bool read = esr & ISS_SYSREG_READ;

	if (ISS_SYSREG_OP0(iss) == 1 && !read &&
	    arm_is_dc_setway(ISS_SYSREG_CRN(iss), ISS_SYSREG_OP1(iss),
			     ISS_SYSREG_CRM(iss), ISS_SYSREG_OP2(iss))) {
		arm_handle_setway(val);
		return true;
	}
	if (iss == ISS_ACTLR_EL1 ||
	    (this_cell() != &root_cell &&
	     (ISS_SYSREG_OP0(iss) == 2 || is_pmu_reg(iss) ||
	      is_impdef_reg(iss)))) {
		val = 0;
		if (iss == ISS_ACTLR_EL1)
			arm_read_sysreg(ACTLR_EL1, val);
		if (read && rt != 31)
			ctx->regs[rt] = val;
		arch_skip_instruction();
		return true;
	}
	if (read)
		return false;
	if (iss == ISS_ICC_SGI1R)
		irqchip_send_sgi((val >> 24) & 0xf,
				 val & BIT(40) ? SGI_TO_OTHERS : SGI_TO_LIST,
				 ((val >> 48) & 0xff) << 32 |
				 ((val >> 32) & 0xff) << 16 |
				 ((val >> 16) & 0xff) << 8 |
				 ((val >> 44) & 0xf) << 4,
				 val & 0xffff);
	else if (iss != ISS_ICC_ASGI1R && iss != ISS_ICC_SGI0R)
		return false;
	arch_skip_instruction();
	return true;
}

bool arch_trap_condition_passed(unsigned long esr)
{
	return true;
}

bool arch_handle_trap(struct trap_context *ctx, unsigned long esr)
{
	if (ESR_EC(esr) != EC_SYSREG)
		return false;
	if (!handle_sysreg(ctx, esr))
		arm_unhandled("Unhandled system register access", esr);
	return true;
}

long arm_firmware_call(struct trap_context *ctx)
{
	register unsigned long x0 asm("x0") = ctx->regs[0];
	register unsigned long x1 asm("x1") = ctx->regs[1];
	register unsigned long x2 asm("x2") = ctx->regs[2];
	register unsigned long x3 asm("x3") = ctx->regs[3];

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}
