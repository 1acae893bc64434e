/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: ivshmem v2, the virtual PCI function that links
 * cells through shared memory and doorbell interrupts (generic core,
 * hypervisor/ivshmem.c).
 *
 * A cell's config lists the function as a JAILHOUSE_PCI_TYPE_IVSHMEM
 * pci_device.  Every function with the same (domain, bdf) in the configs
 * of the running cells is one endpoint of the same link; shmem_dev_id is
 * the endpoint's peer ID on it (below IVSHMEM_MAX_PEERS), shmem_peers the
 * number of peers the function describes (ends may differ).  The
 * device's memory is shmem_peers + 2 consecutive memory regions of the
 * config from shmem_regions_start on:
 *   [0] the state table (read-only for the cell, one u32 per peer),
 *   [1] the read/write section (may be empty: size 0),
 *   [2 + n] the output section of peer n (writable only by peer n; all
 *	     of one size, which may be 0).
 * Each cell maps them as its config says; the core checks at cell
 * creation that the configs of all peers agree on the sections both
 * declare (same physical memory and sizes) and that each is sound on its
 * own (state table read-only, outputs of others read-only, ...).
 *
 * Who calls what:
 *  - the core (units) links a cell's endpoints when the cell is created
 *    (the root cell's when the hypervisor starts) and unlinks them when it
 *    is destroyed; control.c calls ivshmem_cell_reset() when a cell is
 *    started or shut down (its CPUs parked);
 *  - the arch's PCI configuration space emulation (x86: arch/x86/pci.c,
 *    ARM: the virtual PCI host) looks up the endpoint of a (domain, bdf)
 *    with ivshmem_endpoint() and forwards the cell's accesses to
 *    ivshmem_cfg_read() / ivshmem_cfg_write();
 *  - the generic MMIO dispatch (mmio.c) gives accesses no region covers
 *    to ivshmem_mmio_access(): the register BAR (BAR 0) and the MSI-X BAR
 *    (BAR 1) live wherever the cell programs them;
 *  - the core calls the arch hooks below to deliver interrupts.
 *
 * Locking: one lock in ivshmem.c serialises everything that touches links
 * and endpoints (config space, registers, MSI-X tables, link and unlink,
 * doorbells across cells).  The entry points take it themselves; callers
 * hold no lock of their own while calling them.  The arch hooks are
 * called with it held: they must not call back into this interface and
 * must not wait for other CPUs.
 */

#ifndef _HV_IVSHMEM_H
#define _HV_IVSHMEM_H

#include <hv/cell.h>
#include <hv/mmio.h>

/** Most peers a link may have (the spec allows more; the configs use 2-3). */
#define IVSHMEM_MAX_PEERS	16
/** Most MSI-X vectors of an endpoint (num_msix_vectors). */
#define IVSHMEM_MSIX_VECTORS	16
/** Emulated configuration space, bytes; the rest reads as zero. */
#define IVSHMEM_CFG_SIZE	0x80

struct ivshmem_link;

/** One cell's side of a link: the virtual function as that cell sees it. */
struct ivshmem_endpoint {
	/** The cell that owns the function. */
	struct cell *cell;
	/** Its pci_device entry (in the cell's config copy). */
	const struct jailhouse_pci_device *dev;
	/** Its shmem_peers + 2 memory regions (see above). */
	const struct jailhouse_memory *shmem;
	/** The link it is one endpoint of. */
	struct ivshmem_link *link;
	/** Configuration space as the cell reads it (BARs, command, caps). */
	u32 cspace[IVSHMEM_CFG_SIZE / 4];
	/** Interrupt control register (bit 0: interrupts enabled). */
	u32 int_ctrl;
	/** State register (mirrored into the state table). */
	u32 state;
	/** MSI-X table: address low, address high, data, vector control. */
	u32 msix[IVSHMEM_MSIX_VECTORS][4];
	/**
	 * The arch's view of each vector (INTx: index 0), filled by
	 * arch_ivshmem_update_msix() / arch_ivshmem_update_intx() and read
	 * by arch_ivshmem_trigger(); 0 means "deliver nothing".
	 */
	u64 arch_irq[IVSHMEM_MSIX_VECTORS];
};

/**
 * The ivshmem function @p cell has at (@p domain, @p bdf), NULL if its
 * config lists none there (takes the lock).  Valid while the cell exists.
 */
