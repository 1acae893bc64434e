/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library, ARMv7 part (see include/root.h). */

#ifndef _ROOT_ARCH_H
#define _ROOT_ARCH_H

#define PSCI_FN_NATIVE	0x84000000UL	/* SMC32 */

/* where a CPU the root turned off comes back (hypstub.S) */
#define ROOT_CPU_ENTRY	secondary_svc_entry
void secondary_svc_entry(void);

#include <root-arm.h>

#endif
