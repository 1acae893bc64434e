/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host test of hypervisor/paging.c: the page pools and the generic page
 * table walker, driven through a fake format shaped like x86-64 paging
 * (a PS bit marks blocks), so nothing of an arch's format is assumed.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include "host.h"

#define HV_SIZE		0x400000UL
#define PHYS_BASE	0x10000000UL

#define F_VALID		BIT_ULL(0)
#define F_PS		BIT_ULL(7)
#define F_FLAGS_SHIFT	2
#define F_ADDR		0x000ffffffffff000ULL

static unsigned int flushes, levels;

static bool f_valid(pt_entry_t pte)
{
	return pte & F_VALID;
}

static bool f_is_table(pt_entry_t pte)
{
	return !(pte & F_PS);
}

static phys_addr_t f_phys(pt_entry_t pte)
{
	return pte & F_ADDR;
}

static pt_entry_t f_table(phys_addr_t phys, unsigned int level)
{
	return phys | F_VALID;
}

static pt_entry_t f_leaf(phys_addr_t phys, unsigned long flags,
			 unsigned int level)
{
	return phys | F_VALID | ((pt_entry_t)flags << F_FLAGS_SHIFT) |
		(level + 1 < levels ? F_PS : 0);
}

static pt_entry_t f_split(pt_entry_t leaf, phys_addr_t phys, bool last)
{
	return (leaf & ~(F_ADDR | F_PS)) | phys | (last ? 0 : F_PS);
}

static pt_entry_t f_block(pt_entry_t leaf, phys_addr_t phys)
{
	return (leaf & ~F_ADDR) | phys | F_PS;
}

static void f_flush(const struct paging_structures *pg)
{
	flushes++;
}

static struct paging fake = {
	.block_levels = 0,
	.valid = f_valid, .is_table = f_is_table, .phys = f_phys,
	.table = f_table, .leaf = f_leaf, .split = f_split, .block = f_block,
	.flush = f_flush,
};

struct paging_structures hv_paging = { .paging = &fake };

void arch_paging_sync(void)
{
}

void arch_dcache_flush(void *virt, unsigned long size)
{
}

/* Entry of @pg that maps @virt at @level (NULL if a table is missing). */
static pt_entry_t *entry_at(struct paging_structures *pg, u64 virt,
			    unsigned int level)
{
	pt_entry_t *table = pg->root;
	unsigned int l, shift, mask;

	for (l = 0; ; l++) {
		shift = 12 + 9 * (levels - 1 - l);
		mask = l == 0 && fake.root_entries ? fake.root_entries - 1 : 511;
		if (l == level)
			return &table[(virt >> shift) & mask];
		if (!f_valid(table[(virt >> shift) & mask]) ||
		    !f_is_table(table[(virt >> shift) & mask]))
			return NULL;
		table = paging_phys2hvirt(f_phys(table[(virt >> shift) & mask]));
	}
}

static void test_pool(void)
{
	unsigned long base_used = mem_pool.used, n, got = 0;
	u8 *a, *b, *c;

	CHECK(mem_pool.pages == (HV_SIZE - PAGE_SIZE) / PAGE_SIZE);
	/* The bitmap takes the first page (1023 pages need 128 bytes). */
	CHECK_EQ(base_used, 1);
	a = page_alloc(&mem_pool, 1);
	b = page_alloc(&mem_pool, 1);
	CHECK(a && b && a != b);
	CHECK_EQ((unsigned long)(b - a), PAGE_SIZE);
	/* Contiguous runs across bitmap words (32- and 64-bit longs). */
	c = page_alloc(&mem_pool, 70);
	CHECK(c != NULL);
	CHECK_EQ(mem_pool.used, base_used + 72);
	page_free(&mem_pool, a, 1);
	CHECK(page_alloc(&mem_pool, 1) == a);
	page_free(&mem_pool, c, 70);
	page_free(&mem_pool, a, 1);
	page_free(&mem_pool, b, 1);
	CHECK_EQ(mem_pool.used, base_used);
	/* Exhaust the pool page by page, then give everything back. */
	while ((a = page_alloc(&mem_pool, 1)) != NULL) {
		CHECK(*(volatile u8 *)a == 0);
		got++;
	}
	CHECK_EQ(got, mem_pool.pages - base_used);
	CHECK(page_alloc(&mem_pool, 0) == NULL);
	for (n = base_used; n < mem_pool.pages; n++)
		page_free(&mem_pool, (u8 *)mem_pool.base + n * PAGE_SIZE, 1);
	CHECK_EQ(mem_pool.used, base_used);
	/* Pages outside or already free are ignored. */
	page_free(&mem_pool, (u8 *)mem_pool.base + mem_pool.pages * PAGE_SIZE, 1);
	CHECK_EQ(mem_pool.used, base_used);
}

