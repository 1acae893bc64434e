/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: virtual memory layout in HYP mode.  The
 * hypervisor memory is mapped at JAILHOUSE_BASE, the remap pool above it.
 */

#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#define PAGE_SIZE		4096
#define JAILHOUSE_BASE		0xf0000000
#define REMAP_BASE		0xf8000000
#define HV_MEM_MAX		0x08000000
#define HV_MEM_ALIGN		0x200000
#define JAILHOUSE_ARCH_ID	1	/* JAILHOUSE_ARM */

#endif
