/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: page pools and generic page table handling. */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/string.h>

#define ENTRIES			512
#define REMAP_POOL_PAGES	1024
/*
 * The per-CPU temporary mapping slots (paging_map_temp()): PAGING_TEMP_SLOTS
 * pages per CPU right behind the remap pool, 2 MiB aligned; TEMP_TABLES
 * last-level tables hold the entries of all possible CPUs.
 */
#define TEMP_BASE		(REMAP_BASE + REMAP_POOL_PAGES * PAGE_SIZE)
#define TEMP_TABLES		((MAX_CPUS * PAGING_TEMP_SLOTS + ENTRIES - 1) / \
				 ENTRIES)

static unsigned long remap_bitmap[REMAP_POOL_PAGES / BITS_PER_LONG];
struct page_pool mem_pool;
struct page_pool remap_pool = { .pages = REMAP_POOL_PAGES,
				.bitmap = remap_bitmap };
static spinlock_t pool_lock, remap_lock;
/* The last-level tables of the slots (only those of possible CPUs). */
static pt_entry_t *temp_tables[TEMP_TABLES];

static bool test_bit(unsigned long *map, unsigned long n)
{
	return (map[n / BITS_PER_LONG] >> (n % BITS_PER_LONG)) & 1;
}

static void assign_bit(unsigned long *map, unsigned long n, bool val)
{
	if (val)
		map[n / BITS_PER_LONG] |= 1UL << (n % BITS_PER_LONG);
	else
		map[n / BITS_PER_LONG] &= ~(1UL << (n % BITS_PER_LONG));
}

int paging_init(void *pool_start, unsigned long hv_mem_size)
{
	unsigned long end = JAILHOUSE_BASE + hv_mem_size;
	unsigned long n, bitmap_pages;

	remap_pool.base = (void *)REMAP_BASE;
	if ((unsigned long)pool_start >= end)
		return -ENOMEM;
	mem_pool.base = pool_start;
	mem_pool.pages = (end - (unsigned long)pool_start) / PAGE_SIZE;
	/* The bitmap occupies the first pages of the pool itself. */
	bitmap_pages = PAGES(mem_pool.pages / 8 + 1);
	if (bitmap_pages >= mem_pool.pages)
		return -ENOMEM;
	mem_pool.bitmap = pool_start;
	memset(mem_pool.bitmap, 0, bitmap_pages * PAGE_SIZE);
	for (n = 0; n < bitmap_pages; n++)
		assign_bit(mem_pool.bitmap, n, true);
	mem_pool.used = bitmap_pages;
	return 0;
}

/* The last-level entry that maps @virt in @pg, or NULL if there is none. */
static pt_entry_t *leaf_entry(const struct paging_structures *pg, u64 virt);

int paging_init_temp(void)
{
	phys_addr_t first_page = paging_hvirt2phys((void *)JAILHOUSE_BASE);
	unsigned int n, slots = num_possible_cpus * PAGING_TEMP_SLOTS;
	int err;

	/* the slots start a last-level table (arch layouts are 2 MiB
	 * aligned; the host tests' is a variable) */
	if (TEMP_BASE % (PAGE_SIZE * ENTRIES))
		return -EINVAL;
	/*
	 * Every slot starts on the hypervisor's first page, read-only: the
	 * entries exist from then on, each a valid leaf (all on one page,
	 * so no run of them merges into a block).
	 */
	for (n = 0; n < slots; n++) {
		err = paging_create(&hv_paging, first_page, PAGE_SIZE,
				    TEMP_BASE + (u64)n * PAGE_SIZE, PAGE_READ);
		if (err)
			return err;
	}
	for (n = 0; n * ENTRIES < slots; n++) {
		temp_tables[n] = leaf_entry(&hv_paging, TEMP_BASE +
					    (u64)n * ENTRIES * PAGE_SIZE);
		if (!temp_tables[n])
			return -ENOMEM;
	}
	return 0;
}

