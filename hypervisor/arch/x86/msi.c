/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: a device's interrupt messages reach only the
 * CPUs of its cell.
 *
 * Writes into a device's MSI capability (pci.c passes them here) and, when
 * the config names the table, into its MSI-X table (emulated, the table is
 * no memory of the cell) are checked: the address must target only the
 * cell's CPUs, the data ask for fixed or lowest-priority delivery.  When a
 * new cell takes CPUs from the root, the root's MSI and MSI-X routes that
 * would reach one of them are disabled or masked.  A non-root cell's
 * device also sends only the messages that pass these checks: the IOMMU
 * remaps its interrupts through a table of exactly those (msi_remap()).
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <asm/apic.h>
#include <asm/iommu.h>
#include <asm/pci.h>

#define MSI_CTRL		2
# define MSI_CTRL_ENABLE	(1U << 0)
# define MSI_CTRL_VECTORS(ctrl)	(1U << MIN(((ctrl) >> 4) & 7, 5))
# define MSI_CTRL_64BIT		(1U << 7)
#define MSI_ADDR_LO		4
#define MSI_ADDR_HI		8
#define MSI_DATA_32		8
#define MSI_DATA_64		12
#define MSI_ADDR_WINDOW		0xfff00000U
#define MSI_ADDR_BASE		0xfee00000U
#define MSI_DEST(addr)		(((addr) >> 12) & 0xff)
#define MSI_DEST_LOGICAL	(1U << 2)
#define MSI_DELIVERY(data)	(((data) >> 8) & 7)
#define PCI_STATUS		0x06	/* the status register */
#define PCI_CAP_MSIX		0x11
#define MSIX_TABLE_REG		4	/* BAR indicator and offset */
# define MSIX_TABLE_BIR		7U
#define MSIX_ENTRY_SIZE		16
#define MSIX_ADDR_LO		0	/* dwords of an entry */
#define MSIX_ADDR_HI		1
#define MSIX_DATA		2
#define MSIX_CTRL		3
# define MSIX_CTRL_MASKED	(1U << 0)

/* ---- MSI ---- */

/*
 * The CPUs the root's messages may reach: the root's, less those of a cell
 * being created, which leave here (under pci_decide_lock) before the
 * root's routes reaching them are disabled; root_cell.cpus follows only
 * later.
 */
static struct cpu_set root_cpus;

static const struct cpu_set *msi_cpus(struct cell *cell)
{
	return cell == &root_cell ? &root_cpus : &cell->cpus;
}

/*
 * Whether an MSI address of a device of @cell sends interrupts only to
 * the CPUs @cpus: a physical destination (the root also a logical one).
 * An address outside the interrupt window is a memory write, for the root
 * only (its devices' DMA is not confined anyway; Linux clears addresses of
 * deactivated vectors to 0).
 */
static bool msi_addr_allowed(struct cell *cell, const struct cpu_set *cpus,
			     u32 addr)
{
	if ((addr & MSI_ADDR_WINDOW) != MSI_ADDR_BASE)
		return cell == &root_cell;
	if (addr & MSI_DEST_LOGICAL && cell != &root_cell)
		return false;
	return apic_dest_only(cpus, MSI_DEST(addr), addr & MSI_DEST_LOGICAL);
}

/* MSI data: fixed or lowest-priority delivery (no NMI, SMI, INIT, ExtINT) */
static bool msi_data_allowed(u32 data)
{
	return MSI_DELIVERY(data) <= 1;
}

static void msi_refused(struct cell *cell, u16 bdf, const char *what,
			u32 value)
{
	printk("PCI: cell \"%s\" may not send MSIs of %02x:%02x.%x %s %08x, "
	       "refused\n", cell->config->name, bdf >> 8, (bdf >> 3) & 0x1f,
	       bdf & 7, what, value);
}

