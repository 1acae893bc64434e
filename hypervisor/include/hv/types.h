/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: fixed-width integer types for internal code. */

#ifndef _HV_TYPES_H
#define _HV_TYPES_H

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

#endif
