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
#define X86_PTE_PS		(1UL << 7)
#define X86_PTE_NX		(1UL << 63)
#define X86_PTE_ADDR_MASK	0x000ffffffffff000UL
#define X86_PAGING_LEVELS	4

/** The bootstrap tables of entry.S; the first one is the root. */
extern unsigned char bootstrap_pt[];

#endif
