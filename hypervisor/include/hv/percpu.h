/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: per-CPU data.  Every possible CPU has one
 * page-aligned block right after the image (see include/jailhouse/header.h);
 * it starts with the CPU's hypervisor stack.
 */

#ifndef _HV_PERCPU_H
#define _HV_PERCPU_H

#include <hv/cpuset.h>
#include <hv/kconfig.h>
#include <hv/types.h>
#include <hv/spinlock.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <jailhouse/hypercall.h>

#define PERCPU_STACK_SIZE	(4 * PAGE_SIZE)

/** Iterate over the CPUs of @p set that the hypervisor knows (possible). */
#define for_each_cpu(cpu, set)	for_each_cpu_below(cpu, set, num_possible_cpus)

struct cell;

struct per_cpu {
	/** Hypervisor stack; the guest's register frame sits at its top. */
	u8 stack[PERCPU_STACK_SIZE];
	/** Architecture state (host registers saved at entry, ...). */
	struct per_cpu_arch arch;

	unsigned int cpu_id;
	/** Physical address of the hypervisor image. */
	unsigned long phys_base;
	/** The cell this CPU is assigned to. */
	struct cell *cell;

	/** Protects the request fields below. */
	spinlock_t control_lock;
	/** Set by another CPU: stop running guest code and wait. */
	volatile bool suspend_cpu;
	/** Acknowledges suspend_cpu. */
	volatile bool cpu_suspended;
	/** Restart the guest at reset_address (reset_arg in the first register). */
	volatile bool reset_requested;
	/** The hypervisor is being disabled: leave for good. */
	volatile bool shutdown_requested;
	/** Set by cell_commit(): drop stale guest translations, then clear. */
	volatile bool flush_requested;
	unsigned long reset_address;
	unsigned long reset_arg;

	/** No guest code to run (off, not started, or stopped). */
	bool parked;
	/** Stopped after a fault; reported by CPU_GET_INFO. */
	bool failed;
	/**
	 * Stopped for good by a hypervisor panic (until disable): counts as
	 * suspended and parked, so it never blocks management.
	 */
	volatile bool halted;
	/** The entry succeeded and the CPU runs guest code under us. */
	bool activated;
	/** The DISABLE hypercall asks this CPU to leave. */
	bool leaving;

	unsigned long stats[JAILHOUSE_NUM_CPU_STATS];
} __attribute__((aligned(PAGE_SIZE)));

/** Number of CPUs the driver announced (highest CPU number + 1). */
extern unsigned int num_possible_cpus;

/** The per-CPU block of CPU @p cpu. */
struct per_cpu *per_cpu(unsigned int cpu);

#endif
