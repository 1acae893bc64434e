/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: comm region, statistics and hypercalls shared by ARM and ARM64 */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_ARM_COMMON_HYPERCALL_H
#define _JAILHOUSE_ARCH_ARM_COMMON_HYPERCALL_H

/* Immediate of the hypercall instruction: hvc #0x4a48 ("JH"). */
#define JAILHOUSE_HVC_CODE			0x4a48

/* ARM statistic counters, after the generic ones. */
#define JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE	(JAILHOUSE_GENERIC_CPU_STATS + 0)
#define JAILHOUSE_CPU_STAT_VMEXITS_VIRQ		(JAILHOUSE_GENERIC_CPU_STATS + 1)
#define JAILHOUSE_CPU_STAT_VMEXITS_VSGI		(JAILHOUSE_GENERIC_CPU_STATS + 2)
#define JAILHOUSE_CPU_STAT_VMEXITS_PSCI		(JAILHOUSE_GENERIC_CPU_STATS + 3)
#define JAILHOUSE_CPU_STAT_VMEXITS_SMCCC	(JAILHOUSE_GENERIC_CPU_STATS + 4)

#ifndef __ASSEMBLY__
/** Communication region of an ARM or ARM64 cell (100 bytes used). */
struct jailhouse_comm_region {
	COMM_REGION_GENERIC_HEADER;
	/** 2 or 3. */
	__u8 gic_version;
	__u8 padding[7];
	__u64 gicd_base;
	__u64 gicc_base;
	__u64 gicr_base;
	/** First SPI used for the cell's virtual PCI devices. */
	__u32 vpci_irq_base;
} __jailhouse_packed;

/*
 * Hypercalls: code in r0/x0, arguments in r1/x1 and r2/x2, result in r0/x0.
 * The including arch header defines __JAILHOUSE_HVC (the instruction),
 * __JAILHOUSE_REG(n) (register n's name) and __jailhouse_reg_t (its type).
 */
static inline __jailhouse_reg_t jailhouse_call(__jailhouse_reg_t num)
{
	register __jailhouse_reg_t r0 asm(__JAILHOUSE_REG(0)) = num;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : : "memory");
	return r0;
}

static inline __jailhouse_reg_t
jailhouse_call_arg1(__jailhouse_reg_t num, __jailhouse_reg_t arg1)
{
	register __jailhouse_reg_t r0 asm(__JAILHOUSE_REG(0)) = num;
	register __jailhouse_reg_t r1 asm(__JAILHOUSE_REG(1)) = arg1;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : "r" (r1) : "memory");
	return r0;
}

static inline __jailhouse_reg_t
jailhouse_call_arg2(__jailhouse_reg_t num, __jailhouse_reg_t arg1,
		    __jailhouse_reg_t arg2)
{
	register __jailhouse_reg_t r0 asm(__JAILHOUSE_REG(0)) = num;
	register __jailhouse_reg_t r1 asm(__JAILHOUSE_REG(1)) = arg1;
	register __jailhouse_reg_t r2 asm(__JAILHOUSE_REG(2)) = arg2;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : "r" (r1), "r" (r2)
		     : "memory");
	return r0;
}

/* Orders the comm-region stores of the message helpers in hypercall.h. */
#define __JAILHOUSE_STORE_FENCE	"dmb ishst"

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ARCH_ARM_COMMON_HYPERCALL_H */
