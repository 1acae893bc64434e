/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: LPAE page table geometry and the TLB and
 * cache maintenance arm-common's paging code uses.
 */

#ifndef _ASM_MMU_H
#define _ASM_MMU_H

#include <asm/sysregs.h>

/** HYP stage 1: 32-bit VA, 3 levels (1 GiB, 2 MiB, 4 KiB). */
#define ARM_HV_PAGING_LEVELS	3
/**
 * Stage 2: 40-bit IPA, the whole physical range of an LPAE CPU (the only
 * ones the hypervisor runs on), 3 levels starting at level 1 with two
 * concatenated root tables.
 */
#define ARM_S2_PAGING_LEVELS	3
#define ARM_GUEST_PHYS_BITS	40

static inline void arm_dcache_clean_inval_line(unsigned long addr)
{
	asm volatile("mcr p15, 0, %0, c7, c14, 1" : : "r" (addr) : "memory");
}

/** DCCISW: clean and invalidate the data cache line at a set/way. */
static inline void arm_dcache_clean_inval_setway(unsigned long setway)
{
	asm volatile("mcr p15, 0, %0, c7, c14, 2" : : "r" (setway) : "memory");
}

static inline void arm_flush_hv_tlb(void)
{
	/* TLBIALLHIS */
	asm volatile("dsb ishst; mcr p15, 4, %0, c8, c3, 0; dsb ish; isb"
		     : : "r" (0) : "memory");
}

/** Invalidate the stage 1+2 TLB entries of one VMID on all CPUs. */
static inline void arm_flush_guest_tlb(phys_addr_t root, unsigned long vmid)
{
	u64 vttbr;

	arm_read_sysreg(VTTBR_EL2, vttbr);
	arm_write_sysreg(VTTBR_EL2, root | ((u64)vmid << 48));
	/* TLBIALLIS with the VMID of VTTBR */
	asm volatile("isb; dsb ishst; mcr p15, 0, %0, c8, c3, 0; dsb ish"
		     : : "r" (0) : "memory");
	arm_write_sysreg(VTTBR_EL2, vttbr);
	asm volatile("isb" : : : "memory");
}

/** Invalidate the stage 1+2 TLB entries of the current VMID on this CPU. */
static inline void arm_flush_guest_tlb_local(void)
{
	/* TLBIALL */
	asm volatile("isb; dsb nshst; mcr p15, 0, %0, c8, c7, 0; dsb nsh; isb"
		     : : "r" (0) : "memory");
}

#endif
