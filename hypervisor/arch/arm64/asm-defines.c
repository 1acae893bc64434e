/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: constants the assembly code needs. */

#include <hv/asm-offsets.h>

void common(void);

void common(void)
{
	GENERIC_ASM_DEFINES();
	OFFSET(PERCPU_HOST, per_cpu, arch.host);
	OFFSET(HOST_X19, host_state, regs);
	OFFSET(HOST_VBAR_EL2, host_state, vbar_el2);
	OFFSET(HOST_HCR_EL2, host_state, hcr_el2);
	OFFSET(HOST_SCTLR_EL2, host_state, sctlr_el2);
	OFFSET(HOST_CPTR_EL2, host_state, cptr_el2);
	OFFSET(HOST_MDCR_EL2, host_state, mdcr_el2);
	OFFSET(HOST_VTTBR_EL2, host_state, vttbr_el2);
	OFFSET(HOST_VTCR_EL2, host_state, vtcr_el2);
	OFFSET(PERCPU_NUM_PENDING, per_cpu, arch.num_pending);
	DEFINE(PERCPU_STAT_TOTAL, __builtin_offsetof(struct per_cpu, stats) +
	       8 * JAILHOUSE_CPU_STAT_VMEXITS_TOTAL);
	DEFINE(PERCPU_STAT_VIRQ, __builtin_offsetof(struct per_cpu, stats) +
	       8 * JAILHOUSE_CPU_STAT_VMEXITS_VIRQ);
}
