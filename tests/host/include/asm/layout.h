/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests: the hypervisor's address space is a buffer of the test
 * program, so its base addresses are variables (set up by host_init()).
 */

#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#define PAGE_SIZE		4096
#define JAILHOUSE_BASE		host_hv_base
#define REMAP_BASE		host_remap_base
#define HV_MEM_MAX		0x20000000
#define HV_MEM_ALIGN		0x200000
#define JAILHOUSE_ARCH_ID	2

#ifndef __ASSEMBLY__
extern unsigned long host_hv_base, host_remap_base;
#endif

#endif
