/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: console output (debug UART and console ring page). */

#include <hv/control.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/uart.h>
#include <jailhouse/console.h>

/* The driver finds this page through the image header (console_page). */
struct jailhouse_console_ring console_ring
	__attribute__((aligned(PAGE_SIZE), section(".bss.page")));

static spinlock_t console_lock;
static struct uart_chip uart;
static bool uart_ready;

static const struct uart_driver uart_drivers[] = {
	{ JAILHOUSE_CON_TYPE_PL011, &uart_pl011_ops },
	{ JAILHOUSE_CON_TYPE_8250, &uart_8250_ops },
};

void console_init(void)
{
	const struct jailhouse_console *con = &system_config->debug_console;
	unsigned int n;

	console_ring.size = JAILHOUSE_CONSOLE_SIZE;
	if (!con->address || (!CON_IS_MMIO(con->flags) && !ARCH_HAS_PIO))
		return;
	for (n = 0; n < sizeof(uart_drivers) / sizeof(uart_drivers[0]); n++) {
		if (uart_drivers[n].type != con->type)
			continue;
		uart = *uart_drivers[n].chip;
		uart.info = con;
		if (CON_IS_MMIO(con->flags)) {
			uart.virt_base = paging_remap(con->address, PAGE_SIZE,
						      PAGE_DEFAULT | PAGE_DEVICE);
			if (!uart.virt_base)
				return;
		}
		uart.init(&uart);
		uart_ready = true;
	}
}

static void emit(char c)
{
	console_ring.content[console_ring.tail & (JAILHOUSE_CONSOLE_SIZE - 1)] = c;
	console_ring.tail++;
	if (uart_ready) {
		while (uart.is_busy(&uart))
			cpu_relax();
		uart.write_char(&uart, c);
	}
}

static void put(char c)
{
	if (c == '\n')
		emit('\r');
	emit(c);
}

static void begin(void)
{
	spin_lock(&console_lock);
	console_ring.busy = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void end(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	console_ring.busy = 0;
	spin_unlock(&console_lock);
}

void console_putc(char c)
{
	begin();
	put(c);
	end();
}

/*
 * *v / base, leaving the remainder: the compiler's division where longs
 * are 64 bits wide, bit by bit elsewhere (no libgcc helper on 32-bit).
 */
static unsigned int div_rem(unsigned long long *v, unsigned int base)
{
	unsigned long long q = 0, r = 0;
	int bit;

	if (BITS_PER_LONG == 64) {
		r = *v % base;
		*v /= base;
		return r;
	}
	for (bit = 63; bit >= 0; bit--) {
		r = (r << 1) | ((*v >> bit) & 1);
		if (r >= base) {
			r -= base;
			q |= 1ULL << bit;
		}
	}
	*v = q;
	return r;
}

static void put_num(unsigned long long v, unsigned int base, int width,
		    char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[div_rem(&v, base)];
	} while (v);
	while (width-- > n)
		put(pad);
	while (n)
		put(buf[--n]);
}

void printk(const char *fmt, ...)
{
	__builtin_va_list ap;
	unsigned long long v;
	int width, longs;
	const char *s;
	char pad;

	__builtin_va_start(ap, fmt);
	begin();
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(*fmt);
			continue;
		}
		pad = ' ';
		width = longs = 0;
		if (*++fmt == '0')
			pad = *fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			for (s = __builtin_va_arg(ap, const char *); *s; s++)
				put(*s);
			break;
		case 'c':
			put(__builtin_va_arg(ap, int));
			break;
		case 'p':
			put('0');
			put('x');
			put_num((unsigned long)__builtin_va_arg(ap, void *), 16,
				width, pad);
			break;
		case 'd':
			v = longs > 1 ? __builtin_va_arg(ap, long long) :
			    longs ? __builtin_va_arg(ap, long) :
				    __builtin_va_arg(ap, int);
			if ((long long)v < 0) {
				put('-');
				v = -v;
			}
			put_num(v, 10, width, pad);
			break;
		case 'u':
		case 'x':
			v = longs > 1 ? __builtin_va_arg(ap, unsigned long long) :
			    longs ? __builtin_va_arg(ap, unsigned long) :
				    __builtin_va_arg(ap, unsigned int);
			put_num(v, *fmt == 'x' ? 16 : 10, width, pad);
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(*fmt);
		}
	}
	end();
	__builtin_va_end(ap);
}

long __trace_error(long code, const char *file, unsigned int line)
{
	printk("%s:%u: returning error %ld\n", file, line, code);
	return code;
}
