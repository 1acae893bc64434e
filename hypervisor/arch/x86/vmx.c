/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: Intel VT-x (VMX) part of jailhouse-intel.bin.
 *
 * Each CPU enters VMX operation in its own VMXON region (per_cpu_arch's
 * host_area) and gets one VMCS (per_cpu_arch's vmcb page) built from the
 * state the caller had when it entered, so the root continues where it
 * called the entry.  Controls come from the capability MSRs (the TRUE ones
 * where the CPU has them).  Cells get EPT (the x86-64 entry helpers of
 * paging.c with an EPT leaf format) tagged with their VPID, and unrestricted
 * guest, so their CPUs start in real mode at the reset address.
 * Physical interrupts go straight to the guest; NMIs are the hypervisor's
 * kick between CPUs: they exit, and one that hits the hypervisor itself arms
 * the preemption timer at 0 so that the next entry exits at once.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/decode.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <asm/vmx.h>

#define X86_CR0_NE		(1UL << 5)
#define CPUID_VMX		(1U << 5)
#define RESET_PAT		0x0007040600070406ULL
#define INTR_BLOCK_NMI		(1UL << 3)
/* DR6 bits of a #DB's exit qualification: B0-B3, BD, BS */
#define DR6_EXIT_BITS		(0xfUL | (1UL << 13) | (1UL << 14))
/* Changes of these (with PAE paging after the write) load the PDPTEs:
 * CR0's NW, CD, PG; CR4's PSE, PAE, PGE, SMEP. */
#define CR0_PDPTE_BITS		((3UL << 29) | X86_CR0_PG)
#define CR4_PDPTE_BITS		((1UL << 4) | X86_CR4_PAE | X86_CR4_PGE | \
				 (1UL << 20))

const char arch_name[] = "x86 Intel VT-x";

void __noreturn vmx_vm_launch(struct guest_regs *regs);
void __noreturn vmx_vm_resume(struct guest_regs *regs);
void vmx_handle_exit(struct guest_regs *regs);
void __noreturn vmx_entry_failed(struct guest_regs *regs);
extern const u8 vmx_vm_exit[];

/* What this CPU model offers, read once (all CPUs are alike). */
static struct {
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid, misc;
	u32 revision;
} caps;


static inline void vmcs_write(unsigned long field, unsigned long value)
{
	asm volatile("vmwrite %1, %0" : : "r" (field), "rm" (value)
		     : "cc", "memory");
}

static inline unsigned long vmcs_read(unsigned long field)
{
	unsigned long value;

	asm volatile("vmread %1, %0" : "=rm" (value) : "r" (field) : "cc");
	return value;
}

/* ---- capabilities ---- */

/* Controls we want, adjusted to what the CPU allows (allowed-0 must be
 * set, only allowed-1 may be); @return 0 if a needed one is missing. */
static u32 adjust(unsigned int msr, u32 want, u32 need)
{
	u64 allowed = read_msr(msr);
	u32 ctl = (want | (u32)allowed) & (u32)(allowed >> 32);

	return (ctl & need) == need ? ctl : 0;
}

