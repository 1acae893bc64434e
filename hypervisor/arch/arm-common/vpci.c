/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the virtual PCI host that carries ivshmem
 * functions.
 *
 * A system config with platform_info.pci_is_virtual describes a PCI host
 * that exists only in the hypervisor: its ECAM window lies at
 * pci_mmconfig_base and spans the buses 0..pci_mmconfig_end_bus (1 MiB
 * each, 4 KiB per function), its segment is pci_domain.  Every cell whose
 * config lists ivshmem functions, the root included, gets that window
 * trapped: configuration accesses to its own functions go to the generic
 * ivshmem core, everything else on the host reads as all ones (no
 * function) and ignores writes.  Which functions a cell reaches is
 * decided per cell: another cell's function at the same address is that
 * cell's endpoint, never this one's.
 *
 * Interrupts: the functions have no MSI-X here (the virtual host has no
 * MSI controller), they use INTx.  The pin of a function rotates with its
 * device number (INTA for device 0, INTB for 1, ..., INTA again for 4),
 * and pin p of a cell raises shared interrupt 32 + vpci_irq_base + p - 1
 * of that cell's config.  That SPI must be one the cell owns (its irqchip
 * pin bitmap) and that no device drives: the hypervisor raises it by
 * setting it pending in the distributor, which then does what it does
 * for any interrupt of the cell - enable, priority, routing to the cell's
 * CPUs, injection through the list registers.  The v2 specification
 * gives INTx no status to clear: every doorbell asserts the line once,
 * the pending state lasts until the cell acknowledges it, doorbells
 * before that merge.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/printk.h>
#include <hv/unit.h>
#include <asm/irqchip.h>

#define ECAM_BUS_SHIFT		20
#define ECAM_FN_SHIFT		12

#define platform		(&system_config->platform_info)

/* Whether the system has a virtual PCI host. */
static bool vpci_host(void)
{
	return platform->pci_mmconfig_base && platform->pci_is_virtual;
}

static u64 ecam_size(void)
{
	return ((u64)platform->pci_mmconfig_end_bus + 1) << ECAM_BUS_SHIFT;
}

/* Whether @dev is an ivshmem function the virtual host carries. */
static bool on_host(const struct jailhouse_pci_device *dev)
{
	return dev->type == JAILHOUSE_PCI_TYPE_IVSHMEM && vpci_host() &&
		dev->domain == platform->pci_domain &&
		(dev->bdf >> 8) <= platform->pci_mmconfig_end_bus;
}

/*
 * The SPI that INTx of the function at @bdf raises in the cell of @cfg
 * (pin rotation as the ivshmem core assigns pins), MAX_IRQS if none fits.
 */
static u64 intx_spi(const struct jailhouse_cell_desc *cfg, u16 bdf)
{
	u64 spi = 32 + (u64)cfg->vpci_irq_base + ((bdf >> 3) & 3);

	return spi < MAX_IRQS ? spi : MAX_IRQS;
}

static void report(const struct jailhouse_cell_desc *cfg,
		   const struct jailhouse_pci_device *dev, const char *what)
{
	printk("Cell \"%s\": ivshmem %04x:%02x:%02x.%x %s\n", cfg->name,
	       dev->domain, dev->bdf >> 8, (dev->bdf >> 3) & 0x1f,
	       dev->bdf & 7, what);
}

static enum mmio_result ecam_access(void *arg, struct mmio_access *a)
{
	u64 offs = a->address - platform->pci_mmconfig_base;
	u16 bdf = offs >> ECAM_FN_SHIFT;
	u16 reg = offs & (BIT(ECAM_FN_SHIFT) - 1);
	struct ivshmem_endpoint *ep;

	/* Configuration space takes naturally aligned 1, 2 or 4 bytes. */
	if (a->size > 4 || reg & (a->size - 1))
		return MMIO_ERROR;
	ep = ivshmem_endpoint(this_cell(), platform->pci_domain, bdf);
	if (!ep) {
		/* No function of this cell: the bus reads all ones. */
		if (!a->is_write)
			a->value = mmio_size_mask(a->size);
		return MMIO_HANDLED;
	}
	if (a->is_write)
		ivshmem_cfg_write(ep, reg, a->size, a->value);
	else
		a->value = ivshmem_cfg_read(ep, reg, a->size);
	return MMIO_HANDLED;
}

