/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: the generic entry, called by each arch's entry code. */

#ifndef _HV_ENTRY_H
#define _HV_ENTRY_H

#include <hv/percpu.h>

/** Name of this image's architecture variant, e.g. "arm64" or "x86 AMD-V". */
extern const char arch_name[];

/**
 * Generic per-CPU entry.
 * @param cpu_data	This CPU's per-CPU block, stack already switched.
 * @return 0 on success, negative errno on failure.
 */
int entry(struct per_cpu *cpu_data);

#endif
