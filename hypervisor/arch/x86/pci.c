/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: PCI configuration space, filtered per cell.
 *
 * Both ways to it are the hypervisor's: the ports 0xcf8/0xcfc-0xcff always
 * exit (whatever a config's pio_regions say) and the MMCONFIG window of
 * the system config is no cell's memory, but an emulated region of every
 * cell.  A cell sees exactly the devices of its config (pci_devices; the
 * root: those no other cell lists), every other function reads as all
 * ones and ignores writes.  Beyond the standard header a cell may write
 * only into the capabilities its config lists with JAILHOUSE_PCICAPS_WRITE;
 * an MSI address that would send interrupts to a CPU outside the cell is
 * refused (the write is dropped and reported).  A non-root cell may not
 * have physical devices yet (no IOMMU, see control.c), so for it the bus
 * is empty; the root keeps the rest.  Hardware accesses go through
 * 0xcf8/0xcfc under one lock (extended registers through MMCONFIG).
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/unit.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define PCI_ADDR_PORT		X86_PCI_PORTS
#define PCI_DATA_PORT		(X86_PCI_PORTS + 4)
#define PCI_ADDR_ENABLE		(1U << 31)
#define PCI_HEADER_END		0x40
#define PCI_CAP_MSI		0x05
#define MSI_ADDR_LO		4
#define MSI_DEST(addr)		(((addr) >> 12) & 0xff)
#define MSI_DEST_LOGICAL	(1U << 2)
#define MMCFG_BUS_SIZE		0x100000UL

static spinlock_t hw_lock;
static u32 addr_port[MAX_CPUS];

static inline void outl(u32 val, u16 port)
{
	asm volatile("outl %0, %1" : : "a" (val), "Nd" (port));
}

static inline u32 inl(u16 port)
{
	u32 val;

	asm volatile("inl %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

static u32 size_mask(unsigned int size)
{
	return size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

/* ---- the hardware ---- */

static u32 hw_read(u16 bdf, u16 reg, unsigned int size)
{
	unsigned long base = system_config->platform_info.pci_mmconfig_base;
	u32 val;
	void *cfg;

	if (reg >= 0x100) {
		cfg = paging_remap(base + ((unsigned long)bdf << 12) + reg, size,
				   PAGE_DEFAULT | PAGE_DEVICE);
		if (!cfg)
			return size_mask(size);
		val = mmio_read_sized(cfg, size);
		paging_unmap(cfg, size);
		return val;
	}
	spin_lock(&hw_lock);
	outl(PCI_ADDR_ENABLE | ((u32)bdf << 8) | (reg & 0xfc), PCI_ADDR_PORT);
	val = inl(PCI_DATA_PORT) >> ((reg & 3) * 8);
	spin_unlock(&hw_lock);
	return val & size_mask(size);
}

static void hw_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	unsigned long base = system_config->platform_info.pci_mmconfig_base;
	u32 mask = size_mask(size) << ((reg & 3) * 8), old;
	void *cfg;

	if (reg >= 0x100) {
		cfg = paging_remap(base + ((unsigned long)bdf << 12) + reg, size,
				   PAGE_DEFAULT | PAGE_DEVICE);
		if (cfg) {
			mmio_write_sized(cfg, size, val);
			paging_unmap(cfg, size);
		}
		return;
	}
	spin_lock(&hw_lock);
	outl(PCI_ADDR_ENABLE | ((u32)bdf << 8) | (reg & 0xfc), PCI_ADDR_PORT);
	old = size == 4 ? 0 : inl(PCI_DATA_PORT);
	outl((old & ~mask) | ((val << ((reg & 3) * 8)) & mask), PCI_DATA_PORT);
	spin_unlock(&hw_lock);
}

/* ---- what a cell may see ---- */

static const struct jailhouse_pci_device *
config_device(const struct cell *cell, u16 bdf)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_pci_devices; n++, dev++)
		if (dev->domain == 0 && dev->bdf == bdf)
			return dev;
	return NULL;
}

/* The physical device @p bdf, if @p cell may use it. */
static const struct jailhouse_pci_device *cell_device(struct cell *cell,
						      u16 bdf)
{
	const struct jailhouse_pci_device *dev = config_device(cell, bdf);
	struct cell *other;

	/* virtual devices (ivshmem) are to come: not there yet */
	if (!dev || (dev->type != JAILHOUSE_PCI_TYPE_DEVICE &&
		     dev->type != JAILHOUSE_PCI_TYPE_BRIDGE))
		return NULL;
	if (cell == &root_cell)
		for_each_non_root_cell(other)
			if (config_device(other, bdf))
				return NULL;	/* given away */
	return dev;
}

/* The listed capability of @p dev that holds @p reg, NULL if none. */
static const struct jailhouse_pci_capability *
device_cap(const struct cell *cell, const struct jailhouse_pci_device *dev,
	   u16 reg)
{
	const struct jailhouse_pci_capability *cap =
		jailhouse_cell_pci_caps(cell->config);
	unsigned int n;

	if (dev->caps_start + dev->num_caps > cell->config->num_pci_caps)
		return NULL;
	for (n = 0, cap += dev->caps_start; n < dev->num_caps; n++, cap++)
		if (reg >= cap->start && reg - cap->start < cap->len)
			return cap;
	return NULL;
}

static bool msi_target_allowed(struct cell *cell, u32 addr)
{
	unsigned int cpu;

	if (addr & MSI_DEST_LOGICAL)
		return cell == &root_cell;
	for_each_cpu(cpu, &cell->cpus)
		if (per_cpu(cpu)->arch.phys_id == MSI_DEST(addr))
			return true;
	return false;
}

/*
 * A config space access of the current cell to @p reg (the access stays
 * within one dword).  Reads of what the cell may not see are all ones,
 * such writes are dropped.
 */
static void config_access(u16 bdf, u16 reg, unsigned int size, bool write,
			  u32 *value)
{
	struct cell *cell = this_cell();
	const struct jailhouse_pci_device *dev = cell_device(cell, bdf);
	const struct jailhouse_pci_capability *cap;
	u32 addr;

	if (!write) {
		*value = dev ? hw_read(bdf, reg, size) : size_mask(size);
		return;
	}
	if (!dev)
		return;
	if (reg >= PCI_HEADER_END) {
		cap = device_cap(cell, dev, reg);
		if (!cap || !(cap->flags & JAILHOUSE_PCICAPS_WRITE))
			return;
		if (cap->id == PCI_CAP_MSI &&
		    (reg & ~3) == cap->start + MSI_ADDR_LO) {
			addr = hw_read(bdf, reg & ~3, 4);
			addr = (addr & ~(size_mask(size) << ((reg & 3) * 8))) |
				(*value << ((reg & 3) * 8));
			if (!msi_target_allowed(cell, addr)) {
				printk("PCI: cell \"%s\" may not send MSIs of "
				       "%02x:%02x.%x to %08x, refused\n",
				       cell->config->name, bdf >> 8,
				       (bdf >> 3) & 0x1f, bdf & 7, addr);
				return;
			}
		}
	}
	hw_write(bdf, reg, size, *value);
}

/* ---- the ports ---- */

bool x86_pci_handle_io(struct per_cpu *c, struct guest_regs *regs,
		       const struct x86_io *io)
{
	u32 *latch = &addr_port[c->cpu_id], value, mask = size_mask(io->size);
	unsigned int offs;

	if (io->string)
		return false;
	if (io->port == PCI_ADDR_PORT && io->size == 4) {
		if (io->in)
			regs->rax = *latch;
		else
			*latch = regs->rax;
		return true;
	}
	if (io->port < PCI_DATA_PORT || io->port > PCI_DATA_PORT + 3)
		return false;
	offs = io->port - PCI_DATA_PORT;
	if (offs + io->size > 4)
		return false;
	value = regs->rax & mask;
	if (!(*latch & PCI_ADDR_ENABLE))
		value = mask;		/* nothing addressed */
	else
		config_access((*latch >> 8) & 0xffff, (*latch & 0xfc) + offs,
			      io->size, !io->in, &value);
	if (io->in)	/* a 32-bit result clears the upper half */
		regs->rax = io->size == 4 ? value :
			(regs->rax & ~(u64)mask) | value;
	return true;
}

/* ---- MMCONFIG ---- */

static unsigned long mmcfg_size(void)
{
	const struct jailhouse_system *sys = system_config;

	if (!sys->platform_info.pci_mmconfig_base)
		return 0;
	return (sys->platform_info.pci_mmconfig_end_bus + 1UL) * MMCFG_BUS_SIZE;
}

static enum mmio_result mmcfg_handler(void *arg, struct mmio_access *a)
{
	unsigned long offs = a->address -
		system_config->platform_info.pci_mmconfig_base;
	u32 value = a->value;

	/* within one dword, at most a dword */
	if (a->size > 4 || (offs & 3) + a->size > 4)
		return MMIO_ERROR;
	config_access(offs >> 12, offs & 0xfff, a->size, a->is_write, &value);
	if (!a->is_write)
		a->value = value;
	return MMIO_HANDLED;
}

static int pci_init(void)
{
	return 0;
}

static void pci_shutdown(void)
{
}

static unsigned int pci_mmio_count(struct cell *cell)
{
	return mmcfg_size() ? 1 : 0;
}

static int pci_cell_init(struct cell *cell)
{
	if (!mmcfg_size())
		return 0;
	return mmio_region_register(cell,
			system_config->platform_info.pci_mmconfig_base,
			mmcfg_size(), mmcfg_handler, NULL);
}

static void pci_cell_exit(struct cell *cell)
{
}

DEFINE_UNIT(pci, "PCI");
