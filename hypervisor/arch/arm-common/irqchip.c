/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the interrupt controller parts GICv2 and GICv3
 * share - interrupt ownership, the distributor's per-interrupt registers,
 * injection with its overflow queue, and SGI filtering.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/unit.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_ISENABLER		0x0100
#define GICD_ICACTIVER_END	0x0400
#define GICD_IPRIORITYR		0x0400
#define GICD_IPRIORITYR_END	0x0800
#define GICD_ICFGR		0x0c00
#define GICD_ICFGR_END		0x0d00
#define GICD_IGROUPR		0x0080
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380

/* Each present if configured (CONFIG_ARM_GIC_V2, CONFIG_ARM_GIC_V3). */
extern const struct irqchip_ops gicv2_ops __attribute__((weak));
extern const struct irqchip_ops gicv3_ops __attribute__((weak));

static const struct irqchip_ops *chip;
static spinlock_t dist_lock;
void *gicd_base;
unsigned int maint_irq;
u32 gicd_private_mask;
unsigned int gic_cpuif_mmio;

void irqchip_access_masked(void *reg, struct mmio_access *a,
			   unsigned long mask, bool rmw)
{
	unsigned long full = mmio_size_mask(a->size);

	mask &= full;
	if (!a->is_write) {
		a->value = mmio_read_sized(reg, a->size) & mask;
		return;
	}
	if (!mask)
		return;
	if (rmw && mask != full) {
		spin_lock(&dist_lock);
		mmio_write_sized(reg, a->size,
				 (mmio_read_sized(reg, a->size) & ~mask) |
				 (a->value & mask));
		spin_unlock(&dist_lock);
	} else {
		mmio_write_sized(reg, a->size, a->value & mask);
	}
}

unsigned long irqchip_owned_mask(struct cell *cell, unsigned int irq,
				 unsigned int count, unsigned int bits)
{
	unsigned long mask = 0, field = BIT(bits) - 1;
	unsigned int n;

	for (n = 0; n < count; n++)
		if (irq + n < 32 ? (gicd_private_mask >> (irq + n)) & 1 :
		    irqchip_owns(cell, irq + n))
			mask |= field << (n * bits);
	return mask;
}

static enum mmio_result dist_handler(void *arg, struct mmio_access *a)
{
	unsigned long offs = a->address - system_config->platform_info.arm.gicd_base;
	void *reg = (u8 *)gicd_base + offs;
	struct cell *cell = this_cell();
	unsigned int irq;

	if (!gicd_access_ok(a, offs))
		return MMIO_ERROR;
	if (offs >= GICD_ISENABLER && offs < GICD_ICACTIVER_END) {
		irq = ((offs - GICD_IGROUPR) & 0x7f) * 8;
		irqchip_access_masked(reg, a,
				      irqchip_owned_mask(cell, irq, a->size * 8, 1),
				      false);
	} else if (offs >= GICD_IPRIORITYR && offs < GICD_IPRIORITYR_END) {
		irq = offs - GICD_IPRIORITYR;
		irqchip_access_masked(reg, a,
				      irqchip_owned_mask(cell, irq, a->size, 8),
				      true);
	} else if (offs >= GICD_ICFGR && offs < GICD_ICFGR_END) {
		irq = (offs - GICD_ICFGR) * 4;
		irqchip_access_masked(reg, a,
				      irqchip_owned_mask(cell, irq, a->size * 4, 2),
				      true);
	} else if (offs == GICD_CTLR || offs == GICD_TYPER ||
		   offs == GICD_IIDR) {
		/* Readable; the hypervisor keeps the global enables. */
		if (!a->is_write)
			a->value = mmio_read_sized(reg, a->size);
	} else {
		/* Groups, routing, SGIs, identification: version specific. */
		return chip->dist_access(a, offs);
	}
	return MMIO_HANDLED;
}

/* The ops for the system's GIC; the root cell is set up before init. */
static int select_chip(void)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;

	if (chip)
		return 0;
	maint_irq = arm->maintenance_irq;
	if (maint_irq < 16 || maint_irq >= 32)
		return trace_error(-EINVAL);
	if (arm->gic_version == 2)
		chip = &gicv2_ops;
	else if (arm->gic_version == 3)
		chip = &gicv3_ops;
	if (!chip)
		return trace_error(-EINVAL);
	return 0;
}

/* Widen [*start, *end) to cover the frame at @base (0: none). */
static void span_frame(u64 *start, u64 *end, u64 base, u64 size)
{
	if (!base)
		return;
	*start = MIN(*start, base);
	*end = MAX(*end, base + size);
}

