/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: placeholder until the x86 port joins the core. */

int entry(void *cpu_data);

int entry(void *cpu_data)
{
	return -38;	/* -ENOSYS */
}
