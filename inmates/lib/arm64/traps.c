/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, arm64: exception dispatch at EL1. */

#include <arch.h>
#include <arm-common.h>

/* Saved by header.S on every exception. */
struct exc_frame {
	unsigned long x[31];
	unsigned long elr;
	unsigned long spsr;
	unsigned long pad;
};

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR		0x25

static const char *const kinds[] = {
	"synchronous", "IRQ", "FIQ", "SError", "unexpected vector"
};

void __exception_handler(struct exc_frame *frame, unsigned long kind,
			 u64 stamp);

void __exception_handler(struct exc_frame *frame, unsigned long kind,
			 u64 stamp)
{
	unsigned long esr = __sysreg_read(esr_el1);

	if (kind == EXC_IRQ) {
		__irq_handle(stamp);
		return;
	}
	if (kind == EXC_SYNC && ESR_EC(esr) == ESR_EC_DABT_CUR &&
	    __probe_skip_fault()) {
		frame->elr += 4;
		return;
	}
	printk("Unhandled %s exception on CPU %lx: ESR %lx ELR %lx FAR %lx\n",
	       kinds[kind < 5 ? kind : 4], cpu_mpidr(), esr, frame->elr,
	       __sysreg_read(far_el1));
	stop();
}
