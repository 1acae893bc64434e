/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: image header and entry (placeholder: the
 * entry refuses with -ENOSYS until the ARMv7 port lands).
 */

#include <generated/asm-defines.h>
#include <generated/config.h>
#include <asm/layout.h>
#include <jailhouse/header.h>

#define ENOSYS		38

	.section .header, "aw"
	.globl	hypervisor_header
hypervisor_header:
	.asciz	JAILHOUSE_HEADER_SIGNATURE
	.word	JAILHOUSE_HEADER_REVISION, JAILHOUSE_ARCH_ID
	.word	arch_entry - hypervisor_header, 0
	.word	__image_end - hypervisor_header, 0
	.word	PERCPU_SIZE, 0
	.word	console_ring - hypervisor_header, 0
	.word	CONFIG_MAX_CPUS, 0
	.word	0, 0			/* possible_cpus, online_cpus */
	.quad	0, 0			/* config_offset, config_size */
	.word	0, 0			/* entered_cpus, entry_status */
	.fill	5, 8, 0

	.arm
	.section .text.entry, "ax"
	.globl	arch_entry
arch_entry:
	mvn	r0, #(ENOSYS - 1)
	bx	lr

	.bss
	.align	12
	.globl	bootstrap_pt
bootstrap_pt:
	.fill	4 * 4096, 1, 0
