/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: CPU set-up, reset and the way back to EL1. */

#include <hv/control.h>
#include <hv/entry.h>
#include <hv/paging.h>
#include <hv/string.h>
#include <asm/cpu-state.h>
#include <asm/irqchip.h>
#include <asm/paging.h>
#include <asm/traps.h>

/*
 * Traps every guest runs with: stage 2, interrupts and SErrors to EL2
 * (AMO: a cell's asynchronous abort is the hypervisor's to handle, see
 * serror() in arm-common/traps.c, and never waits for the CPU's next
 * owner), SMC (PSCI),
 * ACTLR_EL1 (TAC: implementation defined controls of the core - cache,
 * coherency, prefetch behaviour - that a cell must not change for the
 * others; see handle_sysreg()) and data cache maintenance by set/way
 * (TSW: arm_handle_setway()).
 */
#define HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | \
			 HCR_TSC | HCR_TAC | HCR_TSW | HCR_RW)
/*
 * Non-root cells reach neither the implementation defined registers
 * (HCR_EL2.TIDCP: op0 3, CRn 11 and 15) - core and L2 controls such as
 * CPUECTLR_EL1.SMPEN, which takes the core out of coherency, memory error
 * records naming what other cells' accesses hit - nor the trace unit's
 * (CPTR_EL2.TTA: it can trace EL2 and other cells' code on the CPU).  They
 * read as zero and ignore writes (handle_sysreg()).  The root cell,
 * trusted with the hardware, keeps them.  (QEMU 7.2 implements neither
 * trap, nor a trace unit: no test here sees them.)
 */
#define HCR_CELL_TRAPS	HCR_TIDCP
#define CPTR_CELL_TRAPS	(1UL << 20)	/* TTA */
/*
 * Non-root cells get neither the performance monitors nor self-hosted
 * debug: on ARMv8.0 an EL1 PMU can count EL2 (PMCCFILTR/PMEVTYPER NSH, no
 * MDCR_EL2.HPMD to stop it), which would let a cell time the hypervisor
 * and, through it, other cells; breakpoints and watchpoints are CPU state
 * that would outlive the cell.  Their registers read as zero and ignore
 * writes (handle_sysreg()).  The root cell is trusted with both.
 */
#define MDCR_CELL_TRAPS	(MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | \
			 MDCR_TDRA)
#define CPTR_EL2_NO_TRAPS	0x33ffUL
#define CNTHCTL_EL1_TIMERS	3UL		/* EL1PCTEN, EL1PCEN */

const char arch_name[] = "arm64";

extern const u8 hyp_vectors[];
void arm64_reset_fpsimd(void);
void __noreturn arm64_park_on_frame(struct trap_context *frame);
void arm64_leave_el2(unsigned long regs, unsigned long sctlr);
void arm64_off_el2(unsigned long unused, unsigned long sctlr);

/* ID_AA64MMFR0_EL1.PARange, at most 5 (48 bits: the descriptors' reach) */
static unsigned long pa_range(void)
{
	unsigned long parange;

	arm_read_sysreg(ID_AA64MMFR0_EL1, parange);
	parange &= 7;
	return parange > 5 ? 5 : parange;
}

unsigned long arm_vtcr(void)
{
	/* T0SZ, SL0 = L1, inner/outer WBWA, inner shareable, 4K, PS, RES1 */
	return (64 - ARM_GUEST_PHYS_BITS) | (1 << 6) | (1 << 8) | (1 << 10) |
		(3 << 12) | (pa_range() << 16) | (1UL << 31);
}

u64 arch_phys_limit(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };

	return 1ULL << bits[pa_range()];
}

static unsigned long vttbr_of(struct cell *cell)
{
	return paging_hvirt2phys(cell->paging.root) |
		((unsigned long)cell->arch.vmid << 48);
}

