/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: two CPUs of a cell race on the IOAPIC's
 * register window.  The first writes a masked entry to the pin the cell
 * owns (select, then the window) over and over; the second keeps
 * selecting a pin the cell does not own (the root's).  The hypervisor's
 * check of a window write and the write itself must name the same pin:
 * the root's entry stays as it was, whoever selected what in between.
 * Options: own=<pin> (10), foreign=<pin> (11), rounds=<n> (3000),
 * racer=<APIC ID> of the second CPU (this one's + 1).
 */

#include <inmate.h>
#include <arch.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define REDIR(pin)	(0x10 + 2 * (pin))
#define MARK		0x00010077	/* masked, vector 0x77 */
#define STACK_SIZE	4096
#define START_TIMEOUT_NS 1000000000ULL

static volatile unsigned int racing, done, selects;
static unsigned int foreign;

/* Selects at varying distances, so that some fall between the other
 * CPU's select and window write, some into the hypervisor's handling of
 * that write. */
static void racer(void *arg)
{
	unsigned int delay;

	racing = 1;
	while (!done) {
		mmio_write32(IOAPIC_BASE + IOREGSEL, REDIR(foreign));
		for (delay = (selects++ * 7919) % 512; delay; delay--)
			cpu_relax();
	}
}

void inmate_main(void)
{
	unsigned int own = cmdline_parse_int("own", 10), rounds, n;
	u32 self = cpu_apic_id();
	u64 end;

	foreign = cmdline_parse_int("foreign", 11);
	rounds = cmdline_parse_int("rounds", 3000);
	smp_start_cpu(cmdline_parse_int("racer", self + 1), racer, NULL,
		      STACK_SIZE);
	end = pm_timer_read() + START_TIMEOUT_NS;
	while (!racing && pm_timer_read() < end)
		cpu_relax();
	if (!racing) {
		printk("ioapic-race: no second CPU\n");
		return;
	}
	for (n = 0; n < rounds; n++) {
		mmio_write32(IOAPIC_BASE + IOREGSEL, REDIR(own));
		mmio_write32(IOAPIC_BASE + IOWIN, MARK);
	}
	done = 1;
	printk("ioapic-race: %u writes of pin %u against %u selects of pin "
	       "%u, done\n", rounds, own, selects, foreign);
}
