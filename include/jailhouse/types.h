/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: fixed-width ABI types for every consumer */

/*
 * The binary interfaces under include/jailhouse/ are written with the
 * Linux UAPI spelling of fixed-width types (__u8 ... __u64, __s8 ... __s64).
 * Where they come from depends on who compiles the header:
 *
 *  - the kernel module (__KERNEL__): <linux/types.h>;
 *  - everybody else (hypervisor, inmates, configurations, user space, the
 *    cffi view used by pyjailhouse): definitions of our own. They match the
 *    kernel's user-space int-ll64 model on every architecture we support
 *    (64-bit types are "long long"), so a C11 user-space program may also
 *    include <linux/types.h> without conflict. No libc header is needed.
 *
 * __JAILHOUSE_CFFI__ is defined only while pyjailhouse preprocesses the
 * headers for cffi; it selects the plain C subset cffi's cdef understands.
 */
#ifndef _JAILHOUSE_TYPES_H
#define _JAILHOUSE_TYPES_H

#ifndef __ASSEMBLY__

#if defined(__KERNEL__)
#include <linux/types.h>
#else
#ifndef __JAILHOUSE_UAPI_TYPES
#define __JAILHOUSE_UAPI_TYPES
typedef signed char __s8;
typedef unsigned char __u8;
typedef signed short __s16;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef signed long long __s64;
typedef unsigned long long __u64;
#endif
#endif

#endif /* !__ASSEMBLY__ */

#ifndef __JAILHOUSE_CFFI__
/*
 * Number of elements of an array (not of a pointer). The kernel brings its
 * own definition with <linux/kernel.h>.
 */
#if !defined(__KERNEL__) && !defined(ARRAY_SIZE)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Every structure of the binary interfaces is packed. The attribute is kept
 * behind a macro so that the cffi view can drop it (cffi lays out the whole
 * cdef packed instead).
 */
#define __jailhouse_packed	__attribute__((packed))
#else
#define __jailhouse_packed
#endif

#endif /* !_JAILHOUSE_TYPES_H */
