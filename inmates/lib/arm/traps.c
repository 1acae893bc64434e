/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARMv7: exception dispatch. */

#include <arch.h>
#include <arm-common.h>

/* Saved by header.S on every exception. */
struct exc_frame {
	u32 r[5];
	u32 r12;
	u32 lr;
	u32 pc;
	u32 cpsr;
};

static const char *const kinds[] = {
	"data abort", "IRQ", "FIQ", "SError", "unexpected"
};

void __exception_handler(struct exc_frame *frame, unsigned long kind,
			 u64 stamp);

void __exception_handler(struct exc_frame *frame, unsigned long kind,
			 u64 stamp)
{
	if (kind == EXC_IRQ) {
		__irq_handle(stamp);
		return;
	}
	if (kind == EXC_SYNC && __probe_skip_fault()) {
		frame->pc += 4;
		return;
	}
	printk("Unhandled %s exception on CPU %lx: PC %x CPSR %x DFSR %x "
	       "DFAR %x\n", kinds[kind < 5 ? kind : 4], cpu_mpidr(),
	       frame->pc, frame->cpsr, __cp15_read(0, c5, c0, 0),
	       __cp15_read(0, c6, c0, 0));
	stop();
}
