/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: constants the assembly code needs. */

#include <hv/asm-offsets.h>
#include <hv/percpu.h>

void common(void);

void common(void)
{
	DEFINE(PERCPU_SIZE, sizeof(struct per_cpu));
	DEFINE(PERCPU_STACK_SIZE, PERCPU_STACK_SIZE);
	OFFSET(PERCPU_HOST, per_cpu, arch.host);
}
