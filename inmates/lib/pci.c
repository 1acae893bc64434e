/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate library: finding PCI functions and capabilities and
 * opening a function for use (BAR 0, memory and bus master on), on top
 * of the architecture's configuration space access (x86/pci.c: ports,
 * arm-common/pci.c: ECAM).
 */

#include <inmate.h>

int pci_find_device(u16 vendor, u16 device, u16 start_bdf)
{
	unsigned int bdf;
	u16 id;

	for (bdf = start_bdf; bdf < 0x10000; bdf++) {
		id = pci_read_config(bdf, PCI_CFG_VENDOR_ID, 2);
		if (id == 0xffff || (vendor != PCI_ID_ANY && id != vendor))
			continue;
		if (device == PCI_ID_ANY ||
		    pci_read_config(bdf, PCI_CFG_DEVICE_ID, 2) == device)
			return bdf;
	}
	return -1;
}

int pci_open_device(u16 vendor, u16 device, unsigned long *bar0)
{
	int bdf = pci_find_device(vendor, device, 0);
	u32 bar;

	if (bdf < 0)
		return -1;
	bar = pci_read_config(bdf, PCI_CFG_BAR, 4);
	*bar0 = bar & ~0xfUL;
	/* a 64-bit memory BAR continues in BAR 1 */
	if ((bar & 0x7) == 0x4)
		*bar0 |= (unsigned long)((u64)pci_read_config(bdf,
				PCI_CFG_BAR + 4, 4) << 32);
	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM | PCI_CMD_MASTER |
			 PCI_CMD_INTX_OFF, 2);
	return bdf;
}

int pci_find_cap(u16 bdf, u16 cap)
{
	unsigned int pos, hops = 0;

	if (!(pci_read_config(bdf, PCI_CFG_STATUS, 2) & PCI_STS_CAPS))
		return -1;
	pos = pci_read_config(bdf, PCI_CFG_CAP_PTR, 1) & 0xfc;
	/* 48 hops at most: a looping list must not hang us. */
	while (pos && hops++ < 48) {
		if (pci_read_config(bdf, pos, 1) == cap)
			return pos;
		pos = pci_read_config(bdf, pos + 1, 1) & 0xfc;
	}
	return -1;
}
