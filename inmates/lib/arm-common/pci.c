/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library, ARM: PCI configuration space through the ECAM
 * window of the hypervisor's virtual PCI host (comm region's
 * pci_mmconfig_base; 4 KiB per function, 1 MiB per bus).  The comm region
 * does not say how many buses the window spans, and an access beyond it
 * stops the cell: the library uses bus 0 only, where the virtual host
 * puts its functions.  Without the hypervisor there is no such host and
 * everything reads all ones.  The library runs with the MMU off, so the
 * window is device memory as it is.
 */

#include <inmate.h>

static unsigned long cfg_address(u16 bdf, unsigned int addr,
				 unsigned int size)
{
	unsigned long base = comm_region ? comm_region->pci_mmconfig_base : 0;

	if (!base || bdf >> 8 || addr >= 0x1000 || addr & (size - 1))
		return 0;
	return base + ((unsigned long)bdf << 12) + addr;
}

u32 pci_read_config(u16 bdf, unsigned int addr, unsigned int size)
{
	unsigned long reg = cfg_address(bdf, addr, size);

	if (!reg)
		return size == 4 ? 0xffffffff : (1U << (size * 8)) - 1;
	switch (size) {
	case 1:
		return mmio_read8(reg);
	case 2:
		return mmio_read16(reg);
	default:
		return mmio_read32(reg);
	}
}

void pci_write_config(u16 bdf, unsigned int addr, u32 value,
		      unsigned int size)
{
	unsigned long reg = cfg_address(bdf, addr, size);

	if (!reg)
		return;
	switch (size) {
	case 1:
		mmio_write8(reg, value);
		break;
	case 2:
		mmio_write16(reg, value);
		break;
	default:
		mmio_write32(reg, value);
		break;
	}
}

int pci_intx_irq(u16 bdf)
{
	unsigned int pin = pci_read_config(bdf, PCI_CFG_INT + 1, 1);

	if (!comm_region || pin < 1 || pin > 4)
		return -1;
	return 32 + comm_region->vpci_irq_base + pin - 1;
}
