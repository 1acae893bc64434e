/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, arm64: system register accessors. */

/* ARMv7 provides the same functions over cp15 (lib/arm/include/arch.h). */

#ifndef _INMATE_ARCH_H
#define _INMATE_ARCH_H

#include <inmate.h>

#define __sysreg_read(reg)						\
	({ unsigned long __v;						\
	   asm volatile("mrs %0, " #reg : "=r" (__v)); __v; })
#define __sysreg_write(reg, v)						\
	asm volatile("msr " #reg ", %0" : : "r" ((unsigned long)(v)))

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

static inline void dsb(void)
{
	asm volatile("dsb sy" : : : "memory");
}

static inline unsigned long arch_read_mpidr(void)
{
	return __sysreg_read(mpidr_el1) & 0xff00ffffffUL;
}

/* EL3 implemented (ID_AA64PFR0_EL1.EL3 != 0). */
static inline bool arch_has_el3(void)
{
	return ((__sysreg_read(id_aa64pfr0_el1) >> 12) & 0xf) != 0;
}

/* Generic timer, virtual view. */
static inline u32 arch_read_cntfrq(void)
{
	return __sysreg_read(cntfrq_el0);
}

static inline u64 arch_read_cntvct(void)
{
	isb();
	return __sysreg_read(cntvct_el0);
}

static inline void arch_write_cntv_cval(u64 value)
{
	__sysreg_write(cntv_cval_el0, value);
}

static inline void arch_write_cntv_ctl(u32 value)
{
	__sysreg_write(cntv_ctl_el0, value);
	isb();
}

/* GICv3 CPU interface (system register view). */
static inline u32 icc_read_sre(void)
{
	return __sysreg_read(S3_0_C12_C12_5);
}

static inline void icc_write_sre(u32 value)
{
	__sysreg_write(S3_0_C12_C12_5, value);
	isb();
}

static inline void icc_write_pmr(u32 value)
{
	__sysreg_write(S3_0_C4_C6_0, value);
}

static inline void icc_write_bpr1(u32 value)
{
	__sysreg_write(S3_0_C12_C12_3, value);
}

static inline void icc_write_ctlr(u32 value)
{
	__sysreg_write(S3_0_C12_C12_4, value);
}

static inline void icc_write_igrpen1(u32 value)
{
	__sysreg_write(S3_0_C12_C12_7, value);
	isb();
}

static inline u32 icc_read_iar1(void)
{
	u32 irq = __sysreg_read(S3_0_C12_C12_0);

	asm volatile("dsb sy" : : : "memory");
	return irq;
}

static inline void icc_write_eoir1(u32 value)
{
	__sysreg_write(S3_0_C12_C12_1, value);
	isb();
}

static inline void icc_write_sgi1r(u64 value)
{
	__sysreg_write(S3_0_C12_C11_5, value);
	isb();
}

/* 64-bit MMIO. */
static inline u64 mmio_read64(unsigned long addr)
{
	return *(volatile u64 *)addr;
}

static inline void mmio_write64(unsigned long addr, u64 value)
{
	*(volatile u64 *)addr = value;
}

/* One 32-bit load in a single 4-byte instruction, which the data abort
 * handler can step over (probe_read32()). */
static inline u32 arch_load32_single(unsigned long addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

/* SMC / HVC with SMCCC register usage; x0 returns the result. */
static inline long arch_smc(unsigned long fn, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}

static inline long arch_hvc(unsigned long fn, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}

/* PSCI function IDs: CPU_ON takes a 64-bit entry point here (SMC64). */
#define PSCI_FN_CPU_ON		0xc4000003UL

/* Entry of secondary CPUs started by smp_start_cpu() (header.S). */
void __secondary_entry(void);

#endif /* !_INMATE_ARCH_H */
