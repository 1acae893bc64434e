/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: MMIO accesses a cell traps on (nested page
 * faults), independent of the vendor.  Neither QEMU's TCG nor every CPU
 * reports the faulting instruction or its length, so the hypervisor reads
 * it from guest memory (through the guest's own page tables and the cell's
 * guest-physical map) and decodes it: the MOV forms between a register or
 * an immediate and memory (ModRM and absolute moffs addresses), with
 * operand-size, address-size, segment and REX prefixes, in 16-, 32- and
 * 64-bit code.  Anything else stops the cell.
 */

#include <hv/control.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define X86_CR4_PSE		(1UL << 4)
#define X86_MAX_INSN		15
#define PTE_P			(1ULL << 0)
#define PTE_PS			(1ULL << 7)
#define PTE_ADDR		0x000ffffffffff000ULL

/* Read @size bytes at guest-physical @gphys within one page. */
static bool read_guest_phys(struct cell *cell, u64 gphys, void *buf,
			    unsigned int size)
{
	unsigned long phys = paging_virt2phys(&cell->paging, gphys);
	u8 *page;

	if (phys == INVALID_PHYS_ADDR)
		return false;
	page = paging_remap(phys & ~PAGE_OFFS_MASK, PAGE_SIZE, PAGE_READ);
	if (!page)
		return false;
	memcpy(buf, page + (phys & PAGE_OFFS_MASK), size);
	paging_unmap(page, PAGE_SIZE);
	return true;
}

/* The guest-physical address of linear @lin, by the guest's page tables. */
static bool guest_linear_to_phys(struct cell *cell, const struct x86_guest_mode *g,
				 u64 lin, u64 *gphys)
{
	unsigned int levels, bits, shift, entry_size;
	u64 table, entry = 0;

	if (!(g->cr0 & X86_CR0_PG)) {
		*gphys = lin & 0xffffffffULL;
		return true;
	}
	if (g->efer & EFER_LMA) {
		levels = 4, bits = 9, entry_size = 8;
		table = g->cr3 & PTE_ADDR;
	} else if (g->cr4 & X86_CR4_PAE) {
		/* the four PDPT entries, then two levels of 9 bits */
		lin &= 0xffffffffULL;
		if (!read_guest_phys(cell, (g->cr3 & 0xffffffe0ULL) +
				     (lin >> 30) * 8, &entry, 8) ||
		    !(entry & PTE_P))
			return false;
		levels = 2, bits = 9, entry_size = 8;
		table = entry & PTE_ADDR;
	} else {
		lin &= 0xffffffffULL;
		levels = 2, bits = 10, entry_size = 4;
		table = g->cr3 & 0xfffff000ULL;
	}
	for (shift = PAGE_SHIFT + bits * (levels - 1); ;
	     shift -= bits, levels--) {
		entry = 0;
		if (!read_guest_phys(cell, table + ((lin >> shift) &
					((1UL << bits) - 1)) * entry_size,
				     &entry, entry_size) || !(entry & PTE_P))
			return false;
		if (levels == 1 || (entry & PTE_PS &&
				    (entry_size == 8 || g->cr4 & X86_CR4_PSE)))
			break;
		table = entry & (entry_size == 8 ? PTE_ADDR : 0xfffff000ULL);
	}
	if (entry_size == 4 && levels > 1)	/* 4 MiB page, bits 32+ ignored */
		entry &= 0xffc00000ULL;
	*gphys = (entry & PTE_ADDR & ~((1ULL << shift) - 1)) |
		(lin & ((1ULL << shift) - 1));
	return true;
}

/* Up to X86_MAX_INSN bytes at the guest's RIP.  @return how many. */
static unsigned int fetch_insn(struct cell *cell, const struct x86_guest_mode *g,
			       u8 *code)
{
	u64 lin = (g->cs_l ? 0 : g->cs_base) + g->rip, gphys;
	unsigned int got = 0, chunk;

	while (got < X86_MAX_INSN) {
		chunk = MIN(X86_MAX_INSN - got,
			    PAGE_SIZE - ((lin + got) & PAGE_OFFS_MASK));
		if (!guest_linear_to_phys(cell, g, lin + got, &gphys) ||
		    !read_guest_phys(cell, gphys, code + got, chunk))
			break;
		got += chunk;
	}
	return got;
}

/* Length of the ModRM operand after the ModRM byte at @code[0]. */
static int modrm_len(const u8 *code, unsigned int avail, unsigned int addr)
{
	unsigned int mod = code[0] >> 6, rm = code[0] & 7, len = 1;

	if (mod == 3)
		return -1;			/* a register, not memory */
	if (addr == 2) {
		if (mod == 1)
			return 2;
		return mod == 2 || rm == 6 ? 3 : 1;
	}
	if (rm == 4) {				/* SIB */
		if (avail < 2)
			return -1;
		len++;
		if (mod == 0 && (code[1] & 7) == 5)
			return len + 4;
	}
	if (mod == 1)
		return len + 1;
	if (mod == 2 || (mod == 0 && rm == 5))
		return len + 4;
	return len;
}

