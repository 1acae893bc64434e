/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: /dev/jailhouse ioctl numbers and argument structures */

/*
 * The ioctls of the jailhouse misc device (type 0). Every argument is a
 * pointer to user memory:
 *
 *   JAILHOUSE_ENABLE        the system configuration blob itself
 *   JAILHOUSE_DISABLE       no argument
 *   JAILHOUSE_CELL_CREATE   struct jailhouse_cell_create
 *   JAILHOUSE_CELL_LOAD     struct jailhouse_cell_load followed by
 *                           num_preload_images struct jailhouse_preload_image
 *                           (zero images: shut the cell down, i.e. put it back
 *                           into the loadable state)
 *   JAILHOUSE_CELL_START    struct jailhouse_cell_id
 *   JAILHOUSE_CELL_DESTROY  struct jailhouse_cell_id
 *
 * A cell is named by id, or by name when id is JAILHOUSE_CELL_ID_UNUSED.
 * The numbers follow the generic Linux _IOC encoding; the size field of
 * JAILHOUSE_ENABLE is that of a pointer, so it differs between 32 and 64 bit.
 */
#ifndef _JAILHOUSE_IOCTL_H
#define _JAILHOUSE_IOCTL_H

#include <jailhouse/types.h>

#if defined(__KERNEL__)
#include <linux/ioctl.h>
#elif defined(__linux__) && __STDC_HOSTED__ && !defined(__JAILHOUSE_CFFI__) && \
	defined(__has_include)
#if __has_include(<linux/ioctl.h>) && __has_include(<asm/ioctl.h>)
#include <linux/ioctl.h>
#endif
#endif

#ifndef _IOW
/* No kernel headers (freestanding, cffi): the generic Linux encoding. */
#define __JH_IOC(dir, type, nr, size)	\
	(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr))
#define _IO(type, nr)			__JH_IOC(0U, (type), (nr), 0U)
#define _IOW(type, nr, argtype)		__JH_IOC(1U, (type), (nr), sizeof(argtype))
#endif

#define JAILHOUSE_CELL_ID_NAMELEN	31
#define JAILHOUSE_CELL_ID_UNUSED	(-1)

#ifndef __ASSEMBLY__
struct jailhouse_cell_create {
	__u64 config_address;
	__u32 config_size;
	__u32 padding;
};

struct jailhouse_preload_image {
	__u64 source_address;
	__u64 size;
	__u64 target_address;
	__u64 padding;
};

struct jailhouse_cell_id {
	__s32 id;
	__u32 padding;
	char name[JAILHOUSE_CELL_ID_NAMELEN + 1];
};

struct jailhouse_cell_load {
	struct jailhouse_cell_id cell_id;
	__u32 num_preload_images;
	__u32 padding;
	struct jailhouse_preload_image image[];
};
#endif

#define JAILHOUSE_ENABLE		_IOW(0, 0, void *)
#define JAILHOUSE_DISABLE		_IO(0, 1)
#define JAILHOUSE_CELL_CREATE		_IOW(0, 2, struct jailhouse_cell_create)
#define JAILHOUSE_CELL_LOAD		_IOW(0, 3, struct jailhouse_cell_load)
#define JAILHOUSE_CELL_START		_IOW(0, 4, struct jailhouse_cell_id)
#define JAILHOUSE_CELL_DESTROY		_IOW(0, 5, struct jailhouse_cell_id)

#endif /* !_JAILHOUSE_IOCTL_H */
