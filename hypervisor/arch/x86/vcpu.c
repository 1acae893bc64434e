/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: what a guest exit means, independent of
 * the vendor.  svm.c and vmx.c only translate their exit information into
 * calls of the handlers below (<asm/vcpu.h>); the policy lives here once:
 * which ports and MSRs a cell may use, what CPUID shows, which EFER
 * values are accepted, and that a misbehaving cell is stopped while the
 * rest runs on.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define EFER_SCE		(1UL << 0)
#define EFER_FFXSR		(1UL << 14)
#define CPUID_EXT_FFXSR		(1U << 25)	/* 0x80000001 EDX */
#define X86_CR0_WP		(1UL << 16)
#define X86_CR0_NW		(1UL << 29)
#define X86_CR0_CD		(1UL << 30)
/* A change of these makes the CPU drop cached translations. */
#define CR0_PAGING_BITS		(X86_CR0_PE | X86_CR0_WP | X86_CR0_NW | \
				 X86_CR0_CD | X86_CR0_PG)
/* VME, PVI, TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR, OSXMMEXCPT */
#define CR4_BASE_BITS		0x7ffUL
#define X86_CR4_UMIP		(1UL << 11)
#define X86_CR4_LA57		(1UL << 12)
#define X86_CR4_FSGSBASE	(1UL << 16)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define X86_CR4_SMEP		(1UL << 20)
#define X86_CR4_SMAP		(1UL << 21)
#define X86_CR4_PKE		(1UL << 22)
#define X86_CR4_CET		(1UL << 23)
#define XCR0_X87		(1UL << 0)
#define XCR0_SSE		(1UL << 1)
#define XCR0_AVX		(1UL << 2)
#define XCR0_MPX		(3UL << 3)	/* BNDREGS, BNDCSR */
#define XCR0_AVX512		(7UL << 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_AMX		(3UL << 17)	/* TILECFG, TILEDATA */
/* What a guest may set in EFER, besides FFXSR on CPUs that have it. */
#define EFER_GUEST_BITS		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/* ---- permission bitmaps of a cell ---- */

static void io_allow(u8 *io, unsigned int base, unsigned int length)
{
	unsigned int port;

	for (port = base; port < base + length && port < 0x10000; port++)
		io[port / 8] &= ~(1 << (port % 8));
}

/* The bit of @p msr's read intercept in the vendor's bitmap; false: none. */
static bool msr_read_bit(u32 msr, unsigned long *bit)
{
	const struct x86_msr_bitmap_format *f = &vcpu_msr_bitmap;
	unsigned int n;

	for (n = 0; n < f->num_ranges; n++)
		if (msr - f->ranges[n].first < 0x2000) {
			*bit = f->ranges[n].base +
				(msr - f->ranges[n].first) * f->bits_per_msr;
			return true;
		}
	return false;
}

static void bit_set(u8 *bitmap, unsigned long bit, bool set)
{
	if (set)
		bitmap[bit / 8] |= 1 << (bit % 8);
	else
		bitmap[bit / 8] &= ~(1 << (bit % 8));
}

void vcpu_msr_intercept(void *msr_bitmap, u32 msr)
{
	unsigned long bit;

	if (!msr_read_bit(msr, &bit))
		return;
	bit_set(msr_bitmap, bit, true);
	bit_set(msr_bitmap, bit + vcpu_msr_bitmap.write_offset, true);
}

void vcpu_msr_pass(void *msr_bitmap, u32 msr, bool write)
{
	unsigned long bit;

	if (!msr_read_bit(msr, &bit))
		return;
	bit_set(msr_bitmap, bit, false);
	if (write)
		bit_set(msr_bitmap, bit + vcpu_msr_bitmap.write_offset, false);
}

/*
 * MSRs of a non-root cell's own CPU: read and write, or read only.  What
 * of them only the CPU holds goes back to the root's values when the CPU
 * does (cpu-state.c).  TSC writes exit (x86_handle_msr()).
 */
