/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: ARMv8 (AArch64) hypercall invocation */

/* Outside the guard: the generic header includes us back at its end. */
#include <jailhouse/hypercall.h>

#ifndef _JAILHOUSE_ARCH_ARM64_HYPERCALL_H
#define _JAILHOUSE_ARCH_ARM64_HYPERCALL_H

#include <jailhouse/arch/arm-common-hypercall.h>

#define JAILHOUSE_NUM_CPU_STATS			(JAILHOUSE_GENERIC_CPU_STATS + 5)

#ifndef __ASSEMBLY__

#define __JAILHOUSE_HVC		"hvc #0x4a48"

static inline __u64 jailhouse_call(__u64 num)
{
	register __u64 r0 asm("x0") = num;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : : "memory");
	return r0;
}

static inline __u64 jailhouse_call_arg1(__u64 num, __u64 arg1)
{
	register __u64 r0 asm("x0") = num;
	register __u64 r1 asm("x1") = arg1;

	asm volatile(__JAILHOUSE_HVC : "+r" (r0) : "r" (r1) : "memory");
	return r0;
}

static inline __u64 jailhouse_call_arg2(__u64 num, __u64 arg1, __u64 arg2)
{
	register __u64 r0 asm("x0") = num;
	register __u64 r1 asm("x1") = arg1;
	register __u64 r2 asm("x2") = arg2;

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

#endif /* !_JAILHOUSE_ARCH_ARM64_HYPERCALL_H */
