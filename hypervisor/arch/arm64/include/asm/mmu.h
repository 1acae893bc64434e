/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, arm64: page table geometry and the TLB and cache
 * maintenance arm-common's paging code uses.
 */

#ifndef _ASM_MMU_H
#define _ASM_MMU_H

#include <asm/sysregs.h>

/** EL2 stage 1: 48-bit VA, 4 levels from L0, blocks at L1 and L2. */
#define ARM_HV_PAGING_LEVELS	4
/** Stage 2: 39-bit IPA, 3 levels starting at L1. */
#define ARM_S2_PAGING_LEVELS	3
#define ARM_GUEST_PHYS_BITS	39

static inline void arm_dcache_clean_inval_line(unsigned long addr)
{
	asm volatile("dc civac, %0" : : "r" (addr) : "memory");
}

/** DC CISW: clean and invalidate the data cache line at a set/way. */
static inline void arm_dcache_clean_inval_setway(unsigned long setway)
{
	asm volatile("dc cisw, %0" : : "r" (setway) : "memory");
}

static inline void arm_flush_hv_tlb(void)
{
	asm volatile("dsb ishst; tlbi alle2is; dsb ish; isb" : : : "memory");
}

/** Invalidate the stage 1+2 TLB entries of one VMID on all CPUs. */
static inline void arm_flush_guest_tlb(phys_addr_t root, unsigned long vmid)
{
	unsigned long vttbr;

	arm_read_sysreg(VTTBR_EL2, vttbr);
	arm_write_sysreg(VTTBR_EL2, root | (vmid << 48));
	asm volatile("isb; dsb ishst; tlbi vmalls12e1is; dsb ish" : : : "memory");
	arm_write_sysreg(VTTBR_EL2, vttbr);
	asm volatile("isb" : : : "memory");
}

/** Invalidate the stage 1+2 TLB entries of the current VMID on this CPU. */
static inline void arm_flush_guest_tlb_local(void)
{
	asm volatile("isb; dsb nshst; tlbi vmalls12e1; dsb nsh; isb"
		     : : : "memory");
}

#endif
