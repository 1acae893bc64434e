/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: fixed-width integer types and small helpers. */

#ifndef _HV_TYPES_H
#define _HV_TYPES_H

#include <jailhouse/types.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;
typedef __SIZE_TYPE__ size_t;
/*
 * A physical or guest-physical address (or a size of such a range): 64 bits
 * on every arch, as ARMv7 with LPAE reaches 40-bit physical and
 * guest-physical addresses from a 32-bit hypervisor.  Where long has 64
 * bits it is unsigned long itself, so 64-bit arch code may spell it either
 * way; print it as %llx of a (u64) cast.
 */
#if __SIZEOF_LONG__ == 8
typedef unsigned long phys_addr_t;
#else
typedef u64 phys_addr_t;
#endif
typedef _Bool bool;

#define true 1
#define false 0
#define NULL ((void *)0)

#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define READ_ONCE(x)		(*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

/**
 * A pointer from a 64-bit address of the hypervisor's own address space
 * (image header and configuration fields are __u64 on every arch).
 */
#define u64_to_ptr(v)		((void *)(unsigned long)(v))

#define __noreturn		__attribute__((noreturn))

#endif