/* Aligned runs, and the next aligned run past a used page. */
static void test_pool_aligned(void)
{
	unsigned long used = mem_pool.used;
	u8 *a, *b, *c;

	a = page_alloc(&mem_pool, 1);
	b = page_alloc_aligned(&mem_pool, 2, 2);
	c = page_alloc_aligned(&mem_pool, 3, 8);
	CHECK(a && b && c);
	CHECK_EQ((unsigned long)b & (2 * PAGE_SIZE - 1), 0);
	CHECK_EQ((unsigned long)c & (8 * PAGE_SIZE - 1), 0);
	CHECK(c >= b + 2 * PAGE_SIZE || c + 3 * PAGE_SIZE <= b);
	CHECK_EQ(mem_pool.used, used + 6);
	page_free(&mem_pool, a, 1);
	page_free(&mem_pool, b, 2);
	page_free(&mem_pool, c, 3);
	CHECK_EQ(mem_pool.used, used);
}

/*
 * @root_entries: 0 (one table) or more, concatenated root tables;
 * @virt and @phys: where the walk maps (above 4 GiB on a 32-bit host, as
 * ARMv7's 40-bit stage 2 does).
 */
static void test_walk(unsigned int nlevels, unsigned int root_entries,
		      u64 virt, phys_addr_t phys)
{
	struct paging_structures pg = { .paging = &fake };
	unsigned long used, n;
	unsigned int block_level = nlevels - 2;
	pt_entry_t *pte;

	levels = fake.levels = nlevels;
	fake.block_levels = BIT(nlevels - 2) | (nlevels > 2 ? BIT(nlevels - 3) : 0);
	fake.root_entries = root_entries;
	used = mem_pool.used;
	CHECK_EQ(paging_alloc_root(&pg), 0);
	CHECK_EQ(mem_pool.used, used + (root_entries ? root_entries / 512 : 1));
	CHECK_EQ((unsigned long)pg.root &
		 ((root_entries > 512 ? root_entries / 512 : 1) * PAGE_SIZE - 1),
		 0);
	used = mem_pool.used;

	/* 4 MiB, 2 MiB aligned: two blocks, one new table per level. */
	flushes = 0;
	CHECK_EQ(paging_create(&pg, phys, 0x400000, virt, PAGE_DEFAULT), 0);
	CHECK_EQ(mem_pool.used, used + nlevels - 2);
	pte = entry_at(&pg, virt, block_level);
	CHECK(pte && f_valid(*pte) && !f_is_table(*pte));
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x1234), phys + 0x1234);
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x3fffff), phys + 0x3fffff);
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x400000), INVALID_PHYS_ADDR);
	CHECK_EQ(paging_virt2phys(&pg, virt - 1), INVALID_PHYS_ADDR);
	CHECK(flushes > 0);

	/* A hole splits the second block into pages. */
	CHECK_EQ(paging_destroy(&pg, virt + 0x201000, PAGE_SIZE), 0);
	CHECK_EQ(mem_pool.used, used + nlevels - 1);
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x201000), INVALID_PHYS_ADDR);
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x200fff), phys + 0x200fff);
	CHECK_EQ(paging_virt2phys(&pg, virt + 0x202000), phys + 0x202000);
	pte = entry_at(&pg, virt + 0x202000, nlevels - 1);
	CHECK(pte && *pte == f_leaf(phys + 0x202000, PAGE_DEFAULT, nlevels - 1));

	/* Filling it again merges the pages back into a block. */
	CHECK_EQ(paging_create(&pg, phys + 0x201000, PAGE_SIZE, virt + 0x201000,
			       PAGE_DEFAULT), 0);
	CHECK_EQ(mem_pool.used, used + nlevels - 2);
	pte = entry_at(&pg, virt + 0x200000, block_level);
	CHECK(pte && *pte == f_leaf(phys + 0x200000, PAGE_DEFAULT, block_level));

	/* Other flags in the middle: no merge, the attributes stay apart. */
	CHECK_EQ(paging_create(&pg, phys + 0x201000, PAGE_SIZE, virt + 0x201000,
			       PAGE_READ), 0);
	pte = entry_at(&pg, virt + 0x201000, nlevels - 1);
	CHECK(pte && *pte == f_leaf(phys + 0x201000, PAGE_READ, nlevels - 1));
	CHECK_EQ(mem_pool.used, used + nlevels - 1);

	/* Unaligned physical address: pages only. */
	CHECK_EQ(paging_create(&pg, phys + 0x1000, 0x200000, virt + 0x600000,
			       PAGE_DEFAULT), 0);
	for (n = 0; n < 0x200000; n += 0x7000)
		CHECK_EQ(paging_virt2phys(&pg, virt + 0x600000 + n),
			 phys + 0x1000 + n);

	/*
	 * Everything away; the tables stay until freed.  Leaves go without
	 * a flush each (one at the end, one per table freed): a flush per
	 * page kept a root CPU in CELL_DESTROY for seconds under QEMU.
	 */
	flushes = 0;
	CHECK_EQ(paging_destroy(&pg, virt, 0x800000), 0);
	CHECK(flushes <= 3);
	for (n = 0; n < 0x800000; n += 0x10000)
		CHECK_EQ(paging_virt2phys(&pg, virt + n), INVALID_PHYS_ADDR);
	paging_free_tables(&pg);
	CHECK_EQ(mem_pool.used,
		 used - (root_entries > 512 ? root_entries / 512 : 1));
	fake.root_entries = 0;
}