static const u32 msr_rw[] = {
	0x48, 0x49,		/* SPEC_CTRL, PRED_CMD */
	0x174, 0x175, 0x176,	/* SYSENTER_CS/ESP/EIP */
	0x277,			/* PAT (the guest's own under nested paging) */
	0x6e0,			/* TSC_DEADLINE: the CPU's own APIC timer */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR..SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, /* FS, GS, KGS, TSC_AUX */
};
static const u32 msr_ro[] = {
	MSR_IA32_TSC,
	0x1b,			/* APIC_BASE: relocating it is the APIC's */
	0x8b,			/* microcode revision */
	0xfe,			/* MTRR capabilities */
	0x179, 0x17a,		/* MCG_CAP, MCG_STATUS */
	0x1a0,			/* MISC_ENABLE */
};

static void msr_policy(void *bitmap)
{
	unsigned int n;

	memset(bitmap, 0xff, vcpu_msr_bitmap_pages * PAGE_SIZE);
	for (n = 0; n < ARRAY_SIZE(msr_rw); n++)
		vcpu_msr_pass(bitmap, msr_rw[n], true);
	for (n = 0; n < ARRAY_SIZE(msr_ro); n++)
		vcpu_msr_pass(bitmap, msr_ro[n], false);
}

static bool vendor_msr(u32 msr)
{
	const u32 *m;

	for (m = vcpu_vendor_msrs; *m; m++)
		if (*m == msr)
			return true;
	return false;
}

/*
 * A non-root cell's pio_regions are ports it takes over from the root: each
 * must be the root's at creation, leaves the root's bitmap while the cell
 * exists and comes back when it goes.  Ports the hypervisor emulates for
 * everyone (PCI configuration) or shares (the PM timer) stay out of this.
 */
static bool port_shared(unsigned int port)
{
	unsigned int pm = system_config->platform_info.x86.pm_timer_address;

	return (port >= X86_PCI_PORTS && port < X86_PCI_PORTS + 8) ||
		(pm && port >= pm && port < pm + 4);
}

static bool root_has_port(unsigned int port)
{
	const u8 *io = root_cell.arch.io_bitmap;

	/* those always exit: the configs say who has them */
	if (x86_reset_port(port))
		return x86_reset_port_owner(port) == &root_cell;
	return !(io[port / 8] & (1 << (port % 8)));
}

static int ports_check(const struct cell *cell)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(cell->config);
	unsigned int n, port;

	for (n = 0; n < cell->config->num_pio_regions; n++, pio++) {
		if (pio->base + pio->length > 0x10000)
			return trace_error(-EINVAL);
		for (port = pio->base; port < pio->base + pio->length; port++)
			if (!port_shared(port) && !root_has_port(port))
				return trace_error(-EINVAL);
	}
	return 0;
}

static void ports_hand_over(const struct cell *cell, bool to_cell)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(cell->config);
	u8 *root_io = root_cell.arch.io_bitmap;
	unsigned int n, port;

	for (n = 0; n < cell->config->num_pio_regions; n++, pio++)
		for (port = pio->base; port < pio->base + pio->length; port++)
			if (port_shared(port))
				continue;
			else if (to_cell)
				root_io[port / 8] |= 1 << (port % 8);
			else
				root_io[port / 8] &= ~(1 << (port % 8));
	x86_reset_ports_intercept(root_io);
}

/*
 * Both vendors use one bit per port, set: exit (AMD's bitmap has a third
 * page for accesses that cross port 0xffff; it stays all ones).
 */
