/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: page pools and page tables.
 *
 * The hypervisor memory is mapped linearly at JAILHOUSE_BASE.  Pages of the
 * memory pool (everything behind the image, the per-CPU blocks and the
 * system configuration) hold page tables and cell data; the remap pool is a
 * range of virtual addresses for device and temporary guest mappings.
 *
 * Page tables are radix trees of 512 eight-byte entries per 4 KiB table, the
 * shape ARMv8, ARMv7 LPAE, x86-64 and EPT share.  A struct paging describes
 * one format (levels, which levels may hold blocks, the entry helpers); the
 * arch supplies the formats, the generic walker takes them as a parameter.
 */

#ifndef _HV_PAGING_H
#define _HV_PAGING_H

#include <hv/types.h>
#include <asm/layout.h>

#define PAGE_SHIFT		12
#define PAGE_OFFS_MASK		(PAGE_SIZE - 1)
#define PAGE_ALIGNED(x)		(((x) & PAGE_OFFS_MASK) == 0)
#define PAGES(size)		(((size) + PAGE_SIZE - 1) / PAGE_SIZE)
#define INVALID_PHYS_ADDR	((phys_addr_t)~0ULL)

/* Access flags of paging_create(). */
#define PAGE_READ		0x1
#define PAGE_WRITE		0x2
#define PAGE_EXEC		0x4
#define PAGE_DEVICE		0x8
#define PAGE_DEFAULT		(PAGE_READ | PAGE_WRITE)

typedef u64 pt_entry_t;

struct paging_structures;

/**
 * A page table format, described as data so that one image can use
 * several (x86: 64-bit paging for itself, EPT or NPT for cells; ARMv7:
 * LPAE stage 1 and stage 2).  Tables hold 512 eight-byte entries; level 0
 * is the root and an entry at level l spans 2^(12 + 9 * (levels - 1 - l))
 * bytes (the leaf sizes: 4 KiB at the last level, then 2 MiB, 1 GiB, ...).
 * The root table may be several concatenated tables (@root_entries):
 * ARMv7 reaches a 40-bit guest-physical space with two 512-entry tables
 * at the 1 GiB level.  Addresses walked are 64-bit on every arch (stage-2
 * input addresses are guest-physical: 40 bits on ARMv7).
 */
struct paging {
	/** Number of levels, 0 being the root table. */
	unsigned int levels;
	/** Bit n set: level n may hold block (large page) entries. */
	unsigned int block_levels;
	/**
	 * Entries of the root table, a power of two >= 512: more than 512
	 * are concatenated tables, allocated contiguous and aligned to their
	 * size (0 means 512).
	 */
	unsigned int root_entries;
	/** @return whether @p pte maps anything. */
	bool (*valid)(pt_entry_t pte);
	/**
	 * @return whether valid @p pte, above the last level, points to a
	 * table (rather than being a block).
	 */
	bool (*is_table)(pt_entry_t pte);
	/** @return the output address of a table or leaf entry. */
	phys_addr_t (*phys)(pt_entry_t pte);
	/**
	 * @return a table entry at @p level pointing to the table at
	 * @p phys (AMD-Vi encodes the next table's level in the entry).
	 */
	pt_entry_t (*table)(phys_addr_t phys, unsigned int level);
	/** Encode a leaf entry for @p phys with PAGE_* @p flags at @p level. */
	pt_entry_t (*leaf)(phys_addr_t phys, unsigned long flags,
			   unsigned int level);
	/**
	 * Derive the leaf for @p phys one level below the block @p leaf, with
	 * the same attributes (used to split blocks).
	 * @param last_level	Whether the new leaf is at the last level.
	 */
	pt_entry_t (*split)(pt_entry_t leaf, phys_addr_t phys,
			    bool last_level);
	/**
	 * Derive a block entry for @p phys (one level above @p leaf) with the
	 * attributes of @p leaf (used to merge tables back into blocks).
	 */
	pt_entry_t (*block)(pt_entry_t leaf, phys_addr_t phys);
	/** Invalidate this CPU's (or, where the arch broadcasts, every
	 * CPU's) TLB entries of one set of page tables. */
	void (*flush)(const struct paging_structures *pg);
	/**
	 * Invalidate this CPU's TLB entry of one page at hypervisor virtual
	 * address @p virt (the hypervisor's own format; optional: without
	 * it, flush() does).
	 */
	void (*flush_page)(unsigned long virt);
};

