/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: requests to reset the machine through the
 * chipset's reset control register, port 0xcf9 (where q35's and most PCs'
 * ACPI reset register points too).
 *
 * The port lies among the PCI configuration ports, which always exit.
 * The machine is the root's only while it runs alone: then its write goes
 * to the hardware, so a reboot of the root's Linux resets the machine as
 * without the hypervisor.  While non-root cells exist the request is
 * refused with a console line and dropped (as the ARM side answers PSCI
 * SYSTEM_RESET), the cells run on.  Reads give the register.  A non-root
 * cell's access is none of this: it stops the cell like any port it does
 * not own (x86_handle_io()).
 */

#include <hv/control.h>
#include <hv/printk.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define RESET_CONTROL_PORT	0xcf9

bool x86_reset_handle_io(struct per_cpu *c, struct guest_regs *regs,
			 const struct x86_io *io)
{
	u8 value = regs->rax;

	if (io->port != RESET_CONTROL_PORT || io->size != 1 || io->string ||
	    c->cell != &root_cell)
		return false;
	if (io->in) {
		regs->rax = (regs->rax & ~0xffULL) | inb(RESET_CONTROL_PORT);
	} else if (root_cell.next) {
		printk("Root cell: reset request (port cf9, %02x) refused while "
		       "cells run\n", value);
	} else {
		outb(value, RESET_CONTROL_PORT);
	}
	return true;
}