static void load_guest_mode(struct per_cpu *c)
{
	bool root = c->cell == &root_cell;
	unsigned long pmcr;

	/* HPMN: all counters for EL1/EL0 (PMCR_EL0.N read at EL2) */
	arm_read_sysreg(PMCR_EL0, pmcr);
	arm_write_sysreg(MDCR_EL2, ((pmcr >> 11) & 0x1f) |
			 (root ? 0 : MDCR_CELL_TRAPS));
	arm_write_sysreg(HCR_EL2, HCR_GUEST | (root ? 0 : HCR_CELL_TRAPS));
	arm_write_sysreg(CPTR_EL2, CPTR_EL2_NO_TRAPS |
			 (root ? 0 : CPTR_CELL_TRAPS));
	arm_write_sysreg(VTTBR_EL2, vttbr_of(c->cell));
	asm volatile("isb; tlbi vmalls12e1; dsb nsh; isb" : : : "memory");
}

int arch_cpu_init(struct per_cpu *c)
{
	unsigned long mpidr;
	int err;

	arm_read_sysreg(MPIDR_EL1, mpidr);
	c->arch.phys_id = mpidr & MPIDR_AFF_MASK;
	err = irqchip_cpu_init(c);
	if (err)
		return err;
	arm_write_sysreg(VBAR_EL2, hyp_vectors);
	arm_write_sysreg(VTCR_EL2, arm_vtcr());
	arm_write_sysreg(VMPIDR_EL2, mpidr);
	load_guest_mode(c);
	return 0;
}

void arch_skip_instruction(void)
{
	unsigned long elr, esr;

	arm_read_sysreg(ELR_EL2, elr);
	arm_read_sysreg(ESR_EL2, esr);
	arm_write_sysreg(ELR_EL2, elr + (esr & ESR_IL ? 4 : 2));
}

