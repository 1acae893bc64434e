/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: comm region and statistics shared by ARM and ARM64 */

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
#endif

#endif /* !_JAILHOUSE_ARCH_ARM_COMMON_HYPERCALL_H */
