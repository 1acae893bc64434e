/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: GICv2 with the virtualization extensions.
 * Cells see the virtual CPU interface (GICV, mapped where their config
 * says GICC is) and the emulated distributor; the hypervisor owns the
 * physical CPU interface (GICC) and the list registers (GICH).
 *
 * Unlike GICv3, a GIC with security extensions leaves the non-secure side
 * no interrupt group of its own, so the hypervisor's event (SGI 15) and
 * the maintenance interrupt arrive as ordinary IRQs: every acknowledge
 * may return them or an interrupt for the cell, and handle_events() deals
 * with both.  Cells' interrupts are injected as virtual Group 0 ones,
 * which a guest driving a GICC without security extensions sees as IRQs.
 *
 * A peripheral interrupt stays active on the physical side until the
 * guest's end of interrupt raises the maintenance interrupt (the list
 * register's EOI bit): the hypervisor deactivates it then.  The hardware
 * link (HW bit) would save that exit, but QEMU does not signal a level
 * interrupt that is still asserted when the guest deactivates it through
 * the link (a timer whose next deadline already passed), and the
 * interrupt is lost for good.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define GICD_CTLR		0x000
#define GICD_CTLR_EN		BIT(0)
#define GICD_TYPER		0x004
#define GICD_TYPER_SECEXT	BIT(10)
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_ISPENDR		0x200
#define GICD_ICPENDR		0x280
#define GICD_ISACTIVER		0x300
#define GICD_ICACTIVER		0x380
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ITARGETSR_END	0xc00
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_SGIR_MODE(v)	(((v) >> 24) & 3)
#define GICD_SGIR_TARGETS(v)	(((v) >> 16) & 0xff)
#define GICD_CPENDSGIR		0xf10
#define GICD_SPENDSGIR		0xf20
#define GICD_ID_REGS		0xfd0
#define GICD_SIZE		GICV2_DIST_SIZE

#define GICC_CTLR		0x0000
#define GICC_CTLR_EN0		BIT(0)
#define GICC_CTLR_EN1		BIT(1)
#define GICC_CTLR_ACKCTL	BIT(2)
#define GICC_CTLR_EOIMODE	BIT(9)	/* the non-secure view's EOImodeNS */
#define GICC_CTLR_EOIMODE_NS	BIT(10)	/* without security extensions */
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_DIR		0x1000
#define GICC_SIZE		GICV2_CPUIF_SIZE

#define GICH_HCR		0x000
#define GICH_HCR_EN		BIT(0)
#define GICH_HCR_UIE		BIT(1)
#define GICH_VTR		0x004
#define GICH_VMCR		0x008
#define GICH_VMCR_EN0		BIT(0)
#define GICH_VMCR_VEM		BIT(9)
#define GICH_VMCR_BPR_SHIFT	21
#define GICH_VMCR_PMR_SHIFT	27
#define GICH_EISR0		0x020
#define GICH_ELSR0		0x030
#define GICH_APR		0x0f0
#define GICH_LR(n)		(0x100 + (n) * 4)
#define GICH_SIZE		GICV2_CPUIF_SIZE

#define LR_PHYS_SHIFT		10	/* HW: physical INTID, else SGI source */
#define LR_EOI			BIT(19)	/* maintenance interrupt on EOI */
#define LR_PRIO_SHIFT		23
#define LR_PENDING		BIT(28)
#define LR_ACTIVE		BIT(29)
#define LR_ID(lr)		((lr) & 0x3ff)
#define LR_SOURCE(lr)		(((lr) >> LR_PHYS_SHIFT) & 7)

#define IAR_ID(iar)		((iar) & 0x3ff)
#define IAR_SOURCE(iar)		(((iar) >> 10) & 7)

static void *gicc, *gich;
static unsigned int num_lrs;
static bool dist_enabled, sec_ext;
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

static inline u8 rd8(void *base, unsigned int off)
{
	return *(volatile u8 *)((u8 *)base + off);
}

static inline void wr8(void *base, unsigned int off, u8 val)
{
	*(volatile u8 *)((u8 *)base + off) = val;
}

