/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm: placeholder until the ARMv7 port joins the core. */

int entry(void *cpu_data);
extern const char arch_name[];

int entry(void *cpu_data)
{
	return -38;	/* -ENOSYS */
}

const char arch_name[] = "arm";
