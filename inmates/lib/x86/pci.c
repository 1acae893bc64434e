/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: PCI configuration space (ports), MSI, MSI-X. */

#include <arch.h>
#include <x86.h>

#define PCI_ADDR_PORT		0xcf8
#define PCI_DATA_PORT		0xcfc
#define PCI_ADDR_ENABLE		0x80000000

#define MSI_ADDRESS(apic_id)	(0xfee00000 | (apic_id) << 12)
#define MSI_CTRL_ENABLE		(1 << 0)
#define MSI_CTRL_64BIT		(1 << 7)
#define MSIX_CTRL_ENABLE	(1 << 15)
#define MSIX_CTRL_FMASK		(1 << 14)
#define PCI_BAR_MEM_64		0x4

static void select_register(u16 bdf, unsigned int addr)
{
	outl(PCI_ADDR_ENABLE | (u32)bdf << 8 | (addr & 0xfc), PCI_ADDR_PORT);
}

u32 pci_read_config(u16 bdf, unsigned int addr, unsigned int size)
{
	u16 port = PCI_DATA_PORT + (addr & 3);

	select_register(bdf, addr);
	switch (size) {
	case 1:
		return inb(port);
	case 2:
		return inw(port);
	default:
		return inl(port);
	}
}

void pci_write_config(u16 bdf, unsigned int addr, u32 value,
		      unsigned int size)
{
	u16 port = PCI_DATA_PORT + (addr & 3);

	select_register(bdf, addr);
	switch (size) {
	case 1:
		outb(value, port);
		break;
	case 2:
		outw(value, port);
		break;
	default:
		outl(value, port);
		break;
	}
}

void pci_msi_set_vector(u16 bdf, unsigned int vector)
{
	int cap = pci_find_cap(bdf, PCI_CAP_MSI);
	u16 ctrl;
	unsigned int data = 8;

	if (cap < 0)
		return;
	ctrl = pci_read_config(bdf, cap + 2, 2);
	pci_write_config(bdf, cap + 4, MSI_ADDRESS(cpu_apic_id()), 4);
	if (ctrl & MSI_CTRL_64BIT) {
		pci_write_config(bdf, cap + 8, 0, 4);
		data = 12;
	}
	pci_write_config(bdf, cap + data, vector & 0xff, 2);
	pci_write_config(bdf, cap + 2, ctrl | MSI_CTRL_ENABLE, 2);
}

void pci_msix_set_vector(u16 bdf, unsigned int vector, u32 index)
{
	int cap = pci_find_cap(bdf, PCI_CAP_MSIX);
	unsigned long entry;
	u32 table, bar;
	u16 ctrl;

	if (cap < 0)
		return;
	ctrl = pci_read_config(bdf, cap + 2, 2);
	table = pci_read_config(bdf, cap + 4, 4);
	bar = pci_read_config(bdf, PCI_CFG_BAR + (table & 7) * 4, 4);
	entry = bar & ~0xfUL;
#ifndef INMATE_32BIT
	if (bar & PCI_BAR_MEM_64)
		entry |= (u64)pci_read_config(bdf, PCI_CFG_BAR +
					      (table & 7) * 4 + 4, 4) << 32;
#endif
	entry += (table & ~7U) + index * 16;
	pci_write_config(bdf, cap + 2, ctrl | MSIX_CTRL_ENABLE |
			 MSIX_CTRL_FMASK, 2);
	mmio_write32(entry, MSI_ADDRESS(cpu_apic_id()));
	mmio_write32(entry + 4, 0);
	mmio_write32(entry + 8, vector & 0xff);
	mmio_write32(entry + 12, 0);		/* unmask the entry */
	pci_write_config(bdf, cap + 2, (ctrl | MSIX_CTRL_ENABLE) &
			 ~MSIX_CTRL_FMASK, 2);
}