static int read_caps(void)
{
	u64 basic = read_msr(MSR_VMX_BASIC);
	bool tru = basic & VMX_BASIC_TRUE_CTLS;

	caps.revision = basic & 0x7fffffff;
	/* the preemption timer is armed when an NMI hits the hypervisor */
	caps.pin = adjust(tru ? MSR_VMX_TRUE_PINBASED_CTLS :
			  MSR_VMX_PINBASED_CTLS, PIN_NMI_EXITING |
			  PIN_PREEMPTION_TIMER, PIN_NMI_EXITING |
			  PIN_PREEMPTION_TIMER) & ~PIN_PREEMPTION_TIMER;
	/* TSC offsetting: a cell's TSC writes (vcpu_set_tsc_offset) */
	caps.proc = adjust(tru ? MSR_VMX_TRUE_PROCBASED_CTLS :
			   MSR_VMX_PROCBASED_CTLS, PROC_TSC_OFFSETTING |
			   PROC_IO_BITMAPS |
			   PROC_MSR_BITMAPS | PROC_SECONDARY, PROC_IO_BITMAPS |
			   PROC_MSR_BITMAPS | PROC_SECONDARY);
	/* RDTSCP, INVPCID, XSAVES: #UD in the guest unless enabled */
	caps.proc2 = adjust(MSR_VMX_PROCBASED_CTLS2, PROC2_EPT |
			    PROC2_UNRESTRICTED | PROC2_VPID | PROC2_RDTSCP |
			    PROC2_INVPCID | PROC2_XSAVES,
			    PROC2_EPT | PROC2_UNRESTRICTED);
	caps.exit = adjust(tru ? MSR_VMX_TRUE_EXIT_CTLS : MSR_VMX_EXIT_CTLS,
			   EXIT_SAVE_DEBUG | EXIT_HOST_64 | EXIT_SAVE_PAT |
			   EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER,
			   EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT |
			   EXIT_SAVE_EFER | EXIT_LOAD_EFER);
	caps.entry = adjust(tru ? MSR_VMX_TRUE_ENTRY_CTLS :
			    MSR_VMX_ENTRY_CTLS, ENTRY_LOAD_DEBUG |
			    ENTRY_LOAD_PAT | ENTRY_LOAD_EFER,
			    ENTRY_LOAD_PAT | ENTRY_LOAD_EFER);
	caps.entry &= ~ENTRY_IA32E;	/* per guest, see set_efer */
	caps.cr0_fixed0 = read_msr(MSR_VMX_CR0_FIXED0);
	caps.cr0_fixed1 = read_msr(MSR_VMX_CR0_FIXED1);
	caps.cr4_fixed0 = read_msr(MSR_VMX_CR4_FIXED0);
	caps.cr4_fixed1 = read_msr(MSR_VMX_CR4_FIXED1);
	caps.misc = read_msr(MSR_VMX_MISC);
	caps.ept_vpid = read_msr(MSR_VMX_EPT_VPID_CAP);
	if (!(caps.pin & caps.proc & caps.exit & caps.entry) || !caps.proc2)
		return -ENODEV;
	if ((caps.ept_vpid & (EPT_CAP_WALK_4 | EPT_CAP_WB | EPT_CAP_2M |
			      EPT_CAP_INVEPT)) != (EPT_CAP_WALK_4 |
			      EPT_CAP_WB | EPT_CAP_2M | EPT_CAP_INVEPT) ||
	    !(caps.ept_vpid & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
		return -ENODEV;
	/* VPID only with INVVPID to flush it */
	if (!(caps.ept_vpid & VPID_CAP_INVVPID) ||
	    !(caps.ept_vpid & (VPID_CAP_INVVPID_SINGLE |
			       VPID_CAP_INVVPID_ALL)))
		caps.proc2 &= ~PROC2_VPID;
	return 0;
}

int vcpu_vendor_init(void)
{
	static bool reported;
	unsigned int regs[4];
	u64 fc;

	cpuid(1, 0, regs);
	if (!(regs[2] & CPUID_VMX))
		return trace_error(-ENODEV);
	/* as firmware left it; unlocked: we allow VMXON and lock */
	fc = read_msr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCKED))
		write_msr(MSR_IA32_FEATURE_CONTROL, fc |
			  FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON);
	else if (!(fc & FEATURE_CONTROL_VMXON)) {
		if (!reported)
			printk("VMX disabled by the firmware "
			       "(IA32_FEATURE_CONTROL %llx)\n", fc);
		reported = true;
		return trace_error(-ENODEV);
	}
	if (read_caps())
		return trace_error(-ENODEV);
	if (!reported)
		printk("Intel VT-x with EPT, unrestricted guest%s\n",
		       caps.proc2 & PROC2_VPID ? ", VPID" : "");
	reported = true;
	return 0;
}

/* ---- EPT: the x86-64 format of paging.c, with EPT's leaf bits ---- */

/*
 * Read, write and execute sit where 64-bit paging has present, writable
 * and user: table entries (RWX) and the helpers for valid, table, split and
 * merge are the same; only the leaf differs (memory type, no NX).
 */
pt_entry_t vcpu_guest_leaf(phys_addr_t phys, unsigned long flags,
			   unsigned int level)
{
	pt_entry_t pte = phys | EPT_READ;

	if (!(flags & PAGE_READ))
		return 0;
	if (level < X86_PAGING_LEVELS - 1)
		pte |= EPT_LARGE;
	if (flags & PAGE_WRITE)
		pte |= EPT_WRITE;
	if (flags & PAGE_EXEC)
		pte |= EPT_EXEC;
	if (!(flags & PAGE_DEVICE))
		pte |= EPT_MEMTYPE_WB;		/* devices: uncached (0) */
	return pte;
}

static u64 eptp_of(struct cell *cell)
{
	return paging_hvirt2phys(cell->paging.root) | EPTP_WB_4LEVEL;
}

static void invept(u64 eptp)
{
	struct { u64 eptp, zero; } desc = { eptp, 0 };
	unsigned long type = caps.ept_vpid & EPT_CAP_INVEPT_SINGLE ?
		INVEPT_SINGLE : INVEPT_ALL;

	asm volatile("invept %0, %1" : : "m" (desc), "r" (type)
		     : "cc", "memory");
}

static void invvpid(u16 vpid)
{
	struct { u64 vpid, addr; } desc = { vpid, 0 };
	unsigned long type = caps.ept_vpid & VPID_CAP_INVVPID_SINGLE ?
		INVVPID_SINGLE : INVVPID_ALL;

	if (caps.proc2 & PROC2_VPID)
		asm volatile("invvpid %0, %1" : : "m" (desc), "r" (type)
			     : "cc", "memory");
}

/* ---- cells ---- */

const unsigned int vcpu_io_bitmap_pages = 2, vcpu_msr_bitmap_pages = 1;
const u32 vcpu_vendor_msrs[] = { MSR_IA32_FEATURE_CONTROL, 0 };

/* Read bits of MSRs 0..1fff at 0, of c0000000..c0001fff at 0x400; the
 * write bits follow at 0x800.  MSRs outside both ranges always exit. */
const struct x86_msr_bitmap_format vcpu_msr_bitmap = {
	.ranges = { { 0, 0 }, { 0xc0000000, 0x400 * 8 } },
	.num_ranges = 2, .bits_per_msr = 1, .write_offset = 0x800 * 8,
};

/*
 * A guest sees a CPU whose firmware locked VMX off.  The MSRs outside the
 * bitmap's ranges exist on no Intel CPU: #GP, as there.
 */
