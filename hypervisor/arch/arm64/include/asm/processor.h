/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: CPU helpers. */

#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#include <asm/sysregs.h>

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

void gic_handle_events(void);

/**
 * Sleep until an interrupt, normally the event SGI of arch_send_event()
 * (which stays pending if it arrived before: no wake-up is lost), and
 * acknowledge the events.  wfi really idles the CPU, also in an emulator.
 */
static inline void cpu_wait_event(void)
{
	asm volatile("wfi" : : : "memory");
	gic_handle_events();
}

static inline void cpu_send_event(void)
{
	asm volatile("dsb ish; sev" : : : "memory");
}

#endif
