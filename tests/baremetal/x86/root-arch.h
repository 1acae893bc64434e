/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library, x86-64 part (see include/root.h). */

#ifndef _ROOT_ARCH_H
#define _ROOT_ARCH_H

#define NUM_CPUS	4
#define HV_PHYS		0x3a000000UL
/* Where the "driver" maps the hypervisor memory (a vmalloc-like address). */
#define HV_VIRT		0xffffc90000000000UL
#define HV_BASE		HV_VIRT

#define cpu_relax()	asm volatile("pause" : : : "memory")

static inline void outb(unsigned char v, unsigned short port)
{
	asm volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	asm volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

#endif