/* Whether a write into the MSI capability @p cap keeps it in the cell. */
bool msi_write_allowed(struct cell *cell, u16 bdf,
		       const struct jailhouse_pci_capability *cap,
		       u16 reg, unsigned int size, u32 value)
{
	u16 dword = reg & ~3, data_reg = cap->start + MSI_DATA_32;
	u32 new = pci_merge(pci_hw_read(bdf, dword, 4), reg, size, value);

	if (pci_hw_read(bdf, cap->start + MSI_CTRL, 2) & MSI_CTRL_64BIT)
		data_reg = cap->start + MSI_DATA_64;
	if (dword == cap->start + MSI_ADDR_LO &&
	    !msi_addr_allowed(cell, msi_cpus(cell), new)) {
		msi_refused(cell, bdf, "to", new);
		return false;
	}
	if (dword == (data_reg & ~3)) {
		new >>= (data_reg & 3) * 8;
		if (!msi_data_allowed(new)) {
			msi_refused(cell, bdf, "with data", new & 0xffff);
			return false;
		}
	}
	return true;
}

/* ---- MSI-X ---- */

/*
 * The MSI-X table of a device whose config gives it (num_msix_vectors,
 * msix_address, msix_region_size) is no memory of the cell but emulated:
 * reads (the entries, the pending bits if the region holds them) come from
 * the device, writes go to it if afterwards the entry is masked or sends
 * only to the cell's CPUs (msi_addr_allowed(), msi_data_allowed(); the
 * upper address half 0 for non-root cells).  Operating systems mask an
 * entry while they change it, as the specification asks.
 */
static bool msix_entry_allowed(struct cell *cell, const struct cpu_set *cpus,
			       const u32 entry[4])
{
	if (entry[MSIX_CTRL] & MSIX_CTRL_MASKED)
		return true;
	if (entry[MSIX_ADDR_HI] && cell != &root_cell)
		return false;
	return msi_addr_allowed(cell, cpus, entry[MSIX_ADDR_LO]) &&
		msi_data_allowed(entry[MSIX_DATA]);
}

static enum mmio_result msix_handler(void *arg, struct mmio_access *a)
{
	const struct jailhouse_pci_device *dev = arg;
	struct cell *cell = this_cell();
	unsigned long offs = a->address - dev->msix_address;
	unsigned int n, first;
	bool allowed;
	u32 entry[4];
	u8 *table;

	if ((a->size != 4 && a->size != 8) || offs & (a->size - 1))
		return MMIO_ERROR;
	table = paging_remap(dev->msix_address, dev->msix_region_size,
			     PAGE_DEFAULT | PAGE_DEVICE);
	if (!table)
		return MMIO_ERROR;
	if (!a->is_write) {
		a->value = mmio_read_sized(table + offs, a->size);
	} else if (offs >= dev->num_msix_vectors * MSIX_ENTRY_SIZE) {
		/* beyond the table: pending bits (read-only) */
	} else {
		first = (offs % MSIX_ENTRY_SIZE) / 4;
		offs -= first * 4;
		spin_lock(&pci_decide_lock);
		for (n = 0; n < 4; n++)
			entry[n] = mmio_read_sized(table + offs + n * 4, 4);
		entry[first] = a->value;
		if (a->size == 8)
			entry[first + 1] = a->value >> 32;
		allowed = msix_entry_allowed(cell, msi_cpus(cell), entry);
		if (allowed) {
			mmio_write_sized(table + offs + first * 4, a->size,
					 a->value);
			msi_remap(cell, dev);
		}
		spin_unlock(&pci_decide_lock);
		if (!allowed)
			printk("PCI: cell \"%s\" may not send MSI-X vector %lu "
			       "of %02x:%02x.%x to %08x:%08x with data %08x, "
			       "refused\n", cell->config->name,
			       offs / MSIX_ENTRY_SIZE, dev->bdf >> 8,
			       (dev->bdf >> 3) & 0x1f, dev->bdf & 7,
			       entry[MSIX_ADDR_HI], entry[MSIX_ADDR_LO],
			       entry[MSIX_DATA]);
	}
	paging_unmap(table, dev->msix_region_size);
	return MMIO_HANDLED;
}

bool msix_message_allowed(struct cell *cell, const u32 entry[4])
{
	return msix_entry_allowed(cell, msi_cpus(cell), entry);
}

/* ---- interrupt remapping ---- */

