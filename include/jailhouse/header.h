/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: hypervisor image header and entry protocol */

/*
 * The firmware image (jailhouse.bin, jailhouse-intel.bin, jailhouse-amd.bin)
 * starts with struct jailhouse_header. The header and the protocol below are
 * internal to this project: only our driver and our hypervisor use them.
 *
 * Loading (all architectures)
 * ---------------------------
 *  1. The driver checks signature, revision and arch, and that core_size +
 *     possible_cpus * percpu_size + the system configuration fit into the
 *     hypervisor_memory region of the system configuration.
 *  2. It maps hypervisor_memory, copies the whole image to its start and
 *     clears the rest of core_size (the bss).
 *  3. It fills in the driver fields: possible_cpus, online_cpus,
 *     config_offset/config_size (where it copied the system configuration,
 *     page aligned, after the per-CPU areas) and clears entry_status.
 *  4. It cleans the data cache for the whole region (ARM), then enters the
 *     hypervisor on every online CPU, concurrently, with interrupts off.
 *     Each CPU's result is the entry's return value: 0 on success or a
 *     negative errno. The hypervisor itself makes all CPUs agree: either
 *     all succeed or all return the same error and the machine is left as
 *     it was.
 *  5. After success, Linux runs as the root cell. The console ring lives at
 *     console_page (an offset into the image) for the driver to read.
 *
 * Entry on ARM64 (Linux booted at EL2, KVM off)
 * ---------------------------------------------
 * The driver cannot install EL2 vectors itself; it uses the hyp stub's
 * HVC_SOFT_RESTART call on each CPU:
 *
 *     x0 = 1 (HVC_SOFT_RESTART)
 *     x1 = physical address of the entry (hypervisor_memory + entry)
 *     x2 = logical CPU number (Linux's smp_processor_id())
 *     x3 = physical address of the image (hypervisor_memory.phys_start)
 *     x4 = JAILHOUSE_ENTRY_MAGIC
 *     hvc #0
 *
 * The stub branches to the entry at EL2 with the MMU off and the caller's
 * x2, x3, x4 in x0, x1, x2. ELR_EL2 and SPSR_EL2 still point back to the
 * instruction after the driver's hvc. The entry saves the stub's VBAR_EL2
 * (to restore it on disable), builds its own EL2 world and finally returns
 * to the caller with eret, x0 holding the result. The caller must declare
 * x0-x18 and the flags clobbered; x19-x29, sp and the EL1 system registers
 * are preserved. A result of HVC_STUB_ERR (0xbadca11) means the stub did not
 * run the entry (for example because KVM owns EL2).
 *
 * Entry on ARMv7 (Linux booted in HYP mode)
 * -----------------------------------------
 * Same as ARM64 with the stub's HVC_SOFT_RESTART: r0 = 1, r1 = physical
 * entry address, r2 = logical CPU number, r3 = physical image address,
 * hvc #0. The stub branches ("bx r1") in HYP mode with the MMU off and r2,
 * r3 untouched; ELR_hyp/SPSR_hyp describe the caller; the entry returns
 * with eret and the result in r0. r0-r3, r12 and lr are clobbered.
 *
 * Entry on x86
 * ------------
 * The driver maps the whole hypervisor memory at some address V (vmap with
 * PAGE_KERNEL_EXEC), does steps 1-3 through it and calls the entry as a
 * C function at V + entry
 *     int entry(unsigned int cpu_id, __u64 image_phys)
 * (System V AMD64 calling convention) on each online CPU, with interrupts
 * disabled. The hypervisor builds its own page tables (its memory at
 * JAILHOUSE_X86_BASE, image page 0 also at V, from where it switches CR3)
 * and returns to the caller, now in guest mode, with 0 or a negative
 * errno; see docs/hypervisor-entry.md.
 *
 * Disabling reverses this through JAILHOUSE_HC_DISABLE; on ARM the
 * hypervisor restores the stub vectors before it returns to Linux.
 */
#ifndef _JAILHOUSE_HEADER_H
#define _JAILHOUSE_HEADER_H

#include <jailhouse/types.h>

/* 8 bytes at image offset 0 (string literal plus its terminating NUL). */
#define JAILHOUSE_HEADER_SIGNATURE	"JHIMAGE"
#define JAILHOUSE_HEADER_REVISION	1

/* Passed to the ARM entries so that a stray soft restart is recognised. */
#define JAILHOUSE_ENTRY_MAGIC		0x4a48454eU	/* "JHEN" */

/* Virtual address the x86 image is linked at. */
#define JAILHOUSE_X86_BASE		0xfffffffff0000000ULL

#ifndef __ASSEMBLY__
/** Header at offset 0 of the hypervisor image; 128 bytes. */
struct jailhouse_header {
	/** JAILHOUSE_HEADER_SIGNATURE. */
	char signature[8];
	/** JAILHOUSE_HEADER_REVISION. */
	__u32 revision;
	/** JAILHOUSE_X86, JAILHOUSE_ARM or JAILHOUSE_ARM64. */
	__u32 arch;

	/* Filled in at build time. */
	/** Offset of the entry point from the start of the image. */
	__u64 entry;
	/** Size of the image including bss, page aligned. */
	__u64 core_size;
	/** Size of one CPU's data area, page aligned. */
	__u64 percpu_size;
	/** Offset of the console ring page (struct jailhouse_console_ring). */
	__u64 console_page;
	/** Highest number of CPUs this image supports. */
	__u32 max_cpus;
	__u32 reserved0;

	/* Filled in by the driver before the entry is called. */
	/** Number of possible CPUs (highest logical CPU number + 1). */
	__u32 possible_cpus;
	/** Number of CPUs that will call the entry. */
	__u32 online_cpus;
	/** Offset of the copied system configuration from the image start. */
	__u64 config_offset;
	/** Size of the system configuration in bytes. */
	__u64 config_size;

	/* Written by the hypervisor during entry. */
	/** Number of CPUs that completed the entry. */
	volatile __u32 entered_cpus;
	/** First error hit by any CPU, 0 if none. */
	volatile __s32 entry_status;

	__u64 reserved[5];
} __jailhouse_packed;
#endif

#endif /* !_JAILHOUSE_HEADER_H */
