/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: helpers for arch/<arch>/asm-defines.c, whose values
 * reach assembly code through the generated <generated/asm-defines.h>.
 * DEFINE(NAME, value) states a constant, OFFSET(NAME, struct, member) a
 * member's offset.  The compiler evaluates them; the build reads its -S
 * output behind the "=>" marker (site_scons/site_tools/asmoffsets.py).
 */

#ifndef _HV_ASM_OFFSETS_H
#define _HV_ASM_OFFSETS_H

#define DEFINE(sym, val) \
	asm volatile("\n.ascii \"=>" #sym " %0\"" : : "i" (val))

#define OFFSET(sym, str, mem) \
	DEFINE(sym, __builtin_offsetof(struct str, mem))

#endif
