/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: console drivers (PL011, 8250, hypercall). */

/*
 * Chosen from the command line, the comm region or the arch's default
 * (arch.h: CONSOLE_DEFAULT_*).  The 8250 is reached through I/O ports
 * where the arch has them (ARCH_HAS_PIO) unless the comm region or
 * con-mmio say MMIO.
 */

#include <arch.h>

/* PL011 registers and bits. */
#define PL011_DR		0x00
#define PL011_FR		0x18
#define PL011_FR_TXFF		(1 << 5)
#define PL011_IBRD		0x24
#define PL011_FBRD		0x28
#define PL011_LCR_H		0x2c
#define PL011_LCR_H_8N1_FIFO	0x70
#define PL011_CR		0x30
#define PL011_CR_ENABLE		0x301	/* UARTEN | TXE | RXE */

/* 8250 registers (index, scaled by the register distance) and bits. */
#define UART_THR		0
#define UART_DLL		0
#define UART_DLM		1
#define UART_LCR		3
#define UART_LCR_DLAB		0x80
#define UART_LCR_8N1		0x03
#define UART_LSR		5
#define UART_LSR_THRE		0x20

struct console_driver {
	const char *name;
	void (*init)(void);
	void (*putc)(char c);
};

static unsigned long con_base;
static u32 con_divider;
static bool con_regdist_1, con_mmio;
static const struct console_driver *driver;

static void pl011_init(void)
{
	if (!con_divider)
		return;
	mmio_write32(con_base + PL011_CR, 0);
	mmio_write32(con_base + PL011_IBRD, con_divider);
	mmio_write32(con_base + PL011_FBRD, 0);
	mmio_write32(con_base + PL011_LCR_H, PL011_LCR_H_8N1_FIFO);
	mmio_write32(con_base + PL011_CR, PL011_CR_ENABLE);
}

static void pl011_putc(char c)
{
	while (mmio_read32(con_base + PL011_FR) & PL011_FR_TXFF)
		;
	mmio_write32(con_base + PL011_DR, (u8)c);
}

static void uart_8250_write(unsigned int reg, u8 value)
{
#ifdef ARCH_HAS_PIO
	if (!con_mmio) {
		outb(value, con_base + reg);
		return;
	}
#endif
	if (con_regdist_1)
		mmio_write8(con_base + reg, value);
	else
		mmio_write32(con_base + reg * 4, value);
}

static u8 uart_8250_read(unsigned int reg)
{
#ifdef ARCH_HAS_PIO
	if (!con_mmio)
		return inb(con_base + reg);
#endif
	if (con_regdist_1)
		return mmio_read8(con_base + reg);
	return mmio_read32(con_base + reg * 4);
}

static void uart_8250_init(void)
{
	if (!con_divider)
		return;
	uart_8250_write(UART_LCR, UART_LCR_DLAB);
	uart_8250_write(UART_DLL, con_divider & 0xff);
	uart_8250_write(UART_DLM, (con_divider >> 8) & 0xff);
	uart_8250_write(UART_LCR, UART_LCR_8N1);
}

static void uart_8250_putc(char c)
{
	while (!(uart_8250_read(UART_LSR) & UART_LSR_THRE))
		;
	uart_8250_write(UART_THR, c);
}

static void jailhouse_putc(char c)
{
	hypercall(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, (u8)c, 0);
}

static void none_putc(char c)
{
}

static const struct console_driver drivers[] = {
	{ "PL011", pl011_init, pl011_putc },
	{ "8250", uart_8250_init, uart_8250_putc },
	{ "JAILHOUSE", NULL, jailhouse_putc },
	{ "NONE", NULL, none_putc },
};

static const char *type_name(u16 type)
{
	switch (type) {
	case JAILHOUSE_CON_TYPE_PL011:
		return "PL011";
	case JAILHOUSE_CON_TYPE_8250:
		return "8250";
	default:
		return "NONE";
	}
}

void console_init(void)
{
	struct jailhouse_console *desc =
		comm_region ? &comm_region->console : NULL;
	u32 flags = CONSOLE_DEFAULT_FLAGS;
	bool virtual_default = false;
	const char *type = CONSOLE_DEFAULT_TYPE;
	unsigned int n;
	char buf[16];

	con_base = CONSOLE_DEFAULT_BASE;
	if (desc) {
		type = type_name(desc->type);
		con_base = desc->address;
		con_divider = desc->divider;
		flags = desc->flags;
		virtual_default = JAILHOUSE_COMM_HAS_DBG_PUTC_ACTIVE(
					comm_region->flags);
	}
	con_regdist_1 = CON_USES_REGDIST_1(flags);
	con_mmio = CON_IS_MMIO(flags);
	if (cmdline_parse_bool("con-virtual", virtual_default) && comm_region)
		type = "JAILHOUSE";
	type = cmdline_parse_str("con-type", buf, sizeof(buf), type);
	con_base = cmdline_parse_int("con-base", con_base);
	con_divider = cmdline_parse_int("con-divider", con_divider);
	con_regdist_1 = cmdline_parse_bool("con-regdist-1", con_regdist_1);
	con_mmio = cmdline_parse_bool("con-mmio", con_mmio);

	/* The hypercall exists only under the hypervisor. */
	if (strcmp(type, "JAILHOUSE") == 0 && !comm_region)
		type = CONSOLE_DEFAULT_TYPE;
	driver = &drivers[ARRAY_SIZE(drivers) - 1];
	for (n = 0; n < ARRAY_SIZE(drivers); n++)
		if (strcmp(type, drivers[n].name) == 0)
			driver = &drivers[n];
	if (driver->init)
		driver->init();
}

const char *console_type(void)
{
	if (!driver)
		console_init();
	return driver->name;
}

void arch_console_putc(char c)
{
	if (!driver)
		console_init();
	driver->putc(c);
}
