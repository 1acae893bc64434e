/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: GICv3.  The hypervisor owns Group 0 (SGI 15,
 * its event between CPUs, signalled as FIQ) and the maintenance PPI; the
 * cells own Group 1 through the virtual CPU interface (ICH_* registers).
 * Redistributor frames follow their CPU: a cell reaches the frames of its
 * own CPUs and may only read the identification registers of the others.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_GRP0		BIT(0)
#define GICD_TYPER2		0x000c
#define GICD_SETSPI_NSR		0x0040
#define GICD_CLRSPI_NSR		0x0048
#define GICD_IGROUPR		0x0080
#define GICD_IGRPMODR		0x0d00
#define GICD_IGRPMODR_END	0x0d80
#define GICD_ID_REGS		0xffd0
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_DS		BIT(6)
#define GICD_CTLR_RWP		BIT(31)
#define GICD_ISPENDR		0x0200
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x8000
#define GICD_IROUTER_IRM	BIT_ULL(31)
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER		0x0014
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_STRIDE		0x20000
#define GICR_ID_REGS		0xffd0
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR		0x0400
#define GICR_ICFGR0		0x0c00
#define GICR_IGRPMODR0		0x0d00

#define ICC_CTLR_CBPR		BIT(0)
#define ICC_CTLR_EOIMODE	BIT(1)
#define ICH_HCR_EN		BIT(0)
#define ICH_HCR_UIE		BIT(1)
#define ICH_VMCR_ENG1		BIT(1)
#define ICH_VMCR_CBPR		BIT(4)
#define ICH_VMCR_EOIM		BIT(9)
#define ICH_VMCR_BPR1_SHIFT	18
#define ICH_VMCR_PMR_SHIFT	24
#define ICH_LR_PINTID_SHIFT	32
#define ICH_LR_PRIO_SHIFT	48
#define ICH_LR_GROUP1		BIT_ULL(60)
#define ICH_LR_HW		BIT_ULL(61)
#define ICH_LR_PENDING		BIT_ULL(62)
#define ICH_LR_ACTIVE		BIT_ULL(63)

static void *gicr;
static unsigned int num_frames, num_lrs;
static unsigned long lr_mask;
static bool grp0_enabled;
/* private interrupts the hypervisor keeps */
static u32 hv_private;

static inline u32 rd32(void *base, unsigned int off)
{
	return *(volatile u32 *)((u8 *)base + off);
}

static inline void wr32(void *base, unsigned int off, u32 val)
{
	*(volatile u32 *)((u8 *)base + off) = val;
}

static u64 read_lr(unsigned int n)
{
	return arm_read_ich_lr(n);
}

static void write_lr(unsigned int n, u64 val)
{
	arm_write_ich_lr(n, val);
}

/* ICC_SGI0R/ICC_SGI1R value that sends @sgi to the CPU @mpidr alone. */
static u64 sgi_target(u64 mpidr, unsigned int sgi)
{
	return BIT_ULL(mpidr & 0xf) | (((mpidr >> 8) & 0xff) << 16) |
		((u64)sgi << 24) | (((mpidr >> 16) & 0xff) << 32) |
		(((mpidr >> 4) & 0xf) << 44) | (((mpidr >> 32) & 0xff) << 48);
}

static int gicv3_init(void)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	unsigned long vtr;
	u32 ctlr;

	num_frames = num_possible_cpus;
	gicd_base = paging_remap(arm->gicd_base, GICV3_DIST_SIZE,
				 PAGE_DEFAULT | PAGE_DEVICE);
	gicr = paging_remap(arm->gicr_base, num_frames * GICR_STRIDE,
			    PAGE_DEFAULT | PAGE_DEVICE);
	if (!gicd_base || !gicr)
		return trace_error(-ENOMEM);
	arm_read_sysreg(ICH_VTR_EL2, vtr);
	num_lrs = (vtr & 0xf) + 1;
	lr_mask = BIT(num_lrs) - 1;
	hv_private = BIT(SGI_EVENT) | BIT(maint_irq);
	ctlr = rd32(gicd_base, GICD_CTLR);
	/* Group 0 must be ours: single security state, affinity routing. */
	if (!(ctlr & GICD_CTLR_DS) || !(ctlr & GICD_CTLR_ARE))
		return trace_error(-EIO);
	if (!(ctlr & GICD_CTLR_GRP0)) {
		wr32(gicd_base, GICD_CTLR, ctlr | GICD_CTLR_GRP0);
		while (rd32(gicd_base, GICD_CTLR) & GICD_CTLR_RWP)
			cpu_relax();
		grp0_enabled = true;
	}
	return 0;
}

