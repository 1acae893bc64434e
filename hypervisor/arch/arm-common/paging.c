/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: VMSAv8-64 / LPAE descriptors for the
 * hypervisor's stage-1 tables and the cells' stage-2 tables.
 */

#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <asm/paging.h>

#define PTE_VALID	BIT(0)
#define PTE_TABLE_PAGE	BIT(1)
#define PTE_AF		BIT(10)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_XN		BIT_ULL(54)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL
/* stage 1, EL2 */
#define S1_ATTR_DEVICE	(1UL << 2)	/* MAIR index 1 */
#define S1_AP_RES1	BIT(6)
#define S1_AP_RO	BIT(7)
/* stage 2 */
#define S2_MEM_NORMAL	(0xfUL << 2)	/* outer/inner write-back */
#define S2_MEM_DEVICE	(0x1UL << 2)	/* device nGnRE */
#define S2_AP_READ	BIT(6)
#define S2_AP_WRITE	BIT(7)


static bool pte_valid(pt_entry_t pte)
{
	return pte & PTE_VALID;
}

static bool pte_is_table(pt_entry_t pte)
{
	return pte & PTE_TABLE_PAGE;
}

static phys_addr_t pte_phys(pt_entry_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static pt_entry_t pte_table(phys_addr_t phys, unsigned int level)
{
	return phys | PTE_VALID | PTE_TABLE_PAGE;
}

static pt_entry_t pte_split(pt_entry_t leaf, phys_addr_t phys,
			    bool last_level)
{
	return (leaf & ~(PTE_ADDR_MASK | PTE_TABLE_PAGE)) | phys |
		(last_level ? PTE_TABLE_PAGE : 0);
}

static pt_entry_t pte_block(pt_entry_t leaf, phys_addr_t phys)
{
	return (leaf & ~(PTE_ADDR_MASK | PTE_TABLE_PAGE)) | phys;
}

void arch_dcache_flush(void *virt, unsigned long size)
{
	unsigned long line, ctr, addr = (unsigned long)virt;

	arm_read_sysreg(CTR_EL0, ctr);
	line = 4UL << ((ctr >> 16) & 0xf);	/* DminLine */
	for (addr &= ~(line - 1); addr < (unsigned long)virt + size; addr += line)
		arm_dcache_clean_inval_line(addr);
	arm_dsb_ish();
}

bool arch_dcache_coherent(void)
{
	return false;
}

void arch_paging_sync(void)
{
	arm_dsb_ishst();
}

static pt_entry_t hv_leaf(phys_addr_t phys, unsigned long flags,
			  unsigned int level)
{
	pt_entry_t pte = phys | PTE_VALID | PTE_AF | S1_AP_RES1 |
		(level == ARM_HV_PAGING_LEVELS - 1 ? PTE_TABLE_PAGE : 0);

	if (flags & PAGE_DEVICE)
		pte |= S1_ATTR_DEVICE | PTE_XN;
	else
		pte |= PTE_SH_INNER;
	if (!(flags & PAGE_WRITE))
		pte |= S1_AP_RO;
	if (!(flags & PAGE_EXEC))
		pte |= PTE_XN;
	return pte;
}

static pt_entry_t s2_leaf(phys_addr_t phys, unsigned long flags,
			  unsigned int level)
{
	pt_entry_t pte = phys | PTE_VALID | PTE_AF |
		(level == ARM_S2_PAGING_LEVELS - 1 ? PTE_TABLE_PAGE : 0);

	pte |= flags & PAGE_DEVICE ? S2_MEM_DEVICE | PTE_XN :
				     S2_MEM_NORMAL | PTE_SH_INNER;
	if (flags & PAGE_READ)
		pte |= S2_AP_READ;
	if (flags & PAGE_WRITE)
		pte |= S2_AP_WRITE;
	if (!(flags & PAGE_EXEC))
		pte |= PTE_XN;
	return pte;
}

static void hv_flush(const struct paging_structures *pg)
{
	arm_flush_hv_tlb();
}

static void s2_flush(const struct paging_structures *pg)
{
	arm_flush_guest_tlb(paging_hvirt2phys(pg->root), pg->id);
}

/* Descriptors shared by both formats (VMSAv8-64 and LPAE long ones). */
#define LPAE_ENTRY_HELPERS						\
	.valid = pte_valid, .is_table = pte_is_table, .phys = pte_phys,	\
	.table = pte_table, .split = pte_split, .block = pte_block

/* EL2 stage 1: blocks at the 1 GiB and 2 MiB levels. */
static const struct paging hv_format = {
	.levels = ARM_HV_PAGING_LEVELS,
	.block_levels = BIT(ARM_HV_PAGING_LEVELS - 3) |
			BIT(ARM_HV_PAGING_LEVELS - 2),
	LPAE_ENTRY_HELPERS,
	.leaf = hv_leaf, .flush = hv_flush,
};

/*
 * Stage 2: blocks at the 1 GiB and 2 MiB levels; the root level spans the
 * guest-physical space, with concatenated tables where it is wider than
 * one table (ARMv7's 40 bits at the 1 GiB level: two).
 */
static const struct paging s2_format = {
	.levels = ARM_S2_PAGING_LEVELS,
	.root_entries = 1U << (ARM_GUEST_PHYS_BITS - PAGE_SHIFT -
			       9 * (ARM_S2_PAGING_LEVELS - 1)),
	.block_levels = BIT(ARM_S2_PAGING_LEVELS - 3) |
			BIT(ARM_S2_PAGING_LEVELS - 2),
	LPAE_ENTRY_HELPERS,
	.leaf = s2_leaf, .flush = s2_flush,
};

struct paging_structures hv_paging = {
	.paging = &hv_format, .root = (pt_entry_t *)bootstrap_pt,
};

u64 arch_guest_phys_limit(void)
{
	return 1ULL << ARM_GUEST_PHYS_BITS;
}

int arch_cell_create(struct cell *cell)
{
	cell->arch.vmid = cell->id;
	cell->paging.paging = &s2_format;
	cell->paging.id = cell->id;
	return paging_alloc_root(&cell->paging);
}

void arch_cell_destroy(struct cell *cell)
{
	s2_flush(&cell->paging);
	paging_free_tables(&cell->paging);
}

/*
 * Every change already invalidated the VMID's TLB entries on all CPUs
 * (TLBI ... IS); once more, after the last one, for the whole map.
 */
bool arch_cell_flush_all(struct cell *cell)
{
	s2_flush(&cell->paging);
	return true;
}

void arch_flush_local(struct per_cpu *cpu_data)
{
	arm_flush_guest_tlb_local();
}
