/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: barriers and TLB helpers for the page tables
 * (the geometry and the maintenance instructions are per arch, <asm/mmu.h>).
 */

#ifndef _ASM_PAGING_H
#define _ASM_PAGING_H

#include <asm/mmu.h>

/** The bootstrap tables of entry.S: the root of the hypervisor's tables. */
extern unsigned char bootstrap_pt[];

static inline void arm_dsb_ishst(void)
{
	asm volatile("dsb ishst" : : : "memory");
}

static inline void arm_dsb_ish(void)
{
	asm volatile("dsb ish" : : : "memory");
}

/** VTCR_EL2 / VTCR value for the cells' stage-2 tables (arch). */
unsigned long arm_vtcr(void);

#endif
