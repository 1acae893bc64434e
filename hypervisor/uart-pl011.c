/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: ARM PL011 UART as debug console. */

#include <hv/uart.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTIBRD	0x24
#define UARTLCR_H	0x2c
#define UARTCR		0x30
#define UARTFR_TXFF	BIT(5)
#define UARTCR_EN	(BIT(0) | BIT(8))	/* UARTEN, TXE */
#define UARTLCR_8N1	(3 << 5)

static inline volatile u32 *reg(struct uart_chip *chip, unsigned int off)
{
	return (volatile u32 *)((u8 *)chip->virt_base + off);
}

static void pl011_init(struct uart_chip *chip)
{
	/* Keep the firmware's baud rate unless the config sets a divider. */
	if (!chip->info->divider)
		return;
	*reg(chip, UARTCR) = 0;
	*reg(chip, UARTIBRD) = chip->info->divider;
	*reg(chip, UARTLCR_H) = UARTLCR_8N1;
	*reg(chip, UARTCR) = UARTCR_EN;
}

static bool pl011_is_busy(struct uart_chip *chip)
{
	return *reg(chip, UARTFR) & UARTFR_TXFF;
}

static void pl011_write_char(struct uart_chip *chip, char c)
{
	*reg(chip, UARTDR) = (u8)c;
}

const struct uart_chip uart_pl011_ops = {
	.init = pl011_init,
	.is_busy = pl011_is_busy,
	.write_char = pl011_write_char,
};