static const struct jailhouse_pci_capability *
msi_cap(struct cell *cell, const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_pci_capability *cap =
		jailhouse_cell_pci_caps(cell->config) + dev->caps_start;
	unsigned int n;

	if (dev->caps_start + dev->num_caps > cell->config->num_pci_caps)
		return NULL;
	for (n = 0; n < dev->num_caps; n++, cap++)
		if (cap->id == PCI_CAP_MSI)
			return cap;
	return NULL;
}

static void remap_add(struct cell *cell, u16 bdf, u32 addr, u32 data)
{
	if (!iommu_irq_add(addr, data))
		printk("PCI: cell \"%s\" sends MSIs of %02x:%02x.%x with data "
		       "%04x to two destinations, %08x blocked\n",
		       cell->config->name, bdf >> 8, (bdf >> 3) & 0x1f,
		       bdf & 7, data & 0xffff, addr);
}

/*
 * The messages a non-root cell's device may send, entered into its
 * interrupt remapping table after every write that may change them
 * (pci_decide_lock held): its MSI (if enabled, each vector it has) and the
 * unmasked entries of its emulated MSI-X table, each checked again as a
 * write would be, so that what the root left in the device never passes.
 */
void msi_remap(struct cell *cell, const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_pci_capability *cap;
	unsigned int n, count;
	u32 ctrl, addr, data, entry[4];
	u8 *table;

	if (!iommu_irq_begin(cell, dev->bdf))
		return;
	cap = msi_cap(cell, dev);
	ctrl = cap ? pci_hw_read(dev->bdf, cap->start + MSI_CTRL, 2) : 0;
	if (ctrl & MSI_CTRL_ENABLE &&
	    (!(ctrl & MSI_CTRL_64BIT) ||
	     !pci_hw_read(dev->bdf, cap->start + MSI_ADDR_HI, 4))) {
		addr = pci_hw_read(dev->bdf, cap->start + MSI_ADDR_LO, 4);
		data = pci_hw_read(dev->bdf, cap->start +
				   (ctrl & MSI_CTRL_64BIT ? MSI_DATA_64 :
				    MSI_DATA_32), 2);
		count = MSI_CTRL_VECTORS(ctrl);
		if (msi_addr_allowed(cell, &cell->cpus, addr) &&
		    msi_data_allowed(data))
			for (n = 0; n < count; n++)
				remap_add(cell, dev->bdf, addr,
					  (data & ~(count - 1)) | n);
	}
	table = dev->num_msix_vectors ?
		paging_remap(dev->msix_address, dev->msix_region_size,
			     PAGE_DEFAULT | PAGE_DEVICE) : NULL;
	for (n = 0; table && n < dev->num_msix_vectors; n++) {
		for (count = 0; count < 4; count++)
			entry[count] = mmio_read_sized(table +
				n * MSIX_ENTRY_SIZE + count * 4, 4);
		if (!(entry[MSIX_CTRL] & MSIX_CTRL_MASKED) &&
		    msix_entry_allowed(cell, &cell->cpus, entry))
			remap_add(cell, dev->bdf, entry[MSIX_ADDR_LO],
				  entry[MSIX_DATA]);
	}
	if (table)
		paging_unmap(table, dev->msix_region_size);
	iommu_irq_commit();
}

/* The devices of @cell with an emulated MSI-X table. */
#define for_each_msix_device(dev, cell, n)				\
	for ((n) = 0, (dev) = jailhouse_cell_pci_devices((cell)->config);\
	     (n) < (cell)->config->num_pci_devices; (n)++, (dev)++)	\
		if ((dev)->num_msix_vectors &&				\
		    pci_cell_device((cell), (dev)->bdf))