/* Whether @cell has functions on the virtual host. */
static bool has_functions(const struct jailhouse_cell_desc *cfg)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cfg);
	unsigned int n;

	for (n = 0; n < cfg->num_pci_devices; n++, dev++)
		if (on_host(dev))
			return true;
	return false;
}

/*
 * Whether @cell took an SPI that INTx of a function of @other raises:
 * the interrupts of the root's functions start with the root, and a new
 * cell's irqchips may claim them.  Upstream's board files do; the SPI
 * then raises nothing in @other (irqchip_raise_spi() checks ownership).
 */
static bool takes_intx_of(struct cell *cell, struct cell *other)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(other->config);
	unsigned int n;

	for (n = 0; n < other->config->num_pci_devices; n++, dev++)
		if (on_host(dev) && !dev->num_msix_vectors &&
		    irqchip_owns(cell, intx_spi(other->config, dev->bdf)))
			return true;
	return false;
}

static int vpci_init(void)
{
	if (!platform->pci_mmconfig_base)
		return 0;
	/* the window is trapped page-wise */
	if (platform->pci_mmconfig_base & (PAGE_SIZE - 1))
		return trace_error(-EINVAL);
	return 0;
}

static void vpci_shutdown(void)
{
}

static unsigned int vpci_mmio_count(struct cell *cell)
{
	return has_functions(cell->config) ? 1 : 0;
}

/*
 * Check @cell's functions (after the irqchip took its interrupts) and trap
 * the window for it.
 */
static int vpci_cell_init(struct cell *cell)
{
	const struct jailhouse_cell_desc *cfg = cell->config;
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cfg);
	struct cell *other;
	unsigned int n;

	for (n = 0; n < cfg->num_pci_devices; n++, dev++) {
		if (dev->type != JAILHOUSE_PCI_TYPE_IVSHMEM)
			continue;
		if (!on_host(dev)) {
			report(cfg, dev, "not on the virtual PCI host "
			       "(platform pci_mmconfig_base, pci_is_virtual, "
			       "pci_domain, end bus): ignored");
			continue;
		}
		if (dev->num_msix_vectors) {
			report(cfg, dev, "has MSI-X vectors, the virtual PCI "
			       "host on ARM only INTx: it raises no interrupt");
			continue;
		}
		/* accepted as upstream does; it raises nothing then */
		if (!irqchip_owns(cell, intx_spi(cfg, dev->bdf)))
			report(cfg, dev, "has an INTx interrupt "
			       "(32 + vpci_irq_base + pin - 1) that is not one "
			       "of the cell's irqchip interrupts: it raises "
			       "none");
	}
	if (cell != &root_cell)
		for_each_cell(other)
			if (other != cell && takes_intx_of(cell, other))
				printk("Cell \"%s\": its irqchips take the "
				       "ivshmem INTx interrupts of cell \"%s\", "
				       "which raise none there now\n",
				       cfg->name, other->config->name);
	if (!has_functions(cfg))
		return 0;
	return mmio_region_register(cell, platform->pci_mmconfig_base,
				    ecam_size(), ecam_access, NULL);
}

static void vpci_cell_exit(struct cell *cell)
{
}

DEFINE_UNIT(vpci, "virtual PCI host");

/* ---- ivshmem interrupt hooks (called with the ivshmem lock held) ---- */

void arch_ivshmem_trigger(struct ivshmem_endpoint *ep, unsigned int vector)
{
	u64 irq = ep->arch_irq[vector];

	if (irq)
		irqchip_raise_spi(ep->cell, irq);
}

int arch_ivshmem_update_msix(struct ivshmem_endpoint *ep, unsigned int vector,
			     bool enabled)
{
	/* no MSI controller behind the virtual host */
	ep->arch_irq[vector] = 0;
	return enabled ? -EPERM : 0;
}

void arch_ivshmem_update_intx(struct ivshmem_endpoint *ep, bool enabled)
{
	const struct jailhouse_cell_desc *cfg = ep->cell->config;
	unsigned int pin = ivshmem_intx_pin(ep);
	u64 spi = 32 + (u64)cfg->vpci_irq_base + pin - 1;

	ep->arch_irq[0] = enabled && pin && on_host(ep->dev) &&
		spi < MAX_IRQS ? spi : 0;
}
