/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library test, ARM and ARM64: PSCI and a second CPU. */

/*
 * PSCI and a second CPU. CPU 1 is started with smp_start_cpu() (PSCI
 * CPU_ON), runs on its own stack, takes a timer interrupt through its own
 * redistributor / CPU interface, gets a software-generated interrupt from
 * the boot CPU and is turned off again.
 */

#include <inmate.h>

#define SECONDARY_MPIDR		1
#define TEST_SGI		7

static volatile unsigned long seen_mpidr, sp_value;
static volatile unsigned int secondary_irqs, sgi_count, sgi_irq, stage;

static void secondary_sgi(unsigned int irq)
{
	sgi_irq = irq;
	sgi_count++;
}

static void secondary_timer(unsigned int irq)
{
	if (irq == TIMER_IRQ)
		secondary_irqs++;
	timer_stop();
}

static void secondary_main(void *arg)
{
	unsigned long sp;
	u64 end;

	asm volatile("mov %0, sp" : "=r" (sp));
	sp_value = sp;
	seen_mpidr = cpu_mpidr();
	stage = 1;
	/* Hold until the boot CPU has tried CPU_ON a second time. */
	while (stage != 2)
		;
	irq_init(NULL);
	irq_register(TIMER_IRQ, secondary_timer);
	irq_enable(TIMER_IRQ);
	timer_start(timer_get_frequency() / 1000);
	end = timer_get_ticks() + timer_get_frequency();
	while (!secondary_irqs && timer_get_ticks() < end)
		;
	irq_register(TEST_SGI, secondary_sgi);
	irq_enable(TEST_SGI);
	stage = 3;
	end = timer_get_ticks() + timer_get_frequency();
	while (!sgi_count && timer_get_ticks() < end)
		;
	stage = 4;
}

static bool wait_stage(unsigned int wanted)
{
	u64 end = timer_get_ticks() + 2 * timer_get_frequency();

	while (stage < wanted)
		if (timer_get_ticks() > end)
			return false;
	return true;
}

void inmate_main(void)
{
	long version = psci_version();

	printk("test-smp: PSCI %ld.%ld via %s on CPU %lx\n", version >> 16,
	       version & 0xffff, psci_conduit(), cpu_mpidr());
	EXPECT_TRUE(version >= 0x2);		/* PSCI 0.2 or later */
	EXPECT_EQUAL(cpu_mpidr(), 0);

	EXPECT_EQUAL(smp_start_cpu(SECONDARY_MPIDR, secondary_main, NULL,
				   2048), PSCI_SUCCESS);
	EXPECT_TRUE(wait_stage(1));
	EXPECT_EQUAL(seen_mpidr, SECONDARY_MPIDR);
	EXPECT_TRUE(sp_value > (unsigned long)&heap_pos);
	EXPECT_TRUE(sp_value <= heap_pos);
	printk("test-smp: CPU %lx up, stack at %lx\n", seen_mpidr, sp_value);

	EXPECT_EQUAL(psci_cpu_on(SECONDARY_MPIDR, 0, 0), PSCI_ALREADY_ON);
	EXPECT_EQUAL(psci_cpu_on(0x7f, 0, 0), PSCI_INVALID_PARAMETERS);
	stage = 2;

	EXPECT_TRUE(wait_stage(3));
	EXPECT_EQUAL(secondary_irqs, 1);

	irq_send_sgi(SECONDARY_MPIDR, TEST_SGI);
	EXPECT_TRUE(wait_stage(4));
	EXPECT_EQUAL(sgi_count, 1);
	EXPECT_EQUAL(sgi_irq, TEST_SGI);
	test_summary();
}
