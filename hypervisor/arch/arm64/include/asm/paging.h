/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: TLB and barrier helpers for the page tables. */

#ifndef _ASM_PAGING_H
#define _ASM_PAGING_H

#include <asm/sysregs.h>

/** The bootstrap tables of entry.S: L0 of the hypervisor's address space. */
extern unsigned char bootstrap_pt[];

static inline void arm_dsb_ishst(void)
{
	asm volatile("dsb ishst" : : : "memory");
}

static inline void arm_dsb_ish(void)
{
	asm volatile("dsb ish" : : : "memory");
}

static inline void arm_dcache_clean_inval_line(unsigned long addr)
{
	asm volatile("dc civac, %0" : : "r" (addr) : "memory");
}

static inline void arm_flush_hv_tlb(void)
{
	asm volatile("dsb ishst; tlbi alle2is; dsb ish; isb" : : : "memory");
}

/** Invalidate the stage 1+2 TLB entries of one VMID on all CPUs. */
static inline void arm_flush_guest_tlb(unsigned long root, unsigned long vmid)
{
	unsigned long vttbr;

	arm_read_sysreg(VTTBR_EL2, vttbr);
	arm_write_sysreg(VTTBR_EL2, root | (vmid << 48));
	asm volatile("isb; dsb ishst; tlbi vmalls12e1is; dsb ish" : : : "memory");
	arm_write_sysreg(VTTBR_EL2, vttbr);
	asm volatile("isb" : : : "memory");
}

/** VTCR_EL2 value for the cells' stage-2 tables. */
unsigned long arm_vtcr(void);

#endif
