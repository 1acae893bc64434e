/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARM (v7 and v8): CPU helpers. */

#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

/* ivshmem interrupts: INTx of the virtual PCI host (vpci.c) */
#define ARCH_HAS_IVSHMEM_IRQ	1

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

/** Acknowledge the hypervisor events (SGIs) pending on this CPU. */
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
