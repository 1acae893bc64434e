/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: ivshmem v2 virtual PCI functions (see
 * <hv/ivshmem.h> for the model and the contract with the arch code).
 *
 * The function as a cell sees it:
 *  - configuration space: vendor 110a, device 4106 (also the subsystem
 *    IDs), class ff with the protocol in sub-class and interface, a
 *    vendor-specific capability at 0x40 (one-shot interrupt bit; sizes
 *    of state table, read/write and output sections; the shared memory's
 *    address, since there is no BAR 2) and, with num_msix_vectors, an
 *    MSI-X capability at 0x60 (table and pending bits in BAR 1);
 *    without it the INTx pin rotates with the slot;
 *  - BAR 0, 32-bit memory sized by bar_mask[0]: the registers ID, maximum
 *    peers, interrupt control, doorbell and state (aligned 32-bit
 *    accesses; everything else in the BAR reads 0 and ignores writes);
 *  - BAR 1 (only with MSI-X, sized by bar_mask[1]): table at 0, pending
 *    bits at 0x100 (always 0).
 * BARs decode while the command register's memory bit is set, wherever
 * the cell puts them but on its memory regions (accesses would reach the
 * memory: refused and reported).  Accesses reach the emulation only where
 * the cell has no memory and no other emulated device, so a BAR never
 * gives access to anything else.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/unit.h>

#define MAX_LINKS		32

#define VENDOR_SIEMENS		0x110a
#define DEVICE_IVSHMEM		0x4106
#define CLASS_OTHER		0xff

/* configuration space, as dword indices */
#define CFG_ID			(0x00 / 4)
#define CFG_COMMAND		(0x04 / 4)
# define CMD_MEM		BIT(1)
# define CMD_MASTER		BIT(2)
# define CMD_INTX_OFF		BIT(10)
# define CMD_WRITABLE		(CMD_MEM | CMD_MASTER | CMD_INTX_OFF)
# define STATUS_CAPS		(0x10U << 16)
#define CFG_CLASS		(0x08 / 4)
#define CFG_BAR0		(0x10 / 4)
#define CFG_BAR1		(0x14 / 4)
#define CFG_SUBSYS		(0x2c / 4)
#define CFG_CAPS		(0x34 / 4)
#define CFG_INT			(0x3c / 4)
#define VNDR_CAP		0x40
#define VNDR_LEN		0x20
# define VNDR_ONESHOT		BIT(24)	/* privileged control, bit 0 */
#define CFG_VNDR		(VNDR_CAP / 4)
#define CFG_STATE_TAB_SZ	(CFG_VNDR + 1)
#define CFG_RW_SZ		(CFG_VNDR + 2)	/* 64-bit */
#define CFG_OUT_SZ		(CFG_VNDR + 4)	/* 64-bit */
#define CFG_ADDR		(CFG_VNDR + 6)	/* 64-bit */
#define MSIX_CAP		(VNDR_CAP + VNDR_LEN)
#define CFG_MSIX		(MSIX_CAP / 4)
# define MSIX_ENABLE		BIT(31)
# define MSIX_FMASK		BIT(30)
#define CAP_ID_VNDR		0x09
#define CAP_ID_MSIX		0x11

/* register BAR */
#define REG_ID			0x00
#define REG_MAX_PEERS		0x04
#define REG_INT_CTRL		0x08
# define INT_ENABLE		BIT(0)
#define REG_DOORBELL		0x0c
#define REG_STATE		0x10

/* MSI-X BAR */
#define MSIX_ENTRY_SIZE		16
#define MSIX_PBA		(MSIX_ENTRY_SIZE * IVSHMEM_MSIX_VECTORS)
#define MSIX_BAR_MIN		(2 * MSIX_PBA)
#define MSIX_CTRL		3	/* dword of an entry */
# define MSIX_MASKED		BIT(0)

/* the memory regions of a function */
#define SHMEM_STATE		0
#define SHMEM_RW		1
#define SHMEM_OUT(n)		(2U + (n))
#define SHMEM_BAD_FLAGS		(JAILHOUSE_MEM_COMM_REGION | \
				 JAILHOUSE_MEM_LOADABLE | JAILHOUSE_MEM_IO)