/* The MSI-X table register (BIR, offset) of @p bdf, if it has MSI-X. */
static bool msix_table_reg(u16 bdf, u32 *table)
{
	unsigned int hops;
	u16 ptr;

	if (!(pci_hw_read(bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
		return false;
	ptr = pci_hw_read(bdf, PCI_CAP_PTR, 1) & 0xfc;
	for (hops = 0; hops < 48 && ptr >= PCI_HEADER_END; hops++) {
		if (pci_hw_read(bdf, ptr, 1) == PCI_CAP_MSIX) {
			*table = pci_hw_read(bdf, ptr + MSIX_TABLE_REG, 4);
			return true;
		}
		ptr = pci_hw_read(bdf, ptr + 1, 1) & 0xfc;
	}
	return false;
}

bool msix_bar_placed(struct cell *cell, const struct jailhouse_pci_device *dev,
		     unsigned int n, u64 addr, u64 size)
{
	u64 table = dev->msix_address, end = table + dev->msix_region_size;
	u32 reg;

	if (!dev->num_msix_vectors || !msix_table_reg(dev->bdf, &reg) ||
	    (reg & MSIX_TABLE_BIR) != n)
		return cell_owns_phys(cell, addr, size);
	if (addr + (reg & ~MSIX_TABLE_BIR) != table || addr + size < end)
		return false;
	return (addr == table || cell_owns_phys(cell, addr, table - addr)) &&
		(addr + size == end ||
		 cell_owns_phys(cell, end, addr + size - end));
}

/*
 * Where the device's table lies now, if its memory decoding is on: from
 * the BAR its MSI-X capability names; 0 if not decoding.
 */
static u64 msix_table_now(const struct jailhouse_pci_device *dev)
{
	unsigned int bar;
	u32 reg, lo;
	u64 addr;

	if (!(pci_hw_read(dev->bdf, PCI_COMMAND, 2) & CMD_MEM) ||
	    !msix_table_reg(dev->bdf, &reg))
		return 0;
	bar = reg & MSIX_TABLE_BIR;
	lo = pci_hw_read(dev->bdf, PCI_BAR0 + bar * 4, 4);
	if (bar > 5 || lo & BAR_IO)
		return 0;
	addr = lo & ~0xfULL;
	if ((lo & BAR_MEM_TYPE) == BAR_MEM_64 && bar < 5)
		addr |= (u64)pci_hw_read(dev->bdf, PCI_BAR0 + bar * 4 + 4, 4)
			<< 32;
	return addr + (reg & ~MSIX_TABLE_BIR);
}

/*
 * The table must lie in the region, which no memory region maps, and a
 * decoding device's table must be there now: the hypervisor emulates only
 * that address, a table elsewhere would be the cell's memory, unchecked
 * (while decoding, BAR writes keep it there: msix_bar_placed(); turning
 * decoding on requires it there).  A non-root cell is refused.  The root's
 * table where the firmware moved it (q35 with a further device: the
 * README's machine) is emulated there instead, if it lies page aligned in
 * the root's own memory: the address in the root's configuration (the
 * hypervisor's copy) follows the BAR, and the root's mapping leaves that
 * page out (map_root_region()); elsewhere it stays unchecked, with a
 * warning.
 */
static int msix_check(const struct cell *cell,
		      const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_memory *mem;
	u64 now = msix_table_now(dev);
	unsigned int n;
	bool follow;

	if (dev->msix_region_size & 0xfff || !dev->msix_region_size ||
	    dev->num_msix_vectors * MSIX_ENTRY_SIZE > dev->msix_region_size)
		return trace_error(-EINVAL);
	if (now && now != dev->msix_address) {
		follow = cell == &root_cell && PAGE_ALIGNED(now) &&
			cell_owns_phys(cell, now, dev->msix_region_size);
		printk("PCI: MSI-X table of %02x:%02x.%x is at %llx, cell "
		       "\"%s\"'s config names %llx: %s\n", dev->bdf >> 8,
		       (dev->bdf >> 3) & 0x1f, dev->bdf & 7, now,
		       cell->config->name, dev->msix_address,
		       follow ? "emulated where it is" :
		       cell == &root_cell ? "the root's writes there are not "
		       "checked (generate the config on this machine)" :
		       "refused");
		if (cell != &root_cell)
			return trace_error(-EINVAL);
		if (follow) {
			((struct jailhouse_pci_device *)dev)->msix_address =
				now;
			return 0;
		}
	}

	if (dev->msix_address & 0xfff)
		return trace_error(-EINVAL);
	for_each_mem_region(mem, cell->config, n)
		if (mem->size && ranges_overlap(mem->virt_start, mem->size,
						dev->msix_address,
						dev->msix_region_size))
			return trace_error(-EINVAL);
	return 0;
}

/* Mask the vectors of the root's @dev that reach CPUs beyond @cpus. */
static void msix_leave(const struct jailhouse_pci_device *dev,
		       const struct cpu_set *cpus, const char *name)
{
	u8 *table = paging_remap(dev->msix_address, dev->msix_region_size,
				 PAGE_DEFAULT | PAGE_DEVICE);
	unsigned int n, m;
	u32 entry[4];

	if (!table)
		return;
	for (n = 0; n < dev->num_msix_vectors; n++) {
		for (m = 0; m < 4; m++)
			entry[m] = mmio_read_sized(table + n * MSIX_ENTRY_SIZE +
						   m * 4, 4);
		if (msix_entry_allowed(&root_cell, cpus, entry))
			continue;
		mmio_write_sized(table + n * MSIX_ENTRY_SIZE + MSIX_CTRL * 4,
				 4, entry[MSIX_CTRL] | MSIX_CTRL_MASKED);
		printk("PCI: MSI-X vector %u of %02x:%02x.%x reached a CPU of "
		       "cell \"%s\", masked\n", n, dev->bdf >> 8,
		       (dev->bdf >> 3) & 0x1f, dev->bdf & 7, name);
	}
	paging_unmap(table, dev->msix_region_size);
}

/*
 * A new cell takes CPUs from the root: MSIs of the root's devices that
 * would now reach one of them are disabled (the root's later writes are
 * checked).
 */
static void root_msis_leave(struct cell *cell)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(root_cell.config);
	const struct jailhouse_pci_capability *cap;
	unsigned int n, m, cpu;
	u32 ctrl;

	spin_lock(&pci_decide_lock);
	for_each_cpu(cpu, &cell->cpus)
		cpu_set_del(&root_cpus, cpu);
	for (n = 0; n < root_cell.config->num_pci_devices; n++, dev++) {
		if (!pci_cell_device(&root_cell, dev->bdf) ||
		    dev->caps_start + dev->num_caps >
		    root_cell.config->num_pci_caps)
			continue;
		cap = jailhouse_cell_pci_caps(root_cell.config) +
			dev->caps_start;
		for (m = 0; m < dev->num_caps; m++, cap++) {
			if (cap->id != PCI_CAP_MSI)
				continue;
			ctrl = pci_hw_read(dev->bdf, cap->start + MSI_CTRL, 2);
			if (!(ctrl & MSI_CTRL_ENABLE) ||
			    msi_addr_allowed(&root_cell, &root_cpus,
					     pci_hw_read(dev->bdf, cap->start +
						     MSI_ADDR_LO, 4)))
				continue;
			pci_hw_write(dev->bdf, cap->start + MSI_CTRL, 2,
				     ctrl & ~MSI_CTRL_ENABLE);
			printk("PCI: MSIs of %02x:%02x.%x reached a CPU of cell "
			       "\"%s\", disabled\n", dev->bdf >> 8,
			       (dev->bdf >> 3) & 0x1f, dev->bdf & 7,
			       cell->config->name);
		}
	}
	for_each_msix_device(dev, &root_cell, n)
		msix_leave(dev, &root_cpus, cell->config->name);
	spin_unlock(&pci_decide_lock);
}

unsigned int msix_mmio_count(struct cell *cell)
{
	const struct jailhouse_pci_device *dev;
	unsigned int n, count = 0;

	for_each_msix_device(dev, cell, n)
		count++;
	return count;
}

int msix_cell_init(struct cell *cell)
{
	const struct jailhouse_pci_device *dev;
	unsigned int n;
	int err;

	for_each_msix_device(dev, cell, n) {
		err = msix_check(cell, dev);
		if (err)
			return err;
	}
	for_each_msix_device(dev, cell, n) {
		err = mmio_region_register(cell, dev->msix_address,
					   dev->msix_region_size,
					   msix_handler, (void *)dev);
		if (err)
			return err;
	}
	if (cell == &root_cell)
		root_cpus = root_cell.cpus;
	else
		root_msis_leave(cell);
	return 0;
}

void msix_cell_exit(struct cell *cell)
{
	unsigned int cpu;

	if (cell == &root_cell)
		return;
	spin_lock(&pci_decide_lock);
	for_each_cpu(cpu, &cell->cpus)
		cpu_set_add(&root_cpus, cpu);
	spin_unlock(&pci_decide_lock);
}