int x86_cell_bitmaps_init(struct cell *cell)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(cell->config);
	const u32 *msr;
	unsigned int n;
	int err;
	u8 *io;

	if (cell != &root_cell) {
		err = ports_check(cell);
		if (err)
			return err;
	}
	cell->arch.io_bitmap = io = page_alloc(&mem_pool,
					       vcpu_io_bitmap_pages);
	cell->arch.msr_bitmap = page_alloc(&mem_pool, vcpu_msr_bitmap_pages);
	if (!io || !cell->arch.msr_bitmap) {
		x86_cell_bitmaps_free(cell);
		return -ENOMEM;
	}
	/* Ports of the config's pio_regions pass, all others exit. */
	memset(io, 0xff, vcpu_io_bitmap_pages * PAGE_SIZE);
	for (n = 0; n < cell->config->num_pio_regions; n++, pio++)
		io_allow(io, pio->base, pio->length);
	/* Every cell may read the ACPI PM timer (4 ports). */
	n = system_config->platform_info.x86.pm_timer_address;
	if (n)
		io_allow(io, n, 4);
	/* PCI configuration space always exits (pci.c), so do the ports
	 * that can reset the machine (reset.c) */
	for (n = X86_PCI_PORTS; n < X86_PCI_PORTS + 8; n++)
		io[n / 8] |= 1 << (n % 8);
	x86_reset_ports_intercept(io);

	/*
	 * The root's other MSRs pass.  A non-root cell may touch only the
	 * state of its own CPU (msr_policy): everything else exits and
	 * stops it, system-wide settings (MTRRs, SMM, microcode, machine
	 * checks, the vendor's configuration) as much as the local APIC's.
	 */
	if (cell != &root_cell)
		msr_policy(cell->arch.msr_bitmap);
	vcpu_msr_intercept(cell->arch.msr_bitmap, MSR_EFER);
	for (msr = vcpu_vendor_msrs; *msr; msr++)
		vcpu_msr_intercept(cell->arch.msr_bitmap, *msr);
	if (cell != &root_cell)
		ports_hand_over(cell, true);
	return 0;
}

void x86_cell_bitmaps_free(struct cell *cell)
{
	/* both bitmaps there: init completed and took the ports */
	if (cell != &root_cell && cell->arch.io_bitmap && cell->arch.msr_bitmap)
		ports_hand_over(cell, false);
	page_free(&mem_pool, cell->arch.io_bitmap, vcpu_io_bitmap_pages);
	page_free(&mem_pool, cell->arch.msr_bitmap, vcpu_msr_bitmap_pages);
	cell->arch.io_bitmap = cell->arch.msr_bitmap = NULL;
}

/* ---- exits ---- */

void x86_guest_fault(struct per_cpu *c, const char *what)
{
	u64 info[4];

	vcpu_exit_details(c, info);
	printk("%s on CPU %u (cell \"%s\"): exit %llx, info %llx %llx, "
	       "RIP %llx\n", what, c->cpu_id, c->cell->config->name,
	       info[0], info[1], info[2], info[3]);
	if (c->cell == &root_cell)
		panic_stop("unhandled exit of the root cell");
	cell_failed(what);
	arch_panic_park();
}

void x86_guest_refuse(struct per_cpu *c, const char *what)
{
	u64 info[4];

	if (c->cell != &root_cell)
		x86_guest_fault(c, what);
	vcpu_exit_details(c, info);
	printk("Root cell: %s on CPU %u (exit %llx, info %llx %llx), #GP at "
	       "RIP %llx\n", what, c->cpu_id, info[0], info[1], info[2],
	       info[3]);
	vcpu_inject(c, EXC_GP);
}

void x86_handle_invd(struct per_cpu *c)
{
	asm volatile("wbinvd" : : : "memory");
	vcpu_skip_insn(c);
}

/*
 * CPUID's bits that mirror CR4 (OSXSAVE, OSPKE) come from the CPU's
 * current CR4, the hypervisor's (its caller's): they must show the
 * guest's own, or a cell would read the root's and take XSAVE for enabled
 * before it set CR4.OSXSAVE (and miss it after).
 */
#define CPUID1_ECX_OSXSAVE	(1U << 27)
#define CPUID7_ECX_OSPKE	(1U << 4)

