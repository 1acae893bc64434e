/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: the few string and memory helpers it needs. */

#ifndef _HV_STRING_H
#define _HV_STRING_H

#include <hv/types.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/** Compare at most n characters of two NUL-terminated strings. */
int strncmp(const char *a, const char *b, size_t n);

#endif
