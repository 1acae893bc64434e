/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: interrupt controller virtualization.
 *
 * Every cell, the root included, sees the distributor (and, for GICv3, the
 * redistributors) through trapped MMIO: it may read and change the state
 * (enable, priority, configuration, routing, pending, active) only of the
 * shared peripheral interrupts its irqchip pin bitmaps give it, and of the
 * private interrupts of its own CPUs.  Physical interrupts exit to the
 * hypervisor (HCR_EL2.IMO), which acknowledges them and injects them into
 * the CPU's virtual interface through list registers; interrupts that do
 * not fit wait in a per-CPU queue until the maintenance interrupt reports
 * free list registers.  SGIs a cell sends reach only CPUs of the same cell.
 *
 * The interrupt controller is a unit (hv/unit.h): global and per-cell
 * set-up run from the core's unit walk.  The code common to GICv2 and GICv3 (ownership, the distributor's
 * per-interrupt registers, the injection queue) lives in irqchip.c; the
 * version specific parts implement struct irqchip_ops, chosen at run time
 * from the system configuration's gic_version.
 *
 * Interrupt numbers handed between the common and the version specific
 * code are the raw acknowledge values: for GICv2 an SGI carries its source
 * CPU interface in bits 12:10, which the end of interrupt must repeat.
 */

#ifndef _ASM_IRQCHIP_H
#define _ASM_IRQCHIP_H

#include <hv/mmio.h>

#define MAX_IRQS		1024
#define IRQ_WORDS		(MAX_IRQS / 32)
#define SGI_EVENT		15
#define IRQ_PRIO_DEFAULT	0xa0
#define GICV2_DIST_SIZE		0x1000
#define GICV3_DIST_SIZE		0x10000
/** GICv2 CPU interface, virtual CPU interface and GICH frames. */
#define GICV2_CPUIF_SIZE	0x2000

struct per_cpu;

/** Whom an SGI a cell sends goes to. */
enum sgi_mode {
	SGI_TO_LIST,	/**< CPUs named by (aff, targets), see is_sgi_target */
	SGI_TO_OTHERS,	/**< all CPUs of the cell but the sender */
	SGI_TO_SELF,	/**< the sender */
};

struct irqchip_ops {
	/** Size of the distributor's register frame (trapped as a whole). */
	unsigned long dist_size;
	/** Bits of a raw acknowledge value that are the INTID. */
	unsigned int id_mask;
	/** Map the controller, check it is usable.  @return 0 or -errno. */
	int (*init)(void);
	/** Undo init (disable, failed entry). */
	void (*shutdown)(void);
	/** Per-CPU set-up: take the CPU interface over from the root OS. */
	int (*cpu_init)(struct per_cpu *c);
	/** Give the CPU interface back (state of the virtual interface). */
	void (*cpu_exit)(struct per_cpu *c);
	/** Empty the virtual interface and private interrupts for a new guest. */
	void (*cpu_reset)(struct per_cpu *c, bool root);
	/**
	 * Put @p irq into a free list register.
	 * @return false if none is free.
	 */
	bool (*inject)(struct per_cpu *c, unsigned int irq);
	/** Ask for (or stop asking for) the maintenance interrupt. */
	void (*enable_maint)(bool enable);
	/** Work of the maintenance interrupt besides refilling (optional). */
	void (*maintenance)(struct per_cpu *c);
	/** Priority drop of an acknowledged interrupt. */
	void (*eoi)(unsigned int irq);
	/** Deactivate a physical interrupt (it may fire again). */
	void (*deactivate)(unsigned int irq);
	/** Register the cell's trapped redistributor/CPU interface range. */
	int (*cell_init)(struct cell *cell);
	/** Number of MMIO regions cell_init registers. */
	unsigned int num_cell_mmio;
	/** Distributor registers beyond the common ones (routing, ...). */
	enum mmio_result (*dist_access)(struct mmio_access *a,
					unsigned long offs);
	/** Route shared interrupt @p irq of the root away from @p cell. */
	void (*keep_spi_off)(struct cell *cell, unsigned int irq);
	/**
	 * Group and routing of a shared interrupt that changes hands (it is
	 * disabled and idle): to @p cpu, or just the group if NULL.
	 */
	void (*route_spi)(unsigned int irq, struct per_cpu *cpu);
	/** Send a physical SGI to one CPU. */
	void (*send_sgi)(struct per_cpu *target, unsigned int sgi);
	/** Whether @p t is among the SGI_TO_LIST targets (aff, targets). */
	bool (*is_sgi_target)(struct per_cpu *t, unsigned long aff,
			      unsigned int targets);
	/** Acknowledge and handle the hypervisor's events on this CPU. */
	void (*handle_events)(void);
	/** Signal the event SGI to @p t. */
	void (*send_event)(struct per_cpu *t);
};

