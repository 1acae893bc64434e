/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: the generic entry, called by each arch's entry code. */

#ifndef _HV_ENTRY_H
#define _HV_ENTRY_H

#include <hv/percpu.h>

/** Name of this image's architecture variant, e.g. "arm64" or "x86 AMD-V". */
extern const char arch_name[];

/**
 * Generic per-CPU entry, called once on every online CPU.
 * @param cpu_data	This CPU's per-CPU block, stack already switched,
 *			cpu_id and phys_base filled in by the arch entry.
 * @return 0 on success: the arch code returns to the caller, which now runs
 * as the root cell.  On failure the function does not return: every CPU
 * gives the same error back to its caller through arch_cpu_restore().
 */
int entry(struct per_cpu *cpu_data);

#endif
