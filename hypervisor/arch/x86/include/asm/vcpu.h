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

/* generic x86 exit handling, called by the vendor part */

/** CPUID on behalf of the guest; registers in/out. */
void x86_handle_cpuid(u64 *rax, struct guest_regs *regs);
/** A hypercall: code in *rax, arguments rdi/rsi; result into *rax. */
void x86_handle_hypercall(struct per_cpu *c, u64 *rax, struct guest_regs *regs);

#endif
