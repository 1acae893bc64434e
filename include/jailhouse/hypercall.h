/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: hypercall codes and the comm region (ABI 2) */

/*
 * Hypercalls are issued with "vmcall" (Intel) or "vmmcall" (AMD) on x86 and
 * "hvc #0x4a48" on ARM. The code goes in RAX / r0 / x0, up to two arguments
 * in RDI, RSI / r1, r2 / x1, x2; the result comes back in RAX / r0 / x0,
 * negative errno values on failure.
 *
 * Every cell has a communication region, a page the hypervisor maps into the
 * cell (x86: 0x100000, ARM: 0x80000000 by convention of the cell configs).
 * It starts with the generic part below, followed by an architecture part
 * (include/jailhouse/arch/<arch>-hypercall.h).
 */
#ifndef _JAILHOUSE_HYPERCALL_H
#define _JAILHOUSE_HYPERCALL_H

#include <jailhouse/types.h>
#include <jailhouse/console.h>

/* Hypercall codes. */
#define JAILHOUSE_HC_DISABLE			0
#define JAILHOUSE_HC_CELL_CREATE		1
#define JAILHOUSE_HC_CELL_START			2
#define JAILHOUSE_HC_CELL_SET_LOADABLE		3
#define JAILHOUSE_HC_CELL_DESTROY		4
#define JAILHOUSE_HC_HYPERVISOR_GET_INFO	5
#define JAILHOUSE_HC_CELL_GET_STATE		6
#define JAILHOUSE_HC_CPU_GET_INFO		7
#define JAILHOUSE_HC_DEBUG_CONSOLE_PUTC		8

/* Selectors of JAILHOUSE_HC_HYPERVISOR_GET_INFO. */
#define JAILHOUSE_INFO_MEM_POOL_SIZE		0
#define JAILHOUSE_INFO_MEM_POOL_USED		1
#define JAILHOUSE_INFO_REMAP_POOL_SIZE		2
#define JAILHOUSE_INFO_REMAP_POOL_USED		3
#define JAILHOUSE_INFO_NUM_CELLS		4

/* Selectors of JAILHOUSE_HC_CPU_GET_INFO: state, or statistic counter n at
 * JAILHOUSE_CPU_INFO_STAT_BASE + n. */
#define JAILHOUSE_CPU_INFO_STATE		0
#define JAILHOUSE_CPU_INFO_STAT_BASE		1000

/* CPU states. */
#define JAILHOUSE_CPU_RUNNING			0
#define JAILHOUSE_CPU_FAILED			2	/* terminal */

/* Statistic counters every architecture has; arch ones follow. */
#define JAILHOUSE_CPU_STAT_VMEXITS_TOTAL	0
#define JAILHOUSE_CPU_STAT_VMEXITS_MMIO		1
#define JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT	2
#define JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL	3
#define JAILHOUSE_GENERIC_CPU_STATS		4

/* Messages from the hypervisor to a cell (msg_to_cell). */
#define JAILHOUSE_MSG_NONE			0
#define JAILHOUSE_MSG_SHUTDOWN_REQUEST		1
#define JAILHOUSE_MSG_RECONFIG_COMPLETED	2

/* Replies from a cell (reply_from_cell). */
#define JAILHOUSE_MSG_UNKNOWN			1
#define JAILHOUSE_MSG_REQUEST_DENIED		2
#define JAILHOUSE_MSG_REQUEST_APPROVED		3
#define JAILHOUSE_MSG_RECEIVED			4

/* Cell states (cell_state; JAILHOUSE_HC_CELL_GET_STATE). */
#define JAILHOUSE_CELL_RUNNING			0
#define JAILHOUSE_CELL_RUNNING_LOCKED		1
#define JAILHOUSE_CELL_SHUT_DOWN		2	/* terminal */
#define JAILHOUSE_CELL_FAILED			3	/* terminal */
#define JAILHOUSE_CELL_FAILED_COMM_REV		4	/* terminal */

/* Comm region flags. */
#define JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED	0x0001
#define JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE	0x0002

#define JAILHOUSE_COMM_HAS_DBG_PUTC_PERMITTED(flags) \
	(!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED))
#define JAILHOUSE_COMM_HAS_DBG_PUTC_ACTIVE(flags) \
	(!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE))

#define COMM_REGION_ABI_REVISION		2
#define COMM_REGION_MAGIC			"JHCOMM"

/* Usual guest-physical addresses of the comm region. */
#define JAILHOUSE_COMM_REGION_ADDR_X86		0x100000
#define JAILHOUSE_COMM_REGION_ADDR_ARM		0x80000000

/* The inmate command line lives at this offset of the loaded image. */
#define JAILHOUSE_INMATE_CMDLINE_OFFSET		0x1000

/*
 * The generic part of the comm region, 64 bytes; the first member list of
 * every struct jailhouse_comm_region.
 */
#define COMM_REGION_GENERIC_HEADER					\
	/** "JHCOMM", set by the hypervisor. */				\
	char signature[6];						\
	/** COMM_REGION_ABI_REVISION. */				\
	__u16 revision;							\
	/** JAILHOUSE_CELL_*; set by the hypervisor, updated by the cell. */ \
	volatile __u32 cell_state;					\
	/** JAILHOUSE_MSG_* sent by the hypervisor. */			\
	volatile __u32 msg_to_cell;					\
	/** JAILHOUSE_MSG_* reply of the cell. */			\
	volatile __u32 reply_from_cell;					\
	/** JAILHOUSE_COMM_FLAG_*, constant while the cell runs. */	\
	__u32 flags;							\
	/** The cell's console (copy of its configuration). */		\
	struct jailhouse_console console;				\
	/** Base of the (virtual) PCI MMCONFIG area, 0 if none. */	\
	__u64 pci_mmconfig_base

#ifndef __ASSEMBLY__
/* The part every architecture shares, as a type of its own (64 bytes). */
struct jailhouse_comm_region_generic {
	COMM_REGION_GENERIC_HEADER;
} __jailhouse_packed;
#endif

#ifndef __JAILHOUSE_CFFI__
#if defined(__x86_64__) || defined(__i386__)
#include <jailhouse/arch/x86-hypercall.h>
#elif defined(__aarch64__)
#include <jailhouse/arch/arm64-hypercall.h>
#elif defined(__arm__)
#include <jailhouse/arch/arm-hypercall.h>
#else
#error "unsupported architecture"
#endif

#ifndef __ASSEMBLY__
/*
 * Comm-region messages.  Each side clears the other's field before it
 * writes its own, with the arch's store fence (__JAILHOUSE_STORE_FENCE) in
 * between, so the reader never sees a stale reply with a new message.
 */

/* Hypervisor side: post a message, clearing the previous reply first. */
static inline void
jailhouse_send_msg_to_cell(struct jailhouse_comm_region *comm_region,
			   __u32 msg)
{
	comm_region->reply_from_cell = JAILHOUSE_MSG_NONE;
	asm volatile(__JAILHOUSE_STORE_FENCE : : : "memory");
	comm_region->msg_to_cell = msg;
}

/* Cell side: answer a message, clearing it first. */
static inline void
jailhouse_send_reply_from_cell(struct jailhouse_comm_region *comm_region,
			       __u32 reply)
{
	comm_region->msg_to_cell = JAILHOUSE_MSG_NONE;
	asm volatile(__JAILHOUSE_STORE_FENCE : : : "memory");
	comm_region->reply_from_cell = reply;
}
#endif /* !__ASSEMBLY__ */
#endif /* !__JAILHOUSE_CFFI__ */

#endif /* !_JAILHOUSE_HYPERCALL_H */
