/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: Intel VT-x (VMX) part of jailhouse-intel.bin.
 * Placeholder: the entry refuses with -ENODEV until the VMX vendor part
 * (<asm/vcpu.h>) is written.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <asm/vcpu.h>

const char arch_name[] = "x86 Intel VT-x";

int vcpu_vendor_init(void)
{
	return -ENODEV;
}

int vcpu_cell_init(struct cell *cell)
{
	return -ENODEV;
}

void vcpu_cell_exit(struct cell *cell)
{
}

void vcpu_intercept_msr_write(struct cell *cell, unsigned int msr)
{
}

int vcpu_init(struct per_cpu *c)
{
	return -ENODEV;
}

u64 vcpu_exit(struct per_cpu *c)
{
	return c->arch.entry.cr3;
}

void vcpu_exit_unused(struct per_cpu *c)
{
}

void vcpu_activate(struct per_cpu *c)
{
	panic_stop("no VMX support");
}

void vcpu_reset(struct per_cpu *c)
{
	panic_stop("no VMX support");
}
