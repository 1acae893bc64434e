/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: debug UART drivers, chosen by the console type. */

#ifndef _HV_UART_H
#define _HV_UART_H

#include <hv/types.h>
#include <asm/processor.h>
#include <jailhouse/console.h>

/*
 * UARTs in I/O space: an arch with port I/O defines ARCH_HAS_PIO in
 * <asm/processor.h> with inb/outb; elsewhere such consoles are ignored.
 */
#ifdef ARCH_HAS_PIO
static inline u8 arch_pio_read8(u16 port)
{
	return inb(port);
}

static inline void arch_pio_write8(u16 port, u8 val)
{
	outb(val, port);
}
#else
#define ARCH_HAS_PIO	0
static inline u8 arch_pio_read8(u16 port)
{
	return 0xff;
}

static inline void arch_pio_write8(u16 port, u8 val)
{
}
#endif

struct uart_chip {
	/** Mapped registers. */
	void *virt_base;
	const struct jailhouse_console *info;
	void (*init)(struct uart_chip *chip);
	bool (*is_busy)(struct uart_chip *chip);
	void (*write_char)(struct uart_chip *chip, char c);
};

/** Known drivers, JAILHOUSE_CON_TYPE_* -> chip (NULL entries unsupported). */
struct uart_driver {
	u16 type;
	const struct uart_chip *chip;
};

extern const struct uart_chip uart_pl011_ops;
extern const struct uart_chip uart_8250_ops;

#endif
