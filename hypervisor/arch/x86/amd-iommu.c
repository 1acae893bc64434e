/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: DMA remapping with AMD-Vi (AMD IOMMU).
 *
 * Every AMD unit of the system config (platform_info.iommu_units) is the
 * hypervisor's: its MMIO registers and its PCI function are no cell's.
 * Each cell (the root too) is one protection domain (ID: cell ID + 1)
 * with a 4-level DMA page table in AMD-Vi format, built by the generic
 * walker (hv/paging.h) and holding the cell's memory regions flagged
 * JAILHOUSE_MEM_DMA at their guest-physical addresses (the hooks
 * arch_iommu_map/unmap_memory() follow every map change the core makes).
 * The device table points every PCI function a cell's config lists to its
 * cell's table; all other functions (unlisted ones, the IOMMU itself) are
 * blocked: translation on, no read or write permission.  Interrupts of a
 * non-root cell's function are remapped (DTE.IV = 1, IntCtl = remapped):
 * each of its devices has a table with one entry per interrupt message
 * that msi.c validated for it (fixed or lowest-priority delivery to the
 * cell's CPUs); every other message it sends, programmed or written by
 * DMA into the interrupt window 0xfee00000-0xfeefffff, finds an invalid
 * entry and is aborted (and logged as an event).  A bridge of such a cell
 * gets no table: all its interrupts are aborted.  The root's functions and
 * unlisted ones (the IOAPIC's ID among them) pass interrupts unremapped
 * (DTE.IV = 0): the root's MSI routes are checked by msi.c, its IOAPIC's
 * by ioapic.c.  Changes are invalidated through
 * the command buffer and confirmed with a completion wait, bounded in
 * time.  The event log is read after each invalidation and when a cell
 * goes: every entry is reported once.
 *
 * The hypervisor takes a unit only if the OS left it off (Linux: boot
 * with amd_iommu=off) and turns it off again at disable, with the base
 * registers restored.  A unit that is not there (no function at its BDF)
 * is reported and skipped; with no unit working, non-root cells get no
 * physical PCI devices (control.c) and the root's DMA is not confined.
 * Written from the AMD I/O Virtualization Technology (IOMMU)
 * Specification (48882) and what QEMU's amd-iommu emulates.
 */

#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/unit.h>
#include <asm/iommu.h>
#include <asm/processor.h>

/* MMIO registers */
#define REG_DEVTAB_BASE		0x0000
#define REG_CMDBUF_BASE		0x0008
#define REG_EVTLOG_BASE		0x0010
#define REG_CONTROL		0x0018
# define CTRL_IOMMU_EN		(1ULL << 0)
# define CTRL_EVTLOG_EN		(1ULL << 2)
# define CTRL_COHERENT		(1ULL << 10)
# define CTRL_CMDBUF_EN		(1ULL << 12)
#define REG_CMDBUF_HEAD		0x2000
#define REG_CMDBUF_TAIL		0x2008
#define REG_EVTLOG_HEAD		0x2010
#define REG_EVTLOG_TAIL		0x2018
#define REG_STATUS		0x2020
# define STATUS_EVT_OVERFLOW	(1ULL << 0)
#define MMIO_SIZE		0x4000
#define RING_LEN_256		(8ULL << 56)	/* 256 entries of 16 bytes */
#define RING_SIZE		PAGE_SIZE
#define ENTRY_SIZE		16

/* commands (opcode in bits 63:60 of the first quadword) */
#define CMD_COMPLETION_WAIT	(1ULL << 60)
# define COMPLETION_STORE	(1ULL << 0)
#define CMD_INV_DEVTAB_ENTRY	(2ULL << 60)
#define CMD_INV_IOMMU_PAGES	(3ULL << 60)
# define INV_ALL_PAGES		0x7ffffffffffff000ULL
# define INV_SIZE		(1ULL << 0)
# define INV_PDE		(1ULL << 1)
#define CMD_INV_INT_TABLE	(5ULL << 60)

/* device table entries: 32 bytes, quadwords 0-2 used */
#define DTE_VALID		(1ULL << 0)
#define DTE_TRANSLATION		(1ULL << 1)
#define DTE_MODE(levels)	((u64)(levels) << 9)
#define DTE_READ		(1ULL << 61)
#define DTE_WRITE		(1ULL << 62)
/* quadword 2: interrupt remapping */
#define DTE_IV			(1ULL << 0)
#define DTE_INT_TAB_LEN(order)	((u64)(order) << 1)	/* 2^order entries */
#define DTE_INT_TABLE_MASK	0x000fffffffffffc0ULL
#define DTE_INTCTL_ABORT	(0ULL << 60)
#define DTE_INTCTL_REMAP	(2ULL << 60)
#define DTE_SIZE		32
#define DTES_PER_BUS		256

/* page table entries */
#define PTE_PRESENT		(1ULL << 0)
#define PTE_NEXT_LEVEL(l)	((u64)(l) << 9)
#define PTE_NEXT_LEVEL_MASK	(7ULL << 9)
#define PTE_READ		(1ULL << 61)
#define PTE_WRITE		(1ULL << 62)
#define PTE_ADDR_MASK		0x000ffffffffff000ULL
#define DMA_LEVELS		4

/*
 * Interrupt remapping table: an MSI's data bits 10:0 are its index, so
 * with 2^11 entries every message has one (none reads beyond the table).
 * Entries in the 32-bit format.
 */
#define IRT_ORDER		11
#define IRT_ENTRIES		(1U << IRT_ORDER)
#define IRT_PAGES		(IRT_ENTRIES * 4 / PAGE_SIZE)
#define IRTE_REMAP_EN		(1U << 0)
#define IRTE_INT_TYPE(type)	((u32)(type) << 2)
#define IRTE_DEST_LOGICAL	(1U << 6)
#define IRTE_DEST(dest)		((u32)(dest) << 8)
#define IRTE_VECTOR(vector)	((u32)(vector) << 16)
#define MSI_INDEX(data)		((data) & (IRT_ENTRIES - 1))
#define MSI_VECTOR(data)	((data) & 0xff)
#define MSI_DELIVERY(data)	(((data) >> 8) & 7)
#define MSI_DEST(addr)		(((addr) >> 12) & 0xff)
#define MSI_DEST_LOGICAL	(1U << 2)

#define PCI_COMMAND		0x04
# define CMD_DECODE_MASTER	0x7	/* I/O, memory, bus master */
#define AMD_VENDOR		0x1022
#define WAIT_MS			100

struct amd_unit {
	const struct jailhouse_iommu *cfg;
	void *mmio;
	u64 *cmd_ring, *evt_ring;
	u32 cmd_tail;
	bool stuck;		/* reported once */
	/* the registers the OS left, restored at disable */
	u64 saved[4];
	bool enabled;
};

static struct amd_unit units[JAILHOUSE_MAX_IOMMU_UNITS];
static unsigned int num_units;
static u64 *dev_table;
static unsigned int dev_table_pages;
static spinlock_t cmd_lock;
static volatile u64 completion __attribute__((aligned(8)));

static u64 reg_read(struct amd_unit *u, unsigned int reg)
{
	return mmio_read_sized((u8 *)u->mmio + reg, 8);
}

static void reg_write(struct amd_unit *u, unsigned int reg, u64 val)
{
	mmio_write_sized((u8 *)u->mmio + reg, 8, val);
}

/* ---- the PCI function of a unit or device, through MMCONFIG ---- */

static void *cfg_map(u16 bdf)
{
	u64 base = system_config->platform_info.pci_mmconfig_base;

	if (!base || (bdf >> 8) > system_config->platform_info.pci_mmconfig_end_bus)
		return NULL;
	return paging_remap(base + ((u64)bdf << 12), PAGE_SIZE,
			    PAGE_DEFAULT | PAGE_DEVICE);
}

static u32 cfg_read32(u16 bdf, unsigned int reg)
{
	void *page = cfg_map(bdf);
	u32 val;

	if (!page)
		return ~0U;
	val = mmio_read_sized((u8 *)page + reg, 4);
	paging_unmap(page, PAGE_SIZE);
	return val;
}

/*
 * Stop a device that changes hands: no decoding, no bus mastering (so no
 * DMA and no MSIs) until its new owner turns them on again.
 */
static void device_stop(u16 bdf)
{
	void *page = cfg_map(bdf);
	u16 cmd;

	if (!page)
		return;
	cmd = mmio_read_sized((u8 *)page + PCI_COMMAND, 2);
	if (cmd != 0xffff)
		mmio_write_sized((u8 *)page + PCI_COMMAND, 2,
				 cmd & ~CMD_DECODE_MASTER);
	paging_unmap(page, PAGE_SIZE);
}

/* ---- command buffer and event log ---- */

static void report_events(struct amd_unit *u)
{
	u64 head = reg_read(u, REG_EVTLOG_HEAD) % RING_SIZE;
	u64 tail = reg_read(u, REG_EVTLOG_TAIL) % RING_SIZE;
	u64 *evt;
	u16 dev;

	while (head != tail) {
		evt = u->evt_ring + head / 8;
		dev = evt[0] & 0xffff;
		printk("AMD IOMMU %02x:%02x.%x: event %llx from %02x:%02x.%x, "
		       "address %llx\n", u->cfg->amd.bdf >> 8,
		       (u->cfg->amd.bdf >> 3) & 0x1f, u->cfg->amd.bdf & 7,
		       evt[0] >> 48, dev >> 8, (dev >> 3) & 0x1f, dev & 7,
		       evt[1]);
		head = (head + ENTRY_SIZE) % RING_SIZE;
	}
	reg_write(u, REG_EVTLOG_HEAD, head);
	if (reg_read(u, REG_STATUS) & STATUS_EVT_OVERFLOW) {
		printk("AMD IOMMU: event log overflowed, events lost\n");
		reg_write(u, REG_STATUS, STATUS_EVT_OVERFLOW);
	}
}

/* Queue one command; false if the unit does not take it in time. */
static bool queue(struct amd_unit *u, u64 lo, u64 hi)
{
	u32 next = (u->cmd_tail + ENTRY_SIZE) % RING_SIZE;
	u64 deadline = arch_timer_ticks() + arch_timer_hz() * WAIT_MS / 1000;

	while ((reg_read(u, REG_CMDBUF_HEAD) % RING_SIZE) == next)
		if ((s64)(arch_timer_ticks() - deadline) > 0)
			return false;
		else
			cpu_relax();
	u->cmd_ring[u->cmd_tail / 8] = lo;
	u->cmd_ring[u->cmd_tail / 8 + 1] = hi;
	u->cmd_tail = next;
	asm volatile("sfence" : : : "memory");
	reg_write(u, REG_CMDBUF_TAIL, next);
	return true;
}

/*
 * The commands queued so far are done when the unit stores the marker:
 * wait for it, bounded (a unit that does not answer is reported, the
 * caller goes on).
 */
static void sync_unit(struct amd_unit *u)
{
	u64 deadline = arch_timer_ticks() + arch_timer_hz() * WAIT_MS / 1000;
	u64 addr = paging_hvirt2phys((const void *)&completion);

	completion = 0;
	if (!queue(u, CMD_COMPLETION_WAIT | COMPLETION_STORE | addr, 1)) {
		if (!u->stuck)
			printk("AMD IOMMU: command buffer stuck\n");
		u->stuck = true;
		return;
	}
	while (READ_ONCE(completion) != 1)
		if ((s64)(arch_timer_ticks() - deadline) > 0) {
			if (!u->stuck)
				printk("AMD IOMMU: completion wait timed "
				       "out\n");
			u->stuck = true;
			return;
		} else {
			cpu_relax();
		}
	report_events(u);
}

/* Invalidate cached translations of domain @dom (0: none), @bdf's DTE and
 * interrupt table (~0: none) on every unit. */
static void invalidate(unsigned int dom, unsigned int bdf)
{
	unsigned int n;

	spin_lock(&cmd_lock);
	for (n = 0; n < num_units; n++) {
		if (!units[n].enabled)
			continue;
		if (bdf <= 0xffff) {
			queue(&units[n], CMD_INV_DEVTAB_ENTRY | bdf, 0);
			queue(&units[n], CMD_INV_INT_TABLE | bdf, 0);
		}
		if (dom)
			queue(&units[n], CMD_INV_IOMMU_PAGES | (u64)dom << 32,
			      INV_ALL_PAGES | INV_SIZE | INV_PDE);
		sync_unit(&units[n]);
	}
	spin_unlock(&cmd_lock);
}

/* ---- the DMA page table format ---- */

static bool dma_valid(pt_entry_t pte)
{
	return pte & PTE_PRESENT;
}

static bool dma_is_table(pt_entry_t pte)
{
	return pte & PTE_NEXT_LEVEL_MASK;
}

static phys_addr_t dma_phys(pt_entry_t pte)
{
	return pte & PTE_ADDR_MASK;
}

/* The entry at @level points to a table whose AMD-Vi level is one less
 * than its own (the root table is level DMA_LEVELS). */
static pt_entry_t dma_table(phys_addr_t phys, unsigned int level)
{
	return phys | PTE_PRESENT | PTE_READ | PTE_WRITE |
		PTE_NEXT_LEVEL(DMA_LEVELS - 1 - level);
}

/* A leaf at any level: next level 0, the page size is the level's. */
static pt_entry_t dma_leaf(phys_addr_t phys, unsigned long flags,
			   unsigned int level)
{
	return phys | PTE_PRESENT | (flags & PAGE_READ ? PTE_READ : 0) |
		(flags & PAGE_WRITE ? PTE_WRITE : 0);
}

static pt_entry_t dma_split(pt_entry_t leaf, phys_addr_t phys,
			    bool last_level)
{
	return (leaf & ~PTE_ADDR_MASK) | phys;
}

static pt_entry_t dma_block(pt_entry_t leaf, phys_addr_t phys)
{
	return (leaf & ~PTE_ADDR_MASK) | phys;
}

static void dma_flush(const struct paging_structures *pg)
{
	invalidate(pg->id, ~0U);
}

static const struct paging dma_format = {
	.levels = DMA_LEVELS,
	.block_levels = BIT(DMA_LEVELS - 2),
	.valid = dma_valid, .is_table = dma_is_table, .phys = dma_phys,
	.table = dma_table, .leaf = dma_leaf, .split = dma_split,
	.block = dma_block, .flush = dma_flush,
};

/* ---- device table ---- */

static u64 *dte_of(u16 bdf)
{
	if ((unsigned long)bdf * DTE_SIZE >= dev_table_pages * PAGE_SIZE)
		return NULL;
	return dev_table + (unsigned long)bdf * DTE_SIZE / 8;
}

/*
 * @bdf to @cell (NULL: no cell, blocked) with @irt as its interrupt
 * remapping table: a non-root cell's function without one (a bridge) has
 * all its interrupts aborted; the root's and unlisted functions pass them.
 */
static void dte_set(u16 bdf, const struct cell *cell, u32 *irt)
{
	u64 *dte = dte_of(bdf);

	if (!dte)
		return;
	if (!cell || cell == &root_cell)
		dte[2] = 0;
	else if (irt)
		dte[2] = DTE_IV | DTE_INTCTL_REMAP | DTE_INT_TAB_LEN(IRT_ORDER) |
			paging_hvirt2phys(irt);
	else
		dte[2] = DTE_IV | DTE_INTCTL_ABORT;
	dte[1] = cell ? cell->arch.dma.id : 0;
	dte[0] = DTE_VALID | DTE_TRANSLATION | (cell ?
		 DTE_MODE(DMA_LEVELS) | DTE_READ | DTE_WRITE |
		 paging_hvirt2phys(cell->arch.dma.root) : 0);
}

/* The interrupt remapping table of @bdf if it is @cell's, else NULL. */
static u32 *dte_irt(u16 bdf, const struct cell *cell)
{
	u64 *dte = dte_of(bdf);

	if (!dte || !cell->arch.dma.root || dte[1] != cell->arch.dma.id ||
	    (dte[2] & (DTE_IV | DTE_INTCTL_REMAP)) !=
	    (DTE_IV | DTE_INTCTL_REMAP))
		return NULL;
	return paging_phys2hvirt(dte[2] & DTE_INT_TABLE_MASK);
}

static bool is_unit_function(u16 bdf)
{
	unsigned int n;

	for (n = 0; n < num_units; n++)
		if (units[n].cfg->amd.bdf == bdf)
			return true;
	return false;
}

/* ---- hooks of the core ---- */

unsigned int arch_iommu_count(void)
{
	return num_units;
}

int arch_iommu_map_memory(struct cell *cell, const struct jailhouse_memory *mem)
{
	unsigned long flags = 0;

	if (!cell->arch.dma.root || !(mem->flags & JAILHOUSE_MEM_DMA))
		return 0;
	if (mem->flags & JAILHOUSE_MEM_READ)
		flags |= PAGE_READ;
	if (mem->flags & JAILHOUSE_MEM_WRITE)
		flags |= PAGE_WRITE;
	return paging_create(&cell->arch.dma, mem->phys_start, mem->size,
			     mem->virt_start, flags);
}

int arch_iommu_unmap_memory(struct cell *cell,
			    const struct jailhouse_memory *mem)
{
	if (!cell->arch.dma.root)
		return 0;
	return paging_destroy(&cell->arch.dma, mem->virt_start, mem->size);
}

/* ---- the unit ---- */

static void unit_off(struct amd_unit *u)
{
	if (u->enabled) {
		spin_lock(&cmd_lock);
		report_events(u);
		spin_unlock(&cmd_lock);
		reg_write(u, REG_CONTROL, u->saved[3] & ~CTRL_IOMMU_EN);
		reg_write(u, REG_DEVTAB_BASE, u->saved[0]);
		reg_write(u, REG_CMDBUF_BASE, u->saved[1]);
		reg_write(u, REG_EVTLOG_BASE, u->saved[2]);
		reg_write(u, REG_CONTROL, u->saved[3]);
		u->enabled = false;
	}
	paging_unmap(u->mmio, MMIO_SIZE);
	page_free(&mem_pool, u->cmd_ring, 1);
	page_free(&mem_pool, u->evt_ring, 1);
	u->mmio = NULL;
}

static void amd_iommu_shutdown(void)
{
	while (num_units)
		unit_off(&units[--num_units]);
	page_free(&mem_pool, dev_table, dev_table_pages);
	dev_table = NULL;
}

/* Take unit @cfg: mapped, rings allocated, still off. */
static int unit_take(const struct jailhouse_iommu *cfg, unsigned int index)
{
	struct amd_unit *u = &units[num_units];
	u16 bdf = cfg->amd.bdf;
	u32 id = cfg_read32(bdf, 0);

	if ((id & 0xffff) != AMD_VENDOR) {
		printk("IOMMU unit %u: no AMD IOMMU at %02x:%02x.%x (ID %x), "
		       "skipped: DMA not confined\n", index, bdf >> 8,
		       (bdf >> 3) & 0x1f, bdf & 7, id);
		return 0;
	}
	if (cfg->size < MMIO_SIZE || cfg->base & PAGE_OFFS_MASK) {
		printk("IOMMU unit %u: MMIO %llx size %x, need %x aligned\n",
		       index, cfg->base, cfg->size, MMIO_SIZE);
		return -EINVAL;
	}
	u->cfg = cfg;
	u->mmio = paging_remap(cfg->base, MMIO_SIZE,
			       PAGE_DEFAULT | PAGE_DEVICE);
	u->cmd_ring = page_alloc(&mem_pool, 1);
	u->evt_ring = page_alloc(&mem_pool, 1);
	num_units++;
	if (!u->mmio || !u->cmd_ring || !u->evt_ring)
		return -ENOMEM;
	u->saved[0] = reg_read(u, REG_DEVTAB_BASE);
	u->saved[1] = reg_read(u, REG_CMDBUF_BASE);
	u->saved[2] = reg_read(u, REG_EVTLOG_BASE);
	u->saved[3] = reg_read(u, REG_CONTROL);
	if (u->saved[3] & CTRL_IOMMU_EN) {
		printk("AMD IOMMU %02x:%02x.%x is in use by the OS (Linux: "
		       "boot with amd_iommu=off)\n", bdf >> 8,
		       (bdf >> 3) & 0x1f, bdf & 7);
		return -EBUSY;
	}
	return 0;
}

static int amd_iommu_init(void)
{
	const struct jailhouse_iommu *cfg =
		system_config->platform_info.iommu_units;
	unsigned int n, buses;
	int err;

	for (n = 0; n < JAILHOUSE_MAX_IOMMU_UNITS; n++, cfg++) {
		if (!cfg->type)
			continue;
		if (cfg->type != JAILHOUSE_IOMMU_AMD) {
			printk("IOMMU unit %u: type %u not supported, "
			       "skipped: DMA not confined\n", n, cfg->type);
			continue;
		}
		err = unit_take(cfg, n);
		if (err)
			goto err_out;
	}
	if (!num_units)
		return 0;
	/* one entry per function of every bus MMCONFIG reaches */
	buses = system_config->platform_info.pci_mmconfig_end_bus + 1;
	dev_table_pages = buses * DTES_PER_BUS * DTE_SIZE / PAGE_SIZE;
	dev_table = page_alloc(&mem_pool, dev_table_pages);
	if (!dev_table) {
		err = -ENOMEM;
		goto err_out;
	}
	for (n = 0; n < buses * DTES_PER_BUS; n++)
		dte_set(n, NULL, NULL);
	return 0;

err_out:
	amd_iommu_shutdown();
	return err;
}

/* Turn the units on: every function blocked but the root's. */
static void units_on(void)
{
	struct amd_unit *u;
	unsigned int n;

	for (n = 0; n < num_units; n++) {
		u = &units[n];
		reg_write(u, REG_DEVTAB_BASE, paging_hvirt2phys(dev_table) |
			  (dev_table_pages - 1));
		reg_write(u, REG_CMDBUF_BASE,
			  paging_hvirt2phys(u->cmd_ring) | RING_LEN_256);
		reg_write(u, REG_EVTLOG_BASE,
			  paging_hvirt2phys(u->evt_ring) | RING_LEN_256);
		reg_write(u, REG_CMDBUF_HEAD, 0);
		reg_write(u, REG_CMDBUF_TAIL, 0);
		reg_write(u, REG_EVTLOG_HEAD, 0);
		reg_write(u, REG_EVTLOG_TAIL, 0);
		u->cmd_tail = 0;
		reg_write(u, REG_CONTROL, (u->saved[3] & CTRL_COHERENT) |
			  CTRL_CMDBUF_EN | CTRL_EVTLOG_EN | CTRL_IOMMU_EN);
		u->enabled = true;
	}
}

static bool is_function(const struct jailhouse_pci_device *dev)
{
	return dev->type == JAILHOUSE_PCI_TYPE_DEVICE ||
		dev->type == JAILHOUSE_PCI_TYPE_BRIDGE;
}

/*
 * The first @count devices of @cell leave it: a non-root cell's go back
 * to the root (stopped first, their interrupt tables freed), the root's
 * are blocked.
 */
static void devices_return(struct cell *cell, unsigned int count)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell->config);
	unsigned int n;
	u32 *irt;

	for (n = 0; n < count; n++, dev++) {
		if (!is_function(dev))
			continue;
		irt = dte_irt(dev->bdf, cell);
		if (cell != &root_cell) {
			device_stop(dev->bdf);
			dte_set(dev->bdf, &root_cell, NULL);
		} else {
			dte_set(dev->bdf, NULL, NULL);
		}
		invalidate(cell->arch.dma.id, dev->bdf);
		if (irt)
			page_free(&mem_pool, irt, IRT_PAGES);
	}
}

