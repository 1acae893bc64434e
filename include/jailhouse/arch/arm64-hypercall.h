/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: ARMv8 (AArch64) hypercall invocation */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_ARM64_HYPERCALL_H
#define _JAILHOUSE_ARCH_ARM64_HYPERCALL_H

#ifndef __ASSEMBLY__
#define __JAILHOUSE_HVC		"hvc #0x4a48"
#define __JAILHOUSE_REG(n)	"x" #n
typedef __u64 __jailhouse_reg_t;
#endif

#include <jailhouse/arch/arm-common-hypercall.h>

/* Data cache maintenance by set/way (HCR_EL2.TSW). */
#define JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY	(JAILHOUSE_GENERIC_CPU_STATS + 5)
#define JAILHOUSE_NUM_CPU_STATS			(JAILHOUSE_GENERIC_CPU_STATS + 6)

#endif /* !_JAILHOUSE_ARCH_ARM64_HYPERCALL_H */
