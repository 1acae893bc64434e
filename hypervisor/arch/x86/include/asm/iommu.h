/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: interrupt remapping of a non-root cell's
 * devices (amd-iommu.c), filled by msi.c with the messages it validated.
 */

#ifndef _ASM_IOMMU_H
#define _ASM_IOMMU_H

#include <hv/cell.h>

/*
 * Rebuilding the remapping table of @p cell's device @p bdf, with
 * pci_decide_lock held: begin, one add per message the device may send,
 * commit.  Messages not added are blocked from then on.
 */
/** Start; false if the device's interrupts are not remapped (the root's
 * devices, no IOMMU): then no add or commit. */
bool iommu_irq_begin(struct cell *cell, u16 bdf);
/** Let the validated message @p addr / @p data through; false if another
 * message with the same table index (data bits 10:0) goes elsewhere. */
bool iommu_irq_add(u32 addr, u32 data);
/** Install the table built and invalidate the units' copies. */
void iommu_irq_commit(void);

#endif