struct ivshmem_link {
	bool used;
	u16 domain, bdf;
	/**
	 * The largest shmem_peers of its endpoints (upstream's configs do not
	 * always agree; eps[] is indexed by peer ID, any below
	 * IVSHMEM_MAX_PEERS).
	 */
	unsigned int peers;
	/** Endpoints by peer ID, NULL where no cell is connected. */
	struct ivshmem_endpoint *eps[IVSHMEM_MAX_PEERS];
};

static spinlock_t ivshmem_lock;
static struct ivshmem_link links[MAX_LINKS];

static const char *ep_name(const struct ivshmem_endpoint *ep)
{
	return ep->cell->config->name;
}

#define BDF_FMT			"%04x:%02x:%02x.%x"
#define BDF_ARGS(domain, bdf)	(domain), (bdf) >> 8, ((bdf) >> 3) & 0x1f, \
				(bdf) & 7

static unsigned int num_vectors(const struct ivshmem_endpoint *ep)
{
	return ep->dev->num_msix_vectors;
}

static u64 bar_size(u32 mask)
{
	return (u64)(u32)~mask + 1;
}

/* ---- interrupts and state ---- */

/* Raise @vector of @target if it takes interrupts; lock held. */
static void raise(struct ivshmem_endpoint *target, unsigned int vector)
{
	if (!(target->int_ctrl & INT_ENABLE) ||
	    vector >= (num_vectors(target) ? num_vectors(target) : 1))
		return;
	if (target->cspace[CFG_VNDR] & VNDR_ONESHOT)
		target->int_ctrl = 0;
	/* what the sender wrote to shared memory first, then the interrupt */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	arch_ivshmem_trigger(target, vector);
}

/* Set the state of @ep, in its register and the state table; lock held. */
static void set_state(struct ivshmem_endpoint *ep, u32 state)
{
	const struct jailhouse_memory *table = &ep->shmem[SHMEM_STATE];
	unsigned int id = ep->dev->shmem_dev_id, n;
	struct ivshmem_link *link = ep->link;
	u32 *entry;

	entry = paging_remap(table->phys_start + id * sizeof(u32),
			     sizeof(u32), PAGE_DEFAULT);
	if (entry) {
		WRITE_ONCE(*entry, state);
		paging_unmap(entry, sizeof(u32));
	} else {
		printk("ivshmem: no mapping for the state table of cell "
		       "\"%s\"\n", ep_name(ep));
	}
	if (ep->state == state)
		return;
	ep->state = state;
	for (n = 0; n < IVSHMEM_MAX_PEERS; n++)
		if (link->eps[n] && link->eps[n] != ep)
			raise(link->eps[n], 0);
}

/* Recompute MSI-X vector @vector of @ep; lock held. */
static void update_vector(struct ivshmem_endpoint *ep, unsigned int vector)
{
	bool enabled = (ep->cspace[CFG_MSIX] & (MSIX_ENABLE | MSIX_FMASK)) ==
		MSIX_ENABLE && ep->cspace[CFG_COMMAND] & CMD_MASTER &&
		!(ep->msix[vector][MSIX_CTRL] & MSIX_MASKED);

	if (arch_ivshmem_update_msix(ep, vector, enabled)) {
		printk("ivshmem: cell \"%s\" may not send MSI-X vector %u of "
		       BDF_FMT " to %08x:%08x data %08x, kept off\n",
		       ep_name(ep), vector, BDF_ARGS(ep->dev->domain,
						     ep->dev->bdf),
		       ep->msix[vector][1], ep->msix[vector][0],
		       ep->msix[vector][2]);
		arch_ivshmem_update_msix(ep, vector, false);
	}
}

static void update_irqs(struct ivshmem_endpoint *ep)
{
	unsigned int n;

	if (!num_vectors(ep)) {
		arch_ivshmem_update_intx(ep,
			!(ep->cspace[CFG_COMMAND] & CMD_INTX_OFF));
		return;
	}
	for (n = 0; n < num_vectors(ep); n++)
		update_vector(ep, n);
}

