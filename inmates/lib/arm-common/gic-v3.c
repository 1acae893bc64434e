/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: GICv3 (system register CPU interface). */

/* Redistributors serve SGIs and PPIs, the distributor SPIs. */

#include <arch.h>
#include <arm-common.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_EN_GRP1	(1 << 1)
#define GICD_CTLR_ARE		(1 << 4)
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6000

#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1 << 1)
#define GICR_TYPER_LAST		(1 << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1 << 1)
#define GICR_WAKER_ASLEEP	(1 << 2)
/* Second frame: SGI/PPI registers at the offsets of their GICD_ peers. */
#define GICR_SGI_BASE		0x10000

#define ICC_SRE_SRE		(1 << 0)
#define IRQ_PRIORITY		0xa0
#define PRIORITY_MASK		0xf0

static unsigned long rd_base[MAX_CPUS];

/* MPIDR affinity as GICR_TYPER and GICD_IROUTER lay it out. */
static u64 affinity(void)
{
	u64 mpidr = cpu_mpidr();

	return ((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff);
}

static unsigned long find_redistributor(void)
{
	unsigned long rd = gicr_base;
	u64 typer;

	for (;;) {
		typer = mmio_read64(rd + GICR_TYPER);
		if ((typer >> 32) == affinity())
			return rd;
		if (typer & GICR_TYPER_LAST)
			return 0;
		rd += typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000;
	}
}

static void wait_rwp(void)
{
	while (mmio_read32(gicd_base + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static void gicv3_init_dist(void)
{
	/* Affinity routing first, then the group enable. */
	mmio_write32(gicd_base + GICD_CTLR, GICD_CTLR_ARE);
	wait_rwp();
	mmio_write32(gicd_base + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_EN_GRP1);
	wait_rwp();
}

static void gicv3_init_cpu(void)
{
	unsigned long rd = find_redistributor();

	if (!rd) {
		printk("GICv3: no redistributor for CPU %lx\n", cpu_mpidr());
		return;
	}
	rd_base[cpu_index()] = rd;
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;

	icc_write_sre(icc_read_sre() | ICC_SRE_SRE);
	icc_write_pmr(PRIORITY_MASK);
	icc_write_bpr1(0);
	icc_write_ctlr(0);		/* EOImode 0: EOIR also deactivates */
	icc_write_igrpen1(1);
}

static void gicv3_enable(unsigned int irq, bool enable)
{
	unsigned long rd = rd_base[cpu_index()], base, word;
	u32 bit = 1U << (irq % 32);

	if (irq < 32) {
		if (!rd)
			rd = rd_base[cpu_index()] = find_redistributor();
		if (!rd)
			return;
		base = rd + GICR_SGI_BASE;
		word = 0;
	} else {
		base = gicd_base;
		word = (irq / 32) * 4;
	}
	if (!enable) {
		mmio_write32(base + GICD_ICENABLER + word, bit);
		return;
	}
	/* Group 1, middle priority, routed here (SPIs), enabled. */
	mmio_write32(base + GICD_IGROUPR + word,
		     mmio_read32(base + GICD_IGROUPR + word) | bit);
	mmio_write8(base + GICD_IPRIORITYR + irq, IRQ_PRIORITY);
	if (irq >= 32)
		mmio_write64(gicd_base + GICD_IROUTER + irq * 8, affinity());
	mmio_write32(base + GICD_ISENABLER + word, bit);
}

/* ICC_SGI1R: target list (Aff0 bit) within Aff3.Aff2.Aff1, INTID. */
static void gicv3_send_sgi(unsigned long mpidr, unsigned int sgi)
{
	u64 mp = mpidr;
	u64 value = (1ULL << (mp & 0xf)) | (((mp >> 8) & 0xff) << 16) |
		((u64)(sgi & 0xf) << 24) | (((mp >> 16) & 0xff) << 32) |
		(((mp >> 32) & 0xff) << 48);

	dsb();
	icc_write_sgi1r(value);
}

static u32 gicv3_read_ack(void)
{
	return icc_read_iar1();
}

static void gicv3_write_eoi(u32 iar)
{
	icc_write_eoir1(iar);
}

const struct gic_ops gicv3_ops = {
	.init_dist = gicv3_init_dist,
	.init_cpu = gicv3_init_cpu,
	.enable = gicv3_enable,
	.send_sgi = gicv3_send_sgi,
	.read_ack = gicv3_read_ack,
	.write_eoi = gicv3_write_eoi,
};