static void os_bits_of_guest(struct per_cpu *c, unsigned int leaf,
			     unsigned int out[4])
{
	struct x86_guest_state g;

	vcpu_get_guest_state(c, &g);
	if (leaf == 1)
		out[2] = (out[2] & ~CPUID1_ECX_OSXSAVE) |
			(g.cr4 & X86_CR4_OSXSAVE ? CPUID1_ECX_OSXSAVE : 0);
	else
		out[2] = (out[2] & ~CPUID7_ECX_OSPKE) |
			(g.cr4 & X86_CR4_PKE ? CPUID7_ECX_OSPKE : 0);
}

void x86_handle_cpuid(struct per_cpu *c, struct guest_regs *regs)
{
	unsigned int leaf = regs->rax, out[4];

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_CPUID]++;
	if ((leaf & 0xffffff00) == JAILHOUSE_CPUID_SIGNATURE) {
		memset(out, 0, sizeof(out));
		if (leaf == JAILHOUSE_CPUID_SIGNATURE) {
			out[0] = JAILHOUSE_CPUID_FEATURES;
			memcpy(&out[1], "Jailhouse\0\0", 12);
		}
	} else {
		cpuid(leaf, regs->rcx, out);
		if (leaf == 1)
			/* a hypervisor is present; VMX is not */
			out[2] = (out[2] | (1U << 31)) & ~(1U << 5);
		if (leaf == 1 || (leaf == 7 && (u32)regs->rcx == 0))
			os_bits_of_guest(c, leaf, out);
		if (leaf == 0x80000001)
			out[2] &= ~(1U << 2);	/* no SVM */
		else if (leaf == 0x8000000a)
			memset(out, 0, sizeof(out));
	}
	regs->rax = out[0];
	regs->rbx = out[1];
	regs->rcx = out[2];
	regs->rdx = out[3];
	vcpu_skip_insn(c);
}

/*
 * Code in rax, arguments in rdi and rsi, result into rax; from ring 0
 * only (#UD otherwise, as on a CPU without the instruction).  A DISABLE
 * that succeeded on this CPU returns to the caller from here.
 */
void x86_handle_hypercall(struct per_cpu *c, struct guest_regs *regs)
{
	if (vcpu_cpl(c)) {
		vcpu_inject(c, EXC_UD);
		return;
	}
	vcpu_skip_insn(c);
	regs->rax = hypercall(regs->rax, regs->rdi, regs->rsi);
	if (c->leaving) {
		c->leaving = false;
		arch_cpu_restore(c, regs->rax);
	}
}

static bool efer_write(struct per_cpu *c, u64 val)
{
	u64 old = vcpu_get_efer(c), allowed = EFER_GUEST_BITS;
	struct x86_guest_state s;
	unsigned int regs[4];

	cpuid(0x80000001, 0, regs);
	if (regs[3] & CPUID_EXT_FFXSR)
		allowed |= EFER_FFXSR;
	/* reserved bits: #GP, as the CPU does */
	if (val & ~allowed)
		return false;
	/* LME changes only while paging is off (a #GP on the CPU too);
	 * otherwise the next guest entry would fail on LMA != LME */
	vcpu_get_guest_state(c, &s);
	if ((val ^ old) & EFER_LME && s.cr0 & X86_CR0_PG)
		return false;
	/* LMA is the CPU's: it follows LME and CR0.PG */
	vcpu_set_efer(c, (val & ~EFER_LMA) | (old & EFER_LMA));
	return true;
}

