/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the part of GICv3 the core needs so far, a
 * hypervisor event.  SGI 15 is made a Group 0 interrupt; CPUs that run a
 * non-root cell have HCR_EL2.FMO set, so the SGI takes them to EL2.  Root
 * CPUs keep their interrupt controller untouched (they are only ever
 * addressed while parked, through sev).
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <asm/traps.h>

#define SGI_EVENT		15
#define GICD_CTLR		0x0000
#define GICD_CTLR_GRP0		BIT(0)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_DS		BIT(6)
#define GICD_CTLR_RWP		BIT(31)
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		BIT(4)
#define GICR_STRIDE		0x20000
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_IPRIORITYR		0x0400
#define GICR_IGRPMODR0		0x0d00
#define ICC_CTLR_EOIMODE	BIT(1)

static void *gicd, *gicr;
static bool grp0_enabled;

static inline u32 rd32(void *base, unsigned int off)
{
	return *(volatile u32 *)((u8 *)base + off);
}

static inline void wr32(void *base, unsigned int off, u32 val)
{
	*(volatile u32 *)((u8 *)base + off) = val;
}

int arch_init_early(void)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	u32 ctlr;

	if (arm->gic_version != 3)
		return trace_error(-EINVAL);
	gicd = paging_remap(arm->gicd_base, 0x10000, PAGE_DEFAULT | PAGE_DEVICE);
	gicr = paging_remap(arm->gicr_base, num_possible_cpus * GICR_STRIDE,
			    PAGE_DEFAULT | PAGE_DEVICE);
	if (!gicd || !gicr)
		return trace_error(-ENOMEM);
	ctlr = rd32(gicd, GICD_CTLR);
	/* Group 0 must be ours: single security state, affinity routing. */
	if (!(ctlr & GICD_CTLR_DS) || !(ctlr & GICD_CTLR_ARE))
		return trace_error(-EIO);
	if (!(ctlr & GICD_CTLR_GRP0)) {
		wr32(gicd, GICD_CTLR, ctlr | GICD_CTLR_GRP0);
		while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
			cpu_relax();
		grp0_enabled = true;
	}
	return 0;
}

void arch_shutdown(void)
{
	if (grp0_enabled) {
		wr32(gicd, GICD_CTLR, rd32(gicd, GICD_CTLR) & ~GICD_CTLR_GRP0);
		grp0_enabled = false;
	}
}

int gic_cpu_init(struct per_cpu *c)
{
	unsigned long mpidr = c->arch.phys_id;
	u64 aff = ((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff), typer;
	unsigned int n;
	u8 *rd, *sgi;

	for (n = 0; n < num_possible_cpus; n++) {
		rd = (u8 *)gicr + n * GICR_STRIDE;
		typer = *(volatile u64 *)(rd + GICR_TYPER);
		if ((typer >> 32) == aff)
			break;
		if (typer & GICR_TYPER_LAST)
			return trace_error(-EIO);
	}
	if (n == num_possible_cpus)
		return trace_error(-EIO);
	sgi = rd + GICR_SGI_BASE;
	c->arch.gicr_sgi = sgi;
	c->arch.old_igroupr0 = rd32(sgi, GICR_IGROUPR0);
	wr32(sgi, GICR_IGROUPR0, c->arch.old_igroupr0 & ~BIT(SGI_EVENT));
	wr32(sgi, GICR_IGRPMODR0,
	     rd32(sgi, GICR_IGRPMODR0) & ~BIT(SGI_EVENT));
	*(volatile u8 *)(sgi + GICR_IPRIORITYR + SGI_EVENT) = 0;
	wr32(sgi, GICR_ISENABLER0, BIT(SGI_EVENT));
	arm_write_sysreg(ICC_IGRPEN0_EL1, 1);
	return 0;
}

void gic_cpu_exit(struct per_cpu *c)
{
	void *sgi = c->arch.gicr_sgi;

	if (!sgi)
		return;
	wr32(sgi, GICR_ICENABLER0, BIT(SGI_EVENT));
	gic_handle_events();
	wr32(sgi, GICR_IGROUPR0, c->arch.old_igroupr0);
	arm_write_sysreg(ICC_IGRPEN0_EL1, 0);
}

void gic_cpu_prepare_cell(void)
{
	unsigned long pmr;

	arm_read_sysreg(ICC_PMR_EL1, pmr);
	if (pmr < 0xf0)
		arm_write_sysreg(ICC_PMR_EL1, 0xf0);
	asm volatile("isb");
}

void gic_handle_events(void)
{
	unsigned long irq, ctlr;

	while (1) {
		arm_read_sysreg(ICC_IAR0_EL1, irq);
		irq &= 0xffffff;
		if (irq >= 1020)
			return;
		arm_write_sysreg(ICC_EOIR0_EL1, irq);
		arm_read_sysreg(ICC_CTLR_EL1, ctlr);
		if (ctlr & ICC_CTLR_EOIMODE)
			arm_write_sysreg(ICC_DIR_EL1, irq);
	}
}

void arch_send_event(struct per_cpu *t)
{
	unsigned long mpidr = t->arch.phys_id, sgi;

	if (t->activated && t->cell != &root_cell) {
		sgi = (1UL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
			((unsigned long)SGI_EVENT << 24) |
			(((mpidr >> 16) & 0xff) << 32) |
			(((mpidr >> 4) & 0xf) << 44) |
			(((mpidr >> 32) & 0xff) << 48);
		asm volatile("dsb ish" : : : "memory");
		arm_write_sysreg(ICC_SGI0R_EL1, sgi);
	}
	cpu_send_event();
}
