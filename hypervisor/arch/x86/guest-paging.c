/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: a walk through a guest's own page tables
 * (see <asm/decode.h>), written from the Intel SDM vol. 3, chapter 4.
 */

#include <hv/errno.h>
#include <asm/decode.h>

#define CR0_PG		(1ULL << 31)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define CR4_LA57	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)

#define PTE_P		(1ULL << 0)
#define PTE_PS		(1ULL << 7)
#define ADDR_MASK	0x000ffffffffff000ULL

/* Legacy 32-bit paging: 4 KiB pages, 4 MiB ones with CR4.PSE. */
static int walk32(const struct x86_guest_paging *pg, u32 virt,
		  x86_read_guest_phys read, void *ctx, u64 *gphys)
{
	u64 table = pg->cr3 & 0xfffff000ULL;
	u32 pde, pte;

	if (read(ctx, table + (virt >> 22) * 4, &pde, 4) || !(pde & PTE_P))
		return -EFAULT;
	if (pde & PTE_PS && pg->cr4 & CR4_PSE) {
		/* PSE-36: bits 13.. of the entry are address bits 32.. */
		*gphys = (pde & 0xffc00000ULL) |
			((u64)((pde >> 13) & 0xff) << 32) | (virt & 0x3fffff);
		return 0;
	}
	table = pde & 0xfffff000ULL;
	if (read(ctx, table + ((virt >> 12) & 0x3ff) * 4, &pte, 4) ||
	    !(pte & PTE_P))
		return -EFAULT;
	*gphys = (pte & 0xfffff000ULL) | (virt & 0xfff);
	return 0;
}

int x86_guest_virt2phys(const struct x86_guest_paging *pg, u64 virt,
			x86_read_guest_phys read, void *ctx, u64 *gphys)
{
	unsigned int levels, level, shift;
	u64 table, entry;

	if (!(pg->cr0 & CR0_PG)) {
		*gphys = pg->efer & EFER_LMA ? virt : virt & 0xffffffffULL;
		return 0;
	}
	if (!(pg->cr4 & CR4_PAE))
		return walk32(pg, virt, read, ctx, gphys);

	if (pg->efer & EFER_LMA) {
		levels = pg->cr4 & CR4_LA57 ? 5 : 4;
		table = pg->cr3 & ADDR_MASK;
	} else {
		/* PAE: four PDPTEs at CR3 (32-byte aligned) */
		levels = 3;
		virt &= 0xffffffffULL;
		table = pg->cr3 & 0xffffffe0ULL;
	}
	for (level = 0; level < levels; level++) {
		shift = 12 + 9 * (levels - 1 - level);
		if (read(ctx, table + ((virt >> shift) & 0x1ff) * 8, &entry, 8) ||
		    !(entry & PTE_P))
			return -EFAULT;
		/* large pages: 1 GiB (long mode) and 2 MiB; not in the PDPT
		 * of PAE mode */
		if (level + 1 < levels && shift <= 30 && entry & PTE_PS &&
		    (levels > 3 || level > 0)) {
			*gphys = (entry & ADDR_MASK & ~((1ULL << shift) - 1)) |
				(virt & ((1ULL << shift) - 1));
			return 0;
		}
		table = entry & ADDR_MASK;
	}
	*gphys = table | (virt & 0xfff);
	return 0;
}
