/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: AMD-V (SVM) part of jailhouse-amd.bin.
 *
 * Each CPU gets a VMCB built from the state the caller had when it
 * entered, so the root continues where it called the entry; nested page
 * tables give every cell its guest-physical memory, tagged with the
 * cell's ASID.  The hypervisor runs with GIF clear; physical interrupts go
 * straight to the guest (not intercepted), NMIs are the hypervisor's kick
 * between CPUs (intercepted).
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/svm.h>
#include <asm/vcpu.h>

#define VM_CR_LOCK		(1UL << 3)

const char arch_name[] = "x86 AMD-V";

void __noreturn svm_vm_loop(struct per_cpu *c);
void svm_handle_exit(struct guest_regs *regs);

static bool has_nrips;

static struct vmcb *vmcb_of(struct per_cpu *c)
{
	return (struct vmcb *)c->arch.vmcb;
}

/* ---- nested page tables: the x86-64 format of paging.c ---- */

/* User: nested page walks are user accesses.  NX is valid only while the
 * host has EFER.NXE (the hypervisor keeps its caller's EFER). */
pt_entry_t vcpu_guest_leaf(phys_addr_t phys, unsigned long flags,
			   unsigned int level)
{
	if (!(flags & PAGE_READ))
		return 0;
	return x86_pte_leaf(phys, flags, level) | X86_PTE_US |
		(flags & PAGE_EXEC || !(read_msr(MSR_EFER) & EFER_NXE) ?
		 0 : X86_PTE_NX);
}

int vcpu_vendor_init(void)
{
	static bool reported;
	unsigned int regs[4];

	cpuid(0x80000001, 0, regs);
	if (!(regs[2] & (1U << 2)))
		return trace_error(-ENODEV);
	if (read_msr(MSR_VM_CR) & VM_CR_SVMDIS)
		return trace_error(-ENODEV);
	cpuid(CPUID_SVM_FEATURES, 0, regs);
	if (!(regs[3] & SVM_FEATURE_NPT))
		return trace_error(-ENODEV);
	has_nrips = regs[3] & SVM_FEATURE_NRIPS;
	if (!reported)
		printk("AMD-V with nested paging, %u ASIDs%s\n", regs[1],
		       regs[3] & SVM_FEATURE_NRIPS ? ", NRIP save" : "");
	reported = true;
	return 0;
}

/* ---- cells ---- */

const unsigned int vcpu_io_bitmap_pages = 3, vcpu_msr_bitmap_pages = 2;
/* SVM's own MSRs are the hypervisor's. */
/* The guest's PAT is the VMCB's: not every CPU model (QEMU) keeps it apart
 * from the host's on its own. */
const u32 vcpu_vendor_msrs[] = { MSR_VM_CR, MSR_VM_HSAVE_PA, MSR_IA32_PAT, 0 };

/* Two bits (read, then write) per MSR, in three ranges of 8K MSRs. */
const struct x86_msr_bitmap_format vcpu_msr_bitmap = {
	.ranges = { { 0, 0 }, { 0xc0000000, 0x800 * 8 },
		    { 0xc0010000, 0x1000 * 8 } },
	.num_ranges = 3, .bits_per_msr = 2, .write_offset = 1,
};

/* A guest sees a CPU whose SVM is disabled and locked. */
int vcpu_vendor_msr(u32 msr, bool write, u64 *val)
{
	struct vmcb *v = vmcb_of(this_cpu());

	if (msr == MSR_IA32_PAT) {
		if (write)
			v->g_pat = *val;
		else
			*val = v->g_pat;
		return 1;
	}
	if (write)
		return 1;		/* ignored */
	*val = msr == MSR_VM_CR ? VM_CR_SVMDIS | VM_CR_LOCK : 0;
	return 1;
}

/* ---- CPUs ---- */

/* A VMCB segment from a selector and its raw GDT descriptor. */
static void seg_from_desc(struct svm_seg *s, u64 sel, u64 desc)
{
	u32 limit = (desc & 0xffff) | ((desc >> 32) & 0xf0000);

	s->selector = sel;
	s->attrib = ((desc >> 40) & 0xff) | ((desc >> 44) & 0xf00);
	s->limit = desc & (1ULL << 55) ? (limit << 12) | 0xfff : limit;
	s->base = ((desc >> 16) & 0xffffff) | ((desc >> 32) & 0xff000000);
}

