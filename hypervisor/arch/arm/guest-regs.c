/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: the registers a trapped instruction names,
 * in the mode the guest trapped from.  The exit frame holds r0..r12 and
 * lr as HYP mode sees them, which are USR mode's; FIQ mode has its own
 * r8..r12, and every PL1 mode its own sp and lr (USR and SYS share
 * theirs).  An MMIO access or coprocessor transfer from such a mode must
 * use that mode's copy: the banked ones are read and written in place with
 * MRS/MSR (banked register), which HYP mode may use on every other mode.
 */

#include <hv/percpu.h>
#include <asm/frame.h>

#define PSR_MODE_MASK	0x1f
#define PSR_MODE_USR	0x10
#define PSR_MODE_FIQ	0x11
#define PSR_MODE_IRQ	0x12
#define PSR_MODE_SVC	0x13
#define PSR_MODE_ABT	0x17
#define PSR_MODE_UND	0x1b
#define PSR_MODE_SYS	0x1f

#define BANKED(reg)							\
	do {								\
		if (write)						\
			asm volatile("msr " #reg ", %0" : : "r" (*val));	\
		else							\
			asm volatile("mrs %0, " #reg : "=r" (*val));	\
		return true;						\
	} while (0)

#define SP_LR(mode)							\
	do {								\
		if (n == 13)						\
			BANKED(sp_##mode);				\
		if (n == 14)						\
			BANKED(lr_##mode);				\
	} while (0)

/* The guest's mode at the exit (SPSR_hyp). */
static unsigned long guest_mode(void)
{
	unsigned long spsr;

	asm volatile("mrs %0, spsr" : "=r" (spsr));
	return spsr & PSR_MODE_MASK;
}

/* Access register @n of the trapping mode if it is a banked one. */
static bool banked_access(unsigned int n, bool write, unsigned long *val)
{
	switch (guest_mode()) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		if (n == 13)
			BANKED(sp_usr);
		break;
	case PSR_MODE_FIQ:
		switch (n) {
		case 8: BANKED(r8_fiq);
		case 9: BANKED(r9_fiq);
		case 10: BANKED(r10_fiq);
		case 11: BANKED(r11_fiq);
		case 12: BANKED(r12_fiq);
		}
		SP_LR(fiq);
		break;
	case PSR_MODE_IRQ:
		SP_LR(irq);
		break;
	case PSR_MODE_SVC:
		SP_LR(svc);
		break;
	case PSR_MODE_ABT:
		SP_LR(abt);
		break;
	case PSR_MODE_UND:
		SP_LR(und);
		break;
	}
	return false;
}

/* The frame slot of register @n that is not banked: -1 for none. */
static int frame_slot(unsigned int n)
{
	return n < 13 ? (int)n : n == 14 ? 13 : -1;
}

/* pc (and an sp of no mode) read as 0, writes to them are dropped. */
unsigned long arm_guest_reg(struct trap_context *ctx, unsigned int n)
{
	unsigned long val = 0;
	int slot;

	if (!banked_access(n, false, &val) && (slot = frame_slot(n)) >= 0)
		val = ctx->regs[slot];
	return val;
}

void arm_set_guest_reg(struct trap_context *ctx, unsigned int n,
		       unsigned long val)
{
	int slot;

	if (!banked_access(n, true, &val) && (slot = frame_slot(n)) >= 0)
		ctx->regs[slot] = val;
}