static void gicv3_shutdown(void)
{
	if (grp0_enabled) {
		wr32(gicd_base, GICD_CTLR, rd32(gicd_base, GICD_CTLR) &
		     ~GICD_CTLR_GRP0);
		grp0_enabled = false;
	}
}

static bool gicv3_inject(struct per_cpu *c, unsigned int irq)
{
	unsigned long elrsr;
	unsigned int n;
	u64 lr;

	if (irq < 16 || irq >= 8192) {
		/* Software interrupts: one list register each, merge. */
		for (n = 0; n < num_lrs; n++) {
			lr = read_lr(n);
			if ((u32)lr == irq && lr & (ICH_LR_PENDING | ICH_LR_ACTIVE)) {
				write_lr(n, lr | ICH_LR_PENDING);
				return true;
			}
		}
	}
	arm_read_sysreg(ICH_ELRSR_EL2, elrsr);
	elrsr &= lr_mask;
	if (!elrsr)
		return false;
	n = __builtin_ctzl(elrsr);
	lr = irq | ICH_LR_GROUP1 | ICH_LR_PENDING |
		((u64)IRQ_PRIO_DEFAULT << ICH_LR_PRIO_SHIFT);
	if (irq >= 16 && irq < 1020)
		lr |= ICH_LR_HW | ((u64)irq << ICH_LR_PINTID_SHIFT);
	write_lr(n, lr);
	return true;
}

static void gicv3_enable_maint(bool enable)
{
	arm_write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (enable ? ICH_HCR_UIE : 0));
}

static void gicv3_eoi(unsigned int irq)
{
	arm_write_sysreg(ICC_EOIR1_EL1, irq);
}

static void gicv3_deactivate(unsigned int irq)
{
	arm_write_sysreg(ICC_DIR_EL1, irq);
}

static void gicv3_send_sgi(struct per_cpu *t, unsigned int sgi)
{
	asm volatile("dsb ish" : : : "memory");
	arm_write_sysreg(ICC_SGI1R_EL1, sgi_target(t->arch.phys_id, sgi));
}

/* Set a private interrupt pending again on the physical side. */
static void repend_private(struct per_cpu *c, unsigned int irq)
{
	if (irq < 32)
		wr32(c->arch.gicr_sgi, GICR_ISPENDR0, BIT(irq));
	else
		wr32(gicd_base, GICD_ISPENDR + irq / 32 * 4, BIT(irq % 32));
}

