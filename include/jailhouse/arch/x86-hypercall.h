/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: x86 comm region and hypercall invocation */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_X86_HYPERCALL_H
#define _JAILHOUSE_ARCH_X86_HYPERCALL_H

/* x86 statistic counters, after the generic ones. */
#define JAILHOUSE_CPU_STAT_VMEXITS_PIO		(JAILHOUSE_GENERIC_CPU_STATS + 0)
#define JAILHOUSE_CPU_STAT_VMEXITS_XAPIC	(JAILHOUSE_GENERIC_CPU_STATS + 1)
#define JAILHOUSE_CPU_STAT_VMEXITS_CR		(JAILHOUSE_GENERIC_CPU_STATS + 2)
#define JAILHOUSE_CPU_STAT_VMEXITS_CPUID	(JAILHOUSE_GENERIC_CPU_STATS + 3)
#define JAILHOUSE_CPU_STAT_VMEXITS_XSETBV	(JAILHOUSE_GENERIC_CPU_STATS + 4)
#define JAILHOUSE_CPU_STAT_VMEXITS_EXCEPTION	(JAILHOUSE_GENERIC_CPU_STATS + 5)
#define JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER	(JAILHOUSE_GENERIC_CPU_STATS + 6)
#define JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR (JAILHOUSE_GENERIC_CPU_STATS + 7)
#define JAILHOUSE_NUM_CPU_STATS			(JAILHOUSE_GENERIC_CPU_STATS + 8)

/* CPUID leaves answered by the hypervisor; the signature leaf returns
 * "Jail", "hous", "e\0\0\0" in EBX, ECX, EDX. */
#define JAILHOUSE_CPUID_SIGNATURE		0x40000000
#define JAILHOUSE_CPUID_FEATURES		0x40000001

#ifndef __ASSEMBLY__

/** Communication region of an x86 cell (76 bytes used). */
struct jailhouse_comm_region {
	COMM_REGION_GENERIC_HEADER;
	/** I/O port of the ACPI PM timer. */
	__u16 pm_timer_address;
	/** Number of CPUs of the cell. */
	__u16 num_cpus;
	/** TSC frequency in kHz. */
	__u32 tsc_khz;
	/** APIC timer frequency in kHz, 0 if TSC deadline mode is usable. */
	__u32 apic_khz;
} __jailhouse_packed;

/*
 * Which instruction to use: non-zero for Intel's vmcall, zero for AMD's
 * vmmcall. The user of the call helpers defines and sets this variable.
 */
extern _Bool jailhouse_use_vmcall;

#define __JAILHOUSE_X86_CALL						\
	"cmpb $0, %[use_vmcall]\n\t"					\
	"je 1f\n\t"							\
	"vmcall\n\t"							\
	"jmp 2f\n"							\
	"1:\tvmmcall\n"							\
	"2:"

static inline unsigned long jailhouse_call(unsigned long num)
{
	unsigned long result;

	asm volatile(__JAILHOUSE_X86_CALL
		     : "=a" (result)
		     : [use_vmcall] "m" (jailhouse_use_vmcall), "a" (num)
		     : "memory");
	return result;
}

static inline unsigned long jailhouse_call_arg1(unsigned long num,
						unsigned long arg1)
{
	unsigned long result;

	asm volatile(__JAILHOUSE_X86_CALL
		     : "=a" (result)
		     : [use_vmcall] "m" (jailhouse_use_vmcall), "a" (num),
		       "D" (arg1)
		     : "memory");
	return result;
}

static inline unsigned long jailhouse_call_arg2(unsigned long num,
						unsigned long arg1,
						unsigned long arg2)
{
	unsigned long result;

	asm volatile(__JAILHOUSE_X86_CALL
		     : "=a" (result)
		     : [use_vmcall] "m" (jailhouse_use_vmcall), "a" (num),
		       "D" (arg1), "S" (arg2)
		     : "memory");
	return result;
}

/* Orders the comm-region stores of the message helpers in hypercall.h. */
#define __JAILHOUSE_STORE_FENCE	"mfence"

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ARCH_X86_HYPERCALL_H */
