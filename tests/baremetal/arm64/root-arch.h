/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library, arm64 part (see include/root.h). */

#ifndef _ROOT_ARCH_H
#define _ROOT_ARCH_H

#define PSCI_FN_NATIVE	0xc4000000UL	/* SMC64 */

/* The CPU the shared ARM scenarios run their probe cell on. */
#define PROBE_CPU	2
/* The CPU's physical address size (QEMU's cortex-a57: ID_AA64MMFR0_EL1.PARange 44 bits). */
#define ROOT_PA_BITS	44

/* A configuration for the other ARM architecture, which this one refuses. */
#define ROOT_OTHER_ARCH	JAILHOUSE_ARM

#include <root-arm.h>

#endif
