/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: a small printk for every architecture. */

#include <inmate.h>

static void put_string(const char *s)
{
	while (*s)
		arch_console_putc(*s++);
}

static void put_number(unsigned long long value, unsigned int base)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[value % base];
		value /= base;
	} while (value);
	while (n)
		arch_console_putc(digits[--n]);
}

void printk(const char *fmt, ...)
{
	__builtin_va_list ap;
	long long value;

	__builtin_va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			if (*fmt == '\n')
				arch_console_putc('\r');
			arch_console_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			put_string(__builtin_va_arg(ap, const char *));
			break;
		case 'c':
			arch_console_putc(__builtin_va_arg(ap, int));
			break;
		case 'd':
			value = __builtin_va_arg(ap, int);
			if (value < 0) {
				arch_console_putc('-');
				value = -value;
			}
			put_number(value, 10);
			break;
		case 'u':
			put_number(__builtin_va_arg(ap, unsigned int), 10);
			break;
		case 'x':
			put_number(__builtin_va_arg(ap, unsigned int), 16);
			break;
		case 'l':
			if (fmt[1] == 'x') {
				fmt++;
				put_number(__builtin_va_arg(ap, unsigned long), 16);
			}
			break;
		case '\0':
			fmt--;
			break;
		default:
			arch_console_putc(*fmt);
		}
	}
	__builtin_va_end(ap);
}
