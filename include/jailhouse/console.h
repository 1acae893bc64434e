/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: debug console descriptor and console ring page */

#ifndef _JAILHOUSE_CONSOLE_H
#define _JAILHOUSE_CONSOLE_H

#include <jailhouse/types.h>

/*
 * Part 1: struct jailhouse_console, the console descriptor found in system
 * and cell configurations (debug_console, cell console) and in the comm
 * region. Names and values are those configuration sources use.
 */

/* Console driver, field "type". */
#define JAILHOUSE_CON_TYPE_NONE		0x0000
#define JAILHOUSE_CON_TYPE_EFIFB	0x0001
#define JAILHOUSE_CON_TYPE_8250		0x0002
#define JAILHOUSE_CON_TYPE_PL011	0x0003
#define JAILHOUSE_CON_TYPE_XUARTPS	0x0004
#define JAILHOUSE_CON_TYPE_MVEBU	0x0005
#define JAILHOUSE_CON_TYPE_HSCIF	0x0006
#define JAILHOUSE_CON_TYPE_SCIFA	0x0007
#define JAILHOUSE_CON_TYPE_IMX		0x0008
#define JAILHOUSE_CON_TYPE_IMX_LPUART	0x0009
#define JAILHOUSE_CON_TYPE_SCIF		0x000a

/* Flag bit 0: port I/O (clear) or memory-mapped (set) registers. */
#define JAILHOUSE_CON_ACCESS_PIO	0x0000
#define JAILHOUSE_CON_ACCESS_MMIO	0x0001
#define CON_IS_MMIO(flags)		(!!((flags) & JAILHOUSE_CON_ACCESS_MMIO))

/* Flag bit 1: registers 1 byte apart, 8-bit access (clear) or 4 bytes
 * apart, 32-bit access (set). */
#define JAILHOUSE_CON_REGDIST_1		0x0000
#define JAILHOUSE_CON_REGDIST_4		0x0002
#define CON_USES_REGDIST_1(flags)	(((flags) & JAILHOUSE_CON_REGDIST_4) == 0)

/* Flag bit 2: framebuffer geometry of an EFI framebuffer console. */
#define JAILHOUSE_CON_FB_1024x768	0x0000
#define JAILHOUSE_CON_FB_1920x1080	0x0004
#define FB_IS_1920x1080(flags)		(!!((flags) & JAILHOUSE_CON_FB_1920x1080))

/* Flag bit 12: the clock gate is enabled by clearing (not setting) it. */
#define JAILHOUSE_CON_INVERTED_GATE	0x1000
#define CON_HAS_INVERTED_GATE(flags)	(!!((flags) & JAILHOUSE_CON_INVERTED_GATE))

/* Flag bit 13: apply the MDR register quirk of some 8250 variants. */
#define JAILHOUSE_CON_MDR_QUIRK		0x2000
#define CON_HAS_MDR_QUIRK(flags)	(!!((flags) & JAILHOUSE_CON_MDR_QUIRK))

/* All flag bits with a defined meaning; the others must be zero. */
#define JAILHOUSE_CON_FLAGS_VALID	(JAILHOUSE_CON_ACCESS_MMIO | \
					 JAILHOUSE_CON_REGDIST_4 | \
					 JAILHOUSE_CON_FB_1920x1080 | \
					 JAILHOUSE_CON_INVERTED_GATE | \
					 JAILHOUSE_CON_MDR_QUIRK)

#ifndef __ASSEMBLY__
/** A console device: 32 bytes in every configuration blob. */
struct jailhouse_console {
	/** Physical MMIO address or I/O port of the device. */
	__u64 address;
	/** Size of the MMIO window (0 for port I/O). */
	__u32 size;
	/** Driver, JAILHOUSE_CON_TYPE_*. */
	__u16 type;
	/** JAILHOUSE_CON_* flags. */
	__u16 flags;
	/** Baud rate divider to program, 0 to keep the firmware's setting. */
	__u32 divider;
	/** Clock gate number, if clock_reg is used. */
	__u32 gate_nr;
	/** Physical address of a clock gate register, or 0. */
	__u64 clock_reg;
} __jailhouse_packed;
#endif

/*
 * Part 2: the hypervisor console ring.
 *
 * The hypervisor writes its log into one page of its own memory (its offset
 * in the image is announced by struct jailhouse_header.console_page). The
 * root cell's driver reads it to implement `jailhouse console` and the
 * read() side of /dev/jailhouse. The page is written by the hypervisor only;
 * readers never modify it.
 *
 * Layout (little endian):
 *   0x000  busy     non-zero while the hypervisor is updating the ring
 *   0x004  tail     number of bytes ever written, free running modulo 2^32
 *   0x008  size     size of content[] in bytes, a power of two
 *   0x00c  reserved, zero
 *   0x040  content  the ring buffer; byte number n of the log lives at
 *                   content[n & (size - 1)]
 *
 * Writer: set busy, barrier, store the bytes, advance tail, barrier, clear
 * busy. Reader: read tail and busy; if busy, retry later. Copy the bytes
 * wanted (at most size of them, those below tail), barrier, then read busy
 * and tail again: if busy is set or tail moved by more than the distance
 * that keeps the copied bytes intact, the copy is torn and is retried.
 */
#define JAILHOUSE_CONSOLE_PAGE_SIZE	0x1000
#define JAILHOUSE_CONSOLE_CONTENT_OFFSET	0x40
#define JAILHOUSE_CONSOLE_SIZE		0x800

#ifndef __ASSEMBLY__
struct jailhouse_console_ring {
	volatile __u32 busy;
	volatile __u32 tail;
	__u32 size;
	__u32 reserved[13];
	char content[JAILHOUSE_CONSOLE_SIZE];
} __jailhouse_packed;
#endif

#endif /* !_JAILHOUSE_CONSOLE_H */
