/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: the 4-level long-mode page table format,
 * shared by the hypervisor's own tables and AMD's nested page tables.
 */

#ifndef _ASM_PAGING_H
#define _ASM_PAGING_H

#define X86_PTE_P		(1UL << 0)
#define X86_PTE_RW		(1UL << 1)
#define X86_PTE_US		(1UL << 2)
#define X86_PTE_PWT		(1UL << 3)
#define X86_PTE_PCD		(1UL << 4)
#define X86_PTE_A		(1UL << 5)
#define X86_PTE_D		(1UL << 6)
#define X86_PTE_PS		(1UL << 7)
#define X86_PTE_NX		(1UL << 63)
#define X86_PTE_ADDR_MASK	0x000ffffffffff000UL
#define X86_PAGING_LEVELS	4

#ifndef __ASSEMBLY__
#include <hv/paging.h>

/**
 * Counts the changes of any cell's guest-physical map (each flush of one):
 * what was looked up in a map before the count moved may be stale.
 */
extern unsigned long x86_cell_map_generation;

/** The bootstrap tables of entry.S; the first one is the root. */
extern unsigned char bootstrap_pt[];

/* Entry helpers of both formats (struct paging), paging.c. */
bool x86_pte_valid(pt_entry_t pte);
bool x86_pte_is_table(pt_entry_t pte);
phys_addr_t x86_pte_phys(pt_entry_t pte);
pt_entry_t x86_pte_table(phys_addr_t phys, unsigned int level);
pt_entry_t x86_pte_split(pt_entry_t leaf, phys_addr_t phys, bool last_level);
pt_entry_t x86_pte_block(pt_entry_t leaf, phys_addr_t phys);
/** A present leaf (accessed, dirty; PAGE_WRITE, PAGE_DEVICE honoured). */
pt_entry_t x86_pte_leaf(phys_addr_t phys, unsigned long flags,
			unsigned int level);

#define X86_PTE_HELPERS							\
	.valid = x86_pte_valid, .is_table = x86_pte_is_table,		\
	.phys = x86_pte_phys, .table = x86_pte_table,			\
	.split = x86_pte_split, .block = x86_pte_block
#endif

#endif