/* Each PAT entry a memory type: UC, WC, WT, WP, WB, UC- (0, 1, 4-7). */
static bool pat_valid(u64 val)
{
	unsigned int n, type;

	for (n = 0; n < 64; n += 8) {
		type = (val >> n) & 0xff;
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

#define MTRR_DEF_FE_E		0xc00	/* fixed-range enable, enable */
#define MTRR_DEF_RESERVED	(~0xcffULL)

static bool cpu_has_mtrr(void)
{
	unsigned int r[4];

	cpuid(1, 0, r);
	return r[3] & (1 << 12);
}

/* A cell CPU starts with the default type the root left on it. */
void vcpu_mtrr_reset(struct per_cpu *c)
{
	c->arch.mtrr_def_type = cpu_has_mtrr() ?
		read_msr(MSR_MTRR_DEF_TYPE) : 0;
}

/*
 * MTRR_DEF_TYPE of a non-root cell (inmates set its enable bits at start,
 * upstream Jailhouse's do): reads show the host's value with the enable
 * bits the cell wrote last; a write may change only those bits (reserved
 * bits get #GP, as from the CPU, a new default type is ignored).  The
 * memory types in effect stay the host's: the MTRRs are shared by the
 * whole machine, nested paging leaves them to the root.
 */
static int mtrr_def_type(struct per_cpu *c, bool write, u64 *val)
{
	if (!cpu_has_mtrr())
		return 0;
	if (!write) {
		*val = c->arch.mtrr_def_type;
		return 1;
	}
	if (*val & MTRR_DEF_RESERVED)
		return 0;
	c->arch.mtrr_def_type = (c->arch.mtrr_def_type & ~MTRR_DEF_FE_E) |
		(*val & MTRR_DEF_FE_E);
	return 1;
}

/* rdmsr/wrmsr of an intercepted MSR: ecx, edx:eax. */
void x86_handle_msr(struct per_cpu *c, struct guest_regs *regs, bool write)
{
	u32 msr = regs->rcx;
	u64 val = (u32)regs->rax | (regs->rdx << 32);
	int ok;

	if (!x86_apic_msr_owned(msr))
		c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER]++;
	if (x86_apic_msr_owned(msr)) {
		ok = x86_apic_msr(c, msr, write, &val);	/* counts itself */
	} else if (msr == MSR_EFER) {
		if (!write)
			val = vcpu_get_efer(c);
		ok = write ? efer_write(c, val) : 1;
	} else if (write && msr == MSR_IA32_PAT && !pat_valid(val)) {
		ok = 0;		/* the CPU's #GP, before the vendor keeps it */
	} else if (msr == MSR_IA32_TSC && write && c->cell != &root_cell) {
		/* the cell's TSC moves, the CPU's stays */
		vcpu_set_tsc_offset(c, val - rdtsc());
		ok = 1;
	} else if (msr == MSR_MTRR_DEF_TYPE && c->cell != &root_cell) {
		ok = mtrr_def_type(c, write, &val);
	} else if (vendor_msr(msr)) {
		ok = vcpu_vendor_msr(msr, write, &val);
	} else if (c->cell == &root_cell) {
		ok = 0;		/* the root gets #GP, never a stop */
	} else {
		printk("MSR %x: %s not permitted to cell \"%s\"\n", msr,
		       write ? "write" : "read", c->cell->config->name);
		ok = -1;
	}
	if (ok < 0)
		x86_guest_fault(c, "Unhandled MSR access");
	if (!ok) {
		vcpu_inject(c, EXC_GP);
		return;
	}
	if (!write) {
		regs->rax = val & 0xffffffff;
		regs->rdx = val >> 32;
	}
	vcpu_skip_insn(c);
}

/*
 * CR4 bits a guest may set: those this CPU has (CPUID), never VMXE or SMXE
 * (the virtualization extension is ours) nor what we do not know.
 */
static u64 cr4_supported(void)
{
	u64 bits = CR4_BASE_BITS;
	unsigned int r[4];

	cpuid(1, 0, r);
	if (r[2] & (1U << 17))
		bits |= X86_CR4_PCIDE;
	if (r[2] & (1U << 26))
		bits |= X86_CR4_OSXSAVE;
	cpuid(0, 0, r);
	if (r[0] < 7)
		return bits;
	cpuid(7, 0, r);
	if (r[1] & (1U << 0))
		bits |= X86_CR4_FSGSBASE;
	if (r[1] & (1U << 7))
		bits |= X86_CR4_SMEP;
	if (r[1] & (1U << 20))
		bits |= X86_CR4_SMAP;
	if (r[2] & (1U << 2))
		bits |= X86_CR4_UMIP;
	if (r[2] & (1U << 3))
		bits |= X86_CR4_PKE;
	if (r[2] & (1U << 7))
		bits |= X86_CR4_CET;
	if (r[2] & (1U << 16))
		bits |= X86_CR4_LA57;
	return bits;
}

/*
 * What mov to CR0 refuses with #GP (Intel SDM vol. 2 MOV, AMD APM vol. 2
 * 3.1.1): a state the hardware would not run (a VM entry would fail)
 * must never reach the vendor's guest state.
 */
static bool cr0_valid(const struct x86_guest_state *g, u64 efer, u64 val)
{
	if (val >> 32)
		return false;
	if (val & X86_CR0_PG && !(val & X86_CR0_PE))
		return false;
	if (val & X86_CR0_NW && !(val & X86_CR0_CD))
		return false;
	if (val & X86_CR0_PG && !(g->cr0 & X86_CR0_PG)) {
		/* long mode needs PAE */
		if (efer & EFER_LME && !(g->cr4 & X86_CR4_PAE))
			return false;
	} else if (!(val & X86_CR0_PG) && g->cr0 & X86_CR0_PG) {
		/* no leaving long mode from 64-bit code, nor with PCIDs */
		if ((efer & EFER_LMA && g->cs_l) || g->cr4 & X86_CR4_PCIDE)
			return false;
	}
	return val & X86_CR0_WP || !(g->cr4 & X86_CR4_CET);
}

/* What mov to CR4 refuses with #GP. */
static bool cr4_valid(const struct x86_guest_state *g, u64 efer, u64 val)
{
	if (val & ~cr4_supported())
		return false;
	/* long mode keeps PAE and its number of levels */
	if (efer & EFER_LMA &&
	    (!(val & X86_CR4_PAE) || (val ^ g->cr4) & X86_CR4_LA57))
		return false;
	if (val & X86_CR4_PCIDE && !(g->cr4 & X86_CR4_PCIDE) &&
	    (!(efer & EFER_LMA) || g->cr3 & 0xfff))
		return false;
	return !(val & X86_CR4_CET) || g->cr0 & X86_CR0_WP;
}

/*
 * A write of CR0 or CR4, vendor-neutral: what the CPU refuses gets #GP,
 * entering or leaving long mode sets EFER.LMA, and a change of paging
 * bits flushes the guest's translations, as the instruction would.
 */
void x86_handle_cr_write(struct per_cpu *c, struct guest_regs *regs,
			 unsigned int cr, u64 val)
{
	u64 efer = vcpu_get_efer(c), old;
	struct x86_guest_state g;
	bool ok;

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_CR]++;
	vcpu_get_guest_state(c, &g);
	if (cr == 0)
		ok = cr0_valid(&g, efer, val);
	else
		ok = cr == 4 && cr4_valid(&g, efer, val);
	if (!ok || !vcpu_set_cr(c, cr, val)) {
		vcpu_inject(c, EXC_GP);
		return;
	}
	old = cr == 0 ? g.cr0 : g.cr4;
	if (cr == 0 && (old ^ val) & X86_CR0_PG && efer & EFER_LME)
		vcpu_set_efer(c, val & X86_CR0_PG ? efer | EFER_LMA :
			      efer & ~EFER_LMA);
	if ((old ^ val) & (cr == 0 ? CR0_PAGING_BITS : ~0ULL))
		arch_flush_local(c);
	vcpu_skip_insn(c);
}

