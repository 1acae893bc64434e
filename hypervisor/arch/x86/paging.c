/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: long-mode page table entries, the
 * hypervisor's own tables and the cells' guest-physical memory (the
 * vendor part chooses the guest format, <asm/vcpu.h>).
 */

#include <hv/cell.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/string.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

bool x86_pte_valid(pt_entry_t pte)
{
	return pte & X86_PTE_P;
}

bool x86_pte_is_table(pt_entry_t pte)
{
	return !(pte & X86_PTE_PS);
}

phys_addr_t x86_pte_phys(pt_entry_t pte)
{
	return pte & X86_PTE_ADDR_MASK;
}

pt_entry_t x86_pte_table(phys_addr_t phys, unsigned int level)
{
	/* user: nested page walks are user accesses */
	return phys | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
}

pt_entry_t x86_pte_split(pt_entry_t leaf, phys_addr_t phys, bool last_level)
{
	return (leaf & ~(X86_PTE_ADDR_MASK | X86_PTE_PS)) | phys |
		(last_level ? 0 : X86_PTE_PS);
}

pt_entry_t x86_pte_block(pt_entry_t leaf, phys_addr_t phys)
{
	return (leaf & ~X86_PTE_ADDR_MASK) | phys | X86_PTE_PS;
}

void arch_dcache_flush(void *virt, unsigned long size)
{
	/* caches are coherent with every access path on x86 */
}

bool arch_dcache_coherent(void)
{
	return true;
}

void arch_paging_sync(void)
{
	asm volatile("" : : : "memory");
}

/*
 * A leaf of the hypervisor's tables, and the base of AMD's nested ones:
 * accessed and dirty set, so the CPU never changes it and tables of equal
 * leaves merge back into blocks.
 */
pt_entry_t x86_pte_leaf(phys_addr_t phys, unsigned long flags,
			unsigned int level)
{
	pt_entry_t pte = phys | X86_PTE_P | X86_PTE_A | X86_PTE_D;

	if (level < X86_PAGING_LEVELS - 1)
		pte |= X86_PTE_PS;
	if (flags & PAGE_WRITE)
		pte |= X86_PTE_RW;
	if (flags & PAGE_DEVICE)
		pte |= X86_PTE_PCD | X86_PTE_PWT;
	return pte;
}

static void hv_flush(const struct paging_structures *pg)
{
	write_cr(3, read_cr(3));
}

static void hv_flush_page(unsigned long virt)
{
	asm volatile("invlpg (%0)" : : "r" (virt) : "memory");
}

/* 2 MiB blocks only: QEMU's qemu64 model has no 1 GiB pages. */
static const struct paging hv_format = {
	.levels = X86_PAGING_LEVELS,
	.block_levels = BIT(X86_PAGING_LEVELS - 2),
	X86_PTE_HELPERS,
	.leaf = x86_pte_leaf, .flush = hv_flush, .flush_page = hv_flush_page,
};

struct paging_structures hv_paging = {
	.paging = &hv_format, .root = (pt_entry_t *)bootstrap_pt,
};

unsigned long x86_cell_map_generation;

/*
 * A cell's guest-physical memory: this CPU flushes its guest TLB before it
 * runs guest code again; the other CPUs of the cell are asked by the
 * generic commit step (arch_flush_local).
 */
static void guest_flush(const struct paging_structures *pg)
{
	/* mmio.c's walks drop what they kept of any cell's map */
	__atomic_add_fetch(&x86_cell_map_generation, 1, __ATOMIC_SEQ_CST);
	arch_flush_local(this_cpu());
}

/* The vendor's guest format (nested paging or EPT) differs in its leaf. */
static const struct paging guest_format = {
	.levels = X86_PAGING_LEVELS,
	.block_levels = BIT(X86_PAGING_LEVELS - 2),
	X86_PTE_HELPERS,
	.leaf = vcpu_guest_leaf, .flush = guest_flush,
};

u64 arch_guest_phys_limit(void)
{
	unsigned int regs[4];

	cpuid(0x80000008, 0, regs);
	return 1ULL << (regs[0] & 0xff);
}

/* Guest-physical and physical addresses share MAXPHYADDR. */
u64 arch_phys_limit(void)
{
	return arch_guest_phys_limit();
}

int arch_cell_create(struct cell *cell)
{
	int err;

	cell->arch.asid = cell->id + 1;
	cell->paging.id = cell->arch.asid;
	cell->paging.paging = &guest_format;
	cell->paging.root = page_alloc(&mem_pool, 1);
	if (!cell->paging.root)
		return -ENOMEM;
	err = x86_cell_bitmaps_init(cell);
	if (err) {
		paging_free_tables(&cell->paging);
		cell->paging.root = NULL;
	}
	return err;
}

void arch_cell_destroy(struct cell *cell)
{
	x86_cell_bitmaps_free(cell);
	paging_free_tables(&cell->paging);
}

/*
 * The local APICs, the IOAPICs and the IOMMU units are the hypervisor's:
 * never a non-root cell's.
 */
bool arch_hypervisor_device(u64 phys, u64 size)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(&system_config->root_cell);
	const struct jailhouse_iommu *unit =
		system_config->platform_info.iommu_units;
	unsigned int n;

	for (n = 0; n < JAILHOUSE_MAX_IOMMU_UNITS; n++, unit++)
		if (unit->type && phys < unit->base + unit->size &&
		    unit->base < phys + size)
			return true;

	if (phys < X86_XAPIC_BASE + PAGE_SIZE && X86_XAPIC_BASE < phys + size)
		return true;
	for (n = 0; n < system_config->root_cell.num_irqchips; n++, chip++)
		if (phys < chip->address + PAGE_SIZE &&
		    chip->address < phys + size)
			return true;
	return false;
}

/*
 * Guarded accesses: on x86 a read of an absent device returns all ones
 * and a write is dropped; nothing raises a bus error that could hit the
 * hypervisor, so plain accesses will do.
 */
int arch_guarded_read(void *addr, unsigned int size, unsigned long *value)
{
	*value = mmio_read_sized(addr, size);
	return 0;
}

int arch_guarded_write(void *addr, unsigned int size, unsigned long value)
{
	mmio_write_sized(addr, size, value);
	return 0;
}

int arch_guarded_copy(void *dst, const void *src, unsigned long size)
{
	memcpy(dst, src, size);
	return 0;
}

int arch_guarded_zero(void *addr, unsigned long size)
{
	memset(addr, 0, size);
	return 0;
}

/*
 * The commit step after a cell's map changed: no broadcast invalidation of
 * guest translations on x86, so each CPU of the cell is asked (an NMI
 * kicks it out of guest mode) and flushes its ASID (or VPID) before it
 * runs guest code again.
 */
bool arch_cell_flush_all(struct cell *cell)
{
	return false;
}

void arch_flush_local(struct per_cpu *cpu_data)
{
	cpu_data->arch.flush_tlb = true;
}
