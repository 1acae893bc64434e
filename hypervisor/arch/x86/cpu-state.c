/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: the state a CPU carries from one cell to
 * the next besides the vendor's guest state.
 *
 * vcpu_reset() sets what the VMCB or VMCS holds for the guest.  A non-root
 * cell may also change, without an exit, registers that only the CPU
 * holds: the MSRs below (vcpu.c's policy lets them pass; AMD keeps the
 * syscall MSRs in the VMCB, Intel does not) and XCR0 (written for the
 * guest by x86_handle_xsetbv()).  Each CPU keeps the root's values of
 * enable time; a CPU starting in a non-root cell gets reset values, so
 * nothing of the root's shows there (a kernel's entry points, per-CPU
 * bases), and one coming back to the root gets the root's values, so
 * nothing of a cell stays (the cell's speculation controls, its XCR0).
 * The TSC is not among them: a cell's TSC write exits and moves only its
 * own TSC offset (vcpu_set_tsc_offset()), the CPU's counter stays.
 *
 * Registers neither vendor's guest state holds go to their reset values
 * whoever gets the CPU next (x86_cpu_state_clean()): the x87, SSE and
 * every XSAVE component (the hypervisor never touches them, so they pass
 * from one owner to the next otherwise: a key in an XMM register, say),
 * the breakpoint addresses DR0-DR3 and, on Intel, CR2 (the last page
 * fault's address; AMD's VMCB holds it).  A CPU coming back to the root
 * starts anew (INIT, SIPI) anyway, as after Linux offlined it.
 */

#include <hv/control.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define MSR_SPEC_CTRL		0x48
#define MSR_TSC_AUX		0xc0000103
#define X86_CR0_EM		(1UL << 2)
#define X86_CR0_TS		(1UL << 3)
#define X86_CR4_OSFXSR		(1UL << 9)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define XCR0_X87		1
#define FCW_RESET		0x37f
#define MXCSR_RESET		0x1f80

/* CPUID feature bits for SPEC_CTRL and TSC_AUX */
#define CPUID7_EDX_SPEC_CTRL	((1U << 26) | (1U << 27) | (1U << 31))
#define CPUID7_ECX_RDPID	(1U << 22)
#define AMD_EBX_SPEC_CTRL	((1U << 14) | (1U << 15) | (1U << 24))
#define AMD_EDX_RDTSCP		(1U << 27)

static const u32 held_msrs[X86_NUM_HELD_MSRS] = {
	MSR_SPEC_CTRL,
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR..SFMASK */
	0xc0000102,		/* KERNEL_GS_BASE */
	MSR_TSC_AUX,
};

/*
 * The FXSAVE image of the x87 and SSE state at reset (control word 0x37f,
 * MXCSR 0x1f80, every register 0 and empty), with an XSAVE header whose
 * XSTATE_BV 0 makes XRSTOR put each component it restores in its initial
 * state (AVX, AVX-512, PKRU, ...: zero).
 */
static const struct {
	u16 fcw, fsw;
	u8 ftw, reserved;
	u16 fop;
	u64 fip, fdp;
	u32 mxcsr, mxcsr_mask;
	u8 regs[512 - 32];
	u64 xstate_bv, xcomp_bv, header[6];
} __attribute__((aligned(64))) fpu_reset = {
	.fcw = FCW_RESET,
	.mxcsr = MXCSR_RESET,
};

static bool cpuid_has(unsigned int leaf, unsigned int reg, unsigned int bits)
{
	unsigned int r[4];

	cpuid(leaf & 0x80000000, 0, r);
	if (r[0] < leaf)
		return false;
	cpuid(leaf, 0, r);
	return r[reg] & bits;
}

static bool held_msr_exists(u32 msr)
{
	if (msr == MSR_SPEC_CTRL)
		return cpuid_has(7, 3, CPUID7_EDX_SPEC_CTRL) ||
			cpuid_has(0x80000008, 1, AMD_EBX_SPEC_CTRL);
	if (msr == MSR_TSC_AUX)
		return cpuid_has(0x80000001, 3, AMD_EDX_RDTSCP) ||
			cpuid_has(7, 2, CPUID7_ECX_RDPID);
	return true;
}

static bool has_xsave(void)
{
	return cpuid_has(1, 2, 1U << 26);
}

static u64 xgetbv0(void)
{
	unsigned int lo, hi;

	asm volatile("xgetbv" : "=a" (lo), "=d" (hi) : "c" (0));
	return lo | ((u64)hi << 32);
}

int x86_set_xcr0(u64 xcr0)
{
	unsigned long cr4 = read_cr(4);
	int fault;

	/* the hypervisor runs with its caller's CR4: OSXSAVE for a moment */
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr(4, cr4 | X86_CR4_OSXSAVE);
	fault = x86_guarded_xsetbv(xcr0);
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr(4, cr4);
	return fault;
}

static bool has_fxsr(void)
{
	return cpuid_has(1, 3, 1U << 24);
}

/*
 * x87, SSE and XSAVE state to reset values, with XCR0 at every component
 * the CPU has (a component off in XCR0 keeps its contents for when the
 * next owner turns it on); XCR0 is set again by the caller.  For a moment
 * the hypervisor's CR0 and CR4 allow the instructions (its caller's may
 * not: TS set, OSFXSR clear).
 */
static void fpu_scrub(void)
{
	unsigned long cr0 = read_cr(0), cr4 = read_cr(4);
	bool xsave = has_xsave();
	unsigned int r[4];

	if (!has_fxsr())
		return;
	write_cr(0, cr0 & ~(X86_CR0_EM | X86_CR0_TS));
	write_cr(4, cr4 | X86_CR4_OSFXSR | (xsave ? X86_CR4_OSXSAVE : 0));
	if (xsave) {
		cpuid(0xd, 0, r);
		x86_guarded_xsetbv(r[0] | ((u64)r[3] << 32));
	}
	/* guarded: what a CPU refuses (XFD, say) is no panic; x87 and SSE
	 * at least are reset then */
	if (!xsave || x86_guarded_xrstor(&fpu_reset))
		asm volatile("fxrstor64 %0" : : "m" (fpu_reset) : "memory");
	write_cr(4, cr4);
	write_cr(0, cr0);
}

static void debug_regs_scrub(void)
{
	unsigned long zero = 0;

	asm volatile("mov %0, %%dr0; mov %0, %%dr1; mov %0, %%dr2; "
		     "mov %0, %%dr3" : : "r" (zero));
	write_cr(2, 0);
}

void x86_cpu_state_save(struct per_cpu *c)
{
	unsigned int n;

	for (n = 0; n < X86_NUM_HELD_MSRS; n++)
		c->arch.root_msrs[n] = held_msr_exists(held_msrs[n]) ?
			read_msr(held_msrs[n]) : 0;
	c->arch.root_xcr0 = has_xsave() && read_cr(4) & X86_CR4_OSXSAVE ?
		xgetbv0() : XCR0_X87;
}

void x86_cpu_state_clean(struct per_cpu *c)
{
	bool root = c->cell == &root_cell;
	unsigned int n;

	for (n = 0; n < X86_NUM_HELD_MSRS; n++)
		if (held_msr_exists(held_msrs[n]))
			x86_guarded_wrmsr(held_msrs[n],
					  root ? c->arch.root_msrs[n] : 0);
	debug_regs_scrub();
	fpu_scrub();
	if (has_xsave())
		x86_set_xcr0(root ? c->arch.root_xcr0 : XCR0_X87);
}
