/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86: link address and page size. */

#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#define PAGE_SIZE	4096
#define JAILHOUSE_BASE	0xfffffffff0000000

#endif
