/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: constants the assembly code needs. */

#include <hv/asm-offsets.h>
#include <hv/percpu.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/header.h>

void common(void);

void common(void)
{
	DEFINE(PERCPU_SIZE, sizeof(struct per_cpu));
	DEFINE(PERCPU_STACK_SIZE, PERCPU_STACK_SIZE);
	OFFSET(PERCPU_HOST, per_cpu, arch.host);
	OFFSET(PERCPU_CPU_ID, per_cpu, cpu_id);
	OFFSET(PERCPU_PHYS_BASE, per_cpu, phys_base);
	OFFSET(HDR_CORE_SIZE, jailhouse_header, core_size);
	OFFSET(HDR_PERCPU_SIZE, jailhouse_header, percpu_size);
	OFFSET(HDR_MAX_CPUS, jailhouse_header, max_cpus);
	OFFSET(HDR_POSSIBLE_CPUS, jailhouse_header, possible_cpus);
	OFFSET(HDR_CONFIG_OFFSET, jailhouse_header, config_offset);
	OFFSET(SYS_HV_MEM_SIZE, jailhouse_system, hypervisor_memory.size);
}
