/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: per-cell architecture state. */

#ifndef _ASM_CELL_H
#define _ASM_CELL_H

#include <hv/paging.h>

struct cell_arch {
	/** Address space ID of the cell's guest TLB entries (id + 1). */
	unsigned int asid;
	/** I/O permission bitmap (vendor format), NULL: none yet. */
	void *io_bitmap;
	/** MSR permission bitmap (vendor format). */
	void *msr_bitmap;
	/** Its views of the IOAPICs (ioapic.c), one per irqchip entry. */
	struct ioapic_view *ioapic_views;
	/** IPIs of the cell to foreign CPUs, refused (apic.c). */
	unsigned long refused_ipis;
	/** DMA page table (amd-iommu.c), root NULL: no IOMMU. */
	struct paging_structures dma;
};

#endif