static spinlock_t *pool_lock_of(struct page_pool *pool)
{
	return pool == &mem_pool ? &pool_lock : &remap_lock;
}

void *page_alloc_aligned(struct page_pool *pool, unsigned int num,
			 unsigned int align)
{
	unsigned long first = ((unsigned long)pool->base / PAGE_SIZE) &
			      (align - 1);
	unsigned long start, n;
	void *page = NULL;

	/*
	 * start: a page index of the pool whose address is aligned (the
	 * hypervisor memory is mapped linearly with 2 MiB alignment, so its
	 * physical address is too); past a used page, the next aligned one.
	 */
	spin_lock(pool_lock_of(pool));
	for (start = first ? align - first : 0; num && start + num <= pool->pages;
	     start += align) {
		for (n = 0; n < num; n++)
			if (test_bit(pool->bitmap, start + n))
				break;
		if (n < num) {
			start += n & ~(unsigned long)(align - 1);
			continue;
		}
		for (n = 0; n < num; n++)
			assign_bit(pool->bitmap, start + n, true);
		pool->used += num;
		page = (u8 *)pool->base + start * PAGE_SIZE;
		break;
	}
	spin_unlock(pool_lock_of(pool));
	if (page && pool == &mem_pool)
		memset(page, 0, num * PAGE_SIZE);
	return page;
}

void *page_alloc(struct page_pool *pool, unsigned int num)
{
	return page_alloc_aligned(pool, num, 1);
}

void page_free(struct page_pool *pool, void *page, unsigned int num)
{
	unsigned long start;

	if (!page)
		return;
	start = ((unsigned long)page - (unsigned long)pool->base) / PAGE_SIZE;
	spin_lock(pool_lock_of(pool));
	for (; num; num--, start++) {
		if (start < pool->pages && test_bit(pool->bitmap, start)) {
			assign_bit(pool->bitmap, start, false);
			pool->used--;
		}
	}
	spin_unlock(pool_lock_of(pool));
}

phys_addr_t paging_hvirt2phys(const void *virt)
{
	return (unsigned long)virt - JAILHOUSE_BASE + this_cpu()->phys_base;
}

void *paging_phys2hvirt(phys_addr_t phys)
{
	return (void *)(unsigned long)(phys - this_cpu()->phys_base +
				       JAILHOUSE_BASE);
}

/* Entries of the table at @level (the root may be concatenated tables). */
static unsigned int entries(const struct paging *p, unsigned int level)
{
	return level == 0 && p->root_entries ? p->root_entries : ENTRIES;
}

static unsigned int level_shift(const struct paging *p, unsigned int level)
{
	return PAGE_SHIFT + 9 * (p->levels - 1 - level);
}

static pt_entry_t *table_of(const struct paging *p, pt_entry_t pte)
{
	return paging_phys2hvirt(p->phys(pte));
}

static bool is_table(const struct paging *p, pt_entry_t pte,
		     unsigned int level)
{
	return level + 1 < p->levels && p->valid(pte) && p->is_table(pte);
}

static void free_table(const struct paging *p, pt_entry_t *table,
		       unsigned int level)
{
	unsigned int n;

	for (n = 0; n < entries(p, level); n++)
		if (is_table(p, table[n], level))
			free_table(p, table_of(p, table[n]), level + 1);
	page_free(&mem_pool, table, entries(p, level) / ENTRIES);
}

/* Replace the valid entry *pte: break, flush, make. */
static void replace(const struct paging_structures *pg, pt_entry_t *pte,
		    pt_entry_t val)
{
	WRITE_ONCE(*pte, 0);
	arch_paging_sync();
	pg->paging->flush(pg);
	WRITE_ONCE(*pte, val);
}