/** One set of page tables. */
struct paging_structures {
	const struct paging *paging;
	pt_entry_t *root;
	/** Address space ID (VMID on ARM) for flush(). */
	unsigned long id;
};

struct page_pool {
	void *base;
	unsigned long pages;
	unsigned long used;
	unsigned long *bitmap;
};

extern struct page_pool mem_pool, remap_pool;
/** The hypervisor's own page tables. */
extern struct paging_structures hv_paging;

/**
 * Set up both pools.  The mem pool covers the hypervisor memory from
 * @p pool_start (a virtual address) to its end.
 * @return 0 or -ENOMEM.
 */
int paging_init(void *pool_start, unsigned long hv_mem_size);

/** Allocate @p num contiguous zeroed pages; NULL if the pool is exhausted. */
void *page_alloc(struct page_pool *pool, unsigned int num);
/**
 * Allocate @p num contiguous zeroed pages, the first aligned to
 * @p align pages (a power of two); NULL if the pool has no such run.
 */
void *page_alloc_aligned(struct page_pool *pool, unsigned int num,
			 unsigned int align);
/** Return pages to the pool they came from. */
void page_free(struct page_pool *pool, void *page, unsigned int num);

phys_addr_t paging_hvirt2phys(const void *virt);
void *paging_phys2hvirt(phys_addr_t phys);

/**
 * Allocate the root table of @p pg (its format's root_entries).
 * @return 0 or -ENOMEM.
 */
int paging_alloc_root(struct paging_structures *pg);

/**
 * Map [@p virt, @p virt + @p size) to @p phys, replacing what was there.
 * All three must be page aligned; @p virt is a hypervisor virtual address
 * or, in a cell's tables, a guest-physical one.
 * @return 0 or -ENOMEM (the range may then be partly mapped).
 */
int paging_create(const struct paging_structures *pg, phys_addr_t phys,
		  u64 size, u64 virt, unsigned long flags);

/**
 * Unmap [@p virt, @p virt + @p size), splitting blocks at the borders.
 * @return 0 or -ENOMEM.
 */
int paging_destroy(const struct paging_structures *pg, u64 virt, u64 size);

/** Translate @p virt; INVALID_PHYS_ADDR if unmapped. */
phys_addr_t paging_virt2phys(const struct paging_structures *pg, u64 virt);

/** Free every table of @p pg, its root included. */
void paging_free_tables(const struct paging_structures *pg);

/**
 * Map [@p phys, @p phys + @p size) into the remap pool with PAGE_* @p flags.
 * @return the virtual address of @p phys, NULL on failure.
 */
void *paging_remap(phys_addr_t phys, unsigned long size, unsigned long flags);
/** Undo paging_remap(). */
void paging_unmap(void *virt, unsigned long size);

/** Temporary mapping slots of each CPU (paging_map_temp()). */
#define PAGING_TEMP_SLOTS	8

/**
 * Build the per-CPU temporary mapping slots (after paging_init(), once
 * num_possible_cpus is known).
 * @return 0 or -ENOMEM.
 */
int paging_init_temp(void);
/**
 * Map the page of @p phys with PAGE_* @p flags into this CPU's temporary
 * slot @p slot (0 .. PAGING_TEMP_SLOTS - 1), in place of what it held: one
 * entry write and one TLB invalidation of that page, none if the slot
 * maps just that already; no allocation, no lock.  The mapping is valid
 * until this CPU maps something else into the slot: for short copies
 * within the page, never across it, never kept.  A user that keeps pages
 * in distinct slots finds them there again, as long as no other user
 * takes those slots (then it is only slower).
 * @return the virtual address of @p phys.
 */
void *paging_map_temp(unsigned int slot, phys_addr_t phys,
		      unsigned long flags);

/** Write back and invalidate the data cache over [@p virt, +@p size). */
void arch_dcache_flush(void *virt, unsigned long size);
/**
 * Whether data caches are coherent with every access path (x86): then
 * memory changing hands needs no cache maintenance, only a scrub walks it.
 * ARM: a guest may run with caches off and see memory behind the lines
 * the previous owner left, so the core cleans a cell's RAM at start.
 */
bool arch_dcache_coherent(void);

/** Make page table writes visible to the table walkers of all CPUs. */
void arch_paging_sync(void);

#endif
