/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: CPU helpers (registers, MSRs, ports). */

#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#define X86_CR0_PE		(1UL << 0)
#define X86_CR0_PG		(1UL << 31)
#define X86_CR4_PAE		(1UL << 5)
#define X86_CR4_PGE		(1UL << 7)
#define X86_RFLAGS_IF		(1UL << 9)

/* exception vectors the hypervisor injects or intercepts */
#define EXC_DB			1
#define EXC_UD			6
#define EXC_DF			8
#define EXC_GP			13
#define EXC_AC			17

#define X86_XAPIC_BASE		0xfee00000UL

#define MSR_IA32_TSC		0x10
#define MSR_IA32_PAT		0x277
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_EFER		0xc0000080
#define EFER_LME		(1UL << 8)
#define EFER_LMA		(1UL << 10)
#define EFER_NXE		(1UL << 11)

/* The debug UART may sit in I/O space (see hv/uart.h). */
#define ARCH_HAS_PIO		1
/* The root OS offlines CPUs itself; creating a cell parks them (control.h). */
#define ARCH_CELL_CREATE_PARKS_CPUS	1
#define ARCH_CELL_START_ALL_CPUS	1
#define ARCH_HAS_PIO_AND_PCI		1
#define ARCH_HAS_IOMMU			1
/* ivshmem functions interrupt through MSI-X (arch/x86/ivshmem.c). */
#define ARCH_HAS_IVSHMEM_IRQ		1

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

/*
 * Requests to other CPUs are flags in their per-CPU blocks; a CPU waiting
 * for one polls.  A CPU running guest code is kicked out of it by the
 * vendor's event (arch_send_event).
 */
static inline void cpu_wait_event(void)
{
	cpu_relax();
}

static inline void cpu_send_event(void)
{
	asm volatile("" : : : "memory");
}

static inline unsigned long long read_msr(unsigned int msr)
{
	unsigned int lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return lo | ((unsigned long long)hi << 32);
}

static inline void write_msr(unsigned int msr, unsigned long long val)
{
	asm volatile("wrmsr" : : "c" (msr), "a" ((unsigned int)val),
		     "d" ((unsigned int)(val >> 32)) : "memory");
}

/*
 * XSETBV of XCR0 and WRMSR with a guest's value: 0, or -1 if the CPU
 * refused it with a fault (entry.S), which never stops the hypervisor.
 */
int x86_guarded_xsetbv(unsigned long long xcr0);
int x86_guarded_wrmsr(unsigned int msr, unsigned long long val);
int x86_guarded_xrstor(const void *area);

#define read_cr(n) ({ unsigned long __v;				\
	asm volatile("mov %%cr" #n ", %0" : "=r" (__v)); __v; })
#define write_cr(n, v) \
	asm volatile("mov %0, %%cr" #n : : "r" ((unsigned long)(v)) : "memory")

/* DR6 after reset (and INIT): all reserved bits set, no cause. */
#define X86_DR6_RESET		0xffff0ff0UL

static inline unsigned long read_dr6(void)
{
	unsigned long val;

	asm volatile("mov %%dr6, %0" : "=r" (val));
	return val;
}

static inline void write_dr6(unsigned long val)
{
	asm volatile("mov %0, %%dr6" : : "r" (val));
}

static inline unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return lo | ((unsigned long long)hi << 32);
}

static inline void cpuid(unsigned int leaf, unsigned int sub,
			 unsigned int regs[4])
{
	asm volatile("cpuid" : "=a" (regs[0]), "=b" (regs[1]), "=c" (regs[2]),
		     "=d" (regs[3]) : "a" (leaf), "c" (sub));
}

static inline void outb(unsigned char val, unsigned short port)
{
	asm volatile("outb %0, %1" : : "a" (val), "Nd" (port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char val;

	asm volatile("inb %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

#endif