static int gicv3_cpu_init(struct per_cpu *c)
{
	u64 aff = mpidr_to_aff(c->arch.phys_id), typer, lr;
	unsigned long pmr, bpr, ctlr, grpen;
	unsigned int n, irq;
	u32 active;
	u8 *rd, *sgi;

	for (n = 0; n < num_frames; n++) {
		rd = (u8 *)gicr + n * GICR_STRIDE;
		typer = *(volatile u64 *)(rd + GICR_TYPER);
		if ((typer >> 32) == aff)
			break;
		if (typer & GICR_TYPER_LAST)
			return trace_error(-EIO);
	}
	if (n == num_frames)
		return trace_error(-EIO);
	sgi = rd + GICR_SGI_BASE;
	c->arch.gicr_frame = n;
	c->arch.gicr_sgi = sgi;
	c->arch.old_igroupr0 = rd32(sgi, GICR_IGROUPR0);
	wr32(sgi, GICR_IGROUPR0, (c->arch.old_igroupr0 & ~BIT(SGI_EVENT)) |
	     BIT(maint_irq));
	wr32(sgi, GICR_IGRPMODR0, rd32(sgi, GICR_IGRPMODR0) & ~hv_private);
	*(volatile u8 *)(sgi + GICR_IPRIORITYR + SGI_EVENT) = 0;
	*(volatile u8 *)(sgi + GICR_IPRIORITYR + maint_irq) = 0x80;
	wr32(sgi, GICR_ISENABLER0, hv_private);
	for (n = 0; n < 8; n++)
		c->arch.private_prio[n] = rd32(sgi, GICR_IPRIORITYR + n * 4);
	c->arch.private_cfg = rd32(sgi, GICR_ICFGR0 + 4);
	arm_write_sysreg(ICC_IGRPEN0_EL1, 1);

	/* The root's CPU interface state moves to the virtual one. */
	arm_read_sysreg(ICC_PMR_EL1, pmr);
	arm_read_sysreg(ICC_BPR1_EL1, bpr);
	arm_read_sysreg(ICC_CTLR_EL1, ctlr);
	arm_read_sysreg(ICC_IGRPEN1_EL1, grpen);
	c->arch.old_ctlr = ctlr;
	arm_write_sysreg(ICH_VMCR_EL2, (pmr << ICH_VMCR_PMR_SHIFT) |
			 ((bpr & 7) << ICH_VMCR_BPR1_SHIFT) |
			 (ctlr & ICC_CTLR_EOIMODE ? ICH_VMCR_EOIM : 0) |
			 (ctlr & ICC_CTLR_CBPR ? ICH_VMCR_CBPR : 0) |
			 (grpen & 1 ? ICH_VMCR_ENG1 : 0));
	arm_write_sysreg(ICH_AP0R0_EL2, 0);
	arm_write_sysreg(ICH_AP1R0_EL2, 0);
	for (n = 0; n < num_lrs; n++)
		write_lr(n, 0);
	/*
	 * Private interrupts the root is handling right now (the entry runs
	 * in an IPI handler) continue as virtual ones: the root's
	 * deactivation then reaches the list register.
	 */
	active = rd32(sgi, GICR_ISACTIVER0) & ~hv_private;
	for (irq = 0, n = 0; irq < 32 && n < num_lrs; irq++) {
		if (!(active & BIT(irq)))
			continue;
		lr = irq | ICH_LR_GROUP1 | ICH_LR_ACTIVE |
			((u64)IRQ_PRIO_DEFAULT << ICH_LR_PRIO_SHIFT);
		if (irq < 16)
			arm_write_sysreg(ICC_DIR_EL1, irq);
		else
			lr |= ICH_LR_HW | ((u64)irq << ICH_LR_PINTID_SHIFT);
		write_lr(n++, lr);
	}
	/* EL2 drops priority on acknowledge, the guest deactivates. */
	arm_write_sysreg(ICC_CTLR_EL1, ctlr | ICC_CTLR_EOIMODE);
	arm_write_sysreg(ICC_PMR_EL1, 0xff);
	arm_write_sysreg(ICC_IGRPEN1_EL1, 1);
	arm_write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	c->arch.num_pending = 0;
	return 0;
}

