/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: one CPU, its block is a variable of the test program. */

#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

struct per_cpu;

struct per_cpu_arch {
	unsigned long phys_id;
};

extern struct per_cpu host_cpu;

static inline struct per_cpu *this_cpu_data(void)
{
	return &host_cpu;
}

#endif
