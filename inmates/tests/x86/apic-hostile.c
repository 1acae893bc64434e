/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: a one-CPU cell aims fixed IPIs, NMIs, INIT
 * and SIPI at every other APIC ID (the root's CPUs and other cells'), then
 * broadcasts INIT; the hypervisor must drop all of it while everybody
 * else runs on.  Fixed IPIs to itself still arrive.  The APIC is in
 * x2APIC mode where the CPU has it (the library's choice), so both ways of
 * writing the ICR meet the hypervisor's checks.
 */

#include <inmate.h>
#include <arch.h>
#include <x86.h>

#define MAX_APIC_ID	4
#define SELF_VECTOR	0x40
#define ICR_NMI		0x00004400
#define ICR_INIT	0x00004500
#define ICR_SIPI	0x00004600
#define ICR_OTHERS	0x000c0000	/* shorthand: all excluding self */
#define XAPIC_BASE	0xfee00000UL
#define APIC_LDR_OFFSET	0x0d0

static volatile unsigned int self_ipis;

static void self_ipi(unsigned int vector)
{
	self_ipis++;
}

void inmate_main(void)
{
	u32 self = cpu_apic_id(), id;
	u64 end;

	irq_register(SELF_VECTOR, self_ipi);
	irq_init(NULL);
	printk("apic-hostile: APIC ID %u, %s mode\n", self,
	       apic_x2apic_mode() ? "x2APIC" : "xAPIC");

	for (id = 0; id < MAX_APIC_ID; id++) {
		if (id == self)
			continue;
		apic_send_ipi(id, SELF_VECTOR);
		__apic_send(id, ICR_NMI);
		__apic_send(id, ICR_INIT);
		__apic_send(id, ICR_SIPI | 0x08);
		__apic_send(id, ICR_SIPI | 0x08);
	}
	__apic_send(0xff, ICR_INIT);			/* physical broadcast */
	__apic_send(0, ICR_OTHERS | ICR_INIT);
	__apic_send(0, ICR_OTHERS | SELF_VECTOR);

	/*
	 * Join every logical group (flat model): the root's logical interrupt
	 * routes would reach this CPU too.  In x2APIC mode the logical ID is
	 * read-only.
	 */
	if (!apic_x2apic_mode()) {
		mmio_write32(XAPIC_BASE + APIC_LDR_OFFSET, 0xff000000);
		printk("apic-hostile: logical ID %s\n",
		       mmio_read32(XAPIC_BASE + APIC_LDR_OFFSET) ==
		       0xff000000 ? "joins the root's groups" :
		       "of the root's groups not taken");
	} else {
		printk("apic-hostile: logical ID of the root's groups not "
		       "taken\n");
	}

	apic_send_ipi(self, SELF_VECTOR);
	end = pm_timer_read() + 100000000ULL;
	while (!self_ipis && pm_timer_read() < end)
		cpu_relax();
	printk("apic-hostile: %u IPI to itself, done\n", self_ipis);
}