/*
 * XCR0 only (XCR1 and up: #GP), from ring 0 with CR4.OSXSAVE (#UD
 * without), with what this CPU can save and the combinations the SDM
 * requires (vol. 1, 13.3): x87 always, AVX with SSE, the two MPX states
 * together, the three AVX-512 states together and with AVX, the two AMX
 * states together.  The hypervisor executes it only if the CPU will not
 * fault: a bad value is the guest's #GP, never the hypervisor's.
 */
void x86_handle_xsetbv(struct per_cpu *c, struct guest_regs *regs)
{
	u64 val = (u32)regs->rax | (regs->rdx << 32);
	struct x86_guest_state g;
	unsigned int out[4];

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_XSETBV]++;
	vcpu_get_guest_state(c, &g);
	if (!(g.cr4 & X86_CR4_OSXSAVE)) {
		vcpu_inject(c, EXC_UD);
		return;
	}
	cpuid(0xd, 0, out);
	if (vcpu_cpl(c) || regs->rcx & 0xffffffff || !(val & XCR0_X87) ||
	    val & ~(out[0] | ((u64)out[3] << 32)) ||
	    (val & XCR0_AVX && !(val & XCR0_SSE)) ||
	    (val & XCR0_MPX && (val & XCR0_MPX) != XCR0_MPX) ||
	    (val & XCR0_AVX512 && ((val & XCR0_AVX512) != XCR0_AVX512 ||
				   !(val & XCR0_AVX))) ||
	    (val & XCR0_AMX && (val & XCR0_AMX) != XCR0_AMX)) {
		vcpu_inject(c, EXC_GP);
		return;
	}
	/* XCR0 itself is not switched on exits (cpu-state.c cleans it
	 * between cells); guarded: what the checks did not foresee is the
	 * guest's #GP too */
	if (x86_set_xcr0(val)) {
		vcpu_inject(c, EXC_GP);
		return;
	}
	vcpu_skip_insn(c);
}