/* The CPU interfaces of the CPUs of @cell, an ITARGETSR byte. */
static unsigned int cell_targets(struct cell *cell)
{
	unsigned int cpu, mask = 0;

	for_each_cpu(cpu, &cell->cpus)
		mask |= per_cpu(cpu)->arch.gicc_mask;
	return mask;
}

static int gicv2_init(void)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	u32 ctlr;

	if (!arm->gicc_base || !arm->gich_base || !arm->gicv_base)
		return trace_error(-EINVAL);
	gicd_base = paging_remap(arm->gicd_base, GICD_SIZE,
				 PAGE_DEFAULT | PAGE_DEVICE);
	gicc = paging_remap(arm->gicc_base, GICC_SIZE,
			    PAGE_DEFAULT | PAGE_DEVICE);
	gich = paging_remap(arm->gich_base, GICH_SIZE,
			    PAGE_DEFAULT | PAGE_DEVICE);
	if (!gicd_base || !gicc || !gich)
		return trace_error(-ENOMEM);
	num_lrs = (rd32(gich, GICH_VTR) & 0x3f) + 1;
	if (num_lrs > 32)
		return trace_error(-EIO);
	hv_private = BIT(SGI_EVENT) | BIT(maint_irq);
	gicd_private_mask = ~hv_private;
	sec_ext = rd32(gicd_base, GICD_TYPER) & GICD_TYPER_SECEXT;
	ctlr = rd32(gicd_base, GICD_CTLR);
	if (!(ctlr & GICD_CTLR_EN)) {
		wr32(gicd_base, GICD_CTLR, ctlr | GICD_CTLR_EN);
		dist_enabled = true;
	}
	gic_cpuif_mmio = 1;
	return 0;
}

static void gicv2_shutdown(void)
{
	if (dist_enabled) {
		wr32(gicd_base, GICD_CTLR,
		     rd32(gicd_base, GICD_CTLR) & ~GICD_CTLR_EN);
		dist_enabled = false;
	}
	gic_cpuif_mmio = 0;
}

static void write_lr(unsigned int n, u32 lr)
{
	wr32(gich, GICH_LR(n), lr);
}

static u32 read_lr(unsigned int n)
{
	return rd32(gich, GICH_LR(n));
}

static bool gicv2_inject(struct per_cpu *c, unsigned int raw)
{
	unsigned int irq = IAR_ID(raw), n;
	u32 lr, free;

	if (irq < 16) {
		/* Software interrupts: one list register each, merge. */
		for (n = 0; n < num_lrs; n++) {
			lr = read_lr(n);
			if (LR_ID(lr) == irq && lr & (LR_PENDING | LR_ACTIVE) &&
			    LR_SOURCE(lr) == IAR_SOURCE(raw)) {
				write_lr(n, lr | LR_PENDING);
				return true;
			}
		}
	}
	free = rd32(gich, GICH_ELSR0);
	if (num_lrs < 32)
		free &= BIT(num_lrs) - 1;
	if (!free)
		return false;
	n = __builtin_ctz(free);
	lr = irq | LR_PENDING | (IRQ_PRIO_DEFAULT >> 3) << LR_PRIO_SHIFT;
	if (irq < 16)
		lr |= IAR_SOURCE(raw) << LR_PHYS_SHIFT;
	else
		lr |= LR_EOI;
	write_lr(n, lr);
	return true;
}

/* Deactivate what the guest completed (LRs with EOI maintenance). */
static void gicv2_maintenance(struct per_cpu *c)
{
	u32 done = rd32(gich, GICH_EISR0);
	unsigned int n;

	while (done) {
		n = __builtin_ctz(done);
		done &= done - 1;
		wr32(gicc, GICC_DIR, LR_ID(read_lr(n)));
		write_lr(n, 0);
	}
}

/* A list register still linked to an active physical interrupt. */
static bool lr_linked(u32 lr)
{
	return lr & LR_EOI && LR_ID(lr) >= 16 && lr & (LR_PENDING | LR_ACTIVE);
}

static void gicv2_enable_maint(bool enable)
{
	wr32(gich, GICH_HCR, GICH_HCR_EN | (enable ? GICH_HCR_UIE : 0));
}

static void gicv2_eoi(unsigned int raw)
{
	wr32(gicc, GICC_EOIR, raw);
}