int vcpu_vendor_msr(u32 msr, bool write, u64 *val)
{
	if (msr == MSR_IA32_FEATURE_CONTROL) {
		*val = FEATURE_CONTROL_LOCKED;
		return !write;
	}
	if (msr >= 0x2000 && msr - 0xc0000000 >= 0x2000)
		return 0;
	return -1;
}

/* ---- guest state ---- */

/* The guest/host masks: bits the guest cannot hold as it wants (the fixed
 * ones, PE and PG excepted with unrestricted guest) read from the shadow. */
static u64 cr0_mask(void)
{
	return ((caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG)) |
		~caps.cr0_fixed1) & 0xffffffffUL;
}

static u64 cr4_mask(void)
{
	return caps.cr4_fixed0 | ~caps.cr4_fixed1;
}

static void set_cr0(u64 val)
{
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, (val | (caps.cr0_fixed0 & cr0_mask())) &
		   caps.cr0_fixed1);
}

static void set_cr4(u64 val)
{
	vmcs_write(CR4_READ_SHADOW, val);
	vmcs_write(GUEST_CR4, (val | caps.cr4_fixed0) & caps.cr4_fixed1);
}

/* What the guest sees in CR0 / CR4. */
static u64 visible_cr(unsigned long guest, unsigned long shadow, u64 mask)
{
	return (vmcs_read(guest) & ~mask) | (vmcs_read(shadow) & mask);
}

static void set_seg(unsigned int n, u16 sel, u64 base, u32 limit, u32 ar)
{
	vmcs_write(SEG_FIELD(GUEST_ES_SELECTOR, n), sel);
	vmcs_write(SEG_FIELD(GUEST_ES_BASE, n), base);
	vmcs_write(SEG_FIELD(GUEST_ES_LIMIT, n), limit);
	vmcs_write(SEG_FIELD(GUEST_ES_AR, n), ar);
}

/* A segment from its selector and raw GDT descriptor (and, for system
 * descriptors, the upper half of the base). */
static void seg_from_desc(unsigned int n, u64 sel, u64 desc, u64 high)
{
	u32 limit = (desc & 0xffff) | ((desc >> 32) & 0xf0000);
	u64 base = ((desc >> 16) & 0xffffff) | ((desc >> 32) & 0xff000000);
	u32 ar = ((desc >> 40) & 0xff) | ((desc >> 40) & 0xf000);

	if (!(desc & (1ULL << 44)))		/* system: 16-byte entry */
		base |= high << 32;
	if (desc & (1ULL << 55))
		limit = (limit << 12) | 0xfff;
	if (!(sel & ~3UL) || !desc)
		ar = SEG_AR_UNUSABLE;
	else if (ar & (1U << 4))
		ar |= 1;		/* code or data: accessed */
	else
		ar |= 2;		/* TSS: busy */
	set_seg(n, sel, base, limit, ar);
}

/* The pointers of c's cell: bitmaps, EPT, VPID. */
static void set_cell(struct per_cpu *c)
{
	struct cell *cell = c->cell;

	vmcs_write(IO_BITMAP_A, paging_hvirt2phys(cell->arch.io_bitmap));
	vmcs_write(IO_BITMAP_B, paging_hvirt2phys(cell->arch.io_bitmap) +
		   PAGE_SIZE);
	vmcs_write(MSR_BITMAP, paging_hvirt2phys(cell->arch.msr_bitmap));
	vmcs_write(EPT_POINTER, eptp_of(cell));
	if (caps.proc2 & PROC2_VPID)
		vmcs_write(VMCS_VPID, cell->arch.asid);
	c->arch.flush_tlb = true;
}

static void set_controls(void)
{
	u64 gdtr[2], idtr[2];

	vmcs_write(PIN_BASED_CONTROLS, caps.pin);
	vmcs_write(PROC_BASED_CONTROLS, caps.proc);
	vmcs_write(PROC_BASED_CONTROLS2, caps.proc2);
	vmcs_write(VM_EXIT_CONTROLS, caps.exit);
	vmcs_write(VM_ENTRY_CONTROLS, caps.entry);
	/* #DB and #AC exit, against endless microcode loops of a guest
	 * (as CVE-2015-5307 and CVE-2015-8104 describe); reinjected */
	vmcs_write(EXCEPTION_BITMAP, (1U << EXC_DB) | (1U << EXC_AC));
	vmcs_write(TSC_OFFSET, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO, 0);
	vmcs_write(CR0_GUEST_HOST_MASK, cr0_mask());
	vmcs_write(CR4_GUEST_HOST_MASK, cr4_mask());
	vmcs_write(VMCS_LINK_POINTER, ~0UL);

	/* the hypervisor's side: its own tables, stack and exit path */
	asm volatile("sgdt %0; sidt %1" : "=m" (gdtr[0]), "=m" (idtr[0]));
	vmcs_write(HOST_CR0, read_cr(0));
	vmcs_write(HOST_CR3, read_cr(3));
	vmcs_write(HOST_CR4, read_cr(4));
	vmcs_write(HOST_CS_SELECTOR, 0x08);
	vmcs_write(HOST_SS_SELECTOR, 0x10);
	vmcs_write(HOST_DS_SELECTOR, 0x10);
	vmcs_write(HOST_ES_SELECTOR, 0x10);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_FS_BASE, 0);
	vmcs_write(HOST_GS_BASE, 0);
	vmcs_write(HOST_GDTR_BASE, *(u64 *)((u8 *)gdtr + 2));
	vmcs_write(HOST_IDTR_BASE, *(u64 *)((u8 *)idtr + 2));
	vmcs_write(HOST_SYSENTER_CS, 0);
	vmcs_write(HOST_SYSENTER_ESP, 0);
	vmcs_write(HOST_SYSENTER_EIP, 0);
	vmcs_write(HOST_IA32_PAT, read_msr(MSR_IA32_PAT));
	vmcs_write(HOST_IA32_EFER, read_msr(MSR_EFER));
}

