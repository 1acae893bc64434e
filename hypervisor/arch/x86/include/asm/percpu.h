/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: per-CPU architecture state.  The entry
 * code (entry.S) fills struct x86_entry_state through asm offsets; the
 * way back to the caller goes through struct x86_leave.
 */

#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#ifndef __ASSEMBLY__

#include <hv/types.h>

/** A descriptor table register as sgdt/lgdt store it, base aligned. */
struct x86_dtr {
	u16 pad[3];
	u16 limit;
	u64 base;
};

/** The caller's state when it entered, saved by entry.S. */
struct x86_entry_state {
	u64 rbx, rbp, r12, r13, r14, r15;
	/** Stack pointer and instruction after the call of the entry. */
	u64 rsp, rip, rflags;
	u64 cr0, cr3, cr4, efer;
	struct x86_dtr gdtr, idtr;
	u64 cs, ss, ds, es, fs, gs, tr, ldtr;
	/** Raw GDT descriptors of cs, ss, ds, es, tr and ldtr (each of the
	 * system ones two words); 0 for null selectors. */
	u64 desc[8];
	/** Where the caller mapped the hypervisor memory. */
	u64 image_virt;
};

/** GDT entries the leave code's copy for LTR holds. */
#define X86_LEAVE_GDT_ENTRIES	32

/** The state the leave code (entry.S, page 0) hands to the caller. */
struct x86_leave {
	/** rax, rcx, rdx, rbx, (rsp), rbp, rsi, rdi, r8..r15 */
	u64 regs[16];
	struct x86_dtr gdtr, idtr;
	u64 cr4, ds, es;
	/** iretq frame: rip, cs, rflags, rsp, ss */
	u64 iret[5];
	/**
	 * Intel: what VM exits overwrote and VMX does not give back.  With
	 * @c reload_segs set, the leave code loads LDTR, FS and GS (then
	 * their bases) and, if @c tr is not 0, TR again, for its limit:
	 * from @c tr_gdt, a copy of the caller's GDT up to its TSS
	 * descriptor marked available (LTR writes the busy bit, and the
	 * caller's GDT may be read-only: Linux), then the caller's GDT.
	 */
	u64 reload_segs, ldtr, fs, gs, fs_base, gs_base, tr;
	struct x86_dtr tr_gdtr;
	u64 tr_gdt[X86_LEAVE_GDT_ENTRIES];
};

/** Guest registers at an exit (the vendor keeps rsp in its own state and
 * copies rax between its state and this frame). */
struct guest_regs {
	/** r15..r8, rdi, rsi, rbp, (rsp), rbx, rdx, rcx, rax */
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rsp, rbx, rdx, rcx, rax;
};

struct per_cpu;

/** MSRs a cell may write without exit that only the CPU holds. */
#define X86_NUM_HELD_MSRS	7

/** Entries of struct x86_gpa_cache (at most PAGING_TEMP_SLOTS). */
#define X86_GPA_CACHE_SIZE	8

/**
 * Physical pages behind guest-physical ones of this CPU's cell, as
 * mmio.c's page walks found them, valid while @c root and @c generation
 * are those of the cell's map (see there); entry n is kept mapped in the
 * CPU's temporary mapping slot n.
 */
struct x86_gpa_cache {
	const void *root;
	unsigned long generation;
	/** The entry the next miss replaces. */
	unsigned int next;
	/** @c gpage is a guest-physical page address + 1 (0: empty). */
	struct {
		u64 gpage, page;
	} entry[X86_GPA_CACHE_SIZE];
};

struct per_cpu_arch {
	/** Virtual machine control block (vendor format). */
	u8 vmcb[4096] __attribute__((aligned(4096)));
	/** Host state save area of the vendor (VM_HSAVE_PA). */
	u8 host_area[4096] __attribute__((aligned(4096)));
	struct x86_entry_state entry;
	struct x86_leave leave;
	/** Local APIC ID. */
	unsigned long phys_id;
	/** Logical destination and destination format (xAPIC), the upper
	 * ICR word last written (apic.c). */
	u32 apic_ldr, apic_dfr, icr_hi;
	/** INIT received: a SIPI starts this CPU (protected by
	 * control_lock). */
	bool wait_sipi;
	/** A non-root cell's view of MTRR_DEF_TYPE (vcpu.c). */
	u64 mtrr_def_type;
	/** The root's values of the MSRs only the CPU holds and of XCR0,
	 * at enable (cpu-state.c). */
	u64 root_msrs[X86_NUM_HELD_MSRS], root_xcr0;
	/** Original VM_HSAVE_PA, PAT and DR7 of the caller. */
	u64 saved_hsave, saved_pat, saved_dr7;
	/** The event whose delivery the last exit interrupted (vendor
	 * format, valid bit set), its error code and instruction length;
	 * 0: none (svm.c, vmx.c). */
	u64 exit_event;
	u32 exit_event_error, exit_event_len;
	struct x86_gpa_cache gpa_cache;
	/** The guest's TLB must be flushed before it runs again. */
	volatile bool flush_tlb;
	/** VMX: in VMX operation, VMCS complete (NMIs may write it),
	 * launched. */
	bool vm_on, vm_ready, vm_launched;
};

/** The CPU we run on (its stack pointer lies in its per-CPU block). */
struct per_cpu *this_cpu_data(void);

#endif

#endif
