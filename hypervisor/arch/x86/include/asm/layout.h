/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: virtual memory layout of the hypervisor.
 * Its memory is mapped at JAILHOUSE_BASE (upstream's address, in the last
 * 256 MiB, as -mcmodel=kernel wants), the remap pool 128 MiB above.  The
 * memory region must be 2 MiB aligned and at most 128 MiB.
 */

#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#define PAGE_SIZE		4096
#define JAILHOUSE_BASE		0xfffffffff0000000
#define REMAP_BASE		0xfffffffff8000000
#define HV_MEM_MAX		0x8000000
#define HV_MEM_ALIGN		0x200000
#define JAILHOUSE_ARCH_ID	0	/* JAILHOUSE_X86 */

#endif
