/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: starts the cell's other CPUs (as many as the comm
 * region says, bare: option num-cpus=), trying APIC IDs upwards from 0;
 * each reports in, and the first CPU waits for all of them.  Then fixed
 * IPIs go between the CPUs of the cell: the first CPU sends one to every
 * other CPU in turn, which answers with one back; the first CPU reports how
 * many went both ways.
 */

#include <inmate.h>

#define MAX_APIC_ID	16
#define STACK_SIZE	4096
#define IPI_VECTOR	0x50
#define START_TIMEOUT_NS 1000000000ULL
#define IPI_TIMEOUT_NS	5000000000ULL

static volatile unsigned int online, answers;
static volatile u32 reported[MAX_APIC_ID], got_ipi[MAX_APIC_ID];
static u32 first_id;

static void ipi_handler(unsigned int vector)
{
	u32 id = cpu_apic_id();

	if (id == first_id)
		answers++;
	else if (id < MAX_APIC_ID)
		got_ipi[id] = 1;
}

static void secondary(void *arg)
{
	u32 id = cpu_apic_id();

	irq_init(NULL);
	printk("smp-demo: CPU with APIC ID %u up (started as #%lu), %s\n", id,
	       (unsigned long)arg, apic_x2apic_mode() ? "x2APIC" : "xAPIC");
	if (id < MAX_APIC_ID)
		reported[id] = 1;
	__atomic_fetch_add(&online, 1, __ATOMIC_SEQ_CST);

	if (id >= MAX_APIC_ID)
		return;
	/* sleep until the IPI came (sti's shadow covers the hlt) */
	arch_irq_disable();
	while (!got_ipi[id])
		asm volatile("sti; hlt; cli" : : : "memory");
	arch_irq_enable();
	apic_send_ipi(first_id, IPI_VECTOR);
}

void inmate_main(void)
{
	unsigned int cpus = cell_num_cpus(), started = 1, expected;
	u32 id;
	u64 end;

	first_id = cpu_apic_id();
	irq_register(IPI_VECTOR, ipi_handler);
	irq_init(NULL);
	printk("smp-demo: %u CPUs, this one has APIC ID %u\n", cpus, first_id);
	online = 1;
	for (id = 0; id < MAX_APIC_ID && started < cpus; id++) {
		if (id == first_id)
			continue;
		if (smp_start_cpu(id, secondary, (void *)(unsigned long)started,
				  STACK_SIZE) == 0)
			started++;
	}
	end = pm_timer_read() + START_TIMEOUT_NS;
	while (online < started && pm_timer_read() < end)
		asm volatile("pause");
	printk("smp-demo: %u of %u CPUs online\n", online, cpus);

	/* one CPU at a time: two answers of the same vector pending at
	 * once would be one interrupt */
	for (id = 0; id < MAX_APIC_ID; id++) {
		if (!reported[id])
			continue;
		expected = answers + 1;
		apic_send_ipi(id, IPI_VECTOR);
		end = pm_timer_read() + IPI_TIMEOUT_NS;
		while (answers < expected && pm_timer_read() < end)
			asm volatile("pause");
	}
	printk("smp-demo: fixed IPIs to and from %u of %u CPUs arrived\n",
	       answers, online - 1);
	for (id = 0; id < MAX_APIC_ID; id++)
		if (reported[id] && !got_ipi[id])
			printk("smp-demo: no IPI reached APIC ID %u\n", id);
}
