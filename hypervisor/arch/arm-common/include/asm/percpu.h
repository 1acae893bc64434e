/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: per-CPU architecture state.  The entry
 * code's save area is per arch (<asm/host_state.h>); the rest is shared
 * by ARMv7 and ARMv8.
 */

#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#ifndef __ASSEMBLY__

#include <asm/host_state.h>
#include <asm/sysregs.h>

struct per_cpu;

struct per_cpu_arch {
	/** Caller's state, saved by the entry code (asm offsets). */
	struct host_state host;
	/** MPIDR affinity fields. */
	unsigned long phys_id;
	/** GICv3 redistributor SGI frame (remap pool), or NULL. */
	void *gicr_sgi;
	unsigned int gicr_frame;
	/** GICv2 CPU interface mask (ITARGETSR bit) of this CPU. */
	unsigned int gicc_mask;
	unsigned int old_igroupr0;
	unsigned long old_ctlr;
	/**
	 * Priorities and configuration (IPRIORITYR0..7, ICFGR1) of this
	 * CPU's private interrupts as the hypervisor found them (and set its
	 * own): what every new guest on the CPU starts with.
	 */
	u32 private_prio[8];
	u32 private_cfg;
	/** Virtual interrupts waiting for a free list register. */
	unsigned long num_pending;
	u16 pending[48];
};

static inline struct per_cpu *this_cpu_data(void)
{
	struct per_cpu *c;

	arm_read_sysreg(TPIDR_EL2, c);
	return c;
}

#endif

#endif