static void gicv3_cpu_exit(struct per_cpu *c)
{
	void *sgi = c->arch.gicr_sgi;
	unsigned long vmcr;
	unsigned int n, irq;
	u64 lr;

	if (!sgi)
		return;
	wr32(sgi, GICR_ICENABLER0, hv_private);
	gic_handle_events();
	wr32(sgi, GICR_IGROUPR0, c->arch.old_igroupr0);
	arm_write_sysreg(ICC_IGRPEN0_EL1, 0);

	/* Virtual interrupt state back to the physical interface. */
	for (n = 0; n < num_lrs; n++) {
		lr = read_lr(n);
		irq = (u32)lr;
		if (lr & ICH_LR_PENDING && !(lr & ICH_LR_ACTIVE) && irq < 1020)
			repend_private(c, irq);
		if (lr & ICH_LR_ACTIVE && irq < 16)
			wr32(sgi, GICR_ISACTIVER0, BIT(irq));
		else if (lr & ICH_LR_HW && !(lr & ICH_LR_ACTIVE))
			arm_write_sysreg(ICC_DIR_EL1, irq);
		write_lr(n, 0);
	}
	for (n = 0; n < c->arch.num_pending; n++) {
		irq = c->arch.pending[n];
		if (irq >= 1020)
			continue;
		repend_private(c, irq);
		if (irq >= 16)
			arm_write_sysreg(ICC_DIR_EL1, irq);
	}
	c->arch.num_pending = 0;
	arm_read_sysreg(ICH_VMCR_EL2, vmcr);
	arm_write_sysreg(ICH_HCR_EL2, 0);
	arm_write_sysreg(ICC_BPR1_EL1, (vmcr >> ICH_VMCR_BPR1_SHIFT) & 7);
	arm_write_sysreg(ICC_CTLR_EL1, (c->arch.old_ctlr & ~ICC_CTLR_EOIMODE) |
			 (vmcr & ICH_VMCR_EOIM ? ICC_CTLR_EOIMODE : 0));
	arm_write_sysreg(ICC_PMR_EL1, vmcr >> ICH_VMCR_PMR_SHIFT);
	arm_write_sysreg(ICC_IGRPEN1_EL1, vmcr & ICH_VMCR_ENG1 ? 1 : 0);
}

static void gicv3_cpu_reset(struct per_cpu *c, bool root)
{
	void *sgi = c->arch.gicr_sgi;
	unsigned int n;
	u64 lr;

	for (n = 0; n < num_lrs; n++) {
		lr = read_lr(n);
		if (lr & ICH_LR_HW && lr & (ICH_LR_PENDING | ICH_LR_ACTIVE))
			arm_write_sysreg(ICC_DIR_EL1, (u32)lr);
		write_lr(n, 0);
	}
	arm_write_sysreg(ICH_AP0R0_EL2, 0);
	arm_write_sysreg(ICH_AP1R0_EL2, 0);
	arm_write_sysreg(ICH_VMCR_EL2, root ? 0xf0UL << ICH_VMCR_PMR_SHIFT : 0);
	arm_write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	/*
	 * A new guest starts with its private interrupts off and idle, with
	 * the priorities and configuration the hypervisor found: none of the
	 * last guest's (a priority at the mask hides an interrupt for good).
	 */
	wr32(sgi, GICR_IGROUPR0, (u32)~BIT(SGI_EVENT));
	wr32(sgi, GICR_IGRPMODR0, 0);
	wr32(sgi, GICR_ICENABLER0, ~hv_private);
	wr32(sgi, GICR_ICPENDR0, ~hv_private);
	wr32(sgi, GICR_ICACTIVER0, ~hv_private);
	for (n = 0; n < 8; n++)
		wr32(sgi, GICR_IPRIORITYR + n * 4, c->arch.private_prio[n]);
	wr32(sgi, GICR_ICFGR0 + 4, c->arch.private_cfg);
}

static enum mmio_result redist_handler(void *arg, struct mmio_access *a)
{
	unsigned long offs = a->address -
		system_config->platform_info.arm.gicr_base;
	unsigned int frame = offs / GICR_STRIDE, cpu, irq;
	unsigned long reg = offs % GICR_STRIDE, keep = 0;
	void *addr = (u8 *)gicr + offs;
	struct per_cpu *owner = NULL;

