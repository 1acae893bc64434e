/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: an interrupt through the IOAPIC.  The ACPI PM
 * timer's overflow event (every 2^24 ticks, about 4.7 s) raises the SCI,
 * IOAPIC pin 9 (option pin=); the handler prints and acknowledges it.
 * The cell must own the pin and the PM1 event registers: Linux loses its
 * ACPI interrupt while this runs.  Option irqs=N: stop after N interrupts.
 */

#include <inmate.h>
#include <arch.h>

#define PM1_STATUS	0
#define PM1_ENABLE	2
# define PM1_TMR	(1 << 0)
#define SCI_VECTOR	33

static u16 pm_base;
static volatile unsigned int irqs;

static void sci_handler(unsigned int vector)
{
	u16 status = inw(pm_base + PM1_STATUS);

	irqs++;
	printk("ACPI IRQ received, status: %04x\n", status);
	outw(status, pm_base + PM1_STATUS);	/* write 1 to clear */
}

void inmate_main(void)
{
	unsigned int pin = cmdline_parse_int("pin", 9);
	unsigned int limit = cmdline_parse_int("irqs", 0);

	pm_base = pm_timer_port() - 8;
	irq_init(NULL);
	irq_register(SCI_VECTOR, sci_handler);
	ioapic_init();
	ioapic_pin_set_vector(pin, TRIGGER_LEVEL_ACTIVE_HIGH, SCI_VECTOR);
	outw(PM1_TMR, pm_base + PM1_STATUS);
	outw(inw(pm_base + PM1_ENABLE) | PM1_TMR, pm_base + PM1_ENABLE);
	printk("ioapic-demo: PM timer overflow on IOAPIC pin %u, vector %u\n",
	       pin, SCI_VECTOR);

	while (!limit || irqs < limit)
		asm volatile("hlt");
	outw(inw(pm_base + PM1_ENABLE) & ~PM1_TMR, pm_base + PM1_ENABLE);
	arch_irq_disable();
	printk("ioapic-demo: %u interrupts done\n", irqs);
}