/** The distributor, mapped by the version specific init. */
extern void *gicd_base;
extern unsigned int maint_irq;
/**
 * Private interrupts (bank 0 of the distributor) a cell may program there:
 * GICv2 keeps SGIs and PPIs in the distributor, GICv3 in redistributors.
 */
extern u32 gicd_private_mask;
/** Non-zero if the CPU interface is memory mapped (GICv2): entry code. */
extern unsigned int gic_cpuif_mmio;

/** @return whether @p cell owns shared interrupt @p irq. */
static inline bool irqchip_owns(struct cell *cell, unsigned int irq)
{
	return irq < MAX_IRQS &&
		(cell->arch.spis[irq / 32] >> (irq % 32)) & 1;
}

/**
 * The fields of the @p count interrupts from @p irq, @p bits wide each, in
 * a distributor register, that @p cell may access: its shared interrupts
 * and the private ones of gicd_private_mask.  The one ownership check of
 * every per-interrupt register, common and version specific.
 */
unsigned long irqchip_owned_mask(struct cell *cell, unsigned int irq,
				 unsigned int count, unsigned int bits);

int irqchip_cpu_init(struct per_cpu *c);
void irqchip_cpu_exit(struct per_cpu *c);
void irqchip_cpu_reset(struct per_cpu *c);
/**
 * A physical interrupt reached EL2 and was acknowledged by the arch's
 * entry code (which injects the common case itself).
 * @param irq	Its raw acknowledge value; INTID >= 1020 for none.
 */
void irqchip_handle_irq(unsigned int irq);
/** Acknowledge hypervisor events (GICv2: and every other interrupt). */
void gic_handle_events(void);
/** Queue or inject a virtual interrupt on this CPU. */
void irqchip_set_pending(struct per_cpu *c, unsigned int irq);
/**
 * Raise shared interrupt @p irq of @p cell that no device drives (INTx of
 * a virtual PCI function, arch/arm-common/vpci.c): set it pending in the
 * distributor, which delivers it as any of the cell's interrupts, to the
 * CPU the cell routed it to.  Nothing happens unless @p cell owns @p irq.
 * Callable on any CPU.  @return whether it was raised.
 */
bool irqchip_raise_spi(struct cell *cell, u64 irq);
/** The cell on this CPU wrote an SGI register: filter and forward. */
void irqchip_send_sgi(unsigned int sgi, enum sgi_mode mode, unsigned long aff,
		      unsigned int targets);

/** GICv3 affinity (IROUTER, GICR_TYPER layout) of an MPIDR value. */
static inline u64 mpidr_to_aff(u64 mpidr)
{
	return ((mpidr >> 8) & 0xff00000000ULL) | (mpidr & 0xffffff);
}

/* register helpers for the MMIO emulation */
/** Emulate an access through @p mask: only masked bits are visible. */
void irqchip_access_masked(void *reg, struct mmio_access *a,
			   unsigned long mask, bool rmw);
/**
 * Whether @p a has a size and alignment the GIC architecture allows for
 * the distributor register at @p offs (gic-access.c); refused otherwise.
 */
bool gicd_access_ok(const struct mmio_access *a, unsigned long offs);
/** The same for offset @p reg in a redistributor's control and SGI frames. */
bool gicr_access_ok(const struct mmio_access *a, unsigned long reg);

#endif