/* Reset values of everything the cell sees; lock held. */
static void reset_endpoint(struct ivshmem_endpoint *ep)
{
	const struct jailhouse_pci_device *dev = ep->dev;
	u32 *cs = ep->cspace;
	unsigned int n;

	ep->int_ctrl = 0;
	memset(ep->arch_irq, 0, sizeof(ep->arch_irq));
	memset(cs, 0, sizeof(ep->cspace));
	memset(ep->msix, 0, sizeof(ep->msix));
	cs[CFG_ID] = (DEVICE_IVSHMEM << 16) | VENDOR_SIEMENS;
	cs[CFG_COMMAND] = STATUS_CAPS;
	cs[CFG_CLASS] = ((u32)CLASS_OTHER << 24) |
		((u32)dev->shmem_protocol << 8);
	cs[CFG_SUBSYS] = cs[CFG_ID];
	cs[CFG_CAPS] = VNDR_CAP;
	cs[CFG_VNDR] = (VNDR_LEN << 16) | CAP_ID_VNDR;
	cs[CFG_STATE_TAB_SZ] = ep->shmem[SHMEM_STATE].size;
	cs[CFG_RW_SZ] = ep->shmem[SHMEM_RW].size;
	cs[CFG_RW_SZ + 1] = ep->shmem[SHMEM_RW].size >> 32;
	cs[CFG_OUT_SZ] = ep->shmem[SHMEM_OUT(0)].size;
	cs[CFG_OUT_SZ + 1] = ep->shmem[SHMEM_OUT(0)].size >> 32;
	cs[CFG_ADDR] = ep->shmem[SHMEM_STATE].virt_start;
	cs[CFG_ADDR + 1] = ep->shmem[SHMEM_STATE].virt_start >> 32;
	if (num_vectors(ep)) {
		cs[CFG_VNDR] |= MSIX_CAP << 8;
		cs[CFG_MSIX] = ((num_vectors(ep) - 1) << 16) | CAP_ID_MSIX;
		cs[CFG_MSIX + 1] = 1;			/* table: BAR 1, 0 */
		cs[CFG_MSIX + 2] = MSIX_PBA | 1;	/* pending bits */
		for (n = 0; n < num_vectors(ep); n++)
			ep->msix[n][MSIX_CTRL] = MSIX_MASKED;
	} else {
		cs[CFG_INT] = (((dev->bdf >> 3) & 3) + 1) << 8;
	}
	update_irqs(ep);
	set_state(ep, 0);
}

/* ---- configuration space ---- */

struct ivshmem_endpoint *ivshmem_endpoint(struct cell *cell, u16 domain,
					  u16 bdf)
{
	struct ivshmem_endpoint *ep = NULL;
	struct ivshmem_link *link;
	unsigned int n;

	spin_lock(&ivshmem_lock);
	for (link = links; link < links + MAX_LINKS && !ep; link++) {
		if (!link->used || link->domain != domain || link->bdf != bdf)
			continue;
		for (n = 0; n < IVSHMEM_MAX_PEERS; n++)
			if (link->eps[n] && link->eps[n]->cell == cell)
				ep = link->eps[n];
	}
	spin_unlock(&ivshmem_lock);
	return ep;
}

static u32 size_mask(unsigned int size)
{
	return size >= 4 ? ~0U : BIT(size * 8) - 1;
}

u32 ivshmem_cfg_read(struct ivshmem_endpoint *ep, u16 reg, unsigned int size)
{
	u32 value = 0;

	spin_lock(&ivshmem_lock);
	if (reg < IVSHMEM_CFG_SIZE)
		value = ep->cspace[reg / 4] >> ((reg & 3) * 8);
	spin_unlock(&ivshmem_lock);
	return value & size_mask(size);
}

/*
 * Whether BAR @bar of @ep at @base would decode on memory of its cell:
 * accesses there reach the memory, never the device, so decoding is
 * refused (said once per write) rather than silently dead.
 */
static bool bar_on_memory(const struct ivshmem_endpoint *ep, unsigned int bar,
			  u32 base)
{
	const struct jailhouse_cell_desc *cfg = ep->cell->config;
	const struct jailhouse_memory *mem;
	unsigned int n;

	if (bar == 1 && !num_vectors(ep))
		return false;
	for_each_mem_region(mem, cfg, n)
		if (mem->size && !mem_is_subpage(mem) &&
		    ranges_overlap(mem->virt_start, mem->size, base,
				   bar_size(ep->dev->bar_mask[bar]))) {
			printk("ivshmem: cell \"%s\" put BAR %u of " BDF_FMT
			       " at %08x, on its memory: not decoding\n",
			       cfg->name, bar, BDF_ARGS(ep->dev->domain,
							 ep->dev->bdf), base);
			return true;
		}
	return false;
}

