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
/** A leaf of the vendor's guest-physical tables (nested paging, EPT),
 * in the x86-64 format otherwise (paging.c); 0 for no access. */
pt_entry_t vcpu_guest_leaf(phys_addr_t phys, unsigned long flags,
			   unsigned int level);
/** This CPU's guest register frame (the top of its stack, setup.c). */
struct guest_regs *x86_guest_regs(struct per_cpu *c);
/** Enable the extension on this CPU, guest state from the entry state
 * (the frame already holds the caller's callee-saved registers). */
int vcpu_init(struct per_cpu *c);
/** Fill c->arch.leave from the current guest state but for its registers
 * (setup.c copies the frame), turn the extension off.  @return the guest
 * CR3 to return with. */
u64 vcpu_exit(struct per_cpu *c);
/** Turn the extension off after a failed entry. */
void vcpu_exit_unused(struct per_cpu *c);
/** Run guest code on this CPU; handles exits forever. */
void __noreturn vcpu_activate(struct per_cpu *c);
/** A cell CPU's MTRR_DEF_TYPE as the root left it (vcpu.c). */
void vcpu_mtrr_reset(struct per_cpu *c);
/** Start the guest on this CPU at reset_address (architectural reset). */
void vcpu_reset(struct per_cpu *c);
/** The guest's TSC is the CPU's plus @p offset (vcpu_reset(): 0). */
void vcpu_set_tsc_offset(struct per_cpu *c, u64 offset);

/* ---- what the CPU alone holds between cells (cpu-state.c) ---- */

/** Keep the root's values of this CPU (at enable). */
void x86_cpu_state_save(struct per_cpu *c);
/** Before the CPU starts in its cell: reset values for a non-root cell,
 * the root's own for the root. */
void x86_cpu_state_clean(struct per_cpu *c);
/** XCR0 = @p xcr0 whatever the hypervisor's CR4: 0, -1 if refused. */
int x86_set_xcr0(u64 xcr0);

/* ---- what the generic exit handling (vcpu.c) needs of the vendor ---- */

/** Size of a cell's I/O and MSR permission bitmaps, in pages. */
extern const unsigned int vcpu_io_bitmap_pages, vcpu_msr_bitmap_pages;
/** The vendor's own MSRs (virtualization control), 0-terminated: they
 * exit, and vcpu_vendor_msr() says what the guest sees. */
extern const u32 vcpu_vendor_msrs[];
/**
 * The layout of the vendor's MSR bitmap (a set bit: the access exits):
 * each range covers 0x2000 MSRs from @c first, whose read bits start at
 * bit @c base, @c bits_per_msr apart; an MSR's write bit is @c
 * write_offset bits after its read bit.  MSRs outside the ranges always
 * exit.
 */
struct x86_msr_bitmap_format {
	struct {
		u32 first, base;
	} ranges[3];
	unsigned int num_ranges, bits_per_msr, write_offset;
};
extern const struct x86_msr_bitmap_format vcpu_msr_bitmap;
/** Let @p msr exit (read and write) in a cell's MSR bitmap (vcpu.c). */
void vcpu_msr_intercept(void *msr_bitmap, u32 msr);
/** Let reads of @p msr, and writes too if @p write, pass without exit
 * (a bitmap set to all ones makes every MSR exit, for both vendors). */
void vcpu_msr_pass(void *msr_bitmap, u32 msr, bool write);
/** A guest access of one of vcpu_vendor_msrs: @return 1 done (*val read
 * or written), 0 the guest gets #GP, -1 unhandled (the cell stops). */
int vcpu_vendor_msr(u32 msr, bool write, u64 *val);
/** The guest's EFER without the vendor's own bits, and setting it. */
u64 vcpu_get_efer(struct per_cpu *c);
void vcpu_set_efer(struct per_cpu *c, u64 efer);
/** Privilege level of the guest code that exited. */
unsigned int vcpu_cpl(struct per_cpu *c);
/** Continue after the instruction that exited. */
void vcpu_skip_insn(struct per_cpu *c);
/** Deliver exception @p vector (error code 0 where it has one) on the
 * next entry; the instruction that exited is not completed. */
void vcpu_inject(struct per_cpu *c, unsigned int vector);
/** Exit reason, two vendor details and guest RIP, for fault reports. */
void vcpu_exit_details(struct per_cpu *c, u64 info[4]);
/** Set guest CR0 or CR4 (values the generic checks accepted).  @return
 * false if this CPU cannot hold it (the guest gets #GP). */
bool vcpu_set_cr(struct per_cpu *c, unsigned int cr, u64 val);
/**
 * Whether the exit interrupted the delivery of an event (an interrupt or
 * exception through the guest's IDT).  The vendor part delivers it again
 * on the next entry, unless the exit's handling injects another event or
 * resets the CPU.
 */
bool vcpu_event_interrupted(struct per_cpu *c);
/** An NMI arrived while this CPU ran hypervisor code. */
void vcpu_nmi_handler(struct per_cpu *c);

/** What the MMIO emulation needs to fetch and decode an instruction. */
struct x86_guest_state {
	u64 rip, rsp, rflags, cr0, cr3, cr4, efer;
	/** Code segment base and its L (64-bit) and D/B (32-bit) bits. */
	u64 cs_base;
	bool cs_l, cs_db;
};

/** The current guest state of this CPU. */
void vcpu_get_guest_state(struct per_cpu *c, struct x86_guest_state *s);
/** Continue @p len bytes after the current RIP (an instruction the
 * hypervisor decoded itself, the vendor reports no length for it). */