static void gicv2_deactivate(unsigned int raw)
{
	wr32(gicc, GICC_DIR, raw);
}

static void gicv2_send_sgi(struct per_cpu *t, unsigned int sgi)
{
	asm volatile("dsb ish" : : : "memory");
	wr32(gicd_base, GICD_SGIR, t->arch.gicc_mask << 16 | sgi);
}

static bool gicv2_is_sgi_target(struct per_cpu *t, unsigned long aff,
				unsigned int targets)
{
	return targets & t->arch.gicc_mask;
}

/* Set an interrupt pending again on the physical side. */
static void repend(unsigned int irq, unsigned int source)
{
	if (irq < 16)
		wr8(gicd_base, GICD_SPENDSGIR + irq, BIT(source));
	else
		wr32(gicd_base, GICD_ISPENDR + irq / 32 * 4, BIT(irq % 32));
}

static int gicv2_cpu_init(struct per_cpu *c)
{
	u32 ctlr, pmr, bpr, active, lr;
	unsigned int n, irq;

	/* ITARGETSR0..7 are banked: they name the reading CPU. */
	c->arch.gicc_mask = rd8(gicd_base, GICD_ITARGETSR);
	if (!c->arch.gicc_mask)
		c->arch.gicc_mask = 1;	/* a GIC for one CPU */
	*(volatile u8 *)((u8 *)gicd_base + GICD_IPRIORITYR + SGI_EVENT) = 0;
	*(volatile u8 *)((u8 *)gicd_base + GICD_IPRIORITYR + maint_irq) = 0x80;
	wr32(gicd_base, GICD_ISENABLER, hv_private);
	for (n = 0; n < 8; n++)
		c->arch.private_prio[n] = rd32(gicd_base, GICD_IPRIORITYR + n * 4);
	c->arch.private_cfg = rd32(gicd_base, GICD_ICFGR + 4);

	/* The root's CPU interface state moves to the virtual one. */
	ctlr = rd32(gicc, GICC_CTLR);
	pmr = rd32(gicc, GICC_PMR);
	bpr = rd32(gicc, GICC_BPR);
	c->arch.old_ctlr = ctlr;
	wr32(gich, GICH_VMCR, (pmr >> 3) << GICH_VMCR_PMR_SHIFT |
	     (bpr & 7) << GICH_VMCR_BPR_SHIFT |
	     (ctlr & GICC_CTLR_EN0 ? GICH_VMCR_EN0 : 0) |
	     (ctlr & GICC_CTLR_EOIMODE ? GICH_VMCR_VEM : 0));
	wr32(gich, GICH_APR, 0);
	for (n = 0; n < num_lrs; n++)
		write_lr(n, 0);
	/*
	 * Private interrupts the root is handling right now (the entry runs
	 * in an IPI handler) continue as virtual ones: the root's
	 * deactivation then reaches the list register.  The GIC does not
	 * say which CPU sent an active SGI; Linux sends its IPIs from the CPU
	 * that enables us, which is not known here either: use 0.
	 */
	active = rd32(gicd_base, GICD_ISACTIVER) & ~hv_private;
	for (irq = 0, n = 0; irq < 32 && n < num_lrs; irq++) {
		if (!(active & BIT(irq)))
			continue;
		lr = irq | LR_ACTIVE | (IRQ_PRIO_DEFAULT >> 3) << LR_PRIO_SHIFT;
		if (irq < 16)
			wr32(gicc, GICC_DIR, irq);
		else
			lr |= LR_EOI;
		write_lr(n++, lr);
	}
	/* The hypervisor drops priority on acknowledge, the guest deactivates. */
	wr32(gicc, GICC_PMR, 0xff);
	wr32(gicc, GICC_CTLR, GICC_CTLR_EN0 | GICC_CTLR_EOIMODE |
	     (sec_ext ? 0 : GICC_CTLR_EN1 | GICC_CTLR_ACKCTL |
			    GICC_CTLR_EOIMODE_NS));
	wr32(gich, GICH_HCR, GICH_HCR_EN);
	c->arch.num_pending = 0;
	return 0;
}

