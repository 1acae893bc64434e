/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo, ARM and ARM64: timer interrupt jitter via the GIC. */

/*
 * The generic timer interrupts at 10 Hz through the GIC; each tick prints
 * how late it arrived against the programmed counter deadline, with the
 * minimum and maximum so far.
 *
 * Options: hz=<rate> (default 10), ticks=<n> (stop after n ticks; default
 * 0: run forever), latency (also print the delay from expiry to the
 * exception vector, in counter ticks), busy (spin between ticks instead of
 * waiting in wfi).
 */

#include <inmate.h>

static u64 period, deadline;
static u64 min_ns = ~0ULL, max_ns;
static bool show_latency;
static volatile unsigned long ticks;

static void timer_handler(unsigned int irq)
{
	u64 now = timer_get_ticks();
	u64 jitter = timer_ticks_to_ns(now - deadline);

	if (jitter < min_ns)
		min_ns = jitter;
	if (jitter > max_ns)
		max_ns = jitter;
	printk("Timer fired, jitter: %6llu ns, min: %6llu ns, max: %6llu ns\n",
	       jitter, min_ns, max_ns);
	if (show_latency)
		printk("Latency: vector entry +%llu ticks, handler +%llu ticks\n",
		       irq_entry_ticks() - deadline, now - deadline);

	/* Next tick on the original grid, so lateness does not add up. */
	deadline += period;
	timer_start_at(deadline);
	ticks++;
}

void inmate_main(void)
{
	unsigned long hz = cmdline_parse_int("hz", 10);
	unsigned long max_ticks = cmdline_parse_int("ticks", 0);
	unsigned long freq = timer_get_frequency();

	bool busy = cmdline_parse_bool("busy", false);

	show_latency = cmdline_parse_bool("latency", false);
	if (hz == 0)
		hz = 10;

	printk("Initializing the GIC (v%u)...\n", gic_version());
	irq_init(NULL);
	irq_register(TIMER_IRQ, timer_handler);
	irq_enable(TIMER_IRQ);

	printk("Initializing the timer: %lu Hz counter, %lu Hz ticks...\n",
	       freq, hz);
	period = freq / hz;
	deadline = timer_get_ticks() + period;
	timer_start_at(deadline);

	while (!max_ticks || ticks < max_ticks) {
		if (!busy)
			asm volatile("wfi" : : : "memory");
		/* Answer the hypervisor, should it ask (non-passive cells). */
		comm_region_service(true);
	}
	timer_stop();
	printk("gic-demo: %lu ticks done, jitter min %llu ns, max %llu ns\n",
	       ticks, min_ns, max_ns);
}