static void test_remap(void)
{
	unsigned long used = remap_pool.used;
	u8 *v, *w;

	levels = fake.levels = 3;
	fake.block_levels = BIT(1);
	hv_paging.root = page_alloc(&mem_pool, 1);
	v = paging_remap(0x9000a123UL, 0x2000, PAGE_DEFAULT);
	CHECK(v != NULL);
	CHECK_EQ((unsigned long)v & PAGE_OFFS_MASK, 0x123);
	/* 0x2000 bytes from offset 0x123 touch three pages. */
	CHECK_EQ(remap_pool.used, used + 3);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)v), 0x9000a123UL);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)v + 0x1f00),
		 0x9000c023UL);
	/* a physical address above 4 GiB keeps its upper bits */
	w = paging_remap(0x12345f800ULL, 0x1000, PAGE_READ);
	CHECK(w != NULL);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)w + 0x7ff),
		 0x12345ffffULL);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)w + 0x800),
		 0x123460000ULL);
	paging_unmap(w, 0x1000);
	w = paging_remap(0x1000, 1, PAGE_READ);
	CHECK(w && (w >= v + 0x2000 - 0x123 || w < v));
	paging_unmap(v, 0x2000);
	paging_unmap(w, 1);
	CHECK_EQ(remap_pool.used, used);
	/* 1 MiB of pages mapped and unmapped: one flush each way */
	v = paging_remap(0x90000000UL, 0x100000, PAGE_DEFAULT);
	CHECK(v != NULL);
	flushes = 0;
	paging_unmap(v, 0x100000);
	CHECK_EQ(flushes, 1);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)v + 0x80000),
		 INVALID_PHYS_ADDR);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)v),
		 INVALID_PHYS_ADDR);
	paging_free_tables(&hv_paging);
}

