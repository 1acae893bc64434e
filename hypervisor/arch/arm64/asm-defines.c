/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: constants the assembly code needs. */

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
	OFFSET(HOST_X19, host_state, regs);
	OFFSET(HOST_VBAR_EL2, host_state, vbar_el2);
	OFFSET(HOST_HCR_EL2, host_state, hcr_el2);
	OFFSET(HOST_SCTLR_EL2, host_state, sctlr_el2);
	OFFSET(HOST_CPTR_EL2, host_state, cptr_el2);
	OFFSET(HOST_MDCR_EL2, host_state, mdcr_el2);
	OFFSET(HOST_VTTBR_EL2, host_state, vttbr_el2);
	OFFSET(HOST_VTCR_EL2, host_state, vtcr_el2);
	OFFSET(PERCPU_CPU_ID, per_cpu, cpu_id);
	OFFSET(PERCPU_PHYS_BASE, per_cpu, phys_base);
	OFFSET(PERCPU_NUM_PENDING, per_cpu, arch.num_pending);
	DEFINE(PERCPU_STAT_TOTAL, __builtin_offsetof(struct per_cpu, stats) +
	       8 * JAILHOUSE_CPU_STAT_VMEXITS_TOTAL);
	DEFINE(PERCPU_STAT_VIRQ, __builtin_offsetof(struct per_cpu, stats) +
	       8 * JAILHOUSE_CPU_STAT_VMEXITS_VIRQ);
	OFFSET(HDR_CORE_SIZE, jailhouse_header, core_size);
	OFFSET(HDR_PERCPU_SIZE, jailhouse_header, percpu_size);
	OFFSET(HDR_MAX_CPUS, jailhouse_header, max_cpus);
	OFFSET(HDR_POSSIBLE_CPUS, jailhouse_header, possible_cpus);
	OFFSET(HDR_CONFIG_OFFSET, jailhouse_header, config_offset);
	OFFSET(SYS_HV_MEM_SIZE, jailhouse_system, hypervisor_memory.size);
}
