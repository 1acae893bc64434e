/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: decoder of the MOV forms that access MMIO
 * (see <asm/decode.h>).  Written from the Intel SDM vol. 2, chapter 2
 * (instruction format) and the MOV/MOVZX/MOVSX/MOVSXD pages.
 */

#include <hv/errno.h>
#include <asm/decode.h>

#define PFX_OPSIZE	0x66
#define PFX_ADDRSIZE	0x67
#define REX_W		0x8
#define REX_R		0x4
#define REX_B		0x1

#define MODRM_MOD(m)	((m) >> 6)
#define MODRM_REG(m)	(((m) >> 3) & 7)
#define MODRM_RM(m)	((m) & 7)

static bool is_segment_prefix(u8 b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
		b == 0x64 || b == 0x65;
}

/*
 * Bytes of ModRM, SIB and displacement starting at @p p, for a memory
 * operand.  @return the length, -EINVAL for a register operand (mod 3),
 * -ERANGE if fewer than needed of them are available.
 */
static int modrm_len(const u8 *p, unsigned int avail, unsigned int addr_size)
{
	unsigned int mod, rm, len = 1;

	if (!avail)
		return -ERANGE;
	mod = MODRM_MOD(p[0]);
	rm = MODRM_RM(p[0]);
	if (mod == 3)
		return -EINVAL;
	if (addr_size == 2) {
		/* no SIB; [disp16] replaces [bp] */
		if (mod == 1)
			len += 1;
		else if (mod == 2 || rm == 6)
			len += 2;
	} else {
		if (rm == 4) {
			if (avail < 2)
				return -ERANGE;
			/* SIB base 5 without displacement: disp32 */
			if (mod == 0 && MODRM_RM(p[1]) == 5)
				len += 4;
			len++;
		} else if (mod == 0 && rm == 5) {
			len += 4;	/* disp32 (RIP-relative in 64-bit) */
		}
		if (mod == 1)
			len += 1;
		else if (mod == 2)
			len += 4;
	}
	return len;
}

/* Little-endian immediate of @p size bytes. */
static u64 read_imm(const u8 *p, unsigned int size)
{
	u64 val = 0;

	while (size--)
		val = (val << 8) | p[size];
	return val;
}

static u64 size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