static unsigned int amd_iommu_mmio_count(struct cell *cell)
{
	return 0;
}

/*
 * A cell's config may name neither the registers nor the function of a
 * unit; its physical devices move to its domain (stopped on the way), a
 * non-root cell's devices each with an empty interrupt table (msi.c fills
 * it as the cell programs them).
 */
static int amd_iommu_cell_init(struct cell *cell)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(cell->config);
	const struct jailhouse_memory *mem;
	unsigned int n, m;
	u32 *irt;
	int err;

	for (n = 0; n < num_units; n++)
		for_each_mem_region(mem, cell->config, m)
			if (mem->size && !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
			    mem->phys_start < units[n].cfg->base +
					      units[n].cfg->size &&
			    units[n].cfg->base < mem->phys_start + mem->size) {
				printk("Cell \"%s\": memory region %u covers "
				       "the AMD IOMMU's registers\n",
				       cell->config->name, m);
				return trace_error(-EINVAL);
			}
	for (n = 0; n < cell->config->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_DEVICE &&
		    is_unit_function(dev[n].bdf)) {
			printk("Cell \"%s\": PCI device %02x:%02x.%x is the "
			       "AMD IOMMU\n", cell->config->name,
			       dev[n].bdf >> 8, (dev[n].bdf >> 3) & 0x1f,
			       dev[n].bdf & 7);
			return trace_error(-EINVAL);
		}
	if (!num_units)
		return 0;

	cell->arch.dma.paging = &dma_format;
	cell->arch.dma.id = cell->id + 1;
	err = paging_alloc_root(&cell->arch.dma);
	if (err)
		return err;
	if (cell == &root_cell) {
		/* no cell yet: the root's DMA regions before the units go on */
		for_each_mem_region(mem, cell->config, n) {
			err = arch_iommu_map_memory(cell, mem);
			if (err) {
				paging_free_tables(&cell->arch.dma);
				cell->arch.dma.root = NULL;
				return err;
			}
		}
	}
	for (n = 0; n < cell->config->num_pci_devices; n++, dev++) {
		if (!is_function(dev))
			continue;
		irt = NULL;
		if (cell != &root_cell) {
			device_stop(dev->bdf);
			if (dev->type == JAILHOUSE_PCI_TYPE_DEVICE) {
				irt = page_alloc(&mem_pool, IRT_PAGES);
				if (!irt) {
					devices_return(cell, n);
					paging_free_tables(&cell->arch.dma);
					cell->arch.dma.root = NULL;
					return -ENOMEM;
				}
			}
		}
		dte_set(dev->bdf, cell, irt);
		invalidate(root_cell.arch.dma.id, dev->bdf);
	}
	if (cell == &root_cell)
		units_on();
	invalidate(cell->arch.dma.id, ~0U);
	return 0;
}

