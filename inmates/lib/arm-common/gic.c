/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: GIC selection and IRQ handler registry. */

#include <arch.h>
#include <arm-common.h>

#define MAX_IRQS		128
#define GICD_PIDR2_V3		0xffe8	/* ID register in a 64 KiB GICD */
#define GICD_PIDR2_ARCHREV(v)	(((v) >> 4) & 0xf)
#define INTID_SPURIOUS		1020

unsigned long gicd_base, gicc_base, gicr_base;

static const struct gic_ops *gic;
static unsigned int version;
static volatile bool dist_ready;
static irq_handler_t default_handler;
static irq_handler_t handlers[MAX_IRQS];
static volatile u64 entry_stamp[MAX_CPUS];

/* Version and bases: comm region, else QEMU virt (version probed); the
 * command line wins. */
static void gic_select(void)
{
	u32 pidr2;

	if (gic)
		return;
	gicd_base = QEMU_VIRT_GICD_BASE;
	gicc_base = QEMU_VIRT_GICC_BASE;
	gicr_base = QEMU_VIRT_GICR_BASE;
	if (comm_region && comm_region->gic_version) {
		version = comm_region->gic_version;
		gicd_base = comm_region->gicd_base;
		gicc_base = comm_region->gicc_base;
		gicr_base = comm_region->gicr_base;
	} else {
		/* A GICv2 distributor is 4 KiB: the v3 ID register faults. */
		version = probe_read32(gicd_base + GICD_PIDR2_V3, &pidr2) &&
			GICD_PIDR2_ARCHREV(pidr2) >= 3 ? 3 : 2;
	}
	version = cmdline_parse_int("gic-version", version);
	gicd_base = cmdline_parse_int("gicd-base", gicd_base);
	gicc_base = cmdline_parse_int("gicc-base", gicc_base);
	gicr_base = cmdline_parse_int("gicr-base", gicr_base);
	gic = version >= 3 ? &gicv3_ops : &gicv2_ops;
}

unsigned int gic_version(void)
{
	gic_select();
	return version >= 3 ? 3 : 2;
}

void irq_init(irq_handler_t handler)
{
	gic_select();
	if (handler)
		default_handler = handler;
	/* Under the hypervisor the root cell owns the distributor. */
	if (!comm_region && !dist_ready) {
		gic->init_dist();
		dist_ready = true;
	}
	gic->init_cpu();
	arch_irq_enable();
}

void irq_register(unsigned int irq, irq_handler_t handler)
{
	if (irq < MAX_IRQS)
		handlers[irq] = handler;
}

void irq_enable(unsigned int irq)
{
	gic_select();
	gic->enable(irq, true);
}

void irq_disable(unsigned int irq)
{
	gic_select();
	gic->enable(irq, false);
}

void irq_send_sgi(unsigned long mpidr, unsigned int sgi)
{
	gic_select();
	gic->send_sgi(mpidr, sgi);
}

u64 irq_entry_ticks(void)
{
	return entry_stamp[cpu_index()];
}

void __irq_handle(u64 stamp)
{
	irq_handler_t handler;
	u32 iar, irq;

	entry_stamp[cpu_index()] = stamp;
	for (;;) {
		iar = gic->read_ack();
		irq = iar & 0xffffff;
		if (gic == &gicv2_ops)
			irq &= 0x3ff;	/* bits 12:10: source CPU of an SGI */
		if (irq >= INTID_SPURIOUS)
			break;
		handler = irq < MAX_IRQS && handlers[irq] ? handlers[irq] :
			default_handler;
		if (handler)
			handler(irq);
		else
			printk("Unexpected IRQ %u\n", irq);
		gic->write_eoi(iar);
	}
}