/*
 * The interrupt controller is the hypervisor's: the distributor and
 * redistributors are emulated, GICv2's CPU interface, its list registers
 * and the virtual CPU interface (which the hypervisor maps where each
 * cell expects GICC) are its own.  The span from the first to the last of
 * these frames is the GIC's block, which on the usual layouts also holds
 * what turns a memory write into any interrupt of a range: the ITS (QEMU
 * virt, GIC-600), a DMA master whose tables could point at any memory,
 * and GICv2m MSI frames (QEMU virt with GICv2: SPIs 80..143).  A cell
 * given either could raise other cells' interrupts: none of it is a
 * cell's.
 */
bool arch_hypervisor_device(u64 phys, u64 size)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	u64 start = arm->gicd_base, end = arm->gicd_base +
		(arm->gic_version == 2 ? GICV2_DIST_SIZE : GICV3_DIST_SIZE);

	span_frame(&start, &end, arm->gicr_base,
		   num_possible_cpus * 0x20000ULL);
	span_frame(&start, &end, arm->gicc_base, GICV2_CPUIF_SIZE);
	span_frame(&start, &end, arm->gich_base, GICV2_CPUIF_SIZE);
	span_frame(&start, &end, arm->gicv_base, GICV2_CPUIF_SIZE);
	return ranges_overlap(phys, size, start, end - start);
}

static int irqchip_init(void)
{
	int err = select_chip();

	return err ? err : chip->init();
}

void gic_handle_events(void)
{
	if (chip)
		chip->handle_events();
}

void arch_send_event(struct per_cpu *t)
{
	if (t->activated && chip)
		chip->send_event(t);
	cpu_send_event();
}

void arch_comm_region_init(struct cell *cell)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	struct jailhouse_comm_region *comm = cell->comm_region;

	comm->gic_version = arm->gic_version;
	comm->gicd_base = arm->gicd_base;
	comm->gicc_base = arm->gicc_base;
	comm->gicr_base = arm->gicr_base;
	comm->vpci_irq_base = cell->config->vpci_irq_base;
}

static void irqchip_shutdown(void)
{
	if (chip)
		chip->shutdown();
}

int irqchip_cpu_init(struct per_cpu *c)
{
	return chip->cpu_init(c);
}

void irqchip_cpu_exit(struct per_cpu *c)
{
	if (chip)
		chip->cpu_exit(c);
}

void irqchip_cpu_reset(struct per_cpu *c)
{
	c->arch.num_pending = 0;
	chip->cpu_reset(c, c->cell == &root_cell);
}

/* The shared interrupts the irqchip entries of @cell's config name. */
static int config_spis(struct cell *cell, u32 *spis)
{
	const struct jailhouse_irqchip *ic =
		jailhouse_cell_irqchips(cell->config);
	unsigned int n, pin;
	u64 irq;	/* pin_base + pin must not wrap to a valid number */

	memset(spis, 0, IRQ_WORDS * 4);
	for (n = 0; n < cell->config->num_irqchips; n++, ic++) {
		/*
		 * Entries for another interrupt controller, or address 0 (an
		 * unused slot in some board files), give nothing: skipped, as
		 * upstream does.
		 */
		if (ic->address != system_config->platform_info.arm.gicd_base)
			continue;
		for (pin = 0; pin < 128; pin++) {
			if (!((ic->pin_bitmap[pin / 32] >> (pin % 32)) & 1))
				continue;
			irq = (u64)ic->pin_base + pin;
			/* Private interrupts go with the CPUs. */
			if (irq < 32 || irq >= MAX_IRQS)
				return trace_error(-EINVAL);
			spis[irq / 32] |= BIT(irq % 32);
		}
	}
	return 0;
}

/* Check the irqchips of a new cell (before anything is taken). */
static int irqchip_cell_check(struct cell *cell)
{
	unsigned int n;
	u32 spis[IRQ_WORDS];
	int err;

	err = select_chip();
	if (!err)
		err = config_spis(cell, spis);
	if (err || cell == &root_cell)
		return err;
	for (n = 0; n < IRQ_WORDS; n++)
		if (spis[n] & ~root_cell.arch.spis[n])
			return trace_error(-EBUSY);
	return 0;
}

/* Disable and clear a shared interrupt, route it to @cpu (if any). */
static void reset_spi(unsigned int irq, struct per_cpu *cpu)
{
	unsigned int reg = irq / 32 * 4;
	u32 bit = BIT(irq % 32);
	u8 *d = gicd_base;

	mmio_write_sized(d + GICD_ICENABLER + reg, 4, bit);
	mmio_write_sized(d + GICD_ICPENDR + reg, 4, bit);
	mmio_write_sized(d + GICD_ICACTIVER + reg, 4, bit);
	spin_lock(&dist_lock);
	chip->route_spi(irq, cpu);
	spin_unlock(&dist_lock);
}

