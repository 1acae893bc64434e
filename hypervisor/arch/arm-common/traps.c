/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the dispatch of guest exits and of exceptions
 * in the hypervisor itself, shared by ARMv7 and ARM64.  What only one
 * architecture traps (ARM64's system registers, ARMv7's CP15/CP14
 * accesses) and the reflection of a root cell's fault into it are the
 * arch's: arch_handle_trap(), arch_inject_root_exception().
 */

#include <hv/control.h>
#include <hv/mmio.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/mmu.h>
#include <asm/traps.h>

#define HVC_STUB_ERR		0xbadca11UL
/* CONFIG_ARM_TEST_SERROR: a guest's HVC with this immediate is an SError */
#define HVC_TEST_SERROR		0x5e55
#define ESR_TEST_SERROR		((0x2fUL << 26) | ESR_IL)

int arch_guarded_read(void *addr, unsigned int size, unsigned long *value)
{
	return arm_guarded_access(addr, size, value);
}

int arch_guarded_write(void *addr, unsigned int size, unsigned long value)
{
	return arm_guarded_access(addr, size | ARM_GUARDED_WRITE, &value);
}

int arch_guarded_copy(void *dst, const void *src, unsigned long size)
{
	return arm_guarded_copy(dst, src, size);
}

int arch_guarded_zero(void *addr, unsigned long size)
{
	return arm_guarded_zero(addr, size);
}

u64 arch_timer_ticks(void)
{
	u64 ticks;

	arm_read_sysreg(CNTPCT_EL0, ticks);
	return ticks;
}

/* CNTFRQ as the firmware set it; QEMU's default if it did not. */
u64 arch_timer_hz(void)
{
	u32 hz;

	arm_read_sysreg(CNTFRQ_EL0, hz);
	return hz ? hz : 62500000;
}

void arm_unhandled(const char *what, unsigned long esr)
{
	unsigned long far, hpfar, ec = ESR_EC(esr);
	struct per_cpu *c = this_cpu();

	arm_read_sysreg(FAR_EL2, far);
	arm_read_sysreg(HPFAR_EL2, hpfar);
	/* FAR and HPFAR mean something for stage-2 data aborts only */
	printk("%s on CPU %u (cell \"%s\"): ESR %x, PC %lx, FAR %lx, IPA %llx\n",
	       what, c->cpu_id, c->cell->config->name, (u32)esr,
	       arm_exception_pc(), far,
	       ec == EC_DABT_LOW ? arm_fault_ipa(hpfar, far) : 0);
	if (c->cell == &root_cell)
		arch_inject_root_exception(esr);
	else
		cell_failed(what);
}

/*
 * Set/way operations name cache lines, not addresses: an invalidation by
 * set/way would discard the dirty lines there, whoever wrote them (other
 * cells, the hypervisor).  Every one a guest issues traps (HCR.TSW) and
 * becomes a clean and invalidate of the same line, which loses nothing;
 * the guest, which may only ask for its own lines to reach memory, sees
 * no difference.  Out-of-range operands are harmless for this operation
 * (the architecture makes them a no-op or some other line's clean and
 * invalidate).
 */
void arm_handle_setway(unsigned long setway)
{
	this_cpu()->stats[JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY]++;
	arm_dcache_clean_inval_setway(setway);
	arch_skip_instruction();
}

/*
 * An SError (asynchronous abort) a guest caused: HCR.AMO brings every one
 * here, never to the guest, so it cannot stay pending for the CPU's next
 * owner (arm_drain_serror() takes what is left at a hand-over).  A
 * non-root cell is stopped.  The root cannot be; it gets the SError as
 * it would without the hypervisor, as a virtual one (HCR.VSE/VA), taken
 * when it unmasks them - its OS decides (Linux panics on an
 * unrecoverable one).  The next guest of the CPU starts without it
 * (arch_reset_self() rewrites HCR).
 */
static void serror(unsigned long esr)
{
	struct per_cpu *c = this_cpu();
	unsigned long hcr;

	printk("SError on CPU %u (cell \"%s\"): ESR %x\n", c->cpu_id,
	       c->cell->config->name, (u32)esr);
	if (c->cell != &root_cell) {
		cell_failed("SError");
		return;
	}
	arm_read_sysreg(HCR_EL2, hcr);
	arm_write_sysreg(HCR_EL2, hcr | HCR_VSE);
}

