/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: ARMv7 (AArch32) hypercall invocation */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_ARM_HYPERCALL_H
#define _JAILHOUSE_ARCH_ARM_HYPERCALL_H

#ifndef __ASSEMBLY__
#define __JAILHOUSE_HVC		".arch_extension virt\n\t" "hvc #0x4a48"
#define __JAILHOUSE_REG(n)	"r" #n
typedef __u32 __jailhouse_reg_t;
#endif

#include <jailhouse/arch/arm-common-hypercall.h>

/* ARMv7 traps CP15 accesses as well. */
#define JAILHOUSE_CPU_STAT_VMEXITS_CP15		(JAILHOUSE_GENERIC_CPU_STATS + 5)
/* Data cache maintenance by set/way (HCR.TSW). */
#define JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY	(JAILHOUSE_GENERIC_CPU_STATS + 6)
#define JAILHOUSE_NUM_CPU_STATS			(JAILHOUSE_GENERIC_CPU_STATS + 7)

#endif /* !_JAILHOUSE_ARCH_ARM_HYPERCALL_H */
