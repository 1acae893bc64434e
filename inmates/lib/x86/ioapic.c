/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: IOAPIC redirection entries. */

#include <arch.h>
#include <x86.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REDIR_TABLE	0x10

static void ioapic_write(unsigned int reg, u32 value)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	mmio_write32(IOAPIC_BASE + IOAPIC_WINDOW, value);
}

void ioapic_init(void)
{
	/* Nothing to set up globally: a cell owns single pins only. */
}

void ioapic_pin_set_vector(unsigned int pin,
			   enum ioapic_trigger_mode trigger_mode,
			   unsigned int vector)
{
	/* Destination first, then vector and unmask (fixed, physical). */
	ioapic_write(IOAPIC_REDIR_TABLE + pin * 2 + 1, cpu_apic_id() << 24);
	ioapic_write(IOAPIC_REDIR_TABLE + pin * 2,
		     trigger_mode | (vector & 0xff));
}
