/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: bump allocator behind the image. */

#include <inmate.h>

/* First byte behind image, BSS and boot stack (linker script). */
extern char heap_start[];

unsigned long heap_pos;

void *alloc(unsigned long size, unsigned long align)
{
	unsigned long base;

	if (!heap_pos)
		heap_pos = (unsigned long)heap_start;
	if (align < 2)
		align = 1;
	base = (heap_pos + align - 1) & ~(align - 1);
	if (base < heap_pos || base + size < base)
		return NULL;
	heap_pos = base + size;
	return (void *)base;
}
