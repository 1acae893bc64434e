/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: decoding the instruction that touched an
 * emulated MMIO page, and walking a guest's own page tables to fetch it.
 *
 * Neither AMD without decode assists (QEMU's TCG) nor Intel report the
 * register and width of a faulting access, only the address: the
 * hypervisor reads the instruction bytes and decodes the MOV forms a
 * driver uses on device registers.  Anything else is refused, and the
 * caller stops the cell.  Both parts are pure functions (host tested in
 * tests/host/test_x86_decode.c); hypervisor/arch/x86/mmio.c feeds them.
 */

#ifndef _ASM_DECODE_H
#define _ASM_DECODE_H

#include <hv/types.h>

/** Longest x86 instruction. */
#define X86_MAX_INSN_LEN	15

/** General purpose register numbers, as ModRM and REX encode them. */
enum x86_reg {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI,
	X86_RDI, X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13,
	X86_R14, X86_R15, X86_NUM_REGS
};

/** A decoded memory access. */
struct x86_mmio_insn {
	/** Bytes of the instruction (prefixes included). */
	unsigned int len;
	/** Bytes read or written in memory: 1, 2, 4 or 8. */
	unsigned int size;
	bool is_write;
	/**
	 * Source of a store, destination of a load (enum x86_reg); -1 for
	 * a store of the immediate @c imm.
	 */
	int reg;
	/** The register is AH, CH, DH or BH (bits 8..15 of reg). */
	bool reg_high8;
	/** Width of the destination register of a load: 1, 2, 4 or 8. */
	unsigned int reg_size;
	/** A load sign-extends (movsx, movsxd); otherwise zero-extends. */
	bool sign_extend;
	/** Value a store of an immediate writes (already @c size wide). */
	u64 imm;
};

/**
 * Decode the instruction at @p bytes (@p avail of them are valid) that
 * the CPU executed with a code segment of @p cs_bits (16, 32 or 64).
 * Known: mov r/m,r and r,r/m (8..64 bits), mov r/m,imm, mov with moffs,
 * movzx, movsx, movsxd; with operand/address size, segment and REX
 * prefixes, any ModRM/SIB/displacement (RIP-relative too).
 * @return 0, -EINVAL for an unknown form or a register operand, -ERANGE
 * if the instruction is longer than @p avail bytes.
 */
int x86_decode_mmio(const u8 *bytes, unsigned int avail,
		    unsigned int cs_bits, struct x86_mmio_insn *insn);

/** The value a store writes, given the source register's content. */
u64 x86_mmio_store_value(const struct x86_mmio_insn *insn, u64 reg_value);

/**
 * The destination register's new content after a load of @p value (the
 * bytes read, in the low bits) into a register that held @p old.
 */
u64 x86_mmio_load_result(const struct x86_mmio_insn *insn, u64 old,
			 u64 value);

/** A decoded write of a control register. */
struct x86_cr_insn {
	/** Bytes of the instruction (prefixes included). */
	unsigned int len;
	/** The control register written (0..7; CR8 and up are refused). */
	unsigned int cr;
	/** The source register (enum x86_reg). */
	int reg;
	/** LMSW: only bits 0..3 of CR0 change, PE cannot be cleared. */
	bool lmsw;
};

/**
 * Decode a write of a control register: mov to CRn (0f 22, the source is
 * always a register, the mod field is ignored) or lmsw with a register
 * operand (0f 01 /6), with operand/address size, segment and REX
 * prefixes.  LOCK (AMD's alias of CR8) and lmsw from memory are refused.
 * @return 0, -EINVAL for any other form, -ERANGE if the instruction is
 * longer than @p avail bytes.
 */
int x86_decode_cr_write(const u8 *bytes, unsigned int avail,
			unsigned int cs_bits, struct x86_cr_insn *insn);

/** The state of a guest's address translation. */
struct x86_guest_paging {
	u64 cr0, cr3, cr4, efer;
};

/**
 * Read @p len (4 or 8) bytes of guest-physical memory at @p gphys into
 * @p buf.  @return 0 or -EFAULT (not the guest's RAM).
 */
typedef int (*x86_read_guest_phys)(void *ctx, u64 gphys, void *buf,
				   unsigned int len);

/**
 * Translate the linear address @p virt through the guest's page tables
 * (none, 32-bit, PAE or 4/5-level long mode, as @p pg says), reading them
 * with @p read.  Permissions are not checked: the guest itself just used
 * the translation.
 * @return the guest-physical address in @p gphys: 0, or -EFAULT.
 */
int x86_guest_virt2phys(const struct x86_guest_paging *pg, u64 virt,
			x86_read_guest_phys read, void *ctx, u64 *gphys);

#endif