int x86_decode_mmio(const u8 *bytes, unsigned int avail,
		    unsigned int cs_bits, struct x86_mmio_insn *insn)
{
	bool opsize_pfx = false, addrsize_pfx = false, long_mode;
	unsigned int pos = 0, op_size, addr_size, rex = 0, imm_len = 0;
	int mlen;
	u8 op, modrm = 0;
	bool two_byte = false, has_modrm = true;

	if (cs_bits != 16 && cs_bits != 32 && cs_bits != 64)
		return -EINVAL;
	long_mode = cs_bits == 64;

	/* prefixes; a REX counts only right before the opcode */
	for (;; pos++) {
		if (pos >= avail)
			return -ERANGE;
		if (pos >= X86_MAX_INSN_LEN)
			return -EINVAL;
		op = bytes[pos];
		if (op == PFX_OPSIZE)
			opsize_pfx = true;
		else if (op == PFX_ADDRSIZE)
			addrsize_pfx = true;
		else if (is_segment_prefix(op))
			;
		else if (long_mode && (op & 0xf0) == 0x40) {
			rex = op;
			continue;
		} else
			break;
		rex = 0;
	}

	if (long_mode) {
		addr_size = addrsize_pfx ? 4 : 8;
		op_size = rex & REX_W ? 8 : opsize_pfx ? 2 : 4;
	} else {
		addr_size = (cs_bits == 32) != addrsize_pfx ? 4 : 2;
		op_size = (cs_bits == 32) != opsize_pfx ? 4 : 2;
	}

	pos++;
	if (op == 0x0f) {
		if (pos >= avail)
			return -ERANGE;
		op = bytes[pos++];
		two_byte = true;
	}

	insn->reg_high8 = false;
	insn->sign_extend = false;
	insn->imm = 0;
	if (!two_byte) {
		switch (op) {
		case 0x88:		/* mov r/m8, r8 */
		case 0x8a:		/* mov r8, r/m8 */
			insn->size = insn->reg_size = 1;
			insn->is_write = op == 0x88;
			break;
		case 0x89:		/* mov r/m, r */
		case 0x8b:		/* mov r, r/m */
			insn->size = insn->reg_size = op_size;
			insn->is_write = op == 0x89;
			break;
		case 0x63:		/* movsxd r, r/m32 */
			if (!long_mode)
				return -EINVAL;	/* arpl */
			insn->size = op_size == 8 ? 4 : op_size;
			insn->reg_size = op_size;
			insn->sign_extend = true;
			insn->is_write = false;
			break;
		case 0xc6:		/* mov r/m8, imm8 */
			insn->size = insn->reg_size = imm_len = 1;
			insn->is_write = true;
			break;
		case 0xc7:		/* mov r/m, imm16/32 */
			insn->size = insn->reg_size = op_size;
			imm_len = op_size == 2 ? 2 : 4;
			insn->is_write = true;
			break;
		case 0xa0 ... 0xa3:	/* mov al/eAX <-> moffs */
			insn->size = insn->reg_size = op & 1 ? op_size : 1;
			insn->is_write = op >= 0xa2;
			insn->reg = X86_RAX;
			has_modrm = false;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (op) {
		case 0xb6: case 0xb7:	/* movzx r, r/m8 / r/m16 */
		case 0xbe: case 0xbf:	/* movsx r, r/m8 / r/m16 */
			insn->size = op & 1 ? 2 : 1;
			insn->reg_size = op_size;
			insn->sign_extend = op >= 0xbe;
			insn->is_write = false;
			break;
		default:
			return -EINVAL;
		}
	}

	if (has_modrm) {
		mlen = modrm_len(bytes + pos, avail - pos, addr_size);
		if (mlen < 0)
			return mlen;
		if (pos + mlen > avail)
			return pos + mlen > X86_MAX_INSN_LEN ? -EINVAL :
				-ERANGE;
		modrm = bytes[pos];
		pos += mlen;
		if (imm_len) {
			if (MODRM_REG(modrm) != 0)
				return -EINVAL;
			insn->reg = -1;
		} else {
			insn->reg = MODRM_REG(modrm) | (rex & REX_R ? 8 : 0);
			/* without REX, byte registers 4..7 are AH..BH */
			if (insn->reg_size == 1 && !rex && insn->reg >= 4) {
				insn->reg -= 4;
				insn->reg_high8 = true;
			}
		}
	} else {
		pos += addr_size;	/* the moffs */
	}

	if (pos + imm_len > avail)
		return pos + imm_len > X86_MAX_INSN_LEN ? -EINVAL : -ERANGE;
	if (imm_len) {
		insn->imm = read_imm(bytes + pos, imm_len);
		/* imm32 of a 64-bit store is sign-extended */
		if (imm_len == 4 && insn->size == 8 && insn->imm & BIT_ULL(31))
			insn->imm |= ~0xffffffffULL;
		pos += imm_len;
	}
	if (pos > X86_MAX_INSN_LEN)
		return -EINVAL;
	insn->len = pos;
	return 0;
}

int x86_decode_cr_write(const u8 *bytes, unsigned int avail,
			unsigned int cs_bits, struct x86_cr_insn *insn)
{
	unsigned int pos, rex = 0;
	u8 b;

	for (pos = 0; pos < avail && pos < X86_MAX_INSN_LEN; pos++) {
		b = bytes[pos];
		if (b == PFX_OPSIZE || b == PFX_ADDRSIZE ||
		    is_segment_prefix(b))
			rex = 0;
		else if (cs_bits == 64 && (b & 0xf0) == 0x40)
			rex = b;
		else
			break;
	}
	if (pos >= X86_MAX_INSN_LEN)
		return -EINVAL;
	if (pos + 3 > avail)
		return pos + 3 > X86_MAX_INSN_LEN ? -EINVAL : -ERANGE;
	if (bytes[pos] != 0x0f)
		return -EINVAL;
	b = bytes[pos + 2];
	insn->reg = (b & 7) | (rex & REX_B ? 8 : 0);
	insn->len = pos + 3;
	if (bytes[pos + 1] == 0x22) {
		insn->cr = MODRM_REG(b) | (rex & REX_R ? 8 : 0);
		insn->lmsw = false;
		return insn->cr < 8 ? 0 : -EINVAL;
	}
	if (bytes[pos + 1] == 0x01 && MODRM_REG(b) == 6 && b >> 6 == 3) {
		insn->cr = 0;
		insn->lmsw = true;
		return 0;
	}
	return -EINVAL;
}

u64 x86_mmio_store_value(const struct x86_mmio_insn *insn, u64 reg_value)
{
	if (insn->reg < 0)
		return insn->imm & size_mask(insn->size);
	if (insn->reg_high8)
		reg_value >>= 8;
	return reg_value & size_mask(insn->size);
}

u64 x86_mmio_load_result(const struct x86_mmio_insn *insn, u64 old,
			 u64 value)
{
	u64 mask = size_mask(insn->size);

	value &= mask;
	if (insn->sign_extend && value & BIT_ULL(insn->size * 8 - 1))
		value |= ~mask;

	switch (insn->reg_size) {
	case 1:
		if (insn->reg_high8)
			return (old & ~0xff00ULL) | ((value & 0xff) << 8);
		return (old & ~0xffULL) | (value & 0xff);
	case 2:
		return (old & ~0xffffULL) | (value & 0xffff);
	case 4:
		/* a 32-bit destination clears the upper half */
		return value & 0xffffffffULL;
	default:
		return value;
	}
}