static void set_guest_paging(struct per_cpu *c)
{
	struct vmcb *v = vmcb_of(c);
	struct cell *cell = c->cell;

	v->iopm_base_pa = paging_hvirt2phys(cell->arch.io_bitmap);
	v->msrpm_base_pa = paging_hvirt2phys(cell->arch.msr_bitmap);
	v->asid = cell->arch.asid;
	v->np_enable = 1;
	v->n_cr3 = paging_hvirt2phys(cell->paging.root);
	/*
	 * #DB and #AC exit for every cell and are injected back, so that no
	 * guest keeps the CPU in an endless loop delivering them
	 * (CVE-2015-5307, CVE-2015-8104).  A non-root cell's double fault
	 * stops it: the triple fault that usually follows would not reach us
	 * everywhere (Bochs ends the whole machine instead of the SHUTDOWN
	 * exit).
	 */
	v->intercept_exceptions = (1U << EXC_DB) | (1U << EXC_AC) |
		(cell == &root_cell ? 0 : 1U << EXC_DF);
	v->tlb_control = SVM_TLB_FLUSH_ALL;
}

int vcpu_init(struct per_cpu *c)
{
	struct x86_entry_state *e = &c->arch.entry;
	struct guest_regs *regs = x86_guest_regs(c);
	struct vmcb *v = vmcb_of(c);
	unsigned long vmcb_pa = paging_hvirt2phys(v);

	if (e->efer & EFER_SVME)
		return trace_error(-EBUSY);	/* another hypervisor */
	if (!(e->efer & EFER_LMA) || e->cs & 3)
		return trace_error(-EINVAL);
	c->arch.saved_hsave = read_msr(MSR_VM_HSAVE_PA);
	write_msr(MSR_EFER, e->efer | EFER_SVME);
	write_msr(MSR_VM_HSAVE_PA, paging_hvirt2phys(c->arch.host_area));
	asm volatile("clgi" : : : "memory");

	/* CR0 (but for TS and MP), CR4 and XCR0 writes: the generic rules
	 * of vcpu.c, as on Intel */
	v->intercept_cr = SVM_INTERCEPT_CR4_WRITE;
	v->intercept1 = SVM_INTERCEPT_NMI | SVM_INTERCEPT_CPUID |
		SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
		SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_CR0_SEL |
		SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_INVD;
	v->intercept2 = SVM_INTERCEPT_SVM_INSNS | SVM_INTERCEPT_VMMCALL |
		SVM_INTERCEPT_XSETBV;
	set_guest_paging(c);

	/* The caller's state: it continues after its call of the entry. */
	seg_from_desc(&v->cs, e->cs, e->desc[0]);
	seg_from_desc(&v->ss, e->ss, e->desc[1]);
	seg_from_desc(&v->ds, e->ds, e->desc[2]);
	seg_from_desc(&v->es, e->es, e->desc[3]);
	/* fs, gs, tr, ldtr, KernelGSbase, STAR.., SYSENTER_* as they are */
	asm volatile("vmsave %0" : : "a" (vmcb_pa) : "memory");
	v->gdtr.limit = e->gdtr.limit;
	v->gdtr.base = e->gdtr.base;
	v->idtr.limit = e->idtr.limit;
	v->idtr.base = e->idtr.base;
	v->cpl = 0;
	v->efer = e->efer | EFER_SVME;
	v->cr0 = e->cr0;
	v->cr3 = e->cr3;
	v->cr4 = e->cr4;
	v->cr2 = read_cr(2);
	v->dr7 = c->arch.saved_dr7;
	v->dr6 = read_dr6();
	v->g_pat = c->arch.saved_pat;
	v->rflags = e->rflags;
	v->rip = e->rip;
	v->rsp = e->rsp;
	v->rax = 0;

	regs->rsp = vmcb_pa;	/* the guest loop's VMCB address */
	return 0;
}

void vcpu_activate(struct per_cpu *c)
{
	x86_guest_regs(c)->rsp = paging_hvirt2phys(vmcb_of(c));
	svm_vm_loop(c);
}