static void set_guest_efer(u64 efer)
{
	u64 entry = vmcs_read(VM_ENTRY_CONTROLS) & ~ENTRY_IA32E;

	vmcs_write(GUEST_IA32_EFER, efer);
	vmcs_write(VM_ENTRY_CONTROLS, entry | (efer & EFER_LMA ?
					       ENTRY_IA32E : 0));
}

int vcpu_init(struct per_cpu *c)
{
	struct x86_entry_state *e = &c->arch.entry;
	struct guest_regs *regs = x86_guest_regs(c);
	u64 vmxon_pa = paging_hvirt2phys(c->arch.host_area);
	u64 vmcs_pa = paging_hvirt2phys(c->arch.vmcb);
	u8 ok;

	if (e->cr4 & X86_CR4_VMXE)
		return trace_error(-EBUSY);	/* another hypervisor */
	if (!(e->efer & EFER_LMA) || e->cs & 3 || !(e->tr & ~7UL))
		return trace_error(-EINVAL);

	/* the hypervisor's CR0/CR4 as VMX wants them (the guest's are
	 * restored when leaving) */
	write_cr(0, (read_cr(0) | caps.cr0_fixed0) & caps.cr0_fixed1);
	write_cr(4, (read_cr(4) | caps.cr4_fixed0 | X86_CR4_VMXE) &
		 caps.cr4_fixed1);
	memset(c->arch.host_area, 0, PAGE_SIZE);
	memset(c->arch.vmcb, 0, PAGE_SIZE);
	*(u32 *)c->arch.host_area = caps.revision;
	*(u32 *)c->arch.vmcb = caps.revision;
	asm volatile("vmxon %1; seta %0" : "=rm" (ok) : "m" (vmxon_pa)
		     : "cc", "memory");
	if (!ok) {
		write_cr(4, read_cr(4) & ~X86_CR4_VMXE);
		write_cr(0, e->cr0);
		return trace_error(-EIO);
	}
	c->arch.vm_on = true;
	asm volatile("vmclear %1; seta %0" : "=rm" (ok) : "m" (vmcs_pa)
		     : "cc", "memory");
	if (ok)
		asm volatile("vmptrld %1; seta %0" : "=rm" (ok)
			     : "m" (vmcs_pa) : "cc", "memory");
	if (!ok)
		return trace_error(-EIO);

	set_controls();
	set_cell(c);
	vmcs_write(HOST_RSP, (unsigned long)(regs + 1));
	vmcs_write(HOST_RIP, (unsigned long)vmx_vm_exit);
	/* the host TR is the caller's: the hypervisor needs none, and the
	 * caller finds its own after leaving (entry.S saved the descriptor) */
	vmcs_write(HOST_TR_SELECTOR, e->tr);

	/* the caller's state: it continues after its call of the entry */
	seg_from_desc(SEG_CS, e->cs, e->desc[0], 0);
	seg_from_desc(SEG_SS, e->ss, e->desc[1], 0);
	seg_from_desc(SEG_DS, e->ds, e->desc[2], 0);
	seg_from_desc(SEG_ES, e->es, e->desc[3], 0);
	seg_from_desc(SEG_TR, e->tr, e->desc[4], e->desc[5]);
	vmcs_write(HOST_TR_BASE, vmcs_read(SEG_FIELD(GUEST_ES_BASE, SEG_TR)));
	/* data segments beyond their selector: as loaded; null: unusable */
	set_seg(SEG_FS, e->fs, read_msr(MSR_FS_BASE), 0xffffffff,
		e->fs & ~3UL ? 0xc093 : SEG_AR_UNUSABLE);
	set_seg(SEG_GS, e->gs, read_msr(MSR_GS_BASE), 0xffffffff,
		e->gs & ~3UL ? 0xc093 : SEG_AR_UNUSABLE);
	seg_from_desc(SEG_LDTR, e->ldtr, e->desc[6], e->desc[7]);
	vmcs_write(GUEST_GDTR_BASE, e->gdtr.base);
	vmcs_write(GUEST_GDTR_LIMIT, e->gdtr.limit);
	vmcs_write(GUEST_IDTR_BASE, e->idtr.base);
	vmcs_write(GUEST_IDTR_LIMIT, e->idtr.limit);
	set_cr0(e->cr0);
	vmcs_write(GUEST_CR3, e->cr3);
	set_cr4(e->cr4);
	set_guest_efer(e->efer);
	vmcs_write(GUEST_IA32_PAT, c->arch.saved_pat);
	vmcs_write(GUEST_DR7, c->arch.saved_dr7);
	vmcs_write(GUEST_IA32_DEBUGCTL, read_msr(MSR_IA32_DEBUGCTL));
	vmcs_write(GUEST_SYSENTER_CS, read_msr(MSR_IA32_SYSENTER_CS));
	vmcs_write(GUEST_SYSENTER_ESP, read_msr(MSR_IA32_SYSENTER_ESP));
	vmcs_write(GUEST_SYSENTER_EIP, read_msr(MSR_IA32_SYSENTER_EIP));
	vmcs_write(GUEST_RFLAGS, e->rflags);
	vmcs_write(GUEST_RIP, e->rip);
	vmcs_write(GUEST_RSP, e->rsp);
	vmcs_write(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);

	c->arch.vm_launched = false;
	c->arch.vm_ready = true;
	return 0;
}

