/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: CPU set-up, reset and the way back to SVC. */

#include <hv/control.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/cpu-state.h>
#include <asm/irqchip.h>
#include <asm/paging.h>
#include <asm/traps.h>

/*
 * Traps every guest runs with: stage 2, interrupts and asynchronous aborts
 * to HYP, SMC (PSCI), ACTLR (TAC: implementation defined controls of
 * the core - coherency, caches, prefetching - a cell must not change for
 * the others; see arch_handle_trap()) and data cache maintenance by
 * set/way (TSW: arm_handle_setway()).
 */
#define HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | \
			 HCR_TSC | HCR_TAC | HCR_TSW)
/*
 * Non-root cells get neither the performance monitors (they could time the
 * hypervisor and, through it, other cells) nor self-hosted debug (CPU state
 * that would outlive the cell): their registers read as zero and ignore
 * writes (arch_handle_trap()).  The root cell is trusted with both.
 */
#define HDCR_CELL_TRAPS	(HDCR_TPM | HDCR_TPMCR | HDCR_TDA | HDCR_TDOSA | \
			 HDCR_TDRA)
/*
 * Nor the implementation defined CP15 registers (HCR.TIDCP: lockdown, TCM,
 * DMA, c15 - core and L2 controls, error records) nor the trace unit's
 * CP14 registers (HCPTR.TTA), as on ARM64; arch_handle_trap() makes them
 * read as zero.  (QEMU 7.2 implements neither trap: untested here.)
 */
#define HCR_CELL_TRAPS	HCR_TIDCP
#define HCPTR_CELL_TRAPS (1UL << 20)	/* TTA */
#define HCPTR_NO_TRAPS	0x33ffUL
#define CNTHCTL_PL1_TIMERS 3UL		/* PL1PCTEN, PL1PCEN */
#define SCTLR_RESET	0x00c50078UL	/* MMU, caches off, RES1 bits */
#define PSR_SVC_MASKED	0x1d3UL		/* SVC, A, I, F masked, ARM state */

const char arch_name[] = "arm";

extern const u8 hyp_vectors[];
void __noreturn arm_park_on_frame(struct trap_context *frame);
void arm_leave_hyp(unsigned long regs, unsigned long hsctlr);
void arm_off_hyp(unsigned long unused, unsigned long hsctlr);

/* ID_MMFR0: VMSA support (5: long descriptors) and outermost shareability */
#define ID_MMFR0_VMSA(v)	((v) & 0xf)
#define ID_MMFR0_VMSA_LPAE	5
#define ID_MMFR0_SHARE_LEVELS(v) (((v) >> 12) & 0xf)
#define TCR_SH_INNER		3
#define TCR_SH_OUTER		2
#define TCR_WBWA		1	/* IRGN0/ORGN0 */

/*
 * Shareability of the table walks: inner shareable where the CPU has two
 * levels of shareability, else outer (one level: they are the same).
 */
static unsigned long walk_attrs(void)
{
	unsigned long mmfr0;

	arm_read_sysreg(ID_MMFR0, mmfr0);
	return ((ID_MMFR0_SHARE_LEVELS(mmfr0) ? TCR_SH_INNER : TCR_SH_OUTER)
		<< 12) | (TCR_WBWA << 10) | (TCR_WBWA << 8);
}

/*
 * Stage 2 spans the CPU's physical range: 40 bits on every LPAE CPU (ARMv7
 * has no narrower or wider one; arch_cpu_init() refuses CPUs without
 * LPAE).  T0SZ is 32 - 40 as a signed 4-bit field with its sign in bit 4,
 * SL0 = 1 starts the walk at level 1, bit 31 is RES1.
 */
unsigned long arm_vtcr(void)
{
	return ((32 - ARM_GUEST_PHYS_BITS) & 0x1f) | walk_attrs() | (1 << 6) |
		(1UL << 31);
}

/* LPAE descriptors name 40-bit physical addresses. */
u64 arch_phys_limit(void)
{
	return 1ULL << 40;
}

static u64 vttbr_of(struct cell *cell)
{
	return paging_hvirt2phys(cell->paging.root) |
		((u64)cell->arch.vmid << 48);
}

static void load_guest_mode(struct per_cpu *c)
{
	bool root = c->cell == &root_cell;
	unsigned long pmcr;

	/* HPMN: all counters for PL1/PL0 (PMCR.N read in HYP mode) */
	arm_read_sysreg(PMCR_EL0, pmcr);
	arm_write_sysreg(HDCR, ((pmcr >> 11) & HDCR_HPMN_MASK) |
			 (root ? 0 : HDCR_CELL_TRAPS));
	arm_write_sysreg(HCR_EL2, HCR_GUEST | (root ? 0 : HCR_CELL_TRAPS));
	arm_write_sysreg(HCPTR, HCPTR_NO_TRAPS | (root ? 0 : HCPTR_CELL_TRAPS));
	arm_write_sysreg(VTTBR_EL2, vttbr_of(c->cell));
	asm volatile("isb" : : : "memory");
	arm_flush_guest_tlb_local();
}

