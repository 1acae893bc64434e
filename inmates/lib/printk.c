/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: a small printk for every architecture. */

#include <inmate.h>

struct spec {
	unsigned int width;
	bool zero_pad;
	bool left;
};

static void put_padded(const char *s, unsigned int len, const struct spec *sp,
		       bool negative)
{
	unsigned int total = len + (negative ? 1 : 0);
	unsigned int pad = sp->width > total ? sp->width - total : 0;

	if (!sp->left && !sp->zero_pad)
		while (pad--)
			arch_console_putc(' ');
	if (negative)
		arch_console_putc('-');
	if (!sp->left && sp->zero_pad)
		while (pad--)
			arch_console_putc('0');
	while (len--)
		arch_console_putc(*s++);
	if (sp->left)
		while (pad--)
			arch_console_putc(' ');
}

static void put_number(unsigned long long value, unsigned int base,
		       bool upper, bool negative, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	unsigned int n = sizeof(buf);

	u64 digit;

	do {
		value = udiv64(value, base, &digit);
		buf[--n] = digits[digit];
	} while (value);
	put_padded(buf + n, sizeof(buf) - n, sp, negative);
}

void printk(const char *fmt, ...)
{
	__builtin_va_list ap;
	unsigned long long uvalue;
	long long value;
	struct spec sp;
	const char *s;
	int longs;
	char c;

	__builtin_va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			if (*fmt == '\n')
				arch_console_putc('\r');
			arch_console_putc(*fmt);
			continue;
		}
		sp = (struct spec){ 0, false, false };
		for (fmt++; *fmt == '0' || *fmt == '-'; fmt++) {
			if (*fmt == '0')
				sp.zero_pad = true;
			else
				sp.left = true;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		for (longs = 0; *fmt == 'l'; fmt++)
			longs++;

		switch (*fmt) {
		case 's':
			s = __builtin_va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			sp.zero_pad = false;
			put_padded(s, strlen(s), &sp, false);
			break;
		case 'c':
			c = __builtin_va_arg(ap, int);
			sp.zero_pad = false;
			put_padded(&c, 1, &sp, false);
			break;
		case 'd':
		case 'i':
			if (longs >= 2)
				value = __builtin_va_arg(ap, long long);
			else if (longs == 1)
				value = __builtin_va_arg(ap, long);
			else
				value = __builtin_va_arg(ap, int);
			uvalue = value < 0 ? -(unsigned long long)value :
				(unsigned long long)value;
			put_number(uvalue, 10, false, value < 0, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
			if (longs >= 2)
				uvalue = __builtin_va_arg(ap, unsigned long long);
			else if (longs == 1)
				uvalue = __builtin_va_arg(ap, unsigned long);
			else
				uvalue = __builtin_va_arg(ap, unsigned int);
			put_number(uvalue, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				   false, &sp);
			break;
		case 'p':
			arch_console_putc('0');
			arch_console_putc('x');
			put_number((unsigned long)__builtin_va_arg(ap, void *),
				   16, false, false, &sp);
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