/* Replace a table of uniform, contiguous leaves by one block. */
static void try_merge(const struct paging_structures *pg, pt_entry_t *pte,
		      unsigned int shift, bool sub_last)
{
	const struct paging *p = pg->paging;
	pt_entry_t *sub = table_of(p, *pte), first = sub[0];
	phys_addr_t base = p->phys(first);
	unsigned long n;

	if (!p->valid(first) || (!sub_last && p->is_table(first)) ||
	    base & ((1ULL << shift) - 1))
		return;
	for (n = 0; n < ENTRIES; n++)
		if (!p->valid(sub[n]) ||
		    p->phys(sub[n]) != base + ((phys_addr_t)n << (shift - 9)) ||
		    sub[n] - p->phys(sub[n]) != first - base)
			return;
	replace(pg, pte, p->block(first, base));
	page_free(&mem_pool, sub, 1);
}

/*
 * Walk [virt, end) at @level of @table: map it to @phys with @flags, or
 * unmap it when @flags is ~0.
 */
static int update(const struct paging_structures *pg, pt_entry_t *table,
		  unsigned int level, u64 virt, u64 end, phys_addr_t phys,
		  unsigned long flags)
{
	const struct paging *p = pg->paging;
	unsigned int shift = level_shift(p, level);
	u64 size = 1ULL << shift, next;
	bool unmap = flags == ~0UL, last = level + 1 == p->levels;
	pt_entry_t *pte, old, *sub;
	unsigned long n;
	int err;

	while (virt < end) {
		pte = &table[(virt >> shift) & (entries(p, level) - 1)];
		next = (virt & ~(size - 1)) + size;
		if (next > end || next < virt)
			next = end;
		old = *pte;
		if (next - virt == size &&
		    (unmap || (((p->block_levels >> level) & 1 || last) &&
			       !(phys & (size - 1))))) {
			/*
			 * The whole entry: a leaf (or nothing) replaces it.
			 * A leaf that goes away needs no flush of its own:
			 * paging_destroy() flushes once, before it returns,
			 * and until then nothing maps the page anew.  A
			 * table does, before its pages are freed: walks may
			 * hold it, and the pool may hand its pages out again.
			 */
			if (unmap && p->valid(old) && !is_table(p, old, level))
				WRITE_ONCE(*pte, 0);
			else if (p->valid(old))
				replace(pg, pte, unmap ? 0 :
					p->leaf(phys, flags, level));
			else if (!unmap)
				WRITE_ONCE(*pte, p->leaf(phys, flags, level));
			if (is_table(p, old, level))
				free_table(p, table_of(p, old), level + 1);
		} else if (!p->valid(old) && unmap) {
			/* nothing mapped here */
		} else {
			if (!is_table(p, old, level)) {
				sub = page_alloc(&mem_pool, 1);
				if (!sub)
					return -ENOMEM;
				if (p->valid(old))
					for (n = 0; n < ENTRIES; n++)
						sub[n] = p->split(old,
							p->phys(old) +
							((phys_addr_t)n <<
							 (shift - 9)),
							level + 2 == p->levels);
				arch_paging_sync();
				if (p->valid(old))
					replace(pg, pte,
						p->table(paging_hvirt2phys(sub),
							 level));
				else
					WRITE_ONCE(*pte, p->table(
						paging_hvirt2phys(sub), level));
			}
			err = update(pg, table_of(p, *pte), level + 1, virt, next,
				     phys, flags);
			if (err)
				return err;
			if (!unmap && (p->block_levels >> level) & 1)
				try_merge(pg, pte, shift, level + 2 == p->levels);
		}
		phys += next - virt;
		virt = next;
	}
	return 0;
}

int paging_alloc_root(struct paging_structures *pg)
{
	unsigned int pages = entries(pg->paging, 0) / ENTRIES;

	pg->root = page_alloc_aligned(&mem_pool, pages, pages);
	return pg->root ? 0 : -ENOMEM;
}

int paging_create(const struct paging_structures *pg, phys_addr_t phys,
		  u64 size, u64 virt, unsigned long flags)
{
	int err = update(pg, pg->root, 0, virt, virt + size, phys, flags);

	arch_paging_sync();
	pg->paging->flush(pg);
	return err;
}

