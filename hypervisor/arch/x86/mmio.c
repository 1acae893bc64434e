/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: emulated MMIO behind nested page faults,
 * for every vendor.  The fault names only the guest-physical address; the
 * instruction is fetched through the guest's own page tables and the
 * cell's guest-physical map, decoded (decode.c) and handed to the cell's
 * MMIO regions (hypervisor/mmio.c), the result goes into the register.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/decode.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define RFLAGS_VM	(1ULL << 17)

_Static_assert(X86_GPA_CACHE_SIZE <= PAGING_TEMP_SLOTS, "a slot per entry");

/*
 * Where the hypervisor reads guest-physical @gphys of @cell: in one of this
 * CPU's temporary mapping slots; NULL if the cell has no memory there.
 * An exit reads the same few pages again and again (the guest's page
 * tables, the code page), so the CPU keeps what it found, each page in a
 * slot of its own (mapped again only when the slot was taken meanwhile):
 * valid only for the cell's map as it was, dropped when any cell's map
 * changed since (the count is read before the lookup it tags, so a lookup
 * racing with a change is never used after it) or when the CPU serves
 * another cell.  Never more than the cell's own map had, and never longer
 * than the CPU's TLB may hold such a translation.
 */
static const u8 *map_cell_page(struct cell *cell, u64 gphys)
{
	struct x86_gpa_cache *cache = &this_cpu()->arch.gpa_cache;
	unsigned long generation = READ_ONCE(x86_cell_map_generation);
	u64 offs = gphys & PAGE_OFFS_MASK, gpage = gphys - offs;
	phys_addr_t page;
	unsigned int n;

	asm volatile("" : : : "memory");
	if (cache->root != cell->paging.root ||
	    cache->generation != generation) {
		memset(cache->entry, 0, sizeof(cache->entry));
		cache->root = cell->paging.root;
		cache->generation = generation;
	}
	for (n = 0; n < X86_GPA_CACHE_SIZE; n++)
		if (cache->entry[n].gpage == gpage + 1)
			return paging_map_temp(n, cache->entry[n].page + offs,
					       PAGE_READ);
	page = paging_virt2phys(&cell->paging, gpage);
	if (page == INVALID_PHYS_ADDR)
		return NULL;
	n = cache->next++ % X86_GPA_CACHE_SIZE;
	cache->entry[n].gpage = gpage + 1;
	cache->entry[n].page = page;
	return paging_map_temp(n, page + offs, PAGE_READ);
}

int x86_read_cell_memory(void *ctx, u64 gphys, void *buf, unsigned int len)
{
	const u8 *virt;
	u8 *dst;

	if ((gphys & PAGE_OFFS_MASK) + len > PAGE_SIZE)
		return -EFAULT;
	virt = map_cell_page(ctx, gphys);
	if (!virt)
		return -EFAULT;
	/* 8 bytes per load (x86 does unaligned ones; memcpy is a byte loop) */
	for (dst = buf; len >= 8; len -= 8, dst += 8, virt += 8)
		*(u64 *)dst = *(const u64 *)virt;
	while (len--)
		*dst++ = *virt++;
	return 0;
}

static unsigned int code_bits(const struct x86_guest_state *g)
{
	if (g->efer & EFER_LMA && g->cs_l)
		return 64;
	if (!(g->cr0 & X86_CR0_PE) || g->rflags & RFLAGS_VM)
		return 16;
	return g->cs_db ? 32 : 16;
}

/*
 * Up to X86_MAX_INSN_LEN bytes at the guest's CS:RIP, page by page.
 * @return how many could be read.
 */