static void write_command(struct ivshmem_endpoint *ep, u32 value)
{
	u32 old = ep->cspace[CFG_COMMAND];

	if (value & ~old & CMD_MEM &&
	    (bar_on_memory(ep, 0, ep->cspace[CFG_BAR0]) ||
	     bar_on_memory(ep, 1, ep->cspace[CFG_BAR1])))
		value &= ~CMD_MEM;
	ep->cspace[CFG_COMMAND] = (old & ~CMD_WRITABLE) |
		(value & CMD_WRITABLE);
	if ((old ^ value) & (CMD_MASTER | CMD_INTX_OFF))
		update_irqs(ep);
}

void ivshmem_cfg_write(struct ivshmem_endpoint *ep, u16 reg,
		       unsigned int size, u32 value)
{
	unsigned int row = reg / 4, shift = (reg & 3) * 8;
	u32 mask = size_mask(size) << shift, *cs = ep->cspace, new;

	if (reg >= IVSHMEM_CFG_SIZE)
		return;
	spin_lock(&ivshmem_lock);
	new = (cs[row] & ~mask) | ((value << shift) & mask);
	switch (row) {
	case CFG_COMMAND:
		write_command(ep, new);
		break;
	case CFG_BAR0:
	case CFG_BAR1:
		new &= ep->dev->bar_mask[row - CFG_BAR0];
		/* a decoding BAR moves only where it decodes */
		if (!(cs[CFG_COMMAND] & CMD_MEM) ||
		    !bar_on_memory(ep, row - CFG_BAR0, new))
			cs[row] = new;
		break;
	case CFG_INT:
		/* the interrupt line is the software's scratch byte */
		cs[row] = (cs[row] & ~0xffU) | (new & 0xff);
		break;
	case CFG_VNDR:
		cs[row] = (cs[row] & ~VNDR_ONESHOT) | (new & VNDR_ONESHOT);
		break;
	case CFG_MSIX:
		if (num_vectors(ep)) {
			cs[row] = (cs[row] & ~(MSIX_ENABLE | MSIX_FMASK)) |
				(new & (MSIX_ENABLE | MSIX_FMASK));
			update_irqs(ep);
		}
		break;
	}
	spin_unlock(&ivshmem_lock);
}

/* ---- the BARs ---- */

static void doorbell(struct ivshmem_endpoint *ep, u32 value)
{
	unsigned int vector = value & 0xffff, target = value >> 16;
	unsigned int vectors = num_vectors(ep) ? num_vectors(ep) : 1;
	struct ivshmem_endpoint *peer;

	/* no such peer (yet), no such vector: no effect, as the spec says */
	if (target >= IVSHMEM_MAX_PEERS || vector >= vectors)
		return;
	peer = ep->link->eps[target];
	if (peer)
		raise(peer, vector);
}

static void register_access(struct ivshmem_endpoint *ep, u64 offs,
			    struct mmio_access *a)
{
	u32 value = 0;

	if (a->size != 4 || offs & 3) {
		/* only aligned dwords are registers */
	} else if (offs == REG_ID) {
		value = ep->dev->shmem_dev_id;
	} else if (offs == REG_MAX_PEERS) {
		value = ep->dev->shmem_peers;
	} else if (offs == REG_INT_CTRL) {
		if (a->is_write)
			ep->int_ctrl = a->value & INT_ENABLE;
		value = ep->int_ctrl;
	} else if (offs == REG_DOORBELL) {
		if (a->is_write)
			doorbell(ep, a->value);
	} else if (offs == REG_STATE) {
		if (a->is_write)
			set_state(ep, a->value);
		value = ep->state;
	}
	if (!a->is_write)
		a->value = value;
}

static enum mmio_result msix_access(struct ivshmem_endpoint *ep, u64 offs,
				    struct mmio_access *a)
{
	unsigned int vector = offs / MSIX_ENTRY_SIZE;
	unsigned int word = (offs % MSIX_ENTRY_SIZE) / 4;

