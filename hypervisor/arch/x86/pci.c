/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: PCI configuration space, filtered per cell
 * (which devices, capabilities and BARs a cell sees and may program).
 *
 * Both ways to it are the hypervisor's: the ports 0xcf8/0xcfc-0xcff always
 * exit (whatever a config's pio_regions say) and the MMCONFIG window of
 * the system config is no cell's memory, but an emulated region of every
 * cell.  A cell sees exactly the devices of its config (pci_devices; the
 * root: those no other cell lists), every other function reads as all
 * ones and ignores writes.  Of a device it sees the capabilities its
 * config lists, the others are skipped in the list (caps_filtered()), and
 * it writes beyond the standard header only into those listed with
 * JAILHOUSE_PCICAPS_WRITE.  A device decodes only memory and ports its
 * cell owns (header_write_allowed()).  Writes into the MSI capability and
 * the MSI-X tables are checked by msi.c.  A non-root cell has physical
 * devices only where IOMMU units confine their DMA (amd-iommu.c, which
 * also stops a device that changes hands; control.c refuses them
 * otherwise); the root keeps the rest.  A cell's ivshmem functions (in
 * PCI domain 0) are virtual: ivshmem.c answers for them, whatever
 * physical function may sit at that address.  Hardware accesses go through
 * 0xcf8/0xcfc under one lock (extended registers through MMCONFIG).
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/unit.h>
#include <asm/pci.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define PCI_ADDR_PORT		X86_PCI_PORTS
#define PCI_DATA_PORT		(X86_PCI_PORTS + 4)
#define PCI_ADDR_ENABLE		(1U << 31)
#define PCI_STATUS_DWORD	0x04	/* status: the upper half */
#define PCI_HEADER_TYPE		0x0e
#define PCI_EXT_CAPS		0x100
#define PCI_ROM_TYPE0		0x30
#define PCI_ROM_TYPE1		0x38
#define ROM_ENABLE		(1U << 0)
/* a bridge's I/O, memory and prefetchable windows (and upper halves) */
#define BRIDGE_WINDOWS_IO	0x1c	/* I/O base and limit, 2 bytes */
#define BRIDGE_WINDOWS		0x20	/* up to 0x34 */
#define BRIDGE_WINDOWS_END	0x34
#define MMCFG_BUS_SIZE		0x100000UL

static spinlock_t hw_lock;
spinlock_t pci_decide_lock;
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

u32 pci_merge(u32 old, u16 reg, unsigned int size, u32 val)
{
	u32 mask = size_mask(size) << ((reg & 3) * 8);

	return (old & ~mask) | ((val << ((reg & 3) * 8)) & mask);
}

u32 pci_hw_read(u16 bdf, u16 reg, unsigned int size)
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

