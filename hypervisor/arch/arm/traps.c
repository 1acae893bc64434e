/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: dispatch of exits from guests. */

#include <hv/control.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define EXIT_SYNC		0
#define EXIT_IRQ		1
#define EXIT_FIQ		2
#define HVC_STUB_ERR		0xbadca11UL
#define FSR_EXT_ABORT_LPAE	0x210	/* LPAE format, external abort */
#define FSR_UNDEF		0
#define PSR_MODE_ABT		0x17
#define PSR_MODE_UND		0x1b
#define PSR_A			(1UL << 8)
#define PSR_I			(1UL << 7)
#define PSR_F			(1UL << 6)
#define PSR_T			(1UL << 5)
#define PSR_IT_MASK		0x0600fc00UL
#define SCTLR_V			(1UL << 13)
#define SCTLR_TE		(1UL << 30)

void arch_handle_exit(unsigned long type, struct trap_context *ctx);
void __noreturn arch_handle_hyp_fault(struct trap_context *ctx);

/*
 * The root cell cannot be stopped: a fault of its own is reflected into it
 * as the exception real hardware would raise, a data or prefetch abort
 * (external abort) for memory it does not own, an undefined instruction
 * otherwise.
 */
static void inject_root_exception(unsigned long esr)
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
		     : : "r" (vbar + offset), "r" (cpsr & ~PSR_IT_MASK));
}

static void unhandled(const char *what, unsigned long esr)
{
	unsigned long elr, far, hpfar;
	struct per_cpu *c = this_cpu();

	asm volatile("mrs %0, elr_hyp" : "=r" (elr));
	arm_read_sysreg(FAR_EL2, far);
	arm_read_sysreg(HPFAR_EL2, hpfar);
	printk("%s on CPU %u (cell \"%s\"): HSR %x, PC %lx, FAR %lx, IPA %llx\n",
	       what, c->cpu_id, c->cell->config->name, (u32)esr, elr, far,
	       arm_fault_ipa(hpfar, far));
	if (c->cell == &root_cell)
		inject_root_exception(esr);
	else
		cell_failed(what);
}

static void handle_sync(struct trap_context *ctx)
{
	unsigned long esr, r0 = ctx->regs[0];

	arm_read_sysreg(ESR_EL2, esr);
	switch (ESR_EC(esr)) {
	case EC_HVC:
		if ((esr & 0xffff) == JAILHOUSE_HVC_CODE)
			ctx->regs[0] = hypercall(r0, ctx->regs[1], ctx->regs[2]);
		else if (esr & 0xffff)
			unhandled("Unhandled HVC", esr);
		else if (this_cell() == &root_cell && !(r0 & BIT(31)))
			ctx->regs[0] = HVC_STUB_ERR;	/* hyp stub call */
		else
			psci_dispatch(ctx);
		break;
	case EC_SMC:
		arch_skip_instruction();
		psci_dispatch(ctx);
		break;
	case EC_DABT_LOW:
		if (!arm_handle_dabt(ctx, esr))
			unhandled("Access violation", esr);
		break;
	default:
		unhandled("Unhandled trap", esr);
	}
}

void arch_handle_exit(unsigned long type, struct trap_context *ctx)
{
	struct per_cpu *c = this_cpu();

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	if (type == EXIT_IRQ)
		gic_handle_events();
	else if (type == EXIT_SYNC)
		handle_sync(ctx);
	else
		unhandled("FIQ", 0);
	if (c->leaving)
		arch_cpu_restore(c, ctx->regs[0]);
	check_events();
}

void arch_handle_hyp_fault(struct trap_context *ctx)
{
	unsigned long esr, elr, far;

	arm_read_sysreg(ESR_EL2, esr);
	asm volatile("mrs %0, elr_hyp" : "=r" (elr));
	arm_read_sysreg(FAR_EL2, far);
	printk("Exception in the hypervisor: HSR %x, PC %lx, FAR %lx, LR %lx\n",
	       (u32)esr, elr, far, ctx->regs[13]);
	panic_stop("exception in HYP mode");
}
