/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: sets of CPUs, bit n for CPU n. */

#ifndef _HV_CPUSET_H
#define _HV_CPUSET_H

#include <hv/kconfig.h>
#include <hv/types.h>

#define MAX_CPUS		CONFIG_MAX_CPUS
#define CPU_SET_WORDS		((MAX_CPUS + BITS_PER_LONG - 1) / BITS_PER_LONG)

struct cpu_set {
	unsigned long bits[CPU_SET_WORDS];
};

/** @return whether @p cpu is in @p set (false beyond MAX_CPUS). */
static inline bool cpu_in_set(const struct cpu_set *set, unsigned int cpu)
{
	return cpu < MAX_CPUS &&
		(set->bits[cpu / BITS_PER_LONG] >> (cpu % BITS_PER_LONG)) & 1;
}

/** Add @p cpu (< MAX_CPUS) to @p set. */
static inline void cpu_set_add(struct cpu_set *set, unsigned int cpu)
{
	set->bits[cpu / BITS_PER_LONG] |= BIT(cpu % BITS_PER_LONG);
}

/** Remove @p cpu (< MAX_CPUS) from @p set. */
static inline void cpu_set_del(struct cpu_set *set, unsigned int cpu)
{
	set->bits[cpu / BITS_PER_LONG] &= ~BIT(cpu % BITS_PER_LONG);
}

/** Iterate over the CPUs of @p set below @p limit. */
#define for_each_cpu_below(cpu, set, limit)				\
	for ((cpu) = 0; (cpu) < (limit); (cpu)++)			\
		if (cpu_in_set((set), (cpu)))

#endif
