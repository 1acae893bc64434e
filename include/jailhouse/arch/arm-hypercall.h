/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: ARMv7 (AArch32) hypercall invocation */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_ARM_HYPERCALL_H
#define _JAILHOUSE_ARCH_ARM_HYPERCALL_H

#include <jailhouse/arch/arm-common-hypercall.h>

/* ARMv7 traps CP15 accesses as well. */
#define JAILHOUSE_CPU_STAT_VMEXITS_CP15		(JAILHOUSE_GENERIC_CPU_STATS + 5)
#define JAILHOUSE_NUM_CPU_STATS			(JAILHOUSE_GENERIC_CPU_STATS + 6)

#ifndef __ASSEMBLY__

#define __JAILHOUSE_HVC		".arch_extension virt\n\t" "hvc #0x4a48"

static inline __u32 jailhouse_call(__u32 num)
{
	register __u32 r0 asm("r0") = num;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : : "memory");
	return r0;
}

static inline __u32 jailhouse_call_arg1(__u32 num, __u32 arg1)
{
	register __u32 r0 asm("r0") = num;
	register __u32 r1 asm("r1") = arg1;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : "r" (r1) : "memory");
	return r0;
}

static inline __u32 jailhouse_call_arg2(__u32 num, __u32 arg1, __u32 arg2)
{
	register __u32 r0 asm("r0") = num;
	register __u32 r1 asm("r1") = arg1;
	register __u32 r2 asm("r2") = arg2;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : "r" (r1), "r" (r2)
		     : "memory");
	return r0;
}

/* Hypervisor side: post a message, clearing the previous reply first. */
static inline void
jailhouse_send_msg_to_cell(struct jailhouse_comm_region *comm_region,
			   __u32 msg)
{
	comm_region->reply_from_cell = JAILHOUSE_MSG_NONE;
	asm volatile("dmb ishst" : : : "memory");
	comm_region->msg_to_cell = msg;
}

/* Cell side: answer a message, clearing it first. */
static inline void
jailhouse_send_reply_from_cell(struct jailhouse_comm_region *comm_region,
			       __u32 reply)
{
	comm_region->msg_to_cell = JAILHOUSE_MSG_NONE;
	asm volatile("dmb ishst" : : : "memory");
	comm_region->reply_from_cell = reply;
}

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ARCH_ARM_HYPERCALL_H */