static void gicv2_cpu_exit(struct per_cpu *c)
{
	unsigned int n, irq;
	u32 vmcr, lr;

	if (!c->arch.gicc_mask)
		return;
	wr32(gicd_base, GICD_ICENABLER, hv_private);
	gic_handle_events();
	gicv2_maintenance(c);

	/* Virtual interrupt state back to the physical interface. */
	for (n = 0; n < num_lrs; n++) {
		lr = read_lr(n);
		irq = LR_ID(lr);
		if (lr & LR_PENDING && !(lr & LR_ACTIVE) && irq < 1020)
			repend(irq, LR_SOURCE(lr));
		if (lr & LR_ACTIVE && irq < 16)
			wr32(gicd_base, GICD_ISACTIVER, BIT(irq));
		else if (lr_linked(lr) && !(lr & LR_ACTIVE))
			wr32(gicc, GICC_DIR, irq);
		write_lr(n, 0);
	}
	for (n = 0; n < c->arch.num_pending; n++) {
		irq = IAR_ID(c->arch.pending[n]);
		if (irq >= 1020)
			continue;
		repend(irq, IAR_SOURCE(c->arch.pending[n]));
		if (irq >= 16)
			wr32(gicc, GICC_DIR, irq);
	}
	c->arch.num_pending = 0;
	vmcr = rd32(gich, GICH_VMCR);
	wr32(gich, GICH_HCR, 0);
	wr32(gicc, GICC_BPR, (vmcr >> GICH_VMCR_BPR_SHIFT) & 7);
	wr32(gicc, GICC_PMR, (vmcr >> GICH_VMCR_PMR_SHIFT) << 3);
	wr32(gicc, GICC_CTLR, (c->arch.old_ctlr &
			       ~(GICC_CTLR_EOIMODE | GICC_CTLR_EN0)) |
	     (vmcr & GICH_VMCR_VEM ? GICC_CTLR_EOIMODE : 0) |
	     (vmcr & GICH_VMCR_EN0 ? GICC_CTLR_EN0 : 0));
	c->arch.gicc_mask = 0;
}

static void gicv2_cpu_reset(struct per_cpu *c, bool root)
{
	unsigned int n;
	u32 lr;

	gicv2_maintenance(c);
	for (n = 0; n < num_lrs; n++) {
		lr = read_lr(n);
		if (lr_linked(lr))
			wr32(gicc, GICC_DIR, LR_ID(lr));
		write_lr(n, 0);
	}
	wr32(gich, GICH_APR, 0);
	wr32(gich, GICH_VMCR, root ? (0xf0 >> 3) << GICH_VMCR_PMR_SHIFT : 0);
	wr32(gich, GICH_HCR, GICH_HCR_EN);
	/*
	 * A new guest starts with its private interrupts off and idle, with
	 * the priorities and configuration the hypervisor found: none of the
	 * last guest's (a priority at the mask hides an interrupt for good).
	 */
	wr32(gicd_base, GICD_ICENABLER, ~hv_private);
	wr32(gicd_base, GICD_ICPENDR, ~hv_private);
	wr32(gicd_base, GICD_ICACTIVER, ~hv_private);
	for (n = 0; n < 8; n++)
		wr32(gicd_base, GICD_IPRIORITYR + n * 4, c->arch.private_prio[n]);
	wr32(gicd_base, GICD_ICFGR + 4, c->arch.private_cfg);
	for (n = 0; n < 16; n += 4)
		wr32(gicd_base, GICD_CPENDSGIR + n,
		     n == (SGI_EVENT & ~3) ? 0x00ffffff : 0xffffffff);
}

/* The virtual CPU interface where the cell expects the CPU interface
 * (no memory region may reach either: arch_hypervisor_device()). */
static int gicv2_cell_init(struct cell *cell)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;

	return paging_create(&cell->paging, arm->gicv_base, GICV2_CPUIF_SIZE,
			     arm->gicc_base, PAGE_DEFAULT | PAGE_DEVICE);
}

/* A root interrupt targeting CPUs that now belong to @cell moves to us. */
static void gicv2_keep_spi_off(struct cell *cell, unsigned int irq)
{
	unsigned int targets = rd8(gicd_base, GICD_ITARGETSR + irq);
	unsigned int others = targets & ~cell_targets(cell);

	if (others != targets)
		wr8(gicd_base, GICD_ITARGETSR + irq,
		    others ? others : this_cpu()->arch.gicc_mask);
}

