/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: Intel VT-x (VMX) part of jailhouse-intel.bin.
 * Placeholder: the entry refuses with -ENODEV until the VMX vendor part
 * (<asm/vcpu.h>) is written.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/string.h>
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

void vcpu_get_guest_state(struct per_cpu *c, struct x86_guest_state *s)
{
	memset(s, 0, sizeof(*s));
}

u64 vcpu_get_reg(struct per_cpu *c, unsigned int reg)
{
	return 0;
}

void vcpu_set_reg(struct per_cpu *c, unsigned int reg, u64 value)
{
}

void vcpu_skip_insn(struct per_cpu *c, unsigned int len)
{
}
