/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: port I/O, MSRs, CPUID, TSC (32 and 64 bit). */

#ifndef _INMATE_ARCH_H
#define _INMATE_ARCH_H

#include <inmate.h>

/* The generic 8250 driver may use I/O ports. */
#define ARCH_HAS_PIO

/*
 * Point the interrupt table's entry @vector to @handler, an assembly entry
 * of the caller's that ends in iret (tests that catch their own
 * exceptions).  The rest of the entry stays as the library set it up.
 */
void int_set_gate(unsigned int vector, const void *handler);

static inline void outb(u8 value, u16 port)
{
	asm volatile("outb %0,%1" : : "a" (value), "Nd" (port));
}

static inline void outw(u16 value, u16 port)
{
	asm volatile("outw %0,%1" : : "a" (value), "Nd" (port));
}

static inline void outl(u32 value, u16 port)
{
	asm volatile("outl %0,%1" : : "a" (value), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 value;

	asm volatile("inb %1,%0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline u16 inw(u16 port)
{
	u16 value;

	asm volatile("inw %1,%0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline u32 inl(u16 port)
{
	u32 value;

	asm volatile("inl %1,%0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline u64 read_msr(u32 msr)
{
	u32 low, high;

	asm volatile("rdmsr" : "=a" (low), "=d" (high) : "c" (msr));
	return low | (u64)high << 32;
}

static inline void write_msr(u32 msr, u64 value)
{
	asm volatile("wrmsr" : : "c" (msr), "a" ((u32)value),
		     "d" ((u32)(value >> 32)) : "memory");
}

static inline void cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx, u32 *ecx,
			 u32 *edx)
{
	asm volatile("cpuid"
		     : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
		     : "a" (leaf), "c" (subleaf));
}

static inline u64 rdtsc(void)
{
	u32 low, high;

	asm volatile("rdtsc" : "=a" (low), "=d" (high));
	return low | (u64)high << 32;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

#endif /* !_INMATE_ARCH_H */