static void svm_off(struct per_cpu *c, u64 efer)
{
	asm volatile("stgi" : : : "memory");
	write_msr(MSR_EFER, efer & ~EFER_SVME);
	write_msr(MSR_VM_HSAVE_PA, c->arch.saved_hsave);
}

u64 vcpu_exit(struct per_cpu *c)
{
	struct x86_leave *lv = &c->arch.leave;
	struct vmcb *v = vmcb_of(c);

	lv->gdtr.limit = v->gdtr.limit;
	lv->gdtr.base = v->gdtr.base;
	lv->idtr.limit = v->idtr.limit;
	lv->idtr.base = v->idtr.base;
	lv->cr4 = v->cr4;
	lv->ds = v->ds.selector;
	lv->es = v->es.selector;
	lv->iret[0] = v->rip;
	lv->iret[1] = v->cs.selector;
	lv->iret[2] = v->rflags;
	lv->iret[3] = v->rsp;
	lv->iret[4] = v->ss.selector;

	if (read_cr(0) != v->cr0)
		write_cr(0, v->cr0);
	write_cr(2, v->cr2);
	write_msr(MSR_IA32_PAT, v->g_pat);
	write_dr6(v->dr6);
	asm volatile("mov %0, %%dr7" : : "r" (v->dr7));
	/* fs, gs, tr, ldtr and the syscall MSRs of the guest */
	asm volatile("vmload %0" : : "a" (paging_hvirt2phys(v)) : "memory");
	svm_off(c, v->efer);
	return v->cr3;
}

void vcpu_exit_unused(struct per_cpu *c)
{
	if (read_msr(MSR_EFER) & EFER_SVME)
		svm_off(c, c->arch.entry.efer);
}

static void set_seg(struct svm_seg *s, u16 sel, u64 base, u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = 0xffff;
	s->attrib = attrib;
}

/*
 * The architectural state after INIT (AMD APM vol. 2, 14.1.3), but
 * starting in real mode at reset_address instead of the reset vector:
 * below 1 MiB as a SIPI starts a CPU, CS = address >> 4 (page aligned),
 * IP = address & 0xfff; above, CS:IP = (address & 0xffff0000) >> 4 :
 * (address & 0xffff) with the CS base at address & 0xffff0000.
 */
void vcpu_reset(struct per_cpu *c)
{
	struct guest_regs *regs = x86_guest_regs(c);
	struct vmcb *v = vmcb_of(c);
	unsigned long addr = c->reset_address;

	memset(regs, 0, sizeof(*regs));
	regs->rsp = paging_hvirt2phys(v);
	if (addr < 0x100000) {
		set_seg(&v->cs, (addr >> 4) & 0xff00, addr & ~0xfffUL, 0x9b);
		v->rip = addr & 0xfff;
	} else {
		set_seg(&v->cs, (addr >> 4) & 0xf000, addr & 0xffff0000, 0x9b);
		v->rip = addr & 0xffff;
	}
	set_seg(&v->ds, 0, 0, 0x93);
	set_seg(&v->es, 0, 0, 0x93);
	set_seg(&v->ss, 0, 0, 0x93);
	set_seg(&v->fs, 0, 0, 0x93);
	set_seg(&v->gs, 0, 0, 0x93);
	set_seg(&v->gdtr, 0, 0, 0);
	set_seg(&v->idtr, 0, 0, 0);
	set_seg(&v->ldtr, 0, 0, 0x82);
	set_seg(&v->tr, 0, 0, 0x8b);
	v->rsp = 0;
	v->rax = 0;
	v->rflags = 0x2;
	v->cpl = 0;
	v->cr0 = 0x60000010;		/* CD, NW, ET */
	v->cr2 = 0;
	v->cr3 = 0;
	v->cr4 = 0;
	v->efer = EFER_SVME;
	v->dr6 = X86_DR6_RESET;
	v->dr7 = 0x400;
	v->g_pat = 0x0007040600070406ULL;
	v->star = v->lstar = v->cstar = v->sfmask = v->kernel_gs_base = 0;
	v->sysenter_cs = v->sysenter_esp = v->sysenter_eip = 0;
	v->eventinj = 0;
	c->arch.exit_event = 0;
	v->interrupt_shadow = 0;
	v->tsc_offset = 0;
	regs->rdx = 0x600;		/* family 6: what a reset CPU reports */
	set_guest_paging(c);
	c->arch.flush_tlb = false;
}

