/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: ACPI PM timer, TSC, delays. */

#include <arch.h>
#include <x86.h>

#define PM_TIMER_MASK		0xffffff	/* 24 bits are always there */
#define NS_PER_SEC		1000000000ULL
#define CALIBRATION_US		10000

static u16 pm_port;
static u64 pm_ticks;		/* extended counter */
static u32 pm_last;
static int pm_lock;		/* the two above, shared by the cell's CPUs */
static unsigned long tsc_freq_khz;

u16 pm_timer_port(void)
{
	if (!pm_port) {
		if (comm_region && comm_region->pm_timer_address)
			pm_port = comm_region->pm_timer_address;
		else
			pm_port = cmdline_parse_int("pm-timer",
						    PM_TIMER_DEFAULT_PORT);
	}
	return pm_port;
}

/* ticks * 10^9 / hz without overflowing 64 bits. */
static u64 scale_to_ns(u64 ticks, u64 hz)
{
	u64 rem, seconds = udiv64(ticks, hz, &rem);

	return seconds * NS_PER_SEC + udiv64(rem * NS_PER_SEC, hz, NULL);
}

/*
 * The 24-bit counter extended to 64 bits.  Every CPU of the cell reads it:
 * reading the port and moving the extension on is one step under a lock,
 * with interrupts off (a handler may read the timer too), or a CPU that
 * read an older value than another CPU's last one would add a whole wrap
 * (4.7 s).
 */
u64 pm_timer_read(void)
{
	unsigned long flags;
	u64 ticks;
	u32 now;

	asm volatile("pushf; pop %0; cli" : "=r" (flags) : : "memory");
	while (__atomic_exchange_n(&pm_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	now = inl(pm_timer_port()) & PM_TIMER_MASK;
	pm_ticks += (now - pm_last) & PM_TIMER_MASK;
	pm_last = now;
	ticks = pm_ticks;
	__atomic_store_n(&pm_lock, 0, __ATOMIC_RELEASE);
	asm volatile("push %0; popf" : : "r" (flags) : "memory", "cc");
	return scale_to_ns(ticks, PM_TIMER_HZ);
}

void delay_us(unsigned long us)
{
	u64 end = pm_timer_read() + (u64)us * 1000;

	while (pm_timer_read() < end)
		cpu_relax();
}

unsigned long tsc_khz(void)
{
	u64 start_ns, start_tsc, elapsed_ns;

	if (tsc_freq_khz)
		return tsc_freq_khz;
	if (comm_region && comm_region->tsc_khz) {
		tsc_freq_khz = comm_region->tsc_khz;
		return tsc_freq_khz;
	}
	start_ns = pm_timer_read();
	start_tsc = rdtsc();
	delay_us(CALIBRATION_US);
	elapsed_ns = pm_timer_read() - start_ns;
	tsc_freq_khz = udiv64((rdtsc() - start_tsc) * 1000000, elapsed_ns,
			      NULL);
	return tsc_freq_khz;
}

u64 tsc_read_ns(void)
{
	return scale_to_ns(rdtsc(), (u64)tsc_khz() * 1000);
}