	if (frame >= num_frames || !gicr_access_ok(a, reg))
		return MMIO_ERROR;
	for (cpu = 0; cpu < num_possible_cpus; cpu++)
		if (per_cpu(cpu)->arch.gicr_sgi &&
		    per_cpu(cpu)->arch.gicr_frame == frame)
			owner = per_cpu(cpu);
	if (!owner || owner->cell != this_cell()) {
		/*
		 * Others' frames: identification only, what a frame walk
		 * reads (IIDR, TYPER, the ID registers).  Nothing else, such
		 * as the physical addresses of the owner's LPI tables.
		 */
		a->value = !a->is_write &&
			((reg >= GICR_IIDR && reg < GICR_TYPER + 8) ||
			 reg >= GICR_ID_REGS) ?
			mmio_read_sized(addr, a->size) : 0;
		return MMIO_HANDLED;
	}
	if (reg >= GICR_SGI_BASE) {
		reg -= GICR_SGI_BASE;
		if (reg == GICR_IGROUPR0 || reg == GICR_IGRPMODR0) {
			/* Group 1 only, see the distributor */
			a->value = reg == GICR_IGROUPR0 && !a->is_write ?
				(u32)~hv_private : 0;
			return MMIO_HANDLED;
		}
		if (reg >= GICR_ISENABLER0 && reg < GICR_IPRIORITYR) {
			irqchip_access_masked(addr, a, ~hv_private, false);
			return MMIO_HANDLED;
		}
		if (reg >= GICR_IPRIORITYR && reg < GICR_IPRIORITYR + 32) {
			for (irq = reg - GICR_IPRIORITYR, cpu = 0; cpu < a->size;
			     cpu++)
				if (hv_private & BIT(irq + cpu))
					keep |= 0xffUL << (cpu * 8);
			irqchip_access_masked(addr, a, ~keep, true);
			return MMIO_HANDLED;
		}
		if (reg == GICR_ICFGR0 + 4) {
			keep = 3UL << ((maint_irq - 16) * 2);
			irqchip_access_masked(addr, a, ~keep, true);
			return MMIO_HANDLED;
		}
	}
	/*
	 * Control part: cells may not put the redistributor to sleep (the
	 * hypervisor's events would no longer arrive) nor, but for the root,
	 * point LPI tables anywhere - nor read where the root's are (the
	 * CPU's last root owner left them): those read as zero.
	 */
	if (a->is_write && reg < GICR_SGI_BASE &&
	    (reg == GICR_WAKER || this_cell() != &root_cell))
		return MMIO_HANDLED;
	if (!a->is_write && this_cell() != &root_cell &&
	    reg >= GICR_PROPBASER && reg < GICR_PENDBASER + 8) {
		a->value = 0;
		return MMIO_HANDLED;
	}
	if (a->is_write)
		mmio_write_sized(addr, a->size, a->value);
	else
		a->value = mmio_read_sized(addr, a->size);
	return MMIO_HANDLED;
}

static int gicv3_cell_init(struct cell *cell)
{
	return mmio_region_register(cell, system_config->platform_info.arm.gicr_base,
				    num_possible_cpus * GICR_STRIDE,
				    redist_handler, NULL);
}

/* A root interrupt routed to a CPU that now belongs to @cell moves to us. */
static void gicv3_keep_spi_off(struct cell *cell, unsigned int irq)
{
	volatile u64 *router = (u64 *)((u8 *)gicd_base + GICD_IROUTER + irq * 8);
	u64 route = *router;
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus)
		if (route & GICD_IROUTER_IRM ||
		    mpidr_to_aff(per_cpu(cpu)->arch.phys_id) == route)
			*router = mpidr_to_aff(this_cpu()->arch.phys_id);
}

