/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: helpers for arch/<arch>/asm-defines.c, whose values
 * reach assembly code through the generated <generated/asm-defines.h>.
 * DEFINE(NAME, value) states a constant, OFFSET(NAME, struct, member) a
 * member's offset.  The compiler evaluates them; the build reads its -S
 * output behind the "=>" marker (site_scons/site_tools/asmoffsets.py).
 */

#ifndef _HV_ASM_OFFSETS_H
#define _HV_ASM_OFFSETS_H

#include <hv/percpu.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/header.h>

#define DEFINE(sym, val) \
	asm volatile("\n.ascii \"=>" #sym " %0\"" : : "i" (val))

#define OFFSET(sym, str, mem) \
	DEFINE(sym, __builtin_offsetof(struct str, mem))

/*
 * What the entry code of every architecture uses: the per-CPU area, the
 * hypervisor header and the system configuration.  The arch's common()
 * states these first, then its own.
 */
#define GENERIC_ASM_DEFINES() do {					\
	DEFINE(PERCPU_SIZE, sizeof(struct per_cpu));			\
	DEFINE(PERCPU_STACK_SIZE, PERCPU_STACK_SIZE);			\
	OFFSET(PERCPU_CPU_ID, per_cpu, cpu_id);				\
	OFFSET(PERCPU_PHYS_BASE, per_cpu, phys_base);			\
	OFFSET(HDR_CORE_SIZE, jailhouse_header, core_size);		\
	OFFSET(HDR_PERCPU_SIZE, jailhouse_header, percpu_size);		\
	OFFSET(HDR_MAX_CPUS, jailhouse_header, max_cpus);		\
	OFFSET(HDR_POSSIBLE_CPUS, jailhouse_header, possible_cpus);	\
	OFFSET(HDR_CONFIG_OFFSET, jailhouse_header, config_offset);	\
	OFFSET(SYS_HV_MEM_SIZE, jailhouse_system, hypervisor_memory.size); \
} while (0)

#endif