/* Flushes this CPU owes its guest, just before entering it. */
static void prepare_entry(struct per_cpu *c)
{
	if (c->arch.flush_tlb) {
		c->arch.flush_tlb = false;
		invept(vmcs_read(EPT_POINTER));
		invvpid(c->cell->arch.asid);
	}
}

void vcpu_activate(struct per_cpu *c)
{
	prepare_entry(c);
	if (c->arch.vm_launched)
		vmx_vm_resume(x86_guest_regs(c));
	c->arch.vm_launched = true;
	vmx_vm_launch(x86_guest_regs(c));
}

static void vmx_off(struct per_cpu *c)
{
	c->arch.vm_ready = false;
	asm volatile("vmxoff" : : : "cc", "memory");
	c->arch.vm_on = false;
	write_cr(4, read_cr(4) & ~X86_CR4_VMXE);
}

/*
 * The GDT copy the leave code loads TR from (struct x86_leave): the
 * guest's GDT up to its TSS descriptor, read through the guest's page
 * tables, that descriptor marked available.  @return the TR selector, 0
 * if TR cannot be reloaded (beyond the copy, or not readable).
 */
static u64 tr_gdt_copy(struct per_cpu *c, struct x86_leave *lv)
{
	u64 sel = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_TR)) & 0xfff8;
	u64 base = vmcs_read(GUEST_GDTR_BASE), gphys;
	struct x86_guest_paging pg = {
		.cr0 = vmcs_read(GUEST_CR0), .cr3 = vmcs_read(GUEST_CR3),
		.cr4 = vmcs_read(GUEST_CR4), .efer = vmcs_read(GUEST_IA32_EFER),
	};
	unsigned int n, entries = sel / 8 + 2;

	if (!sel || entries > X86_LEAVE_GDT_ENTRIES ||
	    sel + 15 > vmcs_read(GUEST_GDTR_LIMIT))
		return 0;
	for (n = 0; n < entries; n++)
		if (x86_guest_virt2phys(&pg, base + n * 8, x86_read_cell_memory,
					c->cell, &gphys) ||
		    x86_read_cell_memory(c->cell, gphys, &lv->tr_gdt[n], 8))
			return 0;
	lv->tr_gdt[sel / 8] &= ~(2ULL << 40);		/* busy -> available */
	lv->tr_gdtr.limit = entries * 8 - 1;
	lv->tr_gdtr.base = c->arch.entry.image_virt +
		((u64)lv->tr_gdt - JAILHOUSE_BASE);
	return sel | (vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_TR)) & 7);
}

u64 vcpu_exit(struct per_cpu *c)
{
	struct x86_leave *lv = &c->arch.leave;
	u64 efer = vmcs_read(GUEST_IA32_EFER), cr3 = vmcs_read(GUEST_CR3);
	u64 val;

	lv->gdtr.limit = vmcs_read(GUEST_GDTR_LIMIT);
	lv->gdtr.base = vmcs_read(GUEST_GDTR_BASE);
	lv->idtr.limit = vmcs_read(GUEST_IDTR_LIMIT);
	lv->idtr.base = vmcs_read(GUEST_IDTR_BASE);
	lv->cr4 = visible_cr(GUEST_CR4, CR4_READ_SHADOW, cr4_mask());
	lv->ds = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_DS));
	lv->es = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_ES));
	lv->iret[0] = vmcs_read(GUEST_RIP);
	lv->iret[1] = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_CS));
	lv->iret[2] = vmcs_read(GUEST_RFLAGS);
	lv->iret[3] = vmcs_read(GUEST_RSP);
	lv->iret[4] = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_SS));

	/* what an exit left as the hypervisor's: back to the guest's */
	val = visible_cr(GUEST_CR0, CR0_READ_SHADOW, cr0_mask());
	write_msr(MSR_IA32_PAT, vmcs_read(GUEST_IA32_PAT));
	write_msr(MSR_IA32_DEBUGCTL, vmcs_read(GUEST_IA32_DEBUGCTL));
	write_msr(MSR_IA32_SYSENTER_CS, vmcs_read(GUEST_SYSENTER_CS));
	write_msr(MSR_IA32_SYSENTER_ESP, vmcs_read(GUEST_SYSENTER_ESP));
	write_msr(MSR_IA32_SYSENTER_EIP, vmcs_read(GUEST_SYSENTER_EIP));
	asm volatile("mov %0, %%dr7" : : "r" (vmcs_read(GUEST_DR7)));
	/*
	 * Every exit left LDTR null, FS and GS with the host's selectors and
	 * bases, TR's limit at 0x67 (GDTR and IDTR limits at 0xffff: the
	 * leave code loads the guest's): the leave code loads the guest's
	 * selectors in its GDT, then the bases, and TR again (from a copy).
	 */
	lv->reload_segs = 1;
	lv->ldtr = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_LDTR));
	lv->fs = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_FS));
	lv->gs = vmcs_read(SEG_FIELD(GUEST_ES_SELECTOR, SEG_GS));
	lv->fs_base = vmcs_read(SEG_FIELD(GUEST_ES_BASE, SEG_FS));
	lv->gs_base = vmcs_read(SEG_FIELD(GUEST_ES_BASE, SEG_GS));
	lv->tr = tr_gdt_copy(c, lv);
	vmx_off(c);
	write_msr(MSR_EFER, efer);
	write_cr(0, val);
	return cr3;
}

