/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library, x86: local APIC (xAPIC or x2APIC), its timer.
 *
 * A CPU that has x2APIC is switched to it when the library sets up its
 * APIC (option xapic keeps xAPIC mode): its registers are MSRs then, and
 * under the hypervisor EOI and timer writes cost no exit, where every
 * xAPIC register write does (the hypervisor emulates the page's writes).
 */

#include <arch.h>
#include <x86.h>

#define MSR_APIC_BASE		0x1b
# define APIC_BASE_EXTD		(1 << 10)
#define MSR_X2APIC_BASE		0x800
#define CPUID_X2APIC		(1U << 21)

#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
# define APIC_SVR_ENABLE	0x100
# define APIC_SPURIOUS_VECTOR	0xff
#define APIC_ICR		0x300
# define APIC_ICR_PENDING	(1 << 12)
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
# define APIC_LVT_MASKED	(1 << 16)
# define APIC_LVT_PERIODIC	(1 << 17)
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0
# define APIC_DIVIDE_BY_1	0xb

#define CALIBRATION_US		10000

static unsigned long timer_khz;
static unsigned int timer_vector;
static bool timer_periodic;

static bool x2apic(void)
{
	return read_msr(MSR_APIC_BASE) & APIC_BASE_EXTD;
}

bool apic_x2apic_mode(void)
{
	return x2apic();
}

static u32 apic_read(unsigned int reg)
{
	if (x2apic())
		return read_msr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(APIC_BASE + reg);
}

static void apic_write(unsigned int reg, u32 value)
{
	if (x2apic())
		write_msr(MSR_X2APIC_BASE + (reg >> 4), value);
	else
		mmio_write32(APIC_BASE + reg, value);
}

u32 cpu_apic_id(void)
{
	if (x2apic())
		return read_msr(MSR_X2APIC_BASE + (APIC_ID >> 4));
	return mmio_read32(APIC_BASE + APIC_ID) >> 24;
}

void __apic_send(u32 apic_id, u32 low)
{
	if (x2apic()) {
		write_msr(MSR_X2APIC_BASE + (APIC_ICR >> 4),
			  (u64)apic_id << 32 | low);
		return;
	}
	while (mmio_read32(APIC_BASE + APIC_ICR) & APIC_ICR_PENDING)
		cpu_relax();
	mmio_write32(APIC_BASE + APIC_ICR_HIGH, apic_id << 24);
	mmio_write32(APIC_BASE + APIC_ICR, low);
}

void apic_send_ipi(u32 apic_id, unsigned int vector)
{
	__apic_send(apic_id, vector & 0xff);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

static void apic_choose_mode(void)
{
	u64 base = read_msr(MSR_APIC_BASE);
	u32 eax, ebx, ecx, edx;

	if (base & APIC_BASE_EXTD || cmdline_parse_bool("xapic", false))
		return;
	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	if (ecx & CPUID_X2APIC)
		write_msr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
}

void __apic_cpu_init(void)
{
	apic_choose_mode();
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	apic_write(APIC_TPR, 0);
}

unsigned long apic_timer_init(unsigned int vector)
{
	u64 start, elapsed;
	u32 remaining;

	__apic_cpu_init();
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_1);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	if (comm_region && comm_region->apic_khz) {
		timer_khz = comm_region->apic_khz;
	} else if (!timer_khz) {
		/* Count down for 10 ms of PM timer.  The APIC counts a bit
		 * longer than the PM timer window: the frequency comes out
		 * high rather than low, so timers fire late, never early. */
		apic_write(APIC_TIMER_INITIAL, 0xffffffff);
		start = pm_timer_read();
		delay_us(CALIBRATION_US);
		elapsed = pm_timer_read() - start;
		remaining = apic_read(APIC_TIMER_CURRENT);
		timer_khz = udiv64((u64)(0xffffffff - remaining) * 1000000,
				   elapsed, NULL);
		apic_write(APIC_TIMER_INITIAL, 0);
	}
	timer_vector = vector & 0xff;
	timer_periodic = false;
	apic_write(APIC_LVT_TIMER, timer_vector);
	return timer_khz;
}

static u32 timer_count(u64 timeout_ns)
{
	u64 count = udiv64(timeout_ns * timer_khz, 1000000, NULL);

	if (timeout_ns && !count)
		count = 1;
	return count > 0xffffffff ? 0xffffffff : (u32)count;
}

/* The LVT only when the timer mode changes: under the hypervisor an LVT
 * write is an exit in both APIC modes. */
void apic_timer_set(u64 timeout_ns)
{
	if (timer_periodic) {
		apic_write(APIC_LVT_TIMER, timer_vector);
		timer_periodic = false;
	}
	apic_write(APIC_TIMER_INITIAL, timer_count(timeout_ns));
}

void apic_timer_periodic(u64 period_ns)
{
	if (!timer_periodic) {
		apic_write(APIC_LVT_TIMER, timer_vector | APIC_LVT_PERIODIC);
		timer_periodic = true;
	}
	apic_write(APIC_TIMER_INITIAL, timer_count(period_ns));
}

u32 apic_timer_since_expiry(void)
{
	return apic_read(APIC_TIMER_INITIAL) - apic_read(APIC_TIMER_CURRENT);
}
