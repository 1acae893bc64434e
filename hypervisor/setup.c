/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: generic setup (placeholder until the core lands). */

#include <generated/config.h>
#include <generated/version.h>
#include <hv/entry.h>

#define ENOSYS 38

const char hypervisor_banner[] = "Jailhouse hypervisor " JAILHOUSE_VERSION;

int entry(struct per_cpu *cpu_data)
{
	/* The real late-launch core comes with the ARM64 core work. */
	return arch_name[0] ? -ENOSYS : 0;
}