/*
 * An I/O instruction on a port the cell's bitmap does not let through:
 * PCI configuration space (pci.c), the root's reset requests (reset.c),
 * else a non-root cell is stopped and the root's access is dropped (reads
 * give all ones).
 */
void x86_handle_io(struct per_cpu *c, struct guest_regs *regs,
		   const struct x86_io *io)
{
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_PIO]++;
	if (x86_pci_handle_io(c, regs, io) ||
	    x86_reset_handle_io(c, regs, io)) {
		vcpu_skip_insn(c);
		return;
	}
	if (c->cell != &root_cell || io->string) {
		x86_guest_refuse(c, "I/O port access denied");
		return;
	}
	printk("Root cell: I/O port %x is not its own, access ignored\n",
	       io->port);
	if (io->in)
		regs->rax |= io->size == 4 ? 0xffffffffULL :
			(1ULL << (io->size * 8)) - 1;
	vcpu_skip_insn(c);
}

/*
 * A guest-physical access the cell's page tables do not allow: emulated
 * MMIO, or a fault that stops a non-root cell (the root gets #GP).
 */
void x86_handle_memory_fault(struct per_cpu *c, struct guest_regs *regs,
			     u64 gpa, bool write)
{
	/* the CPU's own access while delivering an event (reading the IDT,
	 * pushing the frame) is none of the instruction at RIP: never
	 * emulated as if it were */
	if (vcpu_event_interrupted(c)) {
		if (c->cell == &root_cell)
			printk("Root cell: event delivery %s %llx\n",
			       write ? "writing" : "reading", gpa);
		x86_guest_refuse(c, "Access violation during event delivery");
		return;
	}
	if (x86_handle_mmio(c, regs, gpa))
		return;
	/* the root's own fault: it gets #GP, the hypervisor runs on */
	if (c->cell == &root_cell)
		printk("Root cell: %s of %llx outside its config\n",
		       write ? "write" : "read", gpa);
	x86_guest_refuse(c, "Access violation");
}

/* The hypervisor's kick (an NMI): look at the requests. */
void x86_handle_event(struct per_cpu *c)
{
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT]++;
	check_events();
}
