/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: generic timer (virtual view). */

#include <arch.h>
#include <arm-common.h>

#define CNTV_CTL_ENABLE		(1 << 0)
#define NSEC_PER_SEC		1000000000ULL

unsigned long timer_get_frequency(void)
{
	return arch_read_cntfrq();
}

u64 timer_get_ticks(void)
{
	return arch_read_cntvct();
}

u64 timer_ticks_to_ns(u64 ticks)
{
	u64 freq = timer_get_frequency(), rem;
	u64 secs = udiv64(ticks, freq, &rem);

	/* rem < freq < 2^32: rem * 10^9 cannot overflow. */
	return secs * NSEC_PER_SEC + udiv64(rem * NSEC_PER_SEC, freq, NULL);
}

void timer_start_at(u64 deadline)
{
	arch_write_cntv_cval(deadline);
	arch_write_cntv_ctl(CNTV_CTL_ENABLE);
}

void timer_start(u64 ticks)
{
	timer_start_at(timer_get_ticks() + ticks);
}

void timer_stop(void)
{
	arch_write_cntv_ctl(0);
}

void delay_us(unsigned long us)
{
	u64 end = timer_get_ticks() +
		udiv64((u64)us * timer_get_frequency(), 1000000, NULL);

	while (timer_get_ticks() < end)
		;
}