void vcpu_advance_rip(struct per_cpu *c, unsigned int len);

/* ---- local APIC (apic.c) ---- */

/** Whether the APIC emulation owns MSR @p msr (its accesses exit). */
bool x86_apic_msr_owned(u32 msr);
/** Access of such an MSR: @return 1 done (*val read or written), 0 #GP. */
int x86_apic_msr(struct per_cpu *c, u32 msr, bool write, u64 *val);

/* ---- generic x86 exit handling (vcpu.c), called by the vendor part ---- */

/** An I/O instruction's exit, decoded by the vendor. */
struct x86_io {
	u16 port;
	u8 size;		/** 1, 2 or 4 bytes */
	bool in, string, rep;
};

/** Permission bitmaps of a new cell (policy: its pio regions, the PM
 * timer; EFER and the vendor's MSRs exit). */
int x86_cell_bitmaps_init(struct cell *cell);
void x86_cell_bitmaps_free(struct cell *cell);

/* Guest registers in/out: all of struct guest_regs (rax included) is the
 * guest's at the exit; the vendor loads it back before the next entry. */
void x86_handle_cpuid(struct per_cpu *c, struct guest_regs *regs);
/** A hypercall: code in rax, arguments rdi/rsi; result into rax. */
void x86_handle_hypercall(struct per_cpu *c, struct guest_regs *regs);
void x86_handle_msr(struct per_cpu *c, struct guest_regs *regs, bool write);
/** mov to CR0 or CR4 of @p val. */
void x86_handle_cr_write(struct per_cpu *c, struct guest_regs *regs,
			 unsigned int cr, u64 val);
/** xsetbv: XCR number in ecx, value in edx:eax. */
void x86_handle_xsetbv(struct per_cpu *c, struct guest_regs *regs);
void x86_handle_io(struct per_cpu *c, struct guest_regs *regs,
		   const struct x86_io *io);
/** First of the PCI configuration ports 0xcf8..0xcff. */
#define X86_PCI_PORTS	0xcf8
/**
 * An exit on one of the PCI configuration ports (pci.c), emulated.
 * @return false: not such an access (the caller refuses it).
 */
bool x86_pci_handle_io(struct per_cpu *c, struct guest_regs *regs,
		       const struct x86_io *io);
/** The CPU's address port 0xcf8 (emulated per CPU) to 0, for its next
 * owner. */
void x86_pci_reset_cpu(struct per_cpu *c);
/**
 * An access to a port through which a write resets the machine (reset.c:
 * 0xcf9, the keyboard controller, port 0x92): the owner's goes to the
 * hardware, but a reset request only from the root running alone; the
 * root's is refused while cells exist.
 * @return false: not such an access, or a non-root cell's reset request
 * (the caller refuses it: the cell stops).
 */
bool x86_reset_handle_io(struct per_cpu *c, struct guest_regs *regs,
			 const struct x86_io *io);
/** Let the reset ports (reset.c) exit in the I/O bitmap @p io_bitmap. */
void x86_reset_ports_intercept(u8 *io_bitmap);
/** Whether @p port is one of them. */
bool x86_reset_port(unsigned int port);
/** The cell a reset port belongs to by the configs, NULL: nobody's. */
struct cell *x86_reset_port_owner(unsigned int port);
/** An access to guest-physical @p gpa the cell's tables do not allow. */
void x86_handle_memory_fault(struct per_cpu *c, struct guest_regs *regs,
			     u64 gpa, bool write);
/**
 * Emulate the access at guest-physical @p gpa if a handler of the cell
 * covers it (arch/x86/mmio.c: fetches and decodes the instruction).
 * @return whether it was emulated (false: nothing changed).
 */
bool x86_handle_mmio(struct per_cpu *c, struct guest_regs *regs, u64 gpa);
/**
 * The control register write that exited, where the vendor names only the
 * register (AMD without decode assists): fetched and decoded (mmio.c).
 * @return false if it is no mov to CRn or lmsw from a register; else the
 * register in @p cr, the value written (lmsw: all of CR0) in @p val and
 * the instruction's length in @p len.
 */
bool x86_decode_guest_cr_write(struct per_cpu *c, struct guest_regs *regs,
			       unsigned int *cr, u64 *val, unsigned int *len);
/**
 * Read @p len bytes (within one page) of the memory of cell @p ctx at its
 * guest-physical @p gphys (an x86_read_guest_phys of <asm/decode.h>).
 * @return 0 or -EFAULT (not the cell's RAM).
 */
int x86_read_cell_memory(void *ctx, u64 gphys, void *buf, unsigned int len);
/** The hypervisor's kick between CPUs arrived (after the vendor took it). */
void x86_handle_event(struct per_cpu *c);
/** The guest misbehaved: report, stop its cell (the root: panic).
 * Does not return. */
void __noreturn x86_guest_fault(struct per_cpu *c, const char *what);
/** An exit the hypervisor does not complete: a non-root cell is stopped
 * (x86_guest_fault(), no return); the root gets #GP at the instruction
 * and runs on, so nothing it does stops the hypervisor. */
void x86_guest_refuse(struct per_cpu *c, const char *what);
/** INVD: done as WBINVD (dropping the caches would lose the dirty lines
 * of the hypervisor and of other cells). */
void x86_handle_invd(struct per_cpu *c);

#endif
