/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARMv7: constants the assembly code needs. */

#include <hv/asm-offsets.h>

void common(void);

void common(void)
{
	GENERIC_ASM_DEFINES();
	OFFSET(PERCPU_HOST, per_cpu, arch.host);
}