static void amd_iommu_cell_exit(struct cell *cell)
{
	if (!cell->arch.dma.root)
		return;
	devices_return(cell, cell->config->num_pci_devices);
	invalidate(cell->arch.dma.id, ~0U);
	paging_free_tables(&cell->arch.dma);
	cell->arch.dma.root = NULL;
}

/* ---- interrupt remapping of a non-root cell's device (msi.c) ---- */

/* the table being built, under pci_decide_lock */
static u32 irt_next[IRT_ENTRIES];
static u32 *irt_live;
static u16 irt_bdf;

bool iommu_irq_begin(struct cell *cell, u16 bdf)
{
	irt_live = cell != &root_cell ? dte_irt(bdf, cell) : NULL;
	if (!irt_live)
		return false;
	irt_bdf = bdf;
	memset(irt_next, 0, sizeof(irt_next));
	return true;
}

bool iommu_irq_add(u32 addr, u32 data)
{
	u32 *entry = &irt_next[MSI_INDEX(data)];
	u32 irte = IRTE_REMAP_EN | IRTE_INT_TYPE(MSI_DELIVERY(data)) |
		(addr & MSI_DEST_LOGICAL ? IRTE_DEST_LOGICAL : 0) |
		IRTE_DEST(MSI_DEST(addr)) | IRTE_VECTOR(MSI_VECTOR(data));

	if (*entry && *entry != irte)
		return false;
	*entry = irte;
	return true;
}

/*
 * Entries change one by one (each a 32-bit store the unit reads whole):
 * a message that stays the same keeps its entry all along.
 */
void iommu_irq_commit(void)
{
	bool changed = false;
	unsigned int n;

	for (n = 0; n < IRT_ENTRIES; n++)
		if (irt_live[n] != irt_next[n]) {
			WRITE_ONCE(irt_live[n], irt_next[n]);
			changed = true;
		}
	if (changed)
		invalidate(0, irt_bdf);
}

DEFINE_UNIT(amd_iommu, "AMD IOMMU");
