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

const unsigned int vcpu_io_bitmap_pages = 2, vcpu_msr_bitmap_pages = 1;
const u32 vcpu_vendor_msrs[] = { 0 };

void vcpu_msr_intercept(void *msr_bitmap, u32 msr)
{
}

int vcpu_vendor_msr(u32 msr, bool write, u64 *val)
{
	return -1;
}

u64 vcpu_get_efer(struct per_cpu *c)
{
	return 0;
}

void vcpu_set_efer(struct per_cpu *c, u64 efer)
{
}

unsigned int vcpu_cpl(struct per_cpu *c)
{
	return 0;
}

void vcpu_skip_insn(struct per_cpu *c)
{
}

void vcpu_inject(struct per_cpu *c, unsigned int vector)
{
}

void vcpu_exit_details(struct per_cpu *c, u64 info[4])
{
}

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

void vcpu_advance_rip(struct per_cpu *c, unsigned int len)
{
}

void vcpu_msr_pass(void *msr_bitmap, u32 msr, bool write)
{
}
