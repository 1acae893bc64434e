/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, arm64: virtual memory layout at EL2.
 * The hypervisor memory is mapped at JAILHOUSE_BASE (a 1 GiB aligned
 * address in the last 1 GiB of the 48-bit range), the remap pool 512 MiB
 * above it.  The memory region must be 2 MiB aligned and at most 512 MiB.
 */

#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#define PAGE_SIZE		4096
#define JAILHOUSE_BASE		0xffffc0000000
#define REMAP_BASE		0xffffe0000000
#define HV_MEM_MAX		0x20000000
#define HV_MEM_ALIGN		0x200000
#define JAILHOUSE_ARCH_ID	2	/* JAILHOUSE_ARM64 */

#endif
