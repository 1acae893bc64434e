/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library, ARMv7 part (see include/root.h). */

#ifndef _ROOT_ARCH_H
#define _ROOT_ARCH_H

#define PSCI_FN_NATIVE	0x84000000UL	/* SMC32 */

/* The CPU the shared ARM scenarios run their probe cell on. */
#define PROBE_CPU	3
/* The CPU's physical address size (LPAE: 40-bit physical addresses). */
#define ROOT_PA_BITS	40

/* A configuration for the other ARM architecture, which this one refuses. */
#define ROOT_OTHER_ARCH	JAILHOUSE_ARM64

#include <root-arm.h>

#endif
