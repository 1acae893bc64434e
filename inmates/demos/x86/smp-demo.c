/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: starts the cell's other CPUs (as many as the comm
 * region says, bare: option num-cpus=), trying APIC IDs upwards from 0;
 * each reports in, and the first CPU waits for all of them.
 */

#include <inmate.h>

#define MAX_APIC_ID	16
#define STACK_SIZE	4096

static volatile unsigned int online;
static volatile u32 reported[MAX_APIC_ID];

static void secondary(void *arg)
{
	u32 id = cpu_apic_id();

	printk("smp-demo: CPU with APIC ID %u up (started as #%lu)\n", id,
	       (unsigned long)arg);
	if (id < MAX_APIC_ID)
		reported[id] = 1;
	__atomic_fetch_add(&online, 1, __ATOMIC_SEQ_CST);
}

void inmate_main(void)
{
	unsigned int cpus = cell_num_cpus(), started = 1;
	u32 self = cpu_apic_id(), id;
	u64 end;

	printk("smp-demo: %u CPUs, this one has APIC ID %u\n", cpus, self);
	online = 1;
	for (id = 0; id < MAX_APIC_ID && started < cpus; id++) {
		if (id == self)
			continue;
		if (smp_start_cpu(id, secondary, (void *)(unsigned long)started,
				  STACK_SIZE) == 0)
			started++;
	}
	end = pm_timer_read() + 1000000000ULL;
	while (online < started && pm_timer_read() < end)
		asm volatile("pause");
	printk("smp-demo: %u of %u CPUs online\n", online, cpus);
}
