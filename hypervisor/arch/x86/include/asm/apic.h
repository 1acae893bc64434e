/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: the local APIC emulation (apic.c). */

#ifndef _ASM_APIC_H
#define _ASM_APIC_H

#include <hv/percpu.h>

struct cell;

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_X2APIC	(1ULL << 10)

/** Note this CPU's APIC ID and logical destination (arch_cpu_init). */
void apic_cpu_init(struct per_cpu *c);
/** Clear this CPU's APIC for its cell's fresh start, the root's mode. */
void apic_reset_cpu(struct per_cpu *c);
/** Kick @p target out of guest mode (an NMI, intercepted). */
void apic_send_nmi(struct per_cpu *target);
/**
 * Whether an interrupt message from the IOAPIC or a device (MSI) for the
 * 8-bit destination @p dest, @p logical or physical, reaches at least one
 * CPU and only CPUs of @p cpus (logical destinations as the CPUs' LDRs
 * now are; 0xff: every CPU).
 */
bool apic_dest_only(const struct cpu_set *cpus, u32 dest, bool logical);
/**
 * Send fixed interrupt @p vector (16..255) to the CPUs of @p cell that
 * @p dest names (with @p lowest: the first of them), as a message of a
 * virtual device of the cell.  CPUs of other cells never get it, also
 * when the cell has just lost them.
 */
void apic_send_to_cell(struct cell *cell, u32 dest, bool logical,
		       bool lowest, unsigned int vector);
/** TSC and APIC timer (divide by 1) frequencies measured at enable. */
u32 apic_tsc_khz(void);
u32 apic_timer_khz(void);

#endif
