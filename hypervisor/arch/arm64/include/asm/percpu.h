/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: per-CPU architecture state. */

#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#ifndef __ASSEMBLY__

struct per_cpu;

struct per_cpu_arch {
	/* Saved by the entry code before anything else (order matters). */
	unsigned long host_regs[12];	/* x19..x30 of the caller */
	unsigned long vbar_el2;		/* the hyp stub's vectors */
	unsigned long hcr_el2;
	unsigned long sctlr_el2;
	unsigned long cptr_el2;
	unsigned long mdcr_el2;
	unsigned long vttbr_el2;
	unsigned long vtcr_el2;
	/* Registers handed back when leaving (x0..x30). */
	unsigned long leave_regs[31];
	/** MPIDR_EL1 affinity fields. */
	unsigned long phys_id;
	/** GICv3 redistributor SGI frame (remap pool), or NULL. */
	void *gicr_sgi;
	unsigned int gicr_frame;
	/** GICv2 CPU interface mask (ITARGETSR bit) of this CPU. */
	unsigned int gicc_mask;
	unsigned int old_igroupr0;
	unsigned long old_ctlr;
	/** Virtual interrupts waiting for a free list register. */
	unsigned long num_pending;
	u16 pending[48];
};

static inline struct per_cpu *this_cpu_data(void)
{
	struct per_cpu *c;

	asm volatile("mrs %0, tpidr_el2" : "=r" (c));
	return c;
}

#endif

#endif