static void handle_hvc(struct trap_context *ctx, unsigned long esr)
{
	unsigned long r0 = ctx->regs[0], imm = esr & 0xffff;

	if (imm == JAILHOUSE_HVC_CODE)
		ctx->regs[0] = hypercall(r0, ctx->regs[1], ctx->regs[2]);
	else if (CONFIG_ARM_TEST_SERROR && imm == HVC_TEST_SERROR)
		serror(ESR_TEST_SERROR);
	else if (imm)
		arm_unhandled("Unhandled HVC", esr);
	else if (this_cell() == &root_cell && !(r0 & BIT(31)))
		ctx->regs[0] = HVC_STUB_ERR;	/* a call of Linux' hyp stub */
	else
		psci_dispatch(ctx);
}

static void handle_sync(struct trap_context *ctx)
{
	unsigned long esr;

	arm_read_sysreg(ESR_EL2, esr);
	if (ESR_IS_SERROR(esr)) {	/* ARMv7: through the HYP trap vector */
		serror(esr);
		return;
	}
	if (!arch_trap_condition_passed(esr)) {
		arch_skip_instruction();
		return;
	}
	switch (ESR_EC(esr)) {
	case EC_GUEST_HVC:
		handle_hvc(ctx, esr);
		break;
	case EC_GUEST_SMC:
		arch_skip_instruction();
		psci_dispatch(ctx);
		break;
	case EC_DABT_LOW:
		if (!arm_handle_dabt(ctx, esr))
			arm_unhandled("Access violation", esr);
		break;
	case EC_WFX:
		/* only trapped where an arch asks for it: nothing to wait for
		 * that the next exit would not bring */
		arch_skip_instruction();
		break;
	default:
		if (!arch_handle_trap(ctx, esr))
			arm_unhandled("Unhandled trap", esr);
	}
}

void arch_handle_exit(unsigned long type, struct trap_context *ctx)
{
	struct per_cpu *c = this_cpu();

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	switch (type & 0xff) {
	case ARM_EXIT_SYNC:
		handle_sync(ctx);
		break;
	case ARM_EXIT_IRQ:
		irqchip_handle_irq(type >> 8);
		break;
	case ARM_EXIT_IRQ_MMIO:
	case ARM_EXIT_FIQ:
		gic_handle_events();
		break;
	case ARM_EXIT_SERROR: {
		unsigned long esr;

		arm_read_sysreg(ESR_EL2, esr);
		serror(esr);
		break;
	}
	default:
		arm_unhandled("AArch32 exception", 0);
	}
	if (c->leaving)
		arch_cpu_restore(c, ctx->regs[0]);
	check_events();
}

/*
 * An exception in the hypervisor.  In a guarded access (entry.S) it is the
 * device's or memory's answer: resume at the fixup, which fails the access.
 * An SError taken in arm_drain_serror() is the CPU's last owner's: reported
 * and discarded.  Anything else is a hypervisor bug: panic_stop().
 */
void arch_handle_hyp_fault(struct trap_context *ctx)
{
	unsigned long esr, far, pc = arm_exception_pc();

	if (pc >= (unsigned long)guarded_start &&
	    pc < (unsigned long)guarded_end) {
		arm_set_exception_pc((unsigned long)guarded_fixup);
		return;
	}
	arm_read_sysreg(ESR_EL2, esr);
	if (ESR_IS_SERROR(esr) && pc >= (unsigned long)serror_drain_start &&
	    pc <= (unsigned long)serror_drain_end) {
		printk("SError left on CPU %u by its last owner, discarded: "
		       "ESR %x\n", this_cpu()->cpu_id, (u32)esr);
		ctx->regs[0] = 1;
		arm_set_exception_pc((unsigned long)serror_drain_end);
		return;
	}
	arm_read_sysreg(FAR_EL2, far);
	printk("Exception in the hypervisor: ESR %x, PC %lx, FAR %lx, LR %lx\n",
	       (u32)esr, pc, far, ctx->regs[ARM_FRAME_LR]);
	panic_stop("exception in the hypervisor");
}