static unsigned int fetch_insn(struct cell *cell,
			       const struct x86_guest_state *g,
			       unsigned int bits, u8 *buf)
{
	const struct x86_guest_paging pg = {
		.cr0 = g->cr0, .cr3 = g->cr3, .cr4 = g->cr4, .efer = g->efer,
	};
	u64 linear = (bits == 64 ? 0 : g->cs_base) + g->rip, gphys;
	unsigned int got = 0, chunk;

	while (got < X86_MAX_INSN_LEN) {
		if (bits != 64)
			linear &= 0xffffffffULL;
		if (x86_guest_virt2phys(&pg, linear, x86_read_cell_memory, cell,
					&gphys))
			break;
		chunk = MIN(X86_MAX_INSN_LEN - got,
			    PAGE_SIZE - (linear & PAGE_OFFS_MASK));
		if (x86_read_cell_memory(cell, gphys, buf + got, chunk))
			break;
		got += chunk;
		linear += chunk;
	}
	return got;
}

/*
 * The register @p reg of the exit (rsp lives with the vendor; the decoder
 * numbers registers as struct guest_regs holds them, reversed).
 */
static u64 *guest_reg(struct guest_regs *regs, int reg)
{
	return &regs->r15 + (X86_R15 - reg);
}

bool x86_decode_guest_cr_write(struct per_cpu *c, struct guest_regs *regs,
			       unsigned int *cr, u64 *val, unsigned int *len)
{
	struct x86_guest_state g;
	struct x86_cr_insn insn;
	u8 bytes[X86_MAX_INSN_LEN] = { 0 };
	unsigned int bits, got;

	vcpu_get_guest_state(c, &g);
	bits = code_bits(&g);
	got = fetch_insn(c->cell, &g, bits, bytes);
	if (x86_decode_cr_write(bytes, got, bits, &insn))
		return false;
	*val = insn.reg == X86_RSP ? g.rsp : *guest_reg(regs, insn.reg);
	if (bits != 64)
		*val &= 0xffffffffULL;	/* 32 bits outside 64-bit code */
	if (insn.lmsw)
		*val = (g.cr0 & ~0xfULL) | (*val & 0xf) | (g.cr0 & X86_CR0_PE);
	*cr = insn.cr;
	*len = insn.len;
	return true;
}

bool x86_handle_mmio(struct per_cpu *c, struct guest_regs *regs, u64 gphys)
{
	struct cell *cell = c->cell;
	struct x86_guest_state g;
	struct x86_mmio_insn insn;
	struct mmio_access access;
	u8 bytes[X86_MAX_INSN_LEN] = { 0 };
	unsigned int bits, got;
	u64 reg = 0;

	if (!mmio_find_region(cell, gphys) && !ivshmem_mmio_covers(cell, gphys))
		return false;
	vcpu_get_guest_state(c, &g);
	bits = code_bits(&g);
	got = fetch_insn(cell, &g, bits, bytes);
	if (x86_decode_mmio(bytes, got, bits, &insn)) {
		printk("MMIO at %llx: unknown instruction at RIP %llx "
		       "(%u-bit code, %u bytes readable: %02x %02x %02x %02x)\n",
		       gphys, g.rip, bits, got, bytes[0], bytes[1], bytes[2],
		       bytes[3]);
		return false;
	}

	if (insn.reg == X86_RSP) {
		printk("MMIO at %llx: stack pointer operand refused, RIP %llx\n",
		       gphys, g.rip);
		return false;
	}
	if (insn.reg >= 0)
		reg = *guest_reg(regs, insn.reg);
	access.address = gphys;
	access.size = insn.size;
	access.is_write = insn.is_write;
	access.value = insn.is_write ? x86_mmio_store_value(&insn, reg) : 0;
	if (mmio_handle_access(&access) != MMIO_HANDLED)
		return false;
	if (!insn.is_write)
		*guest_reg(regs, insn.reg) =
			x86_mmio_load_result(&insn, reg, access.value);
	vcpu_advance_rip(c, insn.len);
	/* upstream's names: the local APIC page has a counter of its own */
	c->stats[gphys - X86_XAPIC_BASE < PAGE_SIZE ?
		 JAILHOUSE_CPU_STAT_VMEXITS_XAPIC :
		 JAILHOUSE_CPU_STAT_VMEXITS_MMIO]++;
	return true;
}
