/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: CPU helpers. */

#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#include <asm/sysregs.h>

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

/** Sleep until an event (sev from another CPU) or an interrupt. */
static inline void cpu_wait_event(void)
{
	asm volatile("wfe" : : : "memory");
}

static inline void cpu_send_event(void)
{
	asm volatile("dsb ish; sev" : : : "memory");
}

#endif
