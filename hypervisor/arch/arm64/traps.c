/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: dispatch of exits from guests. */

#include <hv/control.h>
#include <hv/mmio.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define EXIT_SYNC		0
#define EXIT_IRQ		1	/* acknowledged INTID in bits 8.. */
#define EXIT_FIQ		2
#define EXIT_SERROR		3
#define EXIT_IRQ_MMIO		6	/* GICv2: not acknowledged yet */
#define HVC_STUB_ERR		0xbadca11UL
#define FSC_EXTERNAL_ABORT	0x10

void arch_handle_exit(unsigned long type, struct trap_context *ctx);
void arch_handle_hyp_fault(struct trap_context *ctx);
long arm64_guarded_access(void *addr, unsigned long how, unsigned long *value);
long arm64_guarded_copy(void *dst, const void *src, unsigned long size);
long arm64_guarded_zero(void *addr, unsigned long size);
extern const u8 guarded_start[], guarded_end[], guarded_fixup[];

int arch_guarded_read(void *addr, unsigned int size, unsigned long *value)
{
	return arm64_guarded_access(addr, size, value);
}

int arch_guarded_write(void *addr, unsigned int size, unsigned long value)
{
	return arm64_guarded_access(addr, size | 0x10, &value);
}

int arch_guarded_copy(void *dst, const void *src, unsigned long size)
{
	return arm64_guarded_copy(dst, src, size);
}

int arch_guarded_zero(void *addr, unsigned long size)
{
	return arm64_guarded_zero(addr, size);
}

/*
 * The root cell cannot be stopped: a fault of its own is reflected into it
 * as the exception real hardware would raise (an external abort for memory
 * it does not own, an undefined instruction otherwise).
 */
static void inject_root_exception(unsigned long esr)
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

static void unhandled(const char *what, unsigned long esr)
{
	unsigned long elr, far, hpfar;
	struct per_cpu *c = this_cpu();

	arm_read_sysreg(ELR_EL2, elr);
	arm_read_sysreg(FAR_EL2, far);
	arm_read_sysreg(HPFAR_EL2, hpfar);
	printk("%s on CPU %u (cell \"%s\"): ESR %x, PC %lx, FAR %lx, IPA %llx\n",
	       what, c->cpu_id, c->cell->config->name, (u32)esr, elr, far,
	       arm_fault_ipa(hpfar, 0));
	if (c->cell == &root_cell)
		inject_root_exception(esr);
	else
		cell_failed(what);
}

/* An asynchronous error: stop a non-root cell, only report it for the root. */
static void serror(void)
{
	struct per_cpu *c = this_cpu();

	printk("SError on CPU %u (cell \"%s\")\n", c->cpu_id,
	       c->cell->config->name);
	if (c->cell != &root_cell)
		cell_failed("SError");
}

/* Performance monitor registers (PMCR_EL0 ... PMCCFILTR_EL0). */
static bool is_pmu_reg(unsigned long iss)
{
	unsigned int crn = ISS_SYSREG_CRN(iss), crm = ISS_SYSREG_CRM(iss);

	return ISS_SYSREG_OP0(iss) == 3 &&
		((crn == 9 && crm >= 12) ||
		 (crn == 14 && ISS_SYSREG_OP1(iss) == 3 && crm >= 8));
}

/*
 * Trapped system register accesses: the SGI registers (HCR_EL2.IMO),
 * ACTLR_EL1 (HCR_EL2.TAC: readable, writes ignored, as it may change the
 * core's behaviour for everyone), and for non-root cells the debug and
 * performance monitor registers (MDCR_EL2, see setup.c): read as zero,
 * writes ignored.
 */
static bool handle_sysreg(struct trap_context *ctx, unsigned long esr)
{
	unsigned int rt = ISS_SYSREG_RT(esr);
	unsigned long val = rt == 31 ? 0 : ctx->regs[rt], iss = esr & ISS_SYSREG_MASK;
	bool read = esr & ISS_SYSREG_READ;

	if (iss == ISS_ACTLR_EL1 ||
	    (this_cell() != &root_cell &&
	     (ISS_SYSREG_OP0(iss) == 2 || is_pmu_reg(iss)))) {
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

static void handle_sync(struct trap_context *ctx)
{
	unsigned long esr, x0 = ctx->regs[0];

	arm_read_sysreg(ESR_EL2, esr);
	switch (ESR_EC(esr)) {
	case EC_HVC64:
		if ((esr & 0xffff) == JAILHOUSE_HVC_CODE)
			ctx->regs[0] = hypercall(x0, ctx->regs[1], ctx->regs[2]);
		else if (esr & 0xffff)
			unhandled("Unhandled HVC", esr);
		else if (this_cell() == &root_cell && !(x0 & BIT(31)))
			ctx->regs[0] = HVC_STUB_ERR;	/* hyp stub call */
		else
			psci_dispatch(ctx);
		break;
	case EC_SMC64:
		arch_skip_instruction();
		psci_dispatch(ctx);
		break;
	case EC_SYSREG:
		if (!handle_sysreg(ctx, esr))
			unhandled("Unhandled system register access", esr);
		break;
	case EC_DABT_LOW:
		if (!arm_handle_dabt(ctx, esr))
			unhandled("Access violation", esr);
		break;
	default:
		unhandled("Unhandled trap", esr);
	}
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

void arch_handle_exit(unsigned long type, struct trap_context *ctx)
{
	struct per_cpu *c = this_cpu();

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	if (type == EXIT_IRQ_MMIO)
		gic_handle_events();
	else if ((type & 0xff) == EXIT_IRQ)
		irqchip_handle_irq(type >> 8);
	else if (type == EXIT_SYNC)
		handle_sync(ctx);
	else if (type == EXIT_FIQ)
		gic_handle_events();
	else if (type == EXIT_SERROR)
		serror();
	else
		unhandled("AArch32 exception", 0);
	if (c->leaving)
		arch_cpu_restore(c, ctx->regs[0]);
	check_events();
}

/*
 * An exception taken at EL2.  In a guarded access (entry.S) it is the
 * device's or memory's answer: resume at the fixup, which fails the access.
 * Anything else is a hypervisor bug: panic_stop().
 */
void arch_handle_hyp_fault(struct trap_context *ctx)
{
	unsigned long esr, elr, far;

	arm_read_sysreg(ESR_EL2, esr);
	arm_read_sysreg(ELR_EL2, elr);
	arm_read_sysreg(FAR_EL2, far);
	if (elr >= (unsigned long)guarded_start &&
	    elr < (unsigned long)guarded_end) {
		arm_write_sysreg(ELR_EL2, guarded_fixup);
		return;
	}
	printk("Exception in the hypervisor: ESR %x, PC %lx, FAR %lx, LR %lx\n",
	       (u32)esr, elr, far, ctx->regs[30]);
	panic_stop("exception at EL2");
}
