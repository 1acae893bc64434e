/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: per-CPU data, one page-aligned block per CPU. */

#ifndef _HV_PERCPU_H
#define _HV_PERCPU_H

#include <hv/types.h>
#include <asm/layout.h>

#define PERCPU_STACK_SIZE	(4 * PAGE_SIZE)

struct per_cpu {
	u8 stack[PERCPU_STACK_SIZE];
	unsigned int cpu_id;
} __attribute__((aligned(PAGE_SIZE)));

#endif