	if ((a->size != 4 && a->size != 8) || offs & (a->size - 1))
		return MMIO_ERROR;
	if (vector >= num_vectors(ep)) {
		/* pending bits and unused space: 0, writes ignored */
		if (!a->is_write)
			a->value = 0;
		return MMIO_HANDLED;
	}
	if (!a->is_write) {
		a->value = ep->msix[vector][word];
		if (a->size == 8)
			a->value |= (u64)ep->msix[vector][word + 1] << 32;
		return MMIO_HANDLED;
	}
	ep->msix[vector][word] = a->value;
	if (a->size == 8)
		ep->msix[vector][word + 1] = (u64)a->value >> 32;
	ep->msix[vector][MSIX_CTRL] &= MSIX_MASKED;	/* the only bit */
	update_vector(ep, vector);
	return MMIO_HANDLED;
}

/*
 * The function of @cell whose decoding BAR covers @address, NULL if none;
 * *@bar tells which.  Lock held.
 */
static struct ivshmem_endpoint *bar_at(struct cell *cell, u64 address,
				       unsigned int *bar)
{
	struct ivshmem_endpoint *ep;
	struct ivshmem_link *link;
	unsigned int n, b;
	u64 base;

	for (link = links; link < links + MAX_LINKS; link++)
		for (n = 0; link->used && n < IVSHMEM_MAX_PEERS; n++) {
			ep = link->eps[n];
			if (!ep || ep->cell != cell ||
			    !(ep->cspace[CFG_COMMAND] & CMD_MEM))
				continue;
			for (b = 0; b < (num_vectors(ep) ? 2 : 1); b++) {
				base = ep->cspace[CFG_BAR0 + b];
				if (address >= base && address - base <
				    bar_size(ep->dev->bar_mask[b])) {
					*bar = b;
					return ep;
				}
			}
		}
	return NULL;
}

bool ivshmem_mmio_covers(struct cell *cell, phys_addr_t address)
{
	unsigned int bar;
	bool covered;

	spin_lock(&ivshmem_lock);
	covered = bar_at(cell, address, &bar);
	spin_unlock(&ivshmem_lock);
	return covered;
}

enum mmio_result ivshmem_mmio_access(struct cell *cell,
				     struct mmio_access *a)
{
	enum mmio_result result = MMIO_HANDLED;
	struct ivshmem_endpoint *ep;
	unsigned int bar;

	spin_lock(&ivshmem_lock);
	ep = bar_at(cell, a->address, &bar);
	if (!ep)
		result = MMIO_UNHANDLED;
	else if (bar == 0)
		register_access(ep, a->address - ep->cspace[CFG_BAR0], a);
	else
		result = msix_access(ep, a->address - ep->cspace[CFG_BAR1], a);
	spin_unlock(&ivshmem_lock);
	return result;
}

/* ---- cells join and leave ---- */

static void ivshmem_cell_each(struct cell *cell,
			      void (*fn)(struct ivshmem_endpoint *ep))
{
	struct ivshmem_link *link;
	unsigned int n;

	for (link = links; link < links + MAX_LINKS; link++)
		for (n = 0; link->used && n < IVSHMEM_MAX_PEERS; n++)
			if (link->eps[n] && link->eps[n]->cell == cell)
				fn(link->eps[n]);
}

void ivshmem_cell_reset(struct cell *cell)
{
	spin_lock(&ivshmem_lock);
	ivshmem_cell_each(cell, reset_endpoint);
	spin_unlock(&ivshmem_lock);
}

static struct ivshmem_link *find_link(u16 domain, u16 bdf)
{
	struct ivshmem_link *link;

	for (link = links; link < links + MAX_LINKS; link++)
		if (link->used && link->domain == domain && link->bdf == bdf)
			return link;
	return NULL;
}

/* A mask of a BAR of 2^n bytes, at least @min: ones above, zeros below. */
static bool bar_mask_ok(u32 mask, u64 min)
{
	u64 size = bar_size(mask & ~0xfU);

	return !(mask & 0xf) && !(size & (size - 1)) && size >= min;
}

static bool section_ok(const struct jailhouse_memory *mem)
{
	return !(mem->flags & SHMEM_BAD_FLAGS) && !mem_is_subpage(mem) &&
		(!mem->size || mem->flags & JAILHOUSE_MEM_READ);
}