struct ivshmem_endpoint *ivshmem_endpoint(struct cell *cell, u16 domain,
					  u16 bdf);

/**
 * A configuration space read of the endpoint's cell: @p size (1, 2, 4)
 * bytes at @p reg (within one dword, below 0x1000).
 * @return the value (registers not implemented read as 0).
 */
u32 ivshmem_cfg_read(struct ivshmem_endpoint *ep, u16 reg, unsigned int size);

/**
 * A configuration space write of the endpoint's cell (same ranges as
 * ivshmem_cfg_read()).  Read-only registers ignore writes; MSI-X
 * settings that would reach outside the cell leave the vector off and are
 * reported.
 */
void ivshmem_cfg_write(struct ivshmem_endpoint *ep, u16 reg,
		       unsigned int size, u32 value);

/**
 * An access of @p cell to an address no MMIO region of the cell covers:
 * handled if it hits BAR 0 or BAR 1 of one of the cell's functions with
 * memory decoding on, else MMIO_UNHANDLED.  Wrong widths or alignment in
 * the MSI-X BAR are MMIO_ERROR (the cell misbehaved).
 */
enum mmio_result ivshmem_mmio_access(struct cell *cell,
				     struct mmio_access *access);

/**
 * Whether an access of @p cell to @p address would be handled by
 * ivshmem_mmio_access() (for an arch that looks before it decodes).
 */
bool ivshmem_mmio_covers(struct cell *cell, phys_addr_t address);

/**
 * Reset @p cell's functions (cell start and shutdown, its CPUs parked):
 * registers, BARs and MSI-X to their reset values, its state 0 in the
 * state tables, peers interrupted about the change.
 */
void ivshmem_cell_reset(struct cell *cell);

/** The INTx pin (1 = INTA .. 4 = INTD) of @p ep, 0 when it uses MSI-X. */
static inline unsigned int ivshmem_intx_pin(const struct ivshmem_endpoint *ep)
{
	return (ep->cspace[0x3c / 4] >> 8) & 0xff;
}

/* ---- architecture hooks, called with the ivshmem lock held ---- */

/*
 * An arch that delivers ivshmem interrupts defines ARCH_HAS_IVSHMEM_IRQ in
 * <asm/processor.h> and implements the three hooks; elsewhere the devices
 * work without interrupts (doorbells are dropped).
 */
#ifdef ARCH_HAS_IVSHMEM_IRQ
/**
 * Raise @p vector (MSI-X vector, or 0 for INTx) of @p ep in its cell, as
 * cached in ep->arch_irq[@p vector] (nothing if 0).  Called on the CPU of
 * the sending peer; the sender's writes to shared memory must be visible
 * to the receiver before the interrupt arrives (barrier).  Only CPUs of
 * ep->cell may receive it, whichever cell the sender is.
 */
void arch_ivshmem_trigger(struct ivshmem_endpoint *ep, unsigned int vector);

/**
 * MSI-X vector @p vector of @p ep changed (table entry, mask, enable, bus
 * master): with @p enabled, check ep->msix[@p vector] and cache what
 * arch_ivshmem_trigger() sends in ep->arch_irq[@p vector]; else set it to 0.
 * @return 0, or -EPERM if the message would reach outside ep->cell (the
 * core then keeps the vector off and reports it).
 */
int arch_ivshmem_update_msix(struct ivshmem_endpoint *ep, unsigned int vector,
			     bool enabled);

/**
 * INTx of @p ep (a function without MSI-X) is now @p enabled (command
 * register bit 10 clear): cache the interrupt of its pin in
 * ep->arch_irq[0], or 0.
 */
void arch_ivshmem_update_intx(struct ivshmem_endpoint *ep, bool enabled);
#else
static inline void arch_ivshmem_trigger(struct ivshmem_endpoint *ep,
					unsigned int vector)
{
}

static inline int arch_ivshmem_update_msix(struct ivshmem_endpoint *ep,
					   unsigned int vector, bool enabled)
{
	ep->arch_irq[vector] = 0;
	return 0;
}

static inline void arch_ivshmem_update_intx(struct ivshmem_endpoint *ep,
					    bool enabled)
{
	ep->arch_irq[0] = 0;
}
#endif

#endif