void vcpu_exit_unused(struct per_cpu *c)
{
	if (c->arch.vm_on) {
		vmx_off(c);
		write_cr(0, c->arch.entry.cr0);
	}
}

/*
 * The architectural state after INIT, but starting in real mode at
 * reset_address: CS:IP = (address & 0xffff0000) >> 4 : (address & 0xffff).
 */
void vcpu_reset(struct per_cpu *c)
{
	struct guest_regs *regs = x86_guest_regs(c);
	unsigned long addr = c->reset_address;
	unsigned int n;

	memset(regs, 0, sizeof(*regs));
	regs->rdx = 0x600;		/* family 6: what a reset CPU reports */
	for (n = SEG_ES; n <= SEG_GS; n++)
		set_seg(n, 0, 0, 0xffff, 0x93);
	set_seg(SEG_CS, (addr >> 4) & 0xf000, addr & 0xffff0000, 0xffff, 0x9b);
	set_seg(SEG_LDTR, 0, 0, 0xffff, 0x82);
	set_seg(SEG_TR, 0, 0, 0xffff, 0x8b);
	vmcs_write(GUEST_GDTR_BASE, 0);
	vmcs_write(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(GUEST_RIP, addr & 0xffff);
	vmcs_write(GUEST_RSP, 0);
	vmcs_write(GUEST_RFLAGS, 0x2);
	set_cr0(0x60000010);		/* CD, NW, ET */
	vmcs_write(GUEST_CR3, 0);
	set_cr4(0);
	set_guest_efer(0);
	vmcs_write(GUEST_IA32_PAT, RESET_PAT);
	vmcs_write(GUEST_DR7, 0x400);
	write_dr6(X86_DR6_RESET);	/* DR6 is no part of the VMCS */
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmcs_write(GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VM_ENTRY_INTR_INFO, 0);
	c->arch.exit_event = 0;
	vmcs_write(TSC_OFFSET, 0);
	set_cell(c);
}

/* Without TSC offsetting (no CPU we know) the cell's write is ignored. */
void vcpu_set_tsc_offset(struct per_cpu *c, u64 offset)
{
	if (caps.proc & PROC_TSC_OFFSETTING)
		vmcs_write(TSC_OFFSET, offset);
}

/* ---- what the generic exit handling needs ---- */

u64 vcpu_get_efer(struct per_cpu *c)
{
	return vmcs_read(GUEST_IA32_EFER);
}

void vcpu_set_efer(struct per_cpu *c, u64 efer)
{
	set_guest_efer(efer);
}

unsigned int vcpu_cpl(struct per_cpu *c)
{
	return (vmcs_read(GUEST_SS_AR) >> 5) & 3;
}

void vcpu_skip_insn(struct per_cpu *c)
{
	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) +
		   vmcs_read(VM_EXIT_INSTRUCTION_LEN));
	/* blocking by STI or MOV SS ends with the instruction */
	vmcs_write(GUEST_INTERRUPTIBILITY,
		   vmcs_read(GUEST_INTERRUPTIBILITY) & ~3UL);
}

void vcpu_inject(struct per_cpu *c, unsigned int vector)
{
	u32 info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vector;

	/* with an error code (0), except in real mode, which has none */
	if ((vector == 8 || (vector >= 10 && vector <= 14) || vector == 17) &&
	    vmcs_read(GUEST_CR0) & X86_CR0_PE) {
		info |= INTR_INFO_ERROR_CODE;
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	}
	vmcs_write(VM_ENTRY_INTR_INFO, info);
}

bool vcpu_event_interrupted(struct per_cpu *c)
{
	return c->arch.exit_event;
}

/* The IDT-vectoring information has the entry field's format; software
 * interrupts and exceptions need their instruction's length. */
static void reinject_event(struct per_cpu *c)
{
	u32 event = c->arch.exit_event;

	c->arch.exit_event = 0;
	if (!event || vmcs_read(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID)
		return;
	vmcs_write(VM_ENTRY_INTR_INFO, event & (INTR_INFO_VALID |
			INTR_INFO_ERROR_CODE | INTR_TYPE_MASK | 0xff));
	if (event & INTR_INFO_ERROR_CODE)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE,
			   c->arch.exit_event_error);
	if ((event & INTR_TYPE_MASK) >= INTR_TYPE_SW_INTR)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, c->arch.exit_event_len);
}

