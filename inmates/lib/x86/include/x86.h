/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: internal interfaces between its files. */

#ifndef _INMATE_X86_H
#define _INMATE_X86_H

#include <inmate.h>

/* Stack of the CPU being started (header.S reads it), 0 otherwise. */
extern volatile unsigned long smp_boot_stack;

/* First CPU, from header.S: comm region, console, interrupts, main. */
void __inmate_start(void);
/* Other CPUs, from header.S on the stack smp_start_cpu() gave them. */
void __secondary_start(void);

/* Build (once) and load the interrupt descriptor table on this CPU. */
void __int_load_table(void);
/* Called by the interrupt stubs (int-entry.S). */
void __int_dispatch(unsigned long vector, unsigned long *frame);
/* Enable this CPU's local APIC (software enable, TPR 0). */
void __apic_cpu_init(void);
/* Send an IPI: @low is the ICR's lower word (vector, delivery mode). */
void __apic_send(u32 apic_id, u32 low);

#endif /* !_INMATE_X86_H */
