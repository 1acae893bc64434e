// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: the PCI devices a cell takes from Linux, and gives back. */

/*
 * A physical PCI device of a non-root cell's config (the hypervisor lets
 * a cell have one only behind an IOMMU) must not be driven by Linux while
 * the cell owns it.  Before the hypervisor creates the cell, the driver
 * unbinds the device from its Linux driver and sets its driver_override
 * to a name no driver has, so nothing binds it again; after the cell is
 * destroyed (or its creation failed) the override is cleared and Linux
 * probes the device again.  The hypervisor stops the device (no decoding,
 * no bus mastering) each time it changes hands.
 */

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "main.h"

#define CELL_OVERRIDE	"jailhouse-cell"

/* Take one device from Linux for @cell, or give it back. */
static void claim_or_release(struct pci_dev *pdev, struct jh_cell *cell,
			     bool claim)
{
	if (!claim) {
		/* an empty string clears the override */
		driver_set_override(&pdev->dev, &pdev->driver_override, "", 0);
		if (device_attach(&pdev->dev) < 0)
			pr_warn("jailhouse: %s: no driver after cell \"%s\"\n",
				pci_name(pdev), cell->name);
		return;
	}
	if (driver_set_override(&pdev->dev, &pdev->driver_override,
				CELL_OVERRIDE, strlen(CELL_OVERRIDE)))
		pr_warn("jailhouse: %s: no driver override\n", pci_name(pdev));
	if (pdev->dev.driver)
		pr_info("jailhouse: %s leaves its driver %s for cell \"%s\"\n",
			pci_name(pdev), pdev->dev.driver->name, cell->name);
	device_release_driver(&pdev->dev);
}

static void cell_pci_devices(struct jh_cell *cell, bool claim)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell->config);
	struct pci_dev *pdev;
	unsigned int n;

	for (n = 0; n < cell->config->num_pci_devices; n++, dev++) {
		if (dev->type != JAILHOUSE_PCI_TYPE_DEVICE)
			continue;
		pdev = pci_get_domain_bus_and_slot(dev->domain, dev->bdf >> 8,
						   dev->bdf & 0xff);
		if (!pdev)
			continue;
		claim_or_release(pdev, cell, claim);
		pci_dev_put(pdev);
	}
}

void jh_pci_cell_claim(struct jh_cell *cell)
{
	cell_pci_devices(cell, true);
}

void jh_pci_cell_release(struct jh_cell *cell)
{
	cell_pci_devices(cell, false);
}