void vcpu_exit_details(struct per_cpu *c, u64 info[4])
{
	info[0] = vmcs_read(VM_EXIT_REASON);
	info[1] = vmcs_read(EXIT_QUALIFICATION);
	info[2] = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	info[3] = vmcs_read(GUEST_RIP);
}

void vcpu_get_guest_state(struct per_cpu *c, struct x86_guest_state *s)
{
	u32 cs_ar = vmcs_read(SEG_FIELD(GUEST_ES_AR, SEG_CS));

	s->rip = vmcs_read(GUEST_RIP);
	s->rsp = vmcs_read(GUEST_RSP);
	s->rflags = vmcs_read(GUEST_RFLAGS);
	s->cr0 = visible_cr(GUEST_CR0, CR0_READ_SHADOW, cr0_mask());
	s->cr3 = vmcs_read(GUEST_CR3);
	s->cr4 = visible_cr(GUEST_CR4, CR4_READ_SHADOW, cr4_mask());
	s->efer = vmcs_read(GUEST_IA32_EFER);
	s->cs_base = vmcs_read(SEG_FIELD(GUEST_ES_BASE, SEG_CS));
	s->cs_l = cs_ar & (1U << 13);
	s->cs_db = cs_ar & (1U << 14);
}

void vcpu_advance_rip(struct per_cpu *c, unsigned int len)
{
	vmcs_write(GUEST_RIP, vmcs_read(GUEST_RIP) + len);
}

/*
 * PAE paging outside long mode keeps its four PDPTEs in the CPU, loaded
 * when a mov to CR0, CR3 or CR4 turns it on or changes CR3.  With EPT the
 * CPU does that itself for the writes it executes, and VM entry loads the
 * VMCS copies: a write we emulate loads them here (SDM vol. 3, 4.4.1 and
 * 28.3.2.4), with the same check of reserved bits (#GP).
 */
static bool load_pdptes(struct per_cpu *c, u64 cr0, u64 cr4, bool changed)
{
	u64 pdpte[4], reserved;
	unsigned int n, r[4];

	if (!changed || !(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) ||
	    vmcs_read(GUEST_IA32_EFER) & EFER_LME)
		return true;
	if (x86_read_cell_memory(c->cell, vmcs_read(GUEST_CR3) & 0xffffffe0UL,
				 pdpte, sizeof(pdpte)))
		return false;
	cpuid(0x80000008, 0, r);
	/* bits 1, 2, 5..8 and those above the physical address width */
	reserved = 0x1e6 | ~((1ULL << (r[0] & 0xff)) - 1);
	for (n = 0; n < 4; n++)
		if (pdpte[n] & 1 && pdpte[n] & reserved)
			return false;
	for (n = 0; n < 4; n++)
		vmcs_write(GUEST_PDPTE0 + 2 * n, pdpte[n]);
	return true;
}

/* CR0/CR4 as the generic checks accepted them. */
bool vcpu_set_cr(struct per_cpu *c, unsigned int cr, u64 val)
{
	u64 cr0 = visible_cr(GUEST_CR0, CR0_READ_SHADOW, cr0_mask());
	u64 cr4 = visible_cr(GUEST_CR4, CR4_READ_SHADOW, cr4_mask());

	if (cr == 4) {
		if (val & ~caps.cr4_fixed1 & ~X86_CR4_VMXE)
			return false;		/* not on this CPU */
		if (!load_pdptes(c, cr0, val, (cr4 ^ val) & CR4_PDPTE_BITS))
			return false;
		set_cr4(val);
		return true;
	}
	if (!load_pdptes(c, val, cr4, (cr0 ^ val) & CR0_PDPTE_BITS))
		return false;
	set_cr0(val);
	return true;
}

/* The hypervisor got an NMI (the kick of another CPU) outside guest
 * mode: the next entry exits at once and looks at the requests. */
void vcpu_nmi_handler(struct per_cpu *c)
{
	if (!c->arch.vm_ready)
		return;
	vmcs_write(PREEMPTION_TIMER_VALUE, 0);
	vmcs_write(PIN_BASED_CONTROLS, caps.pin | PIN_PREEMPTION_TIMER);
}

/* ---- exits ---- */

static u64 *gpr(struct guest_regs *regs, unsigned int n)
{
	/* rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15: the frame holds
	 * them the other way round */
	return &((u64 *)regs)[15 - n];
}

static void handle_cr(struct per_cpu *c, struct guest_regs *regs)
{
	u64 qual = vmcs_read(EXIT_QUALIFICATION);
	unsigned int cr = qual & 0xf, reg = (qual >> 8) & 0xf;
	u64 val;

	if (((qual >> 4) & 3) != 0 || (cr != 0 && cr != 4)) {
		x86_guest_refuse(c, "Unhandled CR access");
		return;
	}
	val = reg == 4 ? vmcs_read(GUEST_RSP) : *gpr(regs, reg);
	x86_handle_cr_write(c, regs, cr, val);
}

static void handle_io(struct per_cpu *c, struct guest_regs *regs)
{
	u64 qual = vmcs_read(EXIT_QUALIFICATION);
	struct x86_io io = {
		.port = qual >> 16,
		.size = (qual & 7) + 1,
		.in = qual & (1 << 3),
		.string = qual & (1 << 4),
		.rep = qual & (1 << 5),
	};

	x86_handle_io(c, regs, &io);
}