/* Take the cell's interrupts from the root, register its MMIO traps. */
static int irqchip_cell_init(struct cell *cell)
{
	const typeof(system_config->platform_info.arm) *arm =
		&system_config->platform_info.arm;
	unsigned int n, cpu;
	int err;

	err = irqchip_cell_check(cell);
	if (err)
		return err;
	err = mmio_region_register(cell, arm->gicd_base, chip->dist_size,
				   dist_handler, NULL);
	if (!err)
		err = chip->cell_init(cell);
	if (!err)
		err = config_spis(cell, cell->arch.spis);
	if (err) {
		memset(cell->arch.spis, 0, sizeof(cell->arch.spis));
		return err;
	}
	if (cell == &root_cell)
		return 0;
	for_each_cpu(cpu, &cell->cpus)
		break;
	for (n = 32; n < MAX_IRQS; n++)
		if (irqchip_owns(cell, n)) {
			root_cell.arch.spis[n / 32] &= ~BIT(n % 32);
			reset_spi(n, per_cpu(cpu));
		} else if (irqchip_owns(&root_cell, n)) {
			chip->keep_spi_off(cell, n);
		}
	return 0;
}

/* Give the cell's interrupts back to the root. */
static void irqchip_cell_exit(struct cell *cell)
{
	unsigned int n;

	if (cell == &root_cell)
		return;
	for (n = 32; n < MAX_IRQS; n++)
		if (irqchip_owns(cell, n)) {
			reset_spi(n, NULL);
			root_cell.arch.spis[n / 32] |= BIT(n % 32);
		}
	memset(cell->arch.spis, 0, sizeof(cell->arch.spis));
}

void irqchip_set_pending(struct per_cpu *c, unsigned int irq)
{
	unsigned int n;

	if (c->arch.num_pending == 0 && chip->inject(c, irq))
		return;
	for (n = 0; n < c->arch.num_pending; n++)
		if (c->arch.pending[n] == irq)
			return;
	if (n >= ARRAY_SIZE(c->arch.pending)) {
		/* Cannot happen with distinct interrupts; do not block one. */
		chip->deactivate(irq);
		return;
	}
	c->arch.pending[c->arch.num_pending++] = irq;
	chip->enable_maint(true);
}

bool irqchip_raise_spi(struct cell *cell, u64 irq)
{
	if (irq < 32 || irq >= MAX_IRQS || !irqchip_owns(cell, irq))
		return false;
	/* What the sender wrote before is visible before the interrupt. */
	asm volatile("dsb ish" : : : "memory");
	mmio_write_sized((u8 *)gicd_base + GICD_ISPENDR + irq / 32 * 4, 4,
			 BIT(irq % 32));
	return true;
}

/* List registers became free: move queued interrupts in. */
static void maintenance(struct per_cpu *c)
{
	unsigned int n, done = 0;

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE]++;
	if (chip->maintenance)
		chip->maintenance(c);
	while (done < c->arch.num_pending &&
	       chip->inject(c, c->arch.pending[done]))
		done++;
	for (n = done; n < c->arch.num_pending; n++)
		c->arch.pending[n - done] = c->arch.pending[n];
	c->arch.num_pending -= done;
	if (!c->arch.num_pending)
		chip->enable_maint(false);
}

void irqchip_handle_irq(unsigned int raw)
{
	struct per_cpu *c = this_cpu();
	unsigned int irq = raw & chip->id_mask;

	/* spurious (1020..1023) or reserved; LPIs need their priority drop */
	if (irq >= 1020 && irq < 8192)
		return;
	chip->eoi(raw);
	if (irq < 16) {
		/* SGIs are injected without hardware link. */
		chip->deactivate(raw);
		if (irq == SGI_EVENT)
			return;		/* check_events() follows every exit */
	} else if (irq == maint_irq) {
		chip->deactivate(irq);
		maintenance(c);
		return;
	} else if (irq >= 8192) {
		/* LPIs (no active state) come from the root's ITS. */
		if (c->cell != &root_cell || irq > 0xffff)
			return;
	} else if (irq >= 32 && !irqchip_owns(c->cell, irq)) {
		chip->deactivate(irq);
		return;
	}
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ]++;
	irqchip_set_pending(c, raw);
}

void irqchip_send_sgi(unsigned int sgi, enum sgi_mode mode, unsigned long aff,
		      unsigned int targets)
{
	struct per_cpu *c = this_cpu(), *t;
	unsigned int cpu;

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_VSGI]++;
	if (sgi == SGI_EVENT)
		return;
	for_each_cpu(cpu, &c->cell->cpus) {
		t = per_cpu(cpu);
		if (mode == SGI_TO_OTHERS ? t == c :
		    mode == SGI_TO_SELF ? t != c :
		    !chip->is_sgi_target(t, aff, targets))
			continue;
		chip->send_sgi(t, sgi);
	}
}

/* The distributor, and what the version specific part traps. */
static unsigned int irqchip_mmio_count(struct cell *cell)
{
	return select_chip() ? 0 : 1 + chip->num_cell_mmio;
}

DEFINE_UNIT(irqchip, "irqchip");