#define PAIR_CASE(kind, n)						\
	case n:								\
		arm_write_sysreg(DBG##kind##CR##n##_EL1, 0);		\
		arm_write_sysreg(DBG##kind##VR##n##_EL1, 0);		\
		break
#define PAIR_CASES(kind)						\
	PAIR_CASE(kind, 0); PAIR_CASE(kind, 1); PAIR_CASE(kind, 2);	\
	PAIR_CASE(kind, 3); PAIR_CASE(kind, 4); PAIR_CASE(kind, 5);	\
	PAIR_CASE(kind, 6); PAIR_CASE(kind, 7); PAIR_CASE(kind, 8);	\
	PAIR_CASE(kind, 9); PAIR_CASE(kind, 10); PAIR_CASE(kind, 11);	\
	PAIR_CASE(kind, 12); PAIR_CASE(kind, 13); PAIR_CASE(kind, 14);	\
	PAIR_CASE(kind, 15)

void arm_clear_debug_pair(unsigned int n, bool watch)
{
	if (watch)
		switch (n) { PAIR_CASES(W); }
	else
		switch (n) { PAIR_CASES(B); }
}

void arm_debug_pair_counts(unsigned int *brps, unsigned int *wrps)
{
	unsigned long dfr;

	arm_read_sysreg(ID_AA64DFR0_EL1, dfr);
	*brps = ((dfr >> 12) & 0xf) + 1;
	*wrps = ((dfr >> 20) & 0xf) + 1;
}

void arch_reset_self(struct per_cpu *c)
{
	struct trap_context *ctx = guest_frame(c);

	arm_drain_serror();
	memset(ctx, 0, sizeof(*ctx));
	ctx->regs[0] = c->reset_arg;
	arm_write_sysreg(SCTLR_EL1, SCTLR_EL1_RES1);
	arm_write_sysreg(CPACR_EL1, 0);
	arm_write_sysreg(TTBR0_EL1, 0);
	arm_write_sysreg(TTBR1_EL1, 0);
	arm_write_sysreg(TCR_EL1, 0);
	arm_write_sysreg(MAIR_EL1, 0);
	arm_write_sysreg(AMAIR_EL1, 0);
	arm_write_sysreg(VBAR_EL1, 0);
	arm_write_sysreg(CONTEXTIDR_EL1, 0);
	arm_write_sysreg(TPIDR_EL0, 0);
	arm_write_sysreg(TPIDRRO_EL0, 0);
	arm_write_sysreg(TPIDR_EL1, 0);
	arm_write_sysreg(SP_EL0, 0);
	arm_write_sysreg(SP_EL1, 0);
	arm_write_sysreg(ELR_EL1, 0);
	arm_write_sysreg(SPSR_EL1, 0);
	arm_write_sysreg(ESR_EL1, 0);
	arm_write_sysreg(FAR_EL1, 0);
	arm_write_sysreg(AFSR0_EL1, 0);
	arm_write_sysreg(AFSR1_EL1, 0);
	arm_write_sysreg(PAR_EL1, 0);
	arm_write_sysreg(CSSELR_EL1, 0);
	arm_write_sysreg(CNTKCTL_EL1, 0);
	arm_write_sysreg(CNTV_CTL_EL0, 0);
	arm_write_sysreg(CNTP_CTL_EL0, 0);
	arm_write_sysreg(CNTVOFF_EL2, 0);
	arm_write_sysreg(CNTHCTL_EL2, CNTHCTL_EL1_TIMERS);
	arm_reset_pmu_debug_timers();
	arm64_reset_fpsimd();
	gic_handle_events();
	irqchip_cpu_reset(c);
	arm_write_sysreg(ELR_EL2, c->reset_address);
	arm_write_sysreg(SPSR_EL2, SPSR_EL1H_MASKED);
	load_guest_mode(c);
}

void arch_panic_park(void)
{
	arm64_park_on_frame(guest_frame(this_cpu()));
}

/* Restore the EL2 state found at entry, except for the MMU. */
static unsigned long restore_el2(struct per_cpu *c)
{
	struct host_state *saved = &c->arch.host;

	irqchip_cpu_exit(c);
	arm_write_sysreg(VBAR_EL2, saved->vbar_el2);
	arm_write_sysreg(HCR_EL2, saved->hcr_el2);
	arm_write_sysreg(CPTR_EL2, saved->cptr_el2);
	arm_write_sysreg(MDCR_EL2, saved->mdcr_el2);
	arm_write_sysreg(VTTBR_EL2, saved->vttbr_el2);
	arm_write_sysreg(VTCR_EL2, saved->vtcr_el2);
	asm volatile("isb; tlbi vmalls12e1; dsb nsh; isb" : : : "memory");
	return saved->sctlr_el2;
}

static unsigned long phys_of(const void *virt, struct per_cpu *c)
{
	return (unsigned long)virt - JAILHOUSE_BASE + c->phys_base;
}

void arch_cpu_restore(struct per_cpu *c, int return_code)
{
	unsigned long *regs = c->arch.host.leave_regs, sctlr, p;
	void (*leave)(unsigned long, unsigned long);

	if (c->activated) {
		memcpy(regs, guest_frame(c)->regs, sizeof(c->arch.host.leave_regs));
	} else {
		memset(regs, 0, sizeof(c->arch.host.leave_regs));
		memcpy(&regs[19], c->arch.host.regs, sizeof(c->arch.host.regs));
	}
	regs[0] = return_code;
	sctlr = restore_el2(c);
	/* The registers are read with the MMU (and caches) off. */
	for (p = (unsigned long)regs & ~63UL;
	     p < (unsigned long)(regs + 31); p += 64)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
	asm volatile("dsb sy" : : : "memory");
	leave = (void *)phys_of(arm64_leave_el2, c);
	leave(phys_of(regs, c), sctlr);
	__builtin_unreachable();
}

void arch_cpu_off(struct per_cpu *c)
{
	void (*off)(unsigned long, unsigned long);
	unsigned long sctlr = restore_el2(c);

	asm volatile("dsb sy" : : : "memory");
	off = (void *)phys_of(arm64_off_el2, c);
	off(0, sctlr);
	__builtin_unreachable();
}
