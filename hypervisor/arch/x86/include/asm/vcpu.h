/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: what the generic x86 code needs from the
 * vendor part (svm.c for AMD-V, vmx.c for Intel VT-x): one implementation
 * of these per firmware image.
 */

#ifndef _ASM_VCPU_H
#define _ASM_VCPU_H

#include <hv/cell.h>
#include <asm/percpu.h>

/** Check that this CPU has what we need.  @return 0 or -errno. */
int vcpu_vendor_init(void);
/** Guest page tables and permission bitmaps of a new cell. */
int vcpu_cell_init(struct cell *cell);
void vcpu_cell_exit(struct cell *cell);
/** Enable the extension on this CPU, guest state from the entry state. */
int vcpu_init(struct per_cpu *c);
/** Fill c->arch.leave from the current guest state, turn the
 * extension off.  @return the guest CR3 to return with. */
u64 vcpu_exit(struct per_cpu *c);
/** Turn the extension off after a failed entry. */
void vcpu_exit_unused(struct per_cpu *c);
/** Run guest code on this CPU; handles exits forever. */
void __noreturn vcpu_activate(struct per_cpu *c);
/** Start the guest on this CPU at reset_address (architectural reset). */
void vcpu_reset(struct per_cpu *c);

/** Intercept the guest's writes (not reads) of MSR @p msr in @p cell. */
void vcpu_intercept_msr_write(struct cell *cell, unsigned int msr);

/*
 * The guest state the generic exit handlers need, filled by the vendor
 * part on an exit (the vendor keeps RAX and RSP in its control block).
 */
struct x86_guest {
	struct guest_regs *regs;
	u64 *rax, *rsp;
	u64 rip, cs_base, cr0, cr3, cr4, efer;
	/** Code segment: 64-bit (L), 32-bit default operand size (D). */
	bool cs_l, cs_db;
};

/** A decoded MMIO instruction (decode.c). */
struct x86_mmio_insn {
	/** Instruction length and access width in bytes. */
	unsigned int length, size;
	bool write;
	/** Register number as encoded (0 rax .. 15 r15), -1: immediate. */
	int reg;
	/** The register is AH, CH, DH or BH (bits 8-15 of reg). */
	bool high_byte;
	u64 imm;
};

/**
 * Decode the MOV between memory and a register or an immediate at @p code
 * (@p avail bytes) in code of @p mode bytes default width (2, 4 or 8).
 * @return 0 or -1 if it is none of the forms the emulation knows.
 */
int x86_decode_mmio(const u8 *code, unsigned int avail, unsigned int mode,
		    struct x86_mmio_insn *insn);

/* generic x86 exit handling, called by the vendor part */

/**
 * A nested page fault on guest-physical @p gphys: emulate the MMIO access
 * of the instruction at the guest's RIP (decode.c).
 * @return its length (RIP moves on by it), 0: the cell must be stopped.
 */
unsigned int x86_handle_mmio(struct per_cpu *c, struct x86_guest *g,
			     u64 gphys, bool write);
/**
 * A write of an intercepted MSR that the local APIC emulation owns
 * (apic.c).  @return false if it is none of them.
 */
bool x86_apic_msr_write(struct per_cpu *c, unsigned int msr, u64 val);

/** CPUID on behalf of the guest; registers in/out. */
void x86_handle_cpuid(u64 *rax, struct guest_regs *regs);
/** A hypercall: code in *rax, arguments rdi/rsi; result into *rax. */
void x86_handle_hypercall(struct per_cpu *c, u64 *rax, struct guest_regs *regs);

#endif