/*
 * Whether the function @dev of @cfg describes a sound endpoint on its own:
 * peer ID and count, vectors and BARs, and its memory regions (present,
 * page-granular, the state table large enough and read-only, outputs of
 * one size and only the own one writable, no two sections overlapping).
 */
static bool endpoint_ok(const struct jailhouse_cell_desc *cfg,
			const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_memory *shmem = jailhouse_cell_mem_regions(cfg);
	unsigned int peers = dev->shmem_peers, n, m;

	if (peers < 1 || peers > IVSHMEM_MAX_PEERS ||
	    dev->shmem_dev_id >= IVSHMEM_MAX_PEERS ||
	    dev->num_msix_vectors > IVSHMEM_MSIX_VECTORS ||
	    dev->shmem_regions_start > cfg->num_memory_regions ||
	    cfg->num_memory_regions - dev->shmem_regions_start < peers + 2)
		return false;
	if (!bar_mask_ok(dev->bar_mask[0], REG_STATE + 4) ||
	    (dev->num_msix_vectors ?
	     !bar_mask_ok(dev->bar_mask[1], MSIX_BAR_MIN) : dev->bar_mask[1]))
		return false;
	for (n = 2; n < 6; n++)
		if (dev->bar_mask[n])
			return false;
	shmem += dev->shmem_regions_start;
	if (shmem[SHMEM_STATE].size <
	    MAX(peers, dev->shmem_dev_id + 1U) * sizeof(u32) ||
	    shmem[SHMEM_STATE].flags & JAILHOUSE_MEM_WRITE)
		return false;
	for (n = 0; n < peers + 2; n++) {
		if (!section_ok(&shmem[n]))
			return false;
		if (n >= SHMEM_OUT(0) &&
		    (shmem[n].size != shmem[SHMEM_OUT(0)].size ||
		     (shmem[n].flags & JAILHOUSE_MEM_WRITE &&
		      n != SHMEM_OUT(dev->shmem_dev_id))))
			return false;
		for (m = 0; m < n; m++)
			if (ranges_overlap(shmem[n].phys_start, shmem[n].size,
					   shmem[m].phys_start, shmem[m].size))
				return false;
	}
	return true;
}

/* Whether @dev of @cfg fits the endpoints already on @link. */
static bool partners_agree(const struct ivshmem_link *link,
			   const struct jailhouse_cell_desc *cfg,
			   const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_memory *shmem =
		jailhouse_cell_mem_regions(cfg) + dev->shmem_regions_start;
	const struct ivshmem_endpoint *other = NULL;
	unsigned int n, both;

	for (n = 0; n < IVSHMEM_MAX_PEERS && !other; n++)
		other = link->eps[n];
	if (!other)
		return false;
	/* the sections both declare; peer and vector counts may differ */
	both = MIN(dev->shmem_peers, other->dev->shmem_peers);
	for (n = 0; n < both + 2U; n++)
		if (shmem[n].size != other->shmem[n].size ||
		    (shmem[n].size &&
		     shmem[n].phys_start != other->shmem[n].phys_start))
			return false;
	return true;
}

static int check_cell(const struct jailhouse_cell_desc *cfg)
{
	const struct jailhouse_pci_device *devs = jailhouse_cell_pci_devices(cfg);
	const struct jailhouse_pci_device *dev;
	struct ivshmem_link *link;
	unsigned int n, m, links_needed = 0, free_links = 0;

	for (n = 0; n < cfg->num_pci_devices; n++) {
		dev = &devs[n];
		if (dev->type != JAILHOUSE_PCI_TYPE_IVSHMEM)
			continue;
		for (m = 0; m < cfg->num_pci_devices; m++)
			if (m != n && devs[m].domain == dev->domain &&
			    devs[m].bdf == dev->bdf)
				goto invalid;
		if (!endpoint_ok(cfg, dev))
			goto invalid;
		link = find_link(dev->domain, dev->bdf);
		if (!link) {
			links_needed++;
			continue;
		}
		/* upstream accepts it: each end sees only its own sections */
		if (!partners_agree(link, cfg, dev))
			printk("Cell \"%s\": ivshmem " BDF_FMT " declares "
			       "other shared memory than its peers: they will "
			       "not see each other's\n", cfg->name,
			       BDF_ARGS(dev->domain, dev->bdf));
		if (link->eps[dev->shmem_dev_id]) {
			printk("Cell \"%s\": ivshmem " BDF_FMT " peer %u is "
			       "taken by cell \"%s\"\n", cfg->name,
			       BDF_ARGS(dev->domain, dev->bdf),
			       dev->shmem_dev_id,
			       ep_name(link->eps[dev->shmem_dev_id]));
			return trace_error(-EBUSY);
		}
	}
	for (link = links; link < links + MAX_LINKS; link++)
		free_links += !link->used;
	return links_needed > free_links ? trace_error(-ENOMEM) : 0;

invalid:
	printk("Cell \"%s\": ivshmem device " BDF_FMT " refused: bad peer ID, "
	       "peer count, vectors, BAR masks or memory regions\n", cfg->name,
	       BDF_ARGS(dev->domain, dev->bdf));
	return trace_error(-EINVAL);
}

