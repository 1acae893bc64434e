/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library: output, checks, memory helpers, the hypervisor
 * state queries and the scenario dispatch (see include/root.h).
 */

#include <root.h>

volatile unsigned int failures;

void __attribute__((weak)) print_lock(void)
{
}

void __attribute__((weak)) print_unlock(void)
{
}

static void put_num(unsigned long v, unsigned int base)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		putc(buf[--n]);
}

static void vprint(const char *fmt, __builtin_va_list ap)
{
	long v;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			puts(__builtin_va_arg(ap, const char *));
			break;
		case 'd':
			v = __builtin_va_arg(ap, long);
			if (v < 0) {
				putc('-');
				v = -v;
			}
			put_num(v, 10);
			break;
		case 'x':
			put_num(__builtin_va_arg(ap, unsigned long), 16);
			break;
		}
	}
}

void printf(const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	print_lock();
	vprint(fmt, ap);
	print_unlock();
	__builtin_va_end(ap);
}

void fail(long line, const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	print_lock();
	puts("ROOT: FAIL line ");
	put_num(line, 10);
	puts(": ");
	vprint(fmt, ap);
	puts("\n");
	failures++;
	print_unlock();
	__builtin_va_end(ap);
}

void memcpy8(void *dst, const void *src, unsigned long n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

void memset8(void *dst, int c, unsigned long n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = c;
}

/* The compiler emits calls to these for structure copies. */
void *memcpy(void *dst, const void *src, unsigned long n)
{
	memcpy8(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, unsigned long n)
{
	memset8(dst, c, n);
	return dst;
}

bool same_string(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

long pool_used(void)
{
	return hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
		  JAILHOUSE_INFO_MEM_POOL_USED, 0);
}

long remap_used(void)
{
	return hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
		  JAILHOUSE_INFO_REMAP_POOL_USED, 0);
}

void sleep_ms(unsigned long ms)
{
	unsigned long end = now_ms() + ms;

	while (now_ms() < end)
		cpu_relax();
}

long wait_state(long id, long state)
{
	unsigned long end = now_ms() + WAIT_MS;
	long now;

	do
		now = hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0);
	while (now != state && now_ms() < end);
	return now;
}

void run_scenario(const char *name, const struct scenario *table,
		  unsigned int count)
{
	unsigned int n;

	for (n = 0; n < count; n++)
		if (same_string(name, table[n].name))
			break;
	if (n < count)
		table[n].run();
	else
		fail(__LINE__, "unknown scenario \"%s\"", name);
	printf("ROOT: RESULT %s (%d failures)\n", failures ? "FAIL" : "PASS",
	       (long)failures);
	root_exit(failures ? 1 : 0);
}