int x86_decode_mmio(const u8 *code, unsigned int avail, unsigned int mode,
		    struct x86_mmio_insn *insn)
{
	unsigned int n = 0, opsize = mode == 2 ? 2 : 4, addr = mode;
	unsigned int rex = 0, op, imm = 0;
	int len;

	memset(insn, 0, sizeof(*insn));
	for (; n < avail; n++) {
		if (code[n] == 0x66)
			opsize = mode == 2 ? 4 : 2;
		else if (code[n] == 0x67)
			addr = mode == 8 ? 4 : (mode == 2 ? 4 : 2);
		else if (code[n] == 0x2e || code[n] == 0x3e ||
			 code[n] == 0x26 || code[n] == 0x36 ||
			 code[n] == 0x64 || code[n] == 0x65)
			;			/* segment overrides */
		else
			break;
	}
	if (mode == 8 && n < avail && (code[n] & 0xf0) == 0x40)
		rex = code[n++];
	if (rex & 0x8)
		opsize = 8;
	if (n + 2 > avail)
		return -1;
	op = code[n++];
	if (op >= 0xa0 && op <= 0xa3) {
		/* mov between AL/eAX and an absolute address (moffs) */
		insn->size = op & 1 ? opsize : 1;
		insn->write = op >= 0xa2;
		insn->reg = 0;
		n += addr;
		if (n > avail)
			return -1;
		insn->length = n;
		return 0;
	}
	switch (op) {
	case 0x88:				/* mov r8, m8 */
	case 0x8a:				/* mov m8, r8 */
		insn->size = 1;
		break;
	case 0x89:				/* mov r, m */
	case 0x8b:				/* mov m, r */
		insn->size = opsize;
		break;
	case 0xc6:				/* mov imm8, m8 */
		insn->size = imm = 1;
		break;
	case 0xc7:				/* mov imm16/32, m */
		insn->size = opsize;
		imm = opsize == 2 ? 2 : 4;
		break;
	default:
		return -1;
	}
	insn->write = op != 0x8a && op != 0x8b;
	insn->reg = ((code[n] >> 3) & 7) | (rex & 0x4 ? 8 : 0);
	/* byte registers 4-7 without REX are AH, CH, DH, BH */
	insn->high_byte = insn->size == 1 && !rex && insn->reg >= 4;
	if (insn->high_byte)
		insn->reg -= 4;
	if (imm) {
		if (insn->reg & 7)
			return -1;		/* /0 only */
		insn->reg = -1;
	}
	len = modrm_len(code + n, avail - n, addr);
	if (len < 0 || n + len + imm > avail)
		return -1;
	n += len;
	if (imm) {
		memcpy(&insn->imm, code + n, imm);
		if (insn->size == 8)		/* imm32, sign-extended */
			insn->imm = (s64)(s32)insn->imm;
		n += imm;
	}
	insn->length = n;
	return 0;
}

/* struct guest_regs holds r15..rax, the reverse of the encoding */
static u64 *guest_reg(struct guest_regs *regs, unsigned int n)
{
	return (u64 *)regs + 15 - n;
}

unsigned int x86_handle_mmio(struct per_cpu *c, struct guest_regs *regs,
			     const struct x86_guest_mode *g, u64 gphys,
			     bool write)
{
	u8 code[X86_MAX_INSN];
	struct x86_mmio_insn insn;
	struct mmio_access a;
	unsigned int avail, mode = g->cs_l ? 8 : (g->cs_db ? 4 : 2);
	bool apic = (gphys & ~(u64)PAGE_OFFS_MASK) == X86_XAPIC_BASE;
	u64 *reg, val;

	c->stats[apic ? JAILHOUSE_CPU_STAT_VMEXITS_XAPIC :
		 JAILHOUSE_CPU_STAT_VMEXITS_MMIO]++;
	avail = fetch_insn(c->cell, g, code);
	/* (RSP as an MMIO operand: the vendor keeps it, not emulated) */
	if (x86_decode_mmio(code, avail, mode, &insn) ||
	    insn.write != write || insn.reg == 4) {
		/* (the caller reports faults outside emulated regions) */
		if (apic)
			printk("MMIO access at %llx: cannot decode the "
			       "instruction at %llx (%u bytes: %02x %02x %02x "
			       "%02x)\n", gphys, g->rip, avail, code[0],
			       code[1], code[2], code[3]);
		return 0;
	}
	a.address = gphys;
	a.size = insn.size;
	a.is_write = insn.write;
	reg = insn.reg >= 0 ? guest_reg(regs, insn.reg) : NULL;
	if (insn.write)
		a.value = (reg ? *reg >> (insn.high_byte ? 8 : 0) : insn.imm) &
			mmio_size_mask(insn.size);
	else
		a.value = 0;
	if (mmio_handle_access(&a) != MMIO_HANDLED)
		return 0;
	if (!insn.write) {
		val = a.value & mmio_size_mask(insn.size);
		if (insn.size == 4)		/* 32-bit results zero-extend */
			*reg = val;
		else if (insn.high_byte)
			*reg = (*reg & ~0xff00ULL) | (val << 8);
		else
			*reg = (*reg & ~mmio_size_mask(insn.size)) | val;
	}
	return insn.length;
}
