/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library, arm64 part (see include/root.h). */

#ifndef _ROOT_ARCH_H
#define _ROOT_ARCH_H

#define PSCI_FN_NATIVE	0xc4000000UL	/* SMC64 */

/* where a CPU the root turned off comes back (hypstub.S) */
#define ROOT_CPU_ENTRY	secondary_el1_entry
void secondary_el1_entry(void);

#include <root-arm.h>

#endif