void vcpu_set_tsc_offset(struct per_cpu *c, u64 offset)
{
	vmcb_of(c)->tsc_offset = offset;
}

/* ---- exits ---- */

u64 vcpu_get_efer(struct per_cpu *c)
{
	return vmcb_of(c)->efer & ~EFER_SVME;
}

void vcpu_set_efer(struct per_cpu *c, u64 efer)
{
	vmcb_of(c)->efer = efer | EFER_SVME;	/* stays on under us */
}

unsigned int vcpu_cpl(struct per_cpu *c)
{
	return vmcb_of(c)->cpl;
}

/*
 * Without NRIP save (QEMU) the length comes from the exit code: every
 * instruction we complete has one encoding; I/O exits carry the next RIP.
 */
void vcpu_skip_insn(struct per_cpu *c)
{
	struct vmcb *v = vmcb_of(c);

	if (has_nrips) {
		v->rip = v->next_rip;
		return;
	}
	switch (v->exitcode) {
	case SVM_EXIT_IOIO:
		v->rip = v->exitinfo2;
		break;
	case SVM_EXIT_CR0_SEL_WRITE:
	case SVM_EXIT_CR4_WRITE:
		v->rip = v->next_rip;	/* as decoded (handle_cr_write) */
		break;
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_XSETBV:
		v->rip += 3;
		break;
	default:	/* CPUID, RDMSR, WRMSR, INVD */
		v->rip += 2;
	}
}

void vcpu_inject(struct per_cpu *c, unsigned int vector)
{
	u64 event = SVM_EVENT_VALID | SVM_EVENT_EXCEPTION | vector;

	if (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17)
		event |= SVM_EVENT_ERR_VALID;	/* error code 0 */
	vmcb_of(c)->eventinj = event;
}

bool vcpu_event_interrupted(struct per_cpu *c)
{
	return c->arch.exit_event;
}

/*
 * EXITINTINFO has EVENTINJ's format.  Software interrupts (INTn) and #BP
 * and #OF (INT3, INTO) are not delivered again: RIP still points to their
 * instruction, which raises them anew (injected, they would return to it
 * instead of after it).
 */
static void reinject_event(struct per_cpu *c, struct vmcb *v)
{
	u64 event = c->arch.exit_event;
	unsigned int vector = event & 0xff;

	c->arch.exit_event = 0;
	if (!event || v->eventinj & SVM_EVENT_VALID ||
	    (event & SVM_EVENT_TYPE_MASK) == SVM_EVENT_SOFT_INTR ||
	    ((event & SVM_EVENT_TYPE_MASK) == SVM_EVENT_EXCEPTION &&
	     (vector == 3 || vector == 4)))
		return;
	v->eventinj = event;
}

void vcpu_exit_details(struct per_cpu *c, u64 info[4])
{
	struct vmcb *v = vmcb_of(c);

	info[0] = v->exitcode;
	info[1] = v->exitinfo1;
	info[2] = v->exitinfo2;
	info[3] = v->rip;
}

bool vcpu_set_cr(struct per_cpu *c, unsigned int cr, u64 val)
{
	struct vmcb *v = vmcb_of(c);

	if (cr == 0)
		v->cr0 = val;
	else
		v->cr4 = val;
	return true;
}

/* GIF is clear in the hypervisor: an NMI waits for the guest's exit. */
void vcpu_nmi_handler(struct per_cpu *c)
{
}

#define SVM_SEG_L	(1U << 9)
#define SVM_SEG_DB	(1U << 10)

void vcpu_get_guest_state(struct per_cpu *c, struct x86_guest_state *s)
{
	struct vmcb *v = vmcb_of(c);

	s->rip = v->rip;
	s->rsp = v->rsp;
	s->rflags = v->rflags;
	s->cr0 = v->cr0;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->efer = v->efer;
	s->cs_base = v->cs.base;
	s->cs_l = v->cs.attrib & SVM_SEG_L;
	s->cs_db = v->cs.attrib & SVM_SEG_DB;
}

