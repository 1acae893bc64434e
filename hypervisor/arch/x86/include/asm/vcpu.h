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

/** What the generic exit handlers need to know of the guest's state. */
struct x86_guest_state {
	u64 rip, rflags, cr0, cr3, cr4, efer;
	/** Code segment base and its L (64-bit) and D/B (32-bit) bits. */
	u64 cs_base;
	bool cs_l, cs_db;
};

/** The current guest state of this CPU. */
void vcpu_get_guest_state(struct per_cpu *c, struct x86_guest_state *s);
/** General purpose register @p reg (enum x86_reg, <asm/decode.h>). */
u64 vcpu_get_reg(struct per_cpu *c, unsigned int reg);
void vcpu_set_reg(struct per_cpu *c, unsigned int reg, u64 value);
/** Continue the guest @p len bytes after the current instruction. */
void vcpu_skip_insn(struct per_cpu *c, unsigned int len);

/* generic x86 exit handling, called by the vendor part */

/**
 * A nested page fault at guest-physical @p gphys: emulate the access if a
 * handler of the cell covers it (decoding the instruction).
 * @return whether it was emulated; false: the caller stops the cell.
 */
bool x86_handle_mmio(struct per_cpu *c, u64 gphys);

/** CPUID on behalf of the guest; registers in/out. */
void x86_handle_cpuid(u64 *rax, struct guest_regs *regs);
/** A hypercall: code in *rax, arguments rdi/rsi; result into *rax. */
void x86_handle_hypercall(struct per_cpu *c, u64 *rax, struct guest_regs *regs);

#endif
