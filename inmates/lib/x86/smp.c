/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: starting the cell's other CPUs. */

#include <arch.h>
#include <x86.h>

#define ICR_INIT		0x00004500	/* INIT, level assert */
#define ICR_SIPI		0x00004600	/* start-up, vector 0 */
#define START_TIMEOUT_US	100000

static void (*volatile ap_entry)(void *arg);
static void *volatile ap_arg;
static volatile bool ap_started;

long smp_start_cpu(u32 apic_id, void (*entry)(void *arg), void *arg,
		   unsigned long stack_size)
{
	char *stack = alloc(stack_size, 16);
	u64 end;

	if (!stack)
		return -1;
	ap_entry = entry;
	ap_arg = arg;
	ap_started = false;
	smp_boot_stack = (unsigned long)stack + stack_size;
	asm volatile("mfence" : : : "memory");

	/* INIT, then start-up at vector 0: the reset entry at address 0. */
	__apic_send(apic_id, ICR_INIT);
	delay_us(10000);
	__apic_send(apic_id, ICR_SIPI);
	delay_us(200);
	if (!ap_started)
		__apic_send(apic_id, ICR_SIPI);

	end = pm_timer_read() + START_TIMEOUT_US * 1000ULL;
	while (!ap_started && pm_timer_read() < end)
		cpu_relax();
	smp_boot_stack = 0;
	return ap_started ? 0 : -1;
}

void __secondary_start(void)
{
	void (*entry)(void *arg) = ap_entry;
	void *arg = ap_arg;

	__int_load_table();
	ap_started = true;
	entry(arg);
	stop();
}
