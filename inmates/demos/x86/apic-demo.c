/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: the local APIC timer fires at 10 Hz (option hz=);
 * each tick prints its jitter against the ACPI PM timer.  The cell locks
 * the configuration while it runs (no cell create or disable meanwhile)
 * and denies the first shutdown request; the second one is approved.
 * Option ticks=N: stop after N ticks (default: run until shut down).
 */

#include <inmate.h>

#define TIMER_VECTOR	32

static u64 period_ns, expected_ns;
static s64 min_jitter = 0x7fffffffffffffffLL, max_jitter;
static volatile unsigned long ticks;

static void timer_handler(unsigned int vector)
{
	u64 now = pm_timer_read();
	s64 jitter = (s64)(now - expected_ns);

	if (jitter < min_jitter)
		min_jitter = jitter;
	if (jitter > max_jitter)
		max_jitter = jitter;
	printk("Timer fired, jitter: %6lld ns, min: %6lld ns, max: %6lld ns\n",
	       jitter, min_jitter, max_jitter);
	expected_ns += period_ns;
	/* Next deadline from the expected time: no drift. */
	apic_timer_set(expected_ns > now ? expected_ns - now : 1);
	ticks++;
}

void inmate_main(void)
{
	unsigned long hz = cmdline_parse_int("hz", 10);
	unsigned long limit = cmdline_parse_int("ticks", 0);
	bool denied = false;
	unsigned long khz;
	u32 msg;

	comm_region_set_state(JAILHOUSE_CELL_RUNNING_LOCKED);
	if (comm_region)
		printk("apic-demo: cell is running/locked, the first shutdown "
		       "request will be denied\n");

	irq_init(NULL);
	irq_register(TIMER_VECTOR, timer_handler);
	khz = apic_timer_init(TIMER_VECTOR);
	printk("Calibrated APIC frequency: %lu kHz, TSC %lu kHz\n", khz,
	       tsc_khz());

	period_ns = udiv64(1000000000ULL, hz ? hz : 10, NULL);
	expected_ns = pm_timer_read() + period_ns;
	apic_timer_set(period_ns);

	/*
	 * The loop prints with interrupts off, so that no tick's line lands
	 * in the middle of its own; "sti; hlt" lets the next tick in only
	 * once the CPU waits.
	 */
	arch_irq_disable();
	while (!limit || ticks < limit) {
		asm volatile("sti; hlt; cli" : : : "memory");
		msg = comm_region_service(denied);
		if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST) {
			if (denied)
				break;
			denied = true;
			printk("apic-demo: shutdown request denied, ask again "
			       "to stop the cell\n");
		}
	}
	apic_timer_set(0);
	arch_irq_disable();
	if (limit && ticks >= limit)
		printk("apic-demo: %lu ticks done\n", ticks);
	else
		printk("apic-demo: second shutdown request approved\n");
}