void vcpu_advance_rip(struct per_cpu *c, unsigned int len)
{
	vmcb_of(c)->rip += len;
}

static void handle_io(struct per_cpu *c, struct guest_regs *regs)
{
	u64 info = vmcb_of(c)->exitinfo1;
	struct x86_io io = {
		.port = info >> 16,
		.size = (info >> 4) & 7,
		.in = info & 1,
		.string = info & (1 << 2),
		.rep = info & (1 << 3),
	};

	x86_handle_io(c, regs, &io);
}

/*
 * Neither QEMU nor Bochs has decode assists: the exit names the control
 * register only, the instruction is decoded; its end goes to next_rip.
 */
static void handle_cr_write(struct per_cpu *c, struct guest_regs *regs)
{
	struct vmcb *v = vmcb_of(c);
	unsigned int cr, len;
	u64 val;

	if (!x86_decode_guest_cr_write(c, regs, &cr, &val, &len) ||
	    cr != (v->exitcode == SVM_EXIT_CR4_WRITE ? 4 : 0)) {
		x86_guest_refuse(c, "Unhandled CR access");
		return;
	}
	v->next_rip = v->rip + len;
	x86_handle_cr_write(c, regs, cr, val);
}

void svm_handle_exit(struct guest_regs *regs)
{
	struct per_cpu *c = this_cpu();
	struct vmcb *v = vmcb_of(c);

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL]++;
	v->tlb_control = 0;
	regs->rax = v->rax;
	c->arch.exit_event = v->exitintinfo & SVM_EVENT_VALID ?
		v->exitintinfo : 0;

	switch (v->exitcode) {
	case SVM_EXIT_CPUID:
		x86_handle_cpuid(c, regs);
		break;
	case SVM_EXIT_VMMCALL:
		x86_handle_hypercall(c, regs);
		break;
	case SVM_EXIT_MSR:
		x86_handle_msr(c, regs, v->exitinfo1 & 1);
		break;
	case SVM_EXIT_NMI:
		/* The NMI is still pending: take it (the handler just
		 * returns), then look at the requests it announced. */
		asm volatile("stgi; clgi" : : : "memory");
		x86_handle_event(c);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD ... SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:	/* another ASID's TLB entries are not its */
		vcpu_inject(c, EXC_UD);
		break;
	case SVM_EXIT_IOIO:
		handle_io(c, regs);
		break;
	case SVM_EXIT_CR0_SEL_WRITE:
	case SVM_EXIT_CR4_WRITE:
		handle_cr_write(c, regs);
		break;
	case SVM_EXIT_XSETBV:
		x86_handle_xsetbv(c, regs);
		break;
	case SVM_EXIT_INVD:
		x86_handle_invd(c);
		break;
	case SVM_EXIT_NPF:
		/* a fault of the guest's own page walk is no MMIO access */
		if (v->exitinfo1 & SVM_NPF_GUEST_PT)
			x86_guest_refuse(c, "Access violation");
		else
			x86_handle_memory_fault(c, regs, v->exitinfo2,
						v->exitinfo1 & (1 << 1));
		break;
	case SVM_EXIT_EXCP_BASE + EXC_DB:
	case SVM_EXIT_EXCP_BASE + EXC_AC:
		/* DR6 of the VMCB has the #DB's cause already */
		c->stats[JAILHOUSE_CPU_STAT_VMEXITS_EXCEPTION]++;
		vcpu_inject(c, v->exitcode - SVM_EXIT_EXCP_BASE);
		break;
	case SVM_EXIT_EXCP_BASE + EXC_DF:
		x86_guest_fault(c, "Double fault");
		break;
	case SVM_EXIT_SHUTDOWN:
		x86_guest_fault(c, "Triple fault");
		break;
	default:
		x86_guest_refuse(c, "Unhandled exit");
	}
	reinject_event(c, v);
	v->rax = regs->rax;
	if (c->arch.flush_tlb) {
		c->arch.flush_tlb = false;
		v->tlb_control = SVM_TLB_FLUSH_ASID;
	}
}
