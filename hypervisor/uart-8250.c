/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: 8250/16550 UART as debug console, in I/O space
 * (x86, e.g. COM1 at 0x3f8) or memory mapped with 1- or 4-byte register
 * distance.
 */

#include <hv/uart.h>

#define UART_TX		0
#define UART_DLL	0
#define UART_DLM	1
#define UART_LCR	3
#define UART_LSR	5
#define UART_LCR_8N1	0x03
#define UART_LCR_DLAB	0x80
#define UART_LSR_THRE	0x20

static u8 reg_read(struct uart_chip *chip, unsigned int reg)
{
	if (!CON_IS_MMIO(chip->info->flags))
		return arch_pio_read8(chip->info->address + reg);
	if (CON_USES_REGDIST_1(chip->info->flags))
		return *((volatile u8 *)chip->virt_base + reg);
	return *((volatile u32 *)chip->virt_base + reg);
}

static void reg_write(struct uart_chip *chip, unsigned int reg, u8 val)
{
	if (!CON_IS_MMIO(chip->info->flags))
		arch_pio_write8(chip->info->address + reg, val);
	else if (CON_USES_REGDIST_1(chip->info->flags))
		*((volatile u8 *)chip->virt_base + reg) = val;
	else
		*((volatile u32 *)chip->virt_base + reg) = val;
}

static void uart_8250_init(struct uart_chip *chip)
{
	/* Keep the firmware's baud rate unless the config sets a divider. */
	if (!chip->info->divider)
		return;
	reg_write(chip, UART_LCR, UART_LCR_DLAB);
	reg_write(chip, UART_DLL, chip->info->divider);
	reg_write(chip, UART_DLM, chip->info->divider >> 8);
	reg_write(chip, UART_LCR, UART_LCR_8N1);
}

static bool uart_8250_is_busy(struct uart_chip *chip)
{
	return !(reg_read(chip, UART_LSR) & UART_LSR_THRE);
}

static void uart_8250_write_char(struct uart_chip *chip, char c)
{
	reg_write(chip, UART_TX, c);
}

const struct uart_chip uart_8250_ops = {
	.init = uart_8250_init,
	.is_busy = uart_8250_is_busy,
	.write_char = uart_8250_write_char,
};