int paging_destroy(const struct paging_structures *pg, u64 virt, u64 size)
{
	int err = update(pg, pg->root, 0, virt, virt + size, 0, ~0UL);

	arch_paging_sync();
	pg->paging->flush(pg);
	return err;
}

phys_addr_t paging_virt2phys(const struct paging_structures *pg, u64 virt)
{
	const struct paging *p = pg->paging;
	pt_entry_t *table = pg->root, pte;
	unsigned int level, shift;

	for (level = 0; level < p->levels; level++) {
		shift = level_shift(p, level);
		pte = table[(virt >> shift) & (entries(p, level) - 1)];
		if (!p->valid(pte))
			return INVALID_PHYS_ADDR;
		if (!is_table(p, pte, level))
			return p->phys(pte) + (virt & ((1ULL << shift) - 1));
		table = table_of(p, pte);
	}
	return INVALID_PHYS_ADDR;
}

static pt_entry_t *leaf_entry(const struct paging_structures *pg, u64 virt)
{
	const struct paging *p = pg->paging;
	pt_entry_t *table = pg->root;
	unsigned int level;

	for (level = 0; level + 1 < p->levels; level++) {
		table += (virt >> level_shift(p, level)) &
			 (entries(p, level) - 1);
		if (!is_table(p, *table, level))
			return NULL;
		table = table_of(p, *table);
	}
	return &table[(virt >> PAGE_SHIFT) & (ENTRIES - 1)];
}

void *paging_map_temp(unsigned int slot, phys_addr_t phys,
		      unsigned long flags)
{
	const struct paging *p = hv_paging.paging;
	unsigned long n = this_cpu()->cpu_id * PAGING_TEMP_SLOTS +
			  slot % PAGING_TEMP_SLOTS;
	unsigned long virt = TEMP_BASE + n * PAGE_SIZE;
	pt_entry_t *pte = &temp_tables[n / ENTRIES][n % ENTRIES];
	pt_entry_t val = p->leaf(phys & ~(phys_addr_t)PAGE_OFFS_MASK, flags,
				 p->levels - 1);

	/* what the slot maps already: its translation is still right */
	if (READ_ONCE(*pte) != val) {
		/* break, flush, make, as replace() does */
		WRITE_ONCE(*pte, 0);
		arch_paging_sync();
		if (p->flush_page)
			p->flush_page(virt);
		else
			p->flush(&hv_paging);
		WRITE_ONCE(*pte, val);
		arch_paging_sync();
	}
	return (void *)(virt + (unsigned long)(phys & PAGE_OFFS_MASK));
}

void paging_free_tables(const struct paging_structures *pg)
{
	if (pg->root)
		free_table(pg->paging, pg->root, 0);
}

void *paging_remap(phys_addr_t phys, unsigned long size, unsigned long flags)
{
	unsigned long pages = PAGES((phys & PAGE_OFFS_MASK) + size);
	u8 *virt;

	virt = page_alloc(&remap_pool, pages);
	if (!virt)
		return NULL;
	if (paging_create(&hv_paging, phys & ~PAGE_OFFS_MASK, pages * PAGE_SIZE,
			  (unsigned long)virt, flags)) {
		paging_destroy(&hv_paging, (unsigned long)virt,
			       pages * PAGE_SIZE);
		page_free(&remap_pool, virt, pages);
		return NULL;
	}
	return virt + (phys & PAGE_OFFS_MASK);
}

void paging_unmap(void *virt, unsigned long size)
{
	unsigned long base = (unsigned long)virt & ~PAGE_OFFS_MASK;
	unsigned long pages = PAGES(((unsigned long)virt & PAGE_OFFS_MASK) +
				    size);

	if (!virt)
		return;
	paging_destroy(&hv_paging, base, pages * PAGE_SIZE);
	page_free(&remap_pool, (void *)base, pages);
}
