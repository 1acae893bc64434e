/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: debug UART drivers, chosen by the console type. */

#ifndef _HV_UART_H
#define _HV_UART_H

#include <hv/types.h>
#include <jailhouse/console.h>

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

#endif
