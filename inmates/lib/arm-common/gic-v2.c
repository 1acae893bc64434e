/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: GICv2 (memory-mapped CPU interface). */

#include <arch.h>
#include <arm-common.h>

#define GICD_CTLR		0x000
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00

#define GICC_CTLR		0x00
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_IAR		0x0c
#define GICC_EOIR		0x10

#define IRQ_PRIORITY		0xa0
#define PRIORITY_MASK		0xf0

static void gicv2_init_dist(void)
{
	mmio_write32(gicd_base + GICD_CTLR, 1);
}

static void gicv2_init_cpu(void)
{
	mmio_write32(gicc_base + GICC_PMR, PRIORITY_MASK);
	mmio_write32(gicc_base + GICC_BPR, 0);
	mmio_write32(gicc_base + GICC_CTLR, 1);
}

static void gicv2_enable(unsigned int irq, bool enable)
{
	unsigned long word = (irq / 32) * 4;
	u32 bit = 1U << (irq % 32);

	if (!enable) {
		mmio_write32(gicd_base + GICD_ICENABLER + word, bit);
		return;
	}
	mmio_write8(gicd_base + GICD_IPRIORITYR + irq, IRQ_PRIORITY);
	/* ITARGETSR0..7 are read-only and name the reading CPU. */
	if (irq >= 32)
		mmio_write8(gicd_base + GICD_ITARGETSR + irq,
			    mmio_read8(gicd_base + GICD_ITARGETSR));
	mmio_write32(gicd_base + GICD_ISENABLER + word, bit);
}

/* CPU interface number = Aff0 (true for QEMU virt and small clusters). */
static void gicv2_send_sgi(unsigned long mpidr, unsigned int sgi)
{
	dsb();
	mmio_write32(gicd_base + GICD_SGIR,
		     (1U << (16 + (mpidr & 0x7))) | (sgi & 0xf));
}

static u32 gicv2_read_ack(void)
{
	return mmio_read32(gicc_base + GICC_IAR);
}

static void gicv2_write_eoi(u32 iar)
{
	mmio_write32(gicc_base + GICC_EOIR, iar);
}

const struct gic_ops gicv2_ops = {
	.init_dist = gicv2_init_dist,
	.init_cpu = gicv2_init_cpu,
	.enable = gicv2_enable,
	.send_sgi = gicv2_send_sgi,
	.read_ack = gicv2_read_ack,
	.write_eoi = gicv2_write_eoi,
};
