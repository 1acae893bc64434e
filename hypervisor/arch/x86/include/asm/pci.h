/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: what the PCI configuration space filter
 * (pci.c) and the MSI/MSI-X checks (msi.c) share.
 */

#ifndef _ASM_PCI_H
#define _ASM_PCI_H

#include <hv/control.h>
#include <hv/spinlock.h>

#define PCI_COMMAND		0x04
# define CMD_IO			(1U << 0)
# define CMD_MEM		(1U << 1)
#define PCI_BAR0		0x10
#define BAR_IO			(1U << 0)
#define BAR_MEM_64		(2U << 1)
#define BAR_MEM_TYPE		(3U << 1)
#define PCI_HEADER_END		0x40	/* capabilities after it */
#define PCI_CAP_PTR		0x34
#define PCI_STATUS_CAPS		(1U << 4)	/* of the status register */
#define PCI_CAP_MSI		0x05

/* ---- pci.c: the hardware and what a cell may see ---- */

/** Config register @p reg (@p size bytes, within one dword) of @p bdf. */
u32 pci_hw_read(u16 bdf, u16 reg, unsigned int size);
void pci_hw_write(u16 bdf, u16 reg, unsigned int size, u32 val);
/** @p old with the @p size bytes at @p reg (within the dword) set to @p val. */
u32 pci_merge(u32 old, u16 reg, unsigned int size, u32 val);
/** The physical device @p bdf of @p cell's config, if the cell may use it. */
const struct jailhouse_pci_device *pci_cell_device(struct cell *cell, u16 bdf);
/**
 * Held across each decision on a device's registers and the write it
 * allows (configuration writes, MSI-X table writes, a new cell's CPUs
 * leaving the root's routes): what is checked is what is written, whatever
 * other CPUs write meanwhile.
 */
extern spinlock_t pci_decide_lock;

/* ---- msi.c: interrupt messages reach only the cell's CPUs ---- */

/** Whether a write into the MSI capability @p cap keeps it in the cell. */
bool msi_write_allowed(struct cell *cell, u16 bdf,
		       const struct jailhouse_pci_capability *cap,
		       u16 reg, unsigned int size, u32 value);
/**
 * After a write into the MSI capability or MSI-X table of @p cell's
 * @p dev: its interrupt remapping table (non-root cells) holds exactly
 * the messages it may now send.
 */
void msi_remap(struct cell *cell, const struct jailhouse_pci_device *dev);
/**
 * Whether memory BAR @p n of @p dev at @p addr (@p size bytes) lies where
 * its cell may reach: on the cell's memory, but the BAR that holds the
 * MSI-X table the config names must put the table exactly there (the
 * region the hypervisor emulates); anywhere else the device would decode
 * the table unchecked.
 */
bool msix_bar_placed(struct cell *cell, const struct jailhouse_pci_device *dev,
		     unsigned int n, u64 addr, u64 size);
/**
 * Whether MSI-X table entry @p entry (address low, high, data, control) of
 * a device of @p cell is masked or sends only to the cell's CPUs.
 */
bool msix_message_allowed(struct cell *cell, const u32 entry[4]);
/** How many MMIO regions msix_cell_init() registers for @p cell. */
unsigned int msix_mmio_count(struct cell *cell);
/**
 * Check the MSI-X tables of @p cell's devices and emulate them; for a new
 * non-root cell take its CPUs out of the root's MSI and MSI-X routes.
 */
int msix_cell_init(struct cell *cell);
/** A non-root cell's CPUs go back to the root's routes. */
void msix_cell_exit(struct cell *cell);

#endif
