/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test of hypervisor/printk.c: the format conversions, in particular
 * the l and ll length modifiers and 64-bit numbers on 32-bit hosts.
 */

#include <hv/control.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/uart.h>
#include "host.h"

struct jailhouse_system *system_config;
const struct uart_chip uart_pl011_ops, uart_8250_ops;

void *paging_remap(phys_addr_t phys, unsigned long size, unsigned long flags)
{
	return NULL;
}

static unsigned int seen;

/* Whether the console received exactly @expect since the last call. */
static bool printed(const char *expect)
{
	unsigned int len = 0, n;
	bool ok;

	while (expect[len])
		len++;
	ok = console_ring.tail - seen == len;
	for (n = 0; ok && n < len; n++)
		ok = console_ring.content[(seen + n) % JAILHOUSE_CONSOLE_SIZE] ==
			expect[n];
	if (!ok)
		printf("  console: \"%.*s\", expected \"%s\"\n",
		       (int)(console_ring.tail - seen),
		       &console_ring.content[seen % JAILHOUSE_CONSOLE_SIZE],
		       expect);
	seen = console_ring.tail;
	return ok;
}

int main(void)
{
	printk("%d %u %x %s %c|", -42, 42u, 0xbeefu, "str", 'c');
	CHECK(printed("-42 42 beef str c|"));
	printk("%ld %lu %lx|", -1L, ~0UL, 0x12345678UL);
	CHECK(printed(BITS_PER_LONG == 64 ?
		      "-1 18446744073709551615 12345678|" :
		      "-1 4294967295 12345678|"));
	printk("%lld %llu %llx|", -1234567890123LL, 18446744073709551615ULL,
	       0x123456789abcdefULL);
	CHECK(printed("-1234567890123 18446744073709551615 123456789abcdef|"));
	/* Arguments after a 64-bit one stay in place. */
	printk("%llx %u %lu %d|", 0x100000000ULL, 7u, 8UL, 9);
	CHECK(printed("100000000 7 8 9|"));
	printk("%08x %4u %p|", 0xabcu, 5u, (void *)0x1000);
	CHECK(printed("00000abc    5 0x1000|"));
	printk("a\nb");
	CHECK(printed("a\r\nb"));
	return host_done("printk");
}