int arch_cpu_init(struct per_cpu *c)
{
	unsigned long mpidr, midr, mmfr0;
	int err;

	/* stage 2 and the HYP tables use long descriptors */
	arm_read_sysreg(ID_MMFR0, mmfr0);
	if (ID_MMFR0_VMSA(mmfr0) < ID_MMFR0_VMSA_LPAE)
		return trace_error(-ENODEV);
	arm_read_sysreg(MPIDR_EL1, mpidr);
	arm_read_sysreg(MIDR, midr);
	c->arch.phys_id = mpidr & MPIDR_AFF_MASK;
	err = irqchip_cpu_init(c);
	if (err)
		return err;
	arm_write_sysreg(HVBAR, hyp_vectors);
	arm_write_sysreg(VTCR_EL2, arm_vtcr());
	arm_write_sysreg(VMPIDR, mpidr);
	arm_write_sysreg(VPIDR, midr);
	arm_write_sysreg(HSTR, 0);
	load_guest_mode(c);
	return 0;
}

long arm_firmware_call(struct trap_context *ctx)
{
	register unsigned long r0 asm("r0") = ctx->regs[0];
	register unsigned long r1 asm("r1") = ctx->regs[1];
	register unsigned long r2 asm("r2") = ctx->regs[2];
	register unsigned long r3 asm("r3") = ctx->regs[3];

	asm volatile("smc #0" : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     : : "memory");
	return r0;
}

/* DBGDIDR: WRPs - 1 in bits 31:28, BRPs - 1 in bits 27:24 */
void arm_debug_pair_counts(unsigned int *brps, unsigned int *wrps)
{
	unsigned long didr;

	arm_read_sysreg(DBGDIDR, didr);
	*brps = ((didr >> 24) & 0xf) + 1;
	*wrps = ((didr >> 28) & 0xf) + 1;
}

