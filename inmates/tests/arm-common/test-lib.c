/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library test, ARM and ARM64: helpers, timer and GIC. */

/*
 * String helpers, 64-bit division, allocator, timer, delay and a timer
 * interrupt through the GIC on the boot CPU. Prints EXPECT lines and the
 * test summary.
 */

#include <inmate.h>

static volatile unsigned int irq_count, last_irq;
static volatile u64 fired_at;
static u64 deadline;

static void timer_handler(unsigned int irq)
{
	fired_at = timer_get_ticks();
	last_irq = irq;
	irq_count++;
	timer_stop();
}

static void test_strings(void)
{
	const char *option = "a=b";
	char buf[16];

	EXPECT_EQUAL(strlen("jailhouse"), 9);
	EXPECT_EQUAL(strlen(""), 0);
	EXPECT_TRUE(strcmp("abc", "abd") < 0);
	EXPECT_EQUAL(strncmp("abcX", "abcY", 3), 0);
	EXPECT_TRUE(strncmp("abcX", "abcY", 4) != 0);
	EXPECT_TRUE(strchr(option, '=') == option + 1);
	EXPECT_TRUE(strchr(option, 'x') == NULL);
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "cell", 5);
	EXPECT_STR_EQUAL(buf, "cell");
	EXPECT_EQUAL(buf[5], 'x');
	memmove(buf + 1, buf, 4);
	EXPECT_EQUAL(memcmp(buf, "ccell", 5), 0);
}

static void test_division(void)
{
	u64 rem;

	EXPECT_EQUAL(udiv64(1000000000000ULL, 62500000, &rem), 16000);
	EXPECT_EQUAL(rem, 0);
	EXPECT_EQUAL(udiv64(0xffffffffffffffffULL, 10, &rem),
		     1844674407370955161ULL);
	EXPECT_EQUAL(rem, 5);
}

static void test_alloc(void)
{
	unsigned long a = (unsigned long)alloc(3, 1);
	unsigned long b = (unsigned long)alloc(64, 64);
	unsigned long c = (unsigned long)alloc(8, 0);

	EXPECT_TRUE(a != 0);
	EXPECT_EQUAL(b % 64, 0);
	EXPECT_TRUE(b >= a + 3);
	EXPECT_EQUAL(c, b + 64);
	EXPECT_EQUAL(heap_pos, c + 8);
}

static void test_timer(void)
{
	unsigned long freq = timer_get_frequency();
	u64 start, elapsed;

	EXPECT_TRUE(freq >= 1000000);
	EXPECT_EQUAL(timer_ticks_to_ns(freq), 1000000000ULL);
	EXPECT_EQUAL(timer_ticks_to_ns(3 * (u64)freq / 2), 1500000000ULL);

	start = timer_get_ticks();
	delay_us(2000);
	elapsed = timer_get_ticks() - start;
	EXPECT_TRUE(timer_ticks_to_ns(elapsed) >= 2000000);
	EXPECT_TRUE(timer_get_ticks() > start);
}

static void test_timer_irq(void)
{
	u64 end;

	irq_init(NULL);
	irq_register(TIMER_IRQ, timer_handler);
	irq_enable(TIMER_IRQ);

	deadline = timer_get_ticks() + timer_get_frequency() / 100;
	timer_start_at(deadline);
	end = deadline + timer_get_frequency();
	/* Poll rather than wfi: a lost interrupt must not hang the test. */
	while (!irq_count && timer_get_ticks() < end)
		;

	EXPECT_EQUAL(irq_count, 1);
	EXPECT_EQUAL(last_irq, TIMER_IRQ);
	EXPECT_TRUE(fired_at >= deadline);
	EXPECT_TRUE(irq_entry_ticks() >= deadline);
	EXPECT_TRUE(irq_entry_ticks() <= fired_at);
	if (irq_count)
		printk("GIC v%u, timer IRQ %llu ns after its deadline\n",
		       gic_version(), timer_ticks_to_ns(fired_at - deadline));

	/* A stopped timer stays quiet. */
	delay_us(20000);
	EXPECT_EQUAL(irq_count, 1);
}

static void test_printk(void)
{
	/* Checked by pytest against the console log. */
	printk("printk: [%5d] [%-4s] [%04x] [%lld] [%llx] [%c] [%u]\n",
	       -42, "ab", 0xbe, -1234567890123LL, 0x123456789abcULL, 'J',
	       4000000000U);
}

void inmate_main(void)
{
	printk("test-lib: console %s, PSCI via %s, %s\n", console_type(),
	       psci_conduit(), comm_region ? "in a cell" : "bare");
	test_strings();
	test_division();
	test_alloc();
	test_timer();
	test_timer_irq();
	test_printk();
	test_summary();
}