/*
 * The per-CPU temporary slots: one entry each, the page mapped at the
 * slot's address; mapping what a slot holds already flushes nothing, a
 * new page flushes once; CPUs and slots never share an address.
 */
static void test_temp(void)
{
	unsigned long remap_base = host_remap_base, used = mem_pool.used;
	unsigned int old_flushes;
	u8 *a, *b, *c;

	levels = fake.levels = 4;
	fake.block_levels = BIT(2);
	hv_paging.root = page_alloc(&mem_pool, 1);
	/* an address only, never accessed: the slots must start a table */
	host_remap_base = 0x40000000UL + PAGE_SIZE;
	num_possible_cpus = 70;
	CHECK_EQ(paging_init_temp(), -EINVAL);
	host_remap_base = 0x40000000UL;
	CHECK_EQ(paging_init_temp(), 0);
	/* 70 CPUs of 8 slots: two last-level tables (and their parents) */
	CHECK_EQ(mem_pool.used, used + 1 + 4);

	a = paging_map_temp(0, 0x9000a123UL, PAGE_READ);
	CHECK_EQ((unsigned long)a & PAGE_OFFS_MASK, 0x123);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)a), 0x9000a123UL);
	CHECK_EQ(*entry_at(&hv_paging, (unsigned long)a, 3),
		 f_leaf(0x9000a000UL, PAGE_READ, 3));
	old_flushes = flushes;
	CHECK(paging_map_temp(0, 0x9000a800UL, PAGE_READ) == a - 0x123 + 0x800);
	CHECK_EQ(flushes, old_flushes);
	b = paging_map_temp(1, 0x5000UL, PAGE_READ);
	CHECK_EQ(flushes, old_flushes + 1);
	CHECK((unsigned long)b - (unsigned long)a == PAGE_SIZE - 0x123);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)a), 0x9000a123UL);
	CHECK(paging_map_temp(0, 0x7000UL, PAGE_DEFAULT) == a - 0x123);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)a), 0x7123UL);
	CHECK_EQ(flushes, old_flushes + 2);
	/* the last possible CPU's last slot, in the second table */
	host_cpu.cpu_id = 69;
	c = paging_map_temp(PAGING_TEMP_SLOTS - 1, 0x3000UL, PAGE_READ);
	CHECK_EQ((unsigned long)c, 0x40000000UL + 1024 * PAGE_SIZE +
		 (69 * PAGING_TEMP_SLOTS + PAGING_TEMP_SLOTS - 1) * PAGE_SIZE);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)c), 0x3000UL);
	CHECK_EQ(paging_virt2phys(&hv_paging, (unsigned long)b), 0x5000UL);
	host_cpu.cpu_id = 0;
	num_possible_cpus = 1;
	host_remap_base = remap_base;
	paging_free_tables(&hv_paging);
	CHECK_EQ(mem_pool.used, used);
}

int main(void)
{
	u8 *hv = host_init(HV_SIZE, PHYS_BASE, 1024);

	CHECK_EQ(paging_init(hv + PAGE_SIZE, HV_SIZE), 0);
	CHECK_EQ(paging_hvirt2phys(hv + 0x1234), PHYS_BASE + 0x1234);
	CHECK(paging_phys2hvirt(PHYS_BASE + 0x5000) == hv + 0x5000);
	test_pool();
	test_pool_aligned();
	test_walk(3, 0, 0x40000000UL, 0x80000000UL);
	test_walk(2, 0, 0x40000000UL, 0x80000000UL);
	test_walk(4, 0, 0x8000000000ULL + 0x40000000, 0x80000000UL);
	/* 40 bits at the 1 GiB level: two root tables, the upper one used */
	test_walk(3, 1024, 0xffc0000000ULL, 0x2340000000ULL);
	test_walk(3, 1024, 0x100000000ULL, 0x100000000ULL);
	test_remap();
	test_temp();
	return host_done("paging");
}
