/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: internal interfaces of the shared code. */

#ifndef _INMATE_ARM_COMMON_H
#define _INMATE_ARM_COMMON_H

#include <inmate.h>

/* Exception kinds handed to __exception_handler() by the entry code. */
#define EXC_SYNC	0
#define EXC_IRQ		1
#define EXC_FIQ		2
#define EXC_SERROR	3
#define EXC_OTHER	4

/* Largest number of CPUs the per-CPU tables hold (indexed by Aff0). */
#define MAX_CPUS	16

/* Hand-over to a secondary CPU: header.S loads the stack from offset 0. */
struct boot_ctx {
	unsigned long stack_top;
	void (*entry)(void *arg);
	void *arg;
};

/* Boot CPU: called by header.S after stack, vectors and BSS. */
void __inmate_start(void);
/* Secondary CPU: called by header.S with the context given to CPU_ON. */
void __secondary_start(struct boot_ctx *ctx);

/* Choose the PSCI conduit (at start-up, while comm_region tells whether
 * the hypervisor is there). */
void __psci_init(void);

/* Handle an IRQ exception; @stamp is the counter value at entry. */
void __irq_handle(u64 stamp);

/* From the data abort handler: true (and the fault is noted) if a
 * probe_read32() is in progress, so the access is to be skipped. */
bool __probe_skip_fault(void);

/* Index of the calling CPU in per-CPU tables. */
unsigned int cpu_index(void);

/* GIC back ends. */
struct gic_ops {
	void (*init_dist)(void);
	void (*init_cpu)(void);
	void (*enable)(unsigned int irq, bool enable);
	void (*send_sgi)(unsigned long mpidr, unsigned int sgi);
	u32 (*read_ack)(void);
	void (*write_eoi)(u32 irq);
};
extern const struct gic_ops gicv2_ops, gicv3_ops;
extern unsigned long gicd_base, gicc_base, gicr_base;

#endif /* !_INMATE_ARM_COMMON_H */
