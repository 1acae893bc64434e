/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARMv7: cp15 accessors used by arm-common. */

#ifndef _INMATE_ARCH_H
#define _INMATE_ARCH_H

#include <inmate.h>

#define __cp15_read(op1, crn, crm, op2)					\
	({ u32 __v; asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm \
				 ", " #op2 : "=r" (__v)); __v; })
#define __cp15_write(op1, crn, crm, op2, v)				\
	asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2	\
		     : : "r" ((u32)(v)))

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
	return __cp15_read(0, c0, c0, 5) & 0xffffff;
}

/* Security Extensions implemented (ID_PFR1.Security != 0). */
static inline bool arch_has_el3(void)
{
	return ((__cp15_read(0, c0, c1, 1) >> 4) & 0xf) != 0;
}

/* Generic timer, virtual view. */
static inline u32 arch_read_cntfrq(void)
{
	return __cp15_read(0, c14, c0, 0);
}

static inline u64 arch_read_cntvct(void)
{
	u32 lo, hi;

	isb();
	asm volatile("mrrc p15, 1, %0, %1, c14" : "=r" (lo), "=r" (hi));
	return ((u64)hi << 32) | lo;
}

static inline void arch_write_cntv_cval(u64 value)
{
	asm volatile("mcrr p15, 3, %0, %1, c14"
		     : : "r" ((u32)value), "r" ((u32)(value >> 32)));
}

static inline void arch_write_cntv_ctl(u32 value)
{
	__cp15_write(0, c14, c3, 1, value);
	isb();
}

/* GICv3 CPU interface, AArch32 system register view. */
static inline u32 icc_read_sre(void)
{
	return __cp15_read(0, c12, c12, 5);
}

static inline void icc_write_sre(u32 value)
{
	__cp15_write(0, c12, c12, 5, value);
	isb();
}

static inline void icc_write_pmr(u32 value)
{
	__cp15_write(0, c4, c6, 0, value);
}

static inline void icc_write_bpr1(u32 value)
{
	__cp15_write(0, c12, c12, 3, value);
}

static inline void icc_write_ctlr(u32 value)
{
	__cp15_write(0, c12, c12, 4, value);
}

static inline void icc_write_igrpen1(u32 value)
{
	__cp15_write(0, c12, c12, 7, value);
	isb();
}

static inline u32 icc_read_iar1(void)
{
	u32 irq = __cp15_read(0, c12, c12, 0);

	dsb();
	return irq;
}

static inline void icc_write_eoir1(u32 value)
{
	__cp15_write(0, c12, c12, 1, value);
	isb();
}

static inline void icc_write_sgi1r(u64 value)
{
	asm volatile("mcrr p15, 0, %0, %1, c12"
		     : : "r" ((u32)value), "r" ((u32)(value >> 32)));
	isb();
}

/* 64-bit MMIO as two 32-bit accesses, low word first. */
static inline u64 mmio_read64(unsigned long addr)
{
	u32 lo = mmio_read32(addr), hi = mmio_read32(addr + 4);

	return ((u64)hi << 32) | lo;
}

static inline void mmio_write64(unsigned long addr, u64 value)
{
	mmio_write32(addr, (u32)value);
	mmio_write32(addr + 4, (u32)(value >> 32));
}

/* One 32-bit load in a single 4-byte instruction, which the data abort
 * handler can step over (probe_read32()). */
static inline u32 arch_load32_single(unsigned long addr)
{
	u32 v;

	asm volatile("ldr %0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

/* SMC / HVC with SMCCC register usage; r0 returns the result. */
static inline long arch_smc(unsigned long fn, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2;
	register unsigned long r3 asm("r3") = a3;

	asm volatile(".arch_extension sec\n\tsmc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     : : "memory");
	return r0;
}

static inline long arch_hvc(unsigned long fn, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long r0 asm("r0") = fn;
	register unsigned long r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2;
	register unsigned long r3 asm("r3") = a3;

	asm volatile(".arch_extension virt\n\thvc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     : : "memory");
	return r0;
}

/* PSCI function IDs: CPU_ON with a 32-bit entry point (SMC32). */
#define PSCI_FN_CPU_ON		0x84000003UL

/* Entry of secondary CPUs started by smp_start_cpu() (header.S). */
void __secondary_entry(void);

#endif /* !_INMATE_ARCH_H */