/* Owned interrupts are Group 1 and routed to CPUs of the cell only. */
static enum mmio_result gicv3_dist_access(struct mmio_access *a,
					  unsigned long offs)
{
	struct cell *cell = this_cell();
	unsigned int irq = (offs - GICD_IROUTER) / 8, cpu;
	u64 val = a->value;
	void *reg = (u8 *)gicd_base + offs;
	bool ok = false;

	if (offs >= GICD_IGROUPR && offs < GICD_IGROUPR + 0x80) {
		/* Group 0 is the hypervisor's: cells' interrupts are Group 1. */
		irq = (offs - GICD_IGROUPR) * 8;
		a->value = a->is_write ? 0 :
			irqchip_owned_mask(cell, irq, a->size * 8, 1);
		return MMIO_HANDLED;
	}
	if (offs == GICD_SETSPI_NSR || offs == GICD_CLRSPI_NSR) {
		if (a->is_write && irqchip_owns(cell, a->value & 0x3ff))
			mmio_write_sized(reg, 4, a->value & 0x3ff);
		else
			a->value = 0;
		return MMIO_HANDLED;
	}
	if (offs == GICD_TYPER2 || offs >= GICD_ID_REGS) {
		if (!a->is_write)
			a->value = mmio_read_sized(reg, a->size);
		return MMIO_HANDLED;
	}
	if (offs < GICD_IROUTER + 32 * 8 || offs >= GICD_IROUTER_END ||
	    !irqchip_owns(cell, irq)) {
		/* IGRPMODR and everything unknown: RAZ/WI */
		a->value = 0;
		return MMIO_HANDLED;
	}
	if (!a->is_write) {
		a->value = mmio_read_sized(reg, a->size);
		return MMIO_HANDLED;
	}
	if (a->size != 8 || offs & 7)
		return MMIO_HANDLED;
	for_each_cpu(cpu, &cell->cpus)
		if (mpidr_to_aff(per_cpu(cpu)->arch.phys_id) ==
		    (val & ~GICD_IROUTER_IRM))
			ok = true;
	if (!ok || val & GICD_IROUTER_IRM)
		val = mpidr_to_aff(this_cpu()->arch.phys_id);
	*(volatile u64 *)reg = val;
	return MMIO_HANDLED;
}

/* Group 1, and the route to @cpu. */
static void gicv3_route_spi(unsigned int irq, struct per_cpu *cpu)
{
	u32 bit = BIT(irq % 32);
	u8 *d = gicd_base;

	*(volatile u32 *)(d + GICD_IGROUPR + irq / 32 * 4) |= bit;
	*(volatile u32 *)(d + GICD_IGRPMODR + irq / 32 * 4) &= ~bit;
	if (cpu)
		*(volatile u64 *)(d + GICD_IROUTER + irq * 8) =
			mpidr_to_aff(cpu->arch.phys_id);
}

static bool gicv3_is_sgi_target(struct per_cpu *t, unsigned long aff,
				unsigned int targets)
{
	return (t->arch.phys_id & ~0xfUL) == aff &&
		targets & BIT(t->arch.phys_id & 0xf);
}

/* ---- hypervisor events: SGI 15, Group 0, FIQ ---- */

static void gicv3_handle_events(void)
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

static void gicv3_send_event(struct per_cpu *t)
{
	asm volatile("dsb ish" : : : "memory");
	arm_write_sysreg(ICC_SGI0R_EL1, sgi_target(t->arch.phys_id, SGI_EVENT));
}

const struct irqchip_ops gicv3_ops = {
	.dist_size = GICV3_DIST_SIZE,
	.id_mask = 0xffffff,
	.init = gicv3_init,
	.shutdown = gicv3_shutdown,
	.cpu_init = gicv3_cpu_init,
	.cpu_exit = gicv3_cpu_exit,
	.cpu_reset = gicv3_cpu_reset,
	.inject = gicv3_inject,
	.enable_maint = gicv3_enable_maint,
	.keep_spi_off = gicv3_keep_spi_off,
	.route_spi = gicv3_route_spi,
	.eoi = gicv3_eoi,
	.deactivate = gicv3_deactivate,
	.cell_init = gicv3_cell_init,
	.num_cell_mmio = 1,
	.dist_access = gicv3_dist_access,
	.send_sgi = gicv3_send_sgi,
	.is_sgi_target = gicv3_is_sgi_target,
	.handle_events = gicv3_handle_events,
	.send_event = gicv3_send_event,
};