/* Group 0 (see the top), and the target @cpu. */
static void gicv2_route_spi(unsigned int irq, struct per_cpu *cpu)
{
	u32 bit = BIT(irq % 32);

	if (!sec_ext)
		wr32(gicd_base, GICD_IGROUPR + irq / 32 * 4,
		     rd32(gicd_base, GICD_IGROUPR + irq / 32 * 4) & ~bit);
	if (cpu)
		wr8(gicd_base, GICD_ITARGETSR + irq, cpu->arch.gicc_mask);
}

/*
 * Targets of the interrupts the cell may access (those of private ones
 * are read-only), written ones limited to the cell's CPUs.
 */
static void targets_access(struct mmio_access *a, unsigned long offs)
{
	struct cell *cell = this_cell();
	unsigned int irq = offs - GICD_ITARGETSR, n, mine = cell_targets(cell);
	unsigned long owned = irqchip_owned_mask(cell, irq, a->size, 8);
	u8 t;

	if (!a->is_write) {
		a->value = mmio_read_sized((u8 *)gicd_base + offs, a->size) &
			owned;
		return;
	}
	for (n = 0; n < a->size; n++) {
		if (irq + n < 32 || !((owned >> (n * 8)) & 0xff))
			continue;
		t = (a->value >> (n * 8)) & mine;
		wr8(gicd_base, offs + n, t ? t : this_cpu()->arch.gicc_mask);
	}
}

static enum mmio_result gicv2_dist_access(struct mmio_access *a,
					  unsigned long offs)
{
	unsigned long v = a->value;

	if (offs >= GICD_ITARGETSR && offs < GICD_ITARGETSR_END) {
		targets_access(a, offs);
	} else if (offs == GICD_SGIR && a->size == 4) {
		if (a->is_write && GICD_SGIR_MODE(v) != 3)
			irqchip_send_sgi(v & 0xf, GICD_SGIR_MODE(v) == 1 ?
					 SGI_TO_OTHERS : GICD_SGIR_MODE(v) == 2 ?
					 SGI_TO_SELF : SGI_TO_LIST, 0,
					 GICD_SGIR_TARGETS(v));
		a->value = 0;
	} else if (offs >= GICD_ID_REGS && offs < GICD_SIZE) {
		a->value = a->is_write ? 0 :
			mmio_read_sized((u8 *)gicd_base + offs, a->size);
	} else {
		/* Groups, SGI pending registers, reserved: RAZ/WI. */
		a->value = 0;
	}
	return MMIO_HANDLED;
}

/*
 * Every interrupt that reaches this CPU: the event SGI is acknowledged
 * (check_events() follows), everything else goes to the cell.
 */
static void gicv2_handle_events(void)
{
	u32 iar;

	if (!gicc)
		return;
	while (1) {
		iar = rd32(gicc, GICC_IAR);
		if (IAR_ID(iar) >= 1020)
			return;
		irqchip_handle_irq(iar);
	}
}

static void gicv2_send_event(struct per_cpu *t)
{
	gicv2_send_sgi(t, SGI_EVENT);
}

const struct irqchip_ops gicv2_ops = {
	.dist_size = GICD_SIZE,
	.id_mask = 0x3ff,
	.init = gicv2_init,
	.shutdown = gicv2_shutdown,
	.cpu_init = gicv2_cpu_init,
	.cpu_exit = gicv2_cpu_exit,
	.cpu_reset = gicv2_cpu_reset,
	.inject = gicv2_inject,
	.enable_maint = gicv2_enable_maint,
	.maintenance = gicv2_maintenance,
	.keep_spi_off = gicv2_keep_spi_off,
	.route_spi = gicv2_route_spi,
	.eoi = gicv2_eoi,
	.deactivate = gicv2_deactivate,
	.cell_init = gicv2_cell_init,
	.dist_access = gicv2_dist_access,
	.send_sgi = gicv2_send_sgi,
	.is_sgi_target = gicv2_is_sgi_target,
	.handle_events = gicv2_handle_events,
	.send_event = gicv2_send_event,
};
