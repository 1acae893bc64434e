/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: the ports through which a write resets the
 * machine, as one class:
 *
 *   0xcf9  the chipset's reset control register (where q35's and PIIX's
 *          ACPI reset register points too): RST_CPU, SYS_RST, full reset;
 *   0x64   the keyboard controller's command port: "pulse output port"
 *          commands (0xf0..0xfe, even) pulse its reset line, "write output
 *          port" (0xd1) makes the next data byte (port 0x60) the output
 *          port, whose bit 0 low resets the CPU;
 *   0x60   that data byte;
 *   0x92   System Control Port A: bit 0 going to 1 is a fast reset.
 *
 * These ports exit for every cell, whatever its bitmap says
 * (x86_reset_ports_intercept()); who owns one is what the configs say
 * (port 0xcf9, among the PCI ports, is always the root's).  The owner's
 * accesses reach the hardware byte by byte, but a reset request:
 * the machine is the root's only while it runs alone, so its request goes
 * to the hardware then, as without the hypervisor (a reboot of the root's
 * Linux resets the machine); while non-root cells exist it is refused with
 * a console line and dropped, the cells run on (as ARM answers PSCI
 * SYSTEM_RESET).  A non-root cell's request stops the cell, as does its
 * access to any of these ports it does not own (x86_handle_io()).
 *
 * Not here: ACPI sleep states (PM1 control, SLP_EN), which the root's ACPI
 * PM block holds in its config, and the emulators' own exit ports the test
 * configs give the root (isa-debug-exit, Bochs's shutdown port).
 */

#include <hv/control.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define RESET_CONTROL_PORT	0xcf9
#define KBC_DATA_PORT		0x60
#define KBC_COMMAND_PORT	0x64
#define SYSCTL_A_PORT		0x92

#define CF9_RESET_BITS		0x0e	/* SYS_RST, RST_CPU, full reset */
#define KBC_WRITE_OUTPUT	0xd1
#define KBC_OUTPUT_RESET	0x01	/* output port bit 0: low resets */
#define SYSCTL_A_FAST_RESET	0x01

static const u16 reset_ports[] = {
	RESET_CONTROL_PORT, KBC_DATA_PORT, KBC_COMMAND_PORT, SYSCTL_A_PORT,
};

/* A KBC output port write (0xd1) went to the hardware, its data byte not. */
static bool kbc_output_pending;
static spinlock_t kbc_lock;

bool x86_reset_port(unsigned int port)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(reset_ports); n++)
		if (reset_ports[n] == port)
			return true;
	return false;
}

void x86_reset_ports_intercept(u8 *io_bitmap)
{
	unsigned int n, port;

	for (n = 0; n < ARRAY_SIZE(reset_ports); n++) {
		port = reset_ports[n];
		io_bitmap[port / 8] |= 1 << (port % 8);
	}
}

static bool config_has_port(const struct cell *cell, unsigned int port)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_pio_regions; n++, pio++)
		if (port >= pio->base && port - pio->base < pio->length)
			return true;
	return false;
}

/* The cell a reset port belongs to: the non-root cell whose config names
 * it, else the root if its config does (0xcf9: always); NULL: nobody. */
struct cell *x86_reset_port_owner(unsigned int port)
{
	struct cell *cell;

	if (port == RESET_CONTROL_PORT)
		return &root_cell;
	for (cell = root_cell.next; cell; cell = cell->next)
		if (config_has_port(cell, port))
			return cell;
	return config_has_port(&root_cell, port) ? &root_cell : NULL;
}

static bool owns(const struct cell *cell, unsigned int port)
{
	const u8 *io = cell->arch.io_bitmap;

	if (x86_reset_port(port))
		return x86_reset_port_owner(port) == cell;
	return !(io[port / 8] & (1 << (port % 8)));
}

/*
 * Whether the owner's write of @value to @port is a reset request; @safe:
 * what may reach the port instead while cells run (the value without its
 * reset bit, -1: nothing).  Called with kbc_lock held.
 */
static bool reset_request(unsigned int port, u8 value, int *safe)
{
	bool pending = kbc_output_pending;

	*safe = -1;
	if (port == KBC_COMMAND_PORT) {
		kbc_output_pending = value == KBC_WRITE_OUTPUT;
		/* pulse output port bits: bit 0 clear pulses reset */
		return (value & 0xf0) == 0xf0 && !(value & KBC_OUTPUT_RESET);
	}
	if (port == KBC_DATA_PORT) {
		kbc_output_pending = false;
		/* the output port's reset line stays high, A20 as asked */
		*safe = value | KBC_OUTPUT_RESET;
		return pending && !(value & KBC_OUTPUT_RESET);
	}
	if (port == SYSCTL_A_PORT) {
		*safe = value & ~SYSCTL_A_FAST_RESET;
		return value & SYSCTL_A_FAST_RESET;
	}
	if (port == RESET_CONTROL_PORT)
		return value & CF9_RESET_BITS;
	*safe = value;
	return false;
}

bool x86_reset_handle_io(struct per_cpu *c, struct guest_regs *regs,
			 const struct x86_io *io)
{
	unsigned int n, port, hit = 0;
	bool alone = !root_cell.next, refused = false;
	u64 value = 0;
	int safe;
	u8 byte;

	if (io->string)
		return false;
	for (n = 0; n < io->size; n++) {
		if (x86_reset_port(io->port + n))
			hit++;
		if (!owns(c->cell, io->port + n))
			return false;
	}
	if (!hit)
		return false;

	spin_lock(&kbc_lock);
	for (n = 0; n < io->size; n++) {
		port = io->port + n;
		if (io->in) {
			value |= (u64)inb(port) << (n * 8);
			continue;
		}
		byte = regs->rax >> (n * 8);
		/* the root alone: everything goes through */
		if (!reset_request(port, byte, &safe) ||
		    (c->cell == &root_cell && alone)) {
			outb(byte, port);
			continue;
		}
		refused = true;
		if (c->cell == &root_cell && safe >= 0)
			outb(safe, port);
	}
	spin_unlock(&kbc_lock);

	if (io->in) {
		regs->rax = io->size == 4 ? value :
			(regs->rax & ~((1ULL << (io->size * 8)) - 1)) | value;
		return true;
	}
	if (!refused)
		return true;
	if (c->cell != &root_cell) {
		printk("Cell \"%s\": reset request (port %x, %llx)\n",
		       c->cell->config->name, io->port, regs->rax &
		       ((1ULL << (io->size * 8)) - 1));
		return false;		/* stops it */
	}
	printk("Root cell: reset request (port %x, %02llx) refused while "
	       "cells run\n", io->port, regs->rax &
	       ((1ULL << (io->size * 8)) - 1));
	return true;
}
