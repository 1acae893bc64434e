/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse driver: what arm.c and arm64.c provide to arm-common.c. */

#ifndef _JAILHOUSE_DRIVER_ARM_H
#define _JAILHOUSE_DRIVER_ARM_H

/*
 * Linux's hyp stubs (32-bit HYP mode, 64-bit EL2) share their selectors
 * and their answer to a selector they do not know.
 */
#define JH_STUB_SOFT_RESTART	1
/* A selector neither stub knows (nor gives a meaning to in the future). */
#define JH_STUB_PROBE		4
#define JH_STUB_ERR		0xbadca11UL

/** Name of the hypervisor mode in messages ("EL2", "HYP mode"). */
extern const char jh_arm_hyp_mode[];
/** What to do when something else than the stub answers. */
extern const char jh_arm_not_stub_hint[];

/**
 * Checks that need no call into the hypervisor mode: the CPU has it and
 * the kernel left it to its stub.  Prints why not.
 */
int jh_arm_check_cpu(void);
/** hvc #0 with the selector in r0/x0; returns r0/x0. */
unsigned long jh_arm_stub_call(unsigned long selector);
/** Cache Type Register (CTR / CTR_EL0): DminLine is bits 19:16 in both. */
unsigned long jh_arm_read_ctr(void);
/** Clean and invalidate one data cache line by virtual address to PoC. */
void jh_arm_clean_inval_line(unsigned long addr);

#endif /* !_JAILHOUSE_DRIVER_ARM_H */
