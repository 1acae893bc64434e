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
typedef unsigned long size_t;
typedef _Bool bool;

#define true 1
#define false 0
#define NULL ((void *)0)

#define BIT(n)			(1UL << (n))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((unsigned long)(a) - 1))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define READ_ONCE(x)		(*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

#define __noreturn		__attribute__((noreturn))

#endif