/* Connect @dev of @cell; lock held, check_cell() passed. */
static int connect(struct cell *cell, const struct jailhouse_pci_device *dev)
{
	const struct jailhouse_cell_desc *cfg = cell->config;
	struct ivshmem_link *link = find_link(dev->domain, dev->bdf);
	struct ivshmem_endpoint *ep;
	u32 *table;

	ep = page_alloc(&mem_pool, PAGES(sizeof(*ep)));
	if (!ep)
		return -ENOMEM;
	memset(ep, 0, sizeof(*ep));
	ep->cell = cell;
	ep->dev = dev;
	ep->shmem = jailhouse_cell_mem_regions(cfg) + dev->shmem_regions_start;
	if (!link) {
		for (link = links; link->used; link++)
			;
		memset(link, 0, sizeof(*link));
		link->used = true;
		link->domain = dev->domain;
		link->bdf = dev->bdf;
		link->peers = dev->shmem_peers;
		/* a new link starts with every peer's state 0 */
		table = paging_remap(ep->shmem[SHMEM_STATE].phys_start,
				     link->peers * sizeof(u32), PAGE_DEFAULT);
		if (table) {
			memset(table, 0, link->peers * sizeof(u32));
			paging_unmap(table, link->peers * sizeof(u32));
		}
	}
	ep->link = link;
	link->peers = MAX(link->peers, dev->shmem_peers);
	link->eps[dev->shmem_dev_id] = ep;
	reset_endpoint(ep);
	printk("Cell \"%s\": ivshmem " BDF_FMT " peer %u of %u\n", cfg->name,
	       BDF_ARGS(dev->domain, dev->bdf), dev->shmem_dev_id, link->peers);
	return 0;
}

/* Leave the link: state 0 for the peers, then gone; lock held. */
static void disconnect(struct ivshmem_endpoint *ep)
{
	struct ivshmem_link *link = ep->link;
	unsigned int n;

	memset(ep->arch_irq, 0, sizeof(ep->arch_irq));
	ep->int_ctrl = 0;
	set_state(ep, 0);
	link->eps[ep->dev->shmem_dev_id] = NULL;
	page_free(&mem_pool, ep, PAGES(sizeof(*ep)));
	for (n = 0; n < IVSHMEM_MAX_PEERS; n++)
		if (link->eps[n])
			return;
	link->used = false;
}

static int ivshmem_init(void)
{
	return 0;
}

static void ivshmem_shutdown(void)
{
}

static unsigned int ivshmem_mmio_count(struct cell *cell)
{
	return 0;
}

static void ivshmem_cell_exit(struct cell *cell)
{
	spin_lock(&ivshmem_lock);
	ivshmem_cell_each(cell, disconnect);
	spin_unlock(&ivshmem_lock);
}

static int ivshmem_cell_init(struct cell *cell)
{
	const struct jailhouse_cell_desc *cfg = cell->config;
	const struct jailhouse_pci_device *dev = jailhouse_cell_pci_devices(cfg);
	unsigned int n;
	int err;

	spin_lock(&ivshmem_lock);
	err = check_cell(cfg);
	for (n = 0; n < cfg->num_pci_devices && !err; n++, dev++)
		if (dev->type == JAILHOUSE_PCI_TYPE_IVSHMEM)
			err = connect(cell, dev);
	spin_unlock(&ivshmem_lock);
	if (err)
		ivshmem_cell_exit(cell);
	return err;
}

DEFINE_UNIT(ivshmem, "ivshmem");