/*
 * An exit for an NMI leaves NMIs blocked in the hypervisor until the next
 * IRET (whether VM entry lifts that differs between implementations):
 * an IRET to the next instruction lifts it for sure.
 */
static void unblock_nmis(void)
{
	asm volatile("mov %%rsp, %%rax\n\t"
		     "pushq $0x10\n\t"
		     "pushq %%rax\n\t"
		     "pushfq\n\t"
		     "pushq $0x08\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "iretq\n"
		     "1:" : : : "rax", "cc", "memory");
}

/* #DB or #AC (or an NMI): NMIs are the kick; the rest goes back in. */
static void handle_exception_nmi(struct per_cpu *c)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		/* the guest never takes NMIs (they all are ours), so it was
		 * in no NMI handler whatever the exit saved (Bochs: blocked) */
		vmcs_write(GUEST_INTERRUPTIBILITY,
			   vmcs_read(GUEST_INTERRUPTIBILITY) & ~INTR_BLOCK_NMI);
		unblock_nmis();
		x86_handle_event(c);
		return;
	}
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_EXCEPTION]++;
	/* a #DB that exits leaves DR6 as it was: the exit qualification has
	 * the bits it would have set (B0-B3, BD, BS) */
	if ((info & 0xff) == EXC_DB)
		write_dr6(read_dr6() | (vmcs_read(EXIT_QUALIFICATION) &
					DR6_EXIT_BITS));
	vmcs_write(VM_ENTRY_INTR_INFO, info & (INTR_INFO_VALID |
			INTR_INFO_ERROR_CODE | INTR_TYPE_MASK | 0xff));
	if (info & INTR_INFO_ERROR_CODE)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE,
			   vmcs_read(VM_EXIT_INTR_ERROR_CODE));
	vmcs_write(VM_ENTRY_INSTRUCTION_LEN,
		   vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/*
 * INIT (which always exits in guest mode): wait for SIPI as a real CPU
 * does; SIPI: start in real mode at the vector's page.  The APIC emulation
 * decides who may send them; this is what they do to the receiver.
 */
static void handle_init(struct per_cpu *c)
{
	if (!(caps.misc & VMX_MISC_WAIT_FOR_SIPI))
		return;
	c->reset_address = 0;
	vcpu_reset(c);
	vmcs_write(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_SIPI);
}

static void handle_sipi(struct per_cpu *c)
{
	c->reset_address = (vmcs_read(EXIT_QUALIFICATION) & 0xff) << 12;
	vcpu_reset(c);
}

void vmx_handle_exit(struct guest_regs *regs)
{
	struct per_cpu *c = this_cpu();
	u32 reason = vmcs_read(VM_EXIT_REASON);
	u64 qual;

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	c->arch.exit_event = vmcs_read(IDT_VECTORING_INFO);
	if (c->arch.exit_event & INTR_INFO_VALID) {
		c->arch.exit_event_error = vmcs_read(IDT_VECTORING_ERROR_CODE);
		c->arch.exit_event_len = vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	} else {
		c->arch.exit_event = 0;
	}
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		handle_exception_nmi(c);
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		vmcs_write(PIN_BASED_CONTROLS, caps.pin);
		x86_handle_event(c);
		break;
	case EXIT_REASON_CPUID:
		x86_handle_cpuid(c, regs);
		break;
	case EXIT_REASON_VMCALL:
		x86_handle_hypercall(c, regs);
		break;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		x86_handle_msr(c, regs, reason == EXIT_REASON_MSR_WRITE);
		break;
	case EXIT_REASON_IO:
		handle_io(c, regs);
		break;
	case EXIT_REASON_CR_ACCESS:
		handle_cr(c, regs);
		break;
	case EXIT_REASON_XSETBV:
		x86_handle_xsetbv(c, regs);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		qual = vmcs_read(EXIT_QUALIFICATION);
		/* a fault of the guest's own page walk is no MMIO access */
		if ((qual & EPT_VIOL_LINEAR_VALID) &&
		    !(qual & EPT_VIOL_TRANSLATED))
			x86_guest_refuse(c, "Access violation");
		else
			x86_handle_memory_fault(c, regs,
					vmcs_read(GUEST_PHYSICAL_ADDRESS),
					qual & 2);
		break;
	case EXIT_REASON_INVD:
		x86_handle_invd(c);
		break;
	case EXIT_REASON_INIT:
		handle_init(c);
		break;
	case EXIT_REASON_SIPI:
		handle_sipi(c);
		break;
	case EXIT_REASON_GETSEC:
	case EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		vcpu_inject(c, EXC_UD);		/* VMX is not there */
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		x86_guest_fault(c, "Triple fault");
		break;
	case EXIT_REASON_ENTRY_FAILED | EXIT_REASON_INVALID_STATE:
		x86_guest_fault(c, "Invalid guest state");
		break;
	default:
		x86_guest_refuse(c, "Unhandled exit");
	}
	reinject_event(c);
	prepare_entry(c);
}

/* VMLAUNCH or VMRESUME did not even check the guest: our bug. */
void vmx_entry_failed(struct guest_regs *regs)
{
	printk("FATAL: VM entry failed on CPU %u, VM-instruction error %lu\n",
	       this_cpu()->cpu_id, vmcs_read(VM_INSTRUCTION_ERROR));
	panic_stop("VM entry failed");
}