/* DBGBVRn/DBGBCRn: cp14 c0, cn, 4/5; DBGWVRn/DBGWCRn: c0, cn, 6/7 */
#define PAIR_CASE(n, vr, cr)						\
	case n:								\
		arm_write_sysreg_cp14(0, c0, c##n, cr, 0);		\
		arm_write_sysreg_cp14(0, c0, c##n, vr, 0);		\
		break
#define PAIR_CASES(vr, cr)						\
	PAIR_CASE(0, vr, cr); PAIR_CASE(1, vr, cr); PAIR_CASE(2, vr, cr); \
	PAIR_CASE(3, vr, cr); PAIR_CASE(4, vr, cr); PAIR_CASE(5, vr, cr); \
	PAIR_CASE(6, vr, cr); PAIR_CASE(7, vr, cr); PAIR_CASE(8, vr, cr); \
	PAIR_CASE(9, vr, cr); PAIR_CASE(10, vr, cr); PAIR_CASE(11, vr, cr); \
	PAIR_CASE(12, vr, cr); PAIR_CASE(13, vr, cr); PAIR_CASE(14, vr, cr); \
	PAIR_CASE(15, vr, cr)

void arm_clear_debug_pair(unsigned int n, bool watch)
{
	if (watch)
		switch (n) { PAIR_CASES(6, 7); }
	else
		switch (n) { PAIR_CASES(4, 5); }
}

/*
 * The floating-point and Advanced SIMD registers and FPSCR cleared, FPEXC
 * as at reset (disabled): a cell's values never reach the next owner.
 * MVFR0.SIMDReg: 1 for 16, 2 for 32 doubleword registers.
 */
static void reset_vfp(void)
{
	unsigned long mvfr0;

	asm volatile(".fpu vfpv3\n\tvmrs %0, mvfr0" : "=r" (mvfr0));
	if (!(mvfr0 & 0xf))
		return;
	asm volatile(".fpu vfpv3\n\tvmsr fpexc, %0" : : "r" (1UL << 30));
	asm volatile(".fpu vfpv3\n\t"
		     ".irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n\t"
		     "vmov d\\r, %0, %0\n\t"
		     ".endr" : : "r" (0UL));
	if ((mvfr0 & 0xf) == 2)
		asm volatile(".fpu vfpv3\n\t"
			     ".irp r, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n\t"
			     "vmov d\\r, %0, %0\n\t"
			     ".endr" : : "r" (0UL));
	asm volatile(".fpu vfpv3\n\tvmsr fpscr, %0\n\tvmsr fpexc, %0"
		     : : "r" (0UL));
}

void arch_reset_self(struct per_cpu *c)
{
	struct trap_context *ctx = guest_frame(c);

	arm_drain_serror();
	memset(ctx, 0, sizeof(*ctx));
	ctx->regs[0] = c->reset_arg;
	arm_write_sysreg(SCTLR, SCTLR_RESET);
	arm_write_sysreg(CPACR, 0);
	arm_write_sysreg(TTBR0, 0);
	arm_write_sysreg(TTBR1, 0);
	arm_write_sysreg(TTBCR, 0);
	arm_write_sysreg(DACR, 0);
	arm_write_sysreg(PRRR, 0);
	arm_write_sysreg(NMRR, 0);
	arm_write_sysreg(AMAIR0, 0);
	arm_write_sysreg(AMAIR1, 0);
	arm_write_sysreg(VBAR, 0);
	arm_write_sysreg(CONTEXTIDR, 0);
	arm_write_sysreg(TPIDRURW, 0);
	arm_write_sysreg(TPIDRURO, 0);
	arm_write_sysreg(TPIDRPRW, 0);
	arm_write_sysreg(DFSR, 0);
	arm_write_sysreg(IFSR, 0);
	arm_write_sysreg(DFAR, 0);
	arm_write_sysreg(IFAR, 0);
	arm_write_sysreg(ADFSR, 0);
	arm_write_sysreg(AIFSR, 0);
	/* the last address translation's result (ATS1C*): a cell's address */
	arm_write_sysreg(PAR, 0);
	arm_write_sysreg(CSSELR, 0);
	arm_write_sysreg(CNTKCTL, 0);
	arm_write_sysreg(CNTV_CTL, 0);
	arm_write_sysreg(CNTP_CTL, 0);
	arm_write_sysreg(CNTVOFF, 0);
	arm_write_sysreg(CNTHCTL, CNTHCTL_PL1_TIMERS);
	arm_reset_pmu_debug_timers();
	reset_vfp();
	/* The banked registers of the PL1 modes start out clear. */
	asm volatile("msr sp_svc, %0; msr lr_svc, %0; msr spsr_svc, %0\n\t"
		     "msr sp_abt, %0; msr lr_abt, %0; msr spsr_abt, %0\n\t"
		     "msr sp_und, %0; msr lr_und, %0; msr spsr_und, %0\n\t"
		     "msr sp_irq, %0; msr lr_irq, %0; msr spsr_irq, %0\n\t"
		     "msr sp_fiq, %0; msr lr_fiq, %0; msr spsr_fiq, %0\n\t"
		     "msr r8_fiq, %0; msr r9_fiq, %0; msr r10_fiq, %0\n\t"
		     "msr r11_fiq, %0; msr r12_fiq, %0; msr sp_usr, %0"
		     : : "r" (0UL));
	gic_handle_events();
	irqchip_cpu_reset(c);
	asm volatile("msr elr_hyp, %0; msr spsr_cxsf, %1"
		     : : "r" (c->reset_address), "r" (PSR_SVC_MASKED));
	load_guest_mode(c);
}

void arch_panic_park(void)
{
	arm_park_on_frame(guest_frame(this_cpu()));
}

/* Restore the HYP state found at entry, except for the MMU. */
static unsigned long restore_hyp(struct per_cpu *c)
{
	struct host_state *h = &c->arch.host;

	irqchip_cpu_exit(c);
	arm_write_sysreg(HVBAR, h->hvbar);
	arm_write_sysreg(HCR_EL2, h->hcr);
	arm_write_sysreg(HCPTR, h->hcptr);
	arm_write_sysreg(HDCR, h->hdcr);
	arm_write_sysreg(HSTR, h->hstr);
	arm_write_sysreg(VTTBR_EL2, h->vttbr);
	arm_write_sysreg(VTCR_EL2, h->vtcr);
	asm volatile("isb" : : : "memory");
	arm_flush_guest_tlb_local();
	return h->hsctlr;
}

static unsigned long phys_of(const void *virt, struct per_cpu *c)
{
	return (unsigned long)virt - JAILHOUSE_BASE + c->phys_base;
}

void arch_cpu_restore(struct per_cpu *c, int return_code)
{
	unsigned long *regs = c->arch.host.leave_regs, hsctlr, p;
	void (*leave)(unsigned long, unsigned long);

	if (c->activated) {
		memcpy(regs, guest_frame(c)->regs,
		       sizeof(c->arch.host.leave_regs));
	} else {
		memset(regs, 0, sizeof(c->arch.host.leave_regs));
		/* r4..r11, lr */
		memcpy(&regs[4], c->arch.host.regs, 8 * sizeof(*regs));
		regs[13] = c->arch.host.regs[8];
	}
	regs[0] = return_code;
	hsctlr = restore_hyp(c);
	/* The registers are read with the MMU (and caches) off. */
	for (p = (unsigned long)regs & ~31UL;
	     p < (unsigned long)(regs + 14); p += 32)
		arm_dcache_clean_inval_line(p);
	asm volatile("dsb sy" : : : "memory");
	leave = (void *)phys_of(arm_leave_hyp, c);
	leave(phys_of(regs, c), hsctlr);
	__builtin_unreachable();
}

void arch_cpu_off(struct per_cpu *c)
{
	void (*off)(unsigned long, unsigned long);
	unsigned long hsctlr = restore_hyp(c);

	asm volatile("dsb sy" : : : "memory");
	off = (void *)phys_of(arm_off_hyp, c);
	off(0, hsctlr);
	__builtin_unreachable();
}