void pci_hw_write(u16 bdf, u16 reg, unsigned int size, u32 val)
{
	unsigned long base = system_config->platform_info.pci_mmconfig_base;
	u32 old;
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
	outl(pci_merge(old, reg, size, val), PCI_DATA_PORT);
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

const struct jailhouse_pci_device *pci_cell_device(struct cell *cell, u16 bdf)
{
	const struct jailhouse_pci_device *dev = config_device(cell, bdf);
	const struct jailhouse_pci_device *odev;
	struct cell *other;

	/* virtual functions (ivshmem) are ivshmem.c's, see config_access() */
	if (!dev || (dev->type != JAILHOUSE_PCI_TYPE_DEVICE &&
		     dev->type != JAILHOUSE_PCI_TYPE_BRIDGE))
		return NULL;
	if (cell == &root_cell)
		for_each_non_root_cell(other) {
			odev = config_device(other, bdf);
			if (odev && odev->type != JAILHOUSE_PCI_TYPE_IVSHMEM)
				return NULL;	/* given away */
		}
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

/* ---- capability hiding ---- */

/* Whether the config of @cell lists a capability of @dev at @start. */
static bool cap_listed(const struct cell *cell,
		       const struct jailhouse_pci_device *dev, u16 start,
		       bool ext)
{
	const struct jailhouse_pci_capability *cap =
		jailhouse_cell_pci_caps(cell->config);
	unsigned int n;

	if (dev->caps_start + dev->num_caps > cell->config->num_pci_caps)
		return false;
	for (n = 0, cap += dev->caps_start; n < dev->num_caps; n++, cap++)
		if (cap->start == start &&
		    !(cap->id & JAILHOUSE_PCI_EXT_CAP) == !ext)
			return true;
	return false;
}

/* The first listed capability from @ptr on in the device's list. */
static u16 next_listed(const struct cell *cell,
		       const struct jailhouse_pci_device *dev, u16 bdf,
		       u16 ptr, bool ext)
{
	unsigned int hops;

	for (hops = 0; hops < 64; hops++) {
		if (ext ? ptr < PCI_EXT_CAPS || ptr > 0xffc :
		    ptr < PCI_HEADER_END)
			return 0;
		if (cap_listed(cell, dev, ptr, ext))
			return ptr;
		ptr = ext ? pci_hw_read(bdf, ptr, 4) >> 20 :
			pci_hw_read(bdf, ptr + 1, 1) & 0xfc;
	}
	return 0;
}

/*
 * The dword at @dword as the cell sees it: the capability pointer, the
 * capabilities-list status bit and the next pointers of the listed
 * capabilities skip those its config does not list (their registers
 * read on, they take no writes).  At 0x100 an unlisted extended
 * capability reads as ID 0 pointing to the next listed one (the list
 * cannot start elsewhere).
 */
static u32 caps_filtered(const struct cell *cell,
			 const struct jailhouse_pci_device *dev, u16 bdf,
			 u16 dword, u32 val)
{
	u16 next;

	if (dword == PCI_STATUS_DWORD) {
		if (!next_listed(cell, dev, bdf, pci_hw_read(bdf, PCI_CAP_PTR,
							     1) & 0xfc, false))
			val &= ~((u32)PCI_STATUS_CAPS << 16);
	} else if (dword == (PCI_CAP_PTR & ~3)) {
		next = next_listed(cell, dev, bdf, val & 0xfc, false);
		val = (val & ~0xffU) | next;
	} else if (dword < PCI_EXT_CAPS) {
		if (cap_listed(cell, dev, dword, false)) {
			next = next_listed(cell, dev, bdf,
					   (val >> 8) & 0xfc, false);
			val = (val & ~0xff00U) | (next << 8);
		}
	} else if (val && val != ~0U && (dword == PCI_EXT_CAPS ||
			   cap_listed(cell, dev, dword, true))) {
		next = next_listed(cell, dev, bdf, val >> 20, true);
		if (!cap_listed(cell, dev, dword, true))
			val = 0;	/* the first, unlisted: ID 0 */
		val = (val & 0xfffff) | ((u32)next << 20);
	}
	return val;
}

/* ---- BARs ---- */

static unsigned int num_bars(u16 bdf)
{
	return (pci_hw_read(bdf, PCI_HEADER_TYPE, 1) & 0x7f) == 1 ? 2 : 6;
}

/* Whether the cell's I/O bitmap lets it use every port of the range. */
static bool cell_owns_ports(struct cell *cell, u64 base, u64 size)
{
	const u8 *io = cell->arch.io_bitmap;
	u64 port;

	if (!size || base + size > 0x10000)
		return false;
	for (port = base; port < base + size; port++)
		if (io[port / 8] & (1 << (port % 8)))
			return false;
	return true;
}

/*
 * Whether BAR @p n of the device, holding @p lo (and @p hi above it for a
 * 64-bit memory BAR), lies where the cell may reach.  BARs the config
 * gives no mask for (size unknown) are not moved (see bar_write_allowed()).
 */
static bool bar_placed(struct cell *cell,
		       const struct jailhouse_pci_device *dev, unsigned int n,
		       u32 lo, u32 hi)
{
	u64 mask = dev->bar_mask[n], addr;

	if (!mask)
		return true;
	if (lo & BAR_IO) {
		mask |= 0xffff0000;
		return cell_owns_ports(cell, lo & mask & 0xfffc,
				       (~mask & 0xffff) + 1);
	}
	addr = lo;
	mask &= ~0xfULL;
	if ((lo & BAR_MEM_TYPE) == BAR_MEM_64 && n < 5) {
		addr |= (u64)hi << 32;
		mask |= (u64)dev->bar_mask[n + 1] << 32;
	} else {
		mask |= 0xffffffff00000000ULL;
	}
	return msix_bar_placed(cell, dev, n, addr & mask, ~mask + 1);
}

/* Every BAR of one kind (BAR_IO or memory) of the device placed. */
static bool bars_placed(struct cell *cell,
			const struct jailhouse_pci_device *dev, u16 bdf,
			bool io)
{
	unsigned int n, count = num_bars(bdf);
	u32 lo, hi;

	for (n = 0; n < count; n++) {
		lo = pci_hw_read(bdf, PCI_BAR0 + n * 4, 4);
		if (!(lo & BAR_IO) == io)
			continue;
		hi = n + 1 < count ?
			pci_hw_read(bdf, PCI_BAR0 + (n + 1) * 4, 4) : 0;
		if (!bar_placed(cell, dev, n, lo, hi))
			return false;
		if (!(lo & BAR_IO) && (lo & BAR_MEM_TYPE) == BAR_MEM_64)
			n++;
	}
	return true;
}

/*
 * The rule for writes into the standard header that decide where a device
 * decodes (BARs, expansion ROM, a bridge's windows): a device of a cell may
 * decode only memory and ports the cell owns at that moment, never the
 * hypervisor's, another cell's or nobody's.
 *  - While the device's decoding of a space (command register) is off,
 *    its BARs of that space take any value: sizing (all ones) and
 *    placement as operating systems do them.
 *  - While it is on, a BAR write must leave the BAR (its size from the
 *    config's bar_mask; both halves of a 64-bit BAR) on the cell's memory
 *    (cell_owns_phys()) or ports (its I/O bitmap).
 *  - Turning a space's decoding on requires every BAR of that space to be
 *    so placed.
 *  - BARs without a bar_mask in the config, the expansion ROM with its
 *    enable bit set and a bridge's windows are not written at all.
 * Refused writes are dropped and reported.
 */
static bool header_write_allowed(struct cell *cell,
				 const struct jailhouse_pci_device *dev,
				 u16 bdf, u16 reg, unsigned int size, u32 val)
{
	u16 dword = reg & ~3, rom, bar_end = PCI_BAR0 + num_bars(bdf) * 4;
	u32 old = pci_hw_read(bdf, dword, 4);
	u32 new = pci_merge(old, reg, size, val);
	u32 cmd = pci_hw_read(bdf, PCI_COMMAND, 2), lo, hi;
	unsigned int n;

	rom = bar_end == PCI_BAR0 + 8 ? PCI_ROM_TYPE1 : PCI_ROM_TYPE0;
	if (dword == PCI_COMMAND)
		return (!(new & ~cmd & CMD_MEM) ||
			bars_placed(cell, dev, bdf, false)) &&
			(!(new & ~cmd & CMD_IO) ||
			 bars_placed(cell, dev, bdf, true));
	if (dword == rom)
		return !(new & ROM_ENABLE) || new == old;
	if (rom == PCI_ROM_TYPE1 &&
	    ((reg < BRIDGE_WINDOWS_IO + 2 && reg + size > BRIDGE_WINDOWS_IO) ||
	     (reg < BRIDGE_WINDOWS_END && reg + size > BRIDGE_WINDOWS)))
		return false;
	if (dword < PCI_BAR0 || dword >= bar_end)
		return true;

	/* walk from BAR 0 to know whether this one is an upper half */
	for (n = 0; PCI_BAR0 + n * 4 < dword; n++) {
		lo = pci_hw_read(bdf, PCI_BAR0 + n * 4, 4);
		if (lo & BAR_IO || (lo & BAR_MEM_TYPE) != BAR_MEM_64)
			continue;
		if (PCI_BAR0 + (n + 1) * 4 == dword)
			return dev->bar_mask[n] && (!(cmd & CMD_MEM) ||
				bar_placed(cell, dev, n, lo, new));
		n++;
	}
	if (!dev->bar_mask[n])
		return false;
	/* the type bits are read-only */
	new = old & BAR_IO ? (new & ~3U) | (old & 3) :
		(new & ~0xfU) | (old & 0xf);
	if (!(cmd & (new & BAR_IO ? CMD_IO : CMD_MEM)))
		return true;
	hi = dword + 4 < bar_end ? pci_hw_read(bdf, dword + 4, 4) : 0;
	return bar_placed(cell, dev, n, new, hi);
}

/*
 * A config space access of the current cell to @p reg (the access stays
 * within one dword).  Reads of what the cell may not see are all ones,
 * such writes are dropped.
 */
static void config_write(struct cell *cell,
			 const struct jailhouse_pci_device *dev, u16 bdf,
			 u16 reg, unsigned int size, u32 value);

static void config_access(u16 bdf, u16 reg, unsigned int size, bool write,
			  u32 *value)
{
	struct cell *cell = this_cell();
	const struct jailhouse_pci_device *dev;
	struct ivshmem_endpoint *ep = ivshmem_endpoint(cell, 0, bdf);

	if (ep) {
		if (write)
			ivshmem_cfg_write(ep, reg, size, *value);
		else
			*value = ivshmem_cfg_read(ep, reg, size);
		return;
	}
	if (!write) {
		dev = pci_cell_device(cell, bdf);
		*value = size_mask(size);
		if (dev)
			*value &= caps_filtered(cell, dev, bdf, reg & ~3,
					pci_hw_read(bdf, reg & ~3, 4)) >>
				((reg & 3) * 8);
		return;
	}
	spin_lock(&pci_decide_lock);
	dev = pci_cell_device(cell, bdf);
	if (dev)
		config_write(cell, dev, bdf, reg, size, *value);
	spin_unlock(&pci_decide_lock);
}

/* A write of the current cell to device @p dev, pci_decide_lock held. */
static void config_write(struct cell *cell,
			 const struct jailhouse_pci_device *dev, u16 bdf,
			 u16 reg, unsigned int size, u32 value)
{
	const struct jailhouse_pci_capability *cap;

	if (reg < PCI_HEADER_END &&
	    !header_write_allowed(cell, dev, bdf, reg, size, value)) {
		printk("PCI: cell \"%s\" may not write %08x to register %x of "
		       "%02x:%02x.%x (decoding foreign resources), refused\n",
		       cell->config->name, value, reg, bdf >> 8,
		       (bdf >> 3) & 0x1f, bdf & 7);
		return;
	}
	if (reg >= PCI_HEADER_END) {
		cap = device_cap(cell, dev, reg);
		if (!cap || !(cap->flags & JAILHOUSE_PCICAPS_WRITE))
			return;
		if (cap->id == PCI_CAP_MSI &&
		    !msi_write_allowed(cell, bdf, cap, reg, size, value))
			return;
		pci_hw_write(bdf, reg, size, value);
		if (cap->id == PCI_CAP_MSI)
			msi_remap(cell, dev);
		return;
	}
	pci_hw_write(bdf, reg, size, value);
}

/* ---- the ports ---- */

void x86_pci_reset_cpu(struct per_cpu *c)
{
	addr_port[c->cpu_id] = 0;
}

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
	return (mmcfg_size() ? 1 : 0) + msix_mmio_count(cell);
}

static int pci_cell_init(struct cell *cell)
{
	int err;

	if (mmcfg_size()) {
		err = mmio_region_register(cell,
			system_config->platform_info.pci_mmconfig_base,
			mmcfg_size(), mmcfg_handler, NULL);
		if (err)
			return err;
	}
	return msix_cell_init(cell);
}

static void pci_cell_exit(struct cell *cell)
{
	msix_cell_exit(cell);
}

DEFINE_UNIT(pci, "PCI");
