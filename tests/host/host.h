/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the hypervisor core: hypervisor sources compiled into an
 * ordinary program (64- or 32-bit) with the fake <asm/...> headers of
 * tests/host/include.  No libc header is included next to the hypervisor's
 * (its types would clash): the few libc functions are declared here.
 *
 * CHECK(expr) prints "FAIL file:line: expr" and counts the failure; each
 * test program ends with host_done(), which prints "PASS <n> checks" or
 * exits with 1.
 */

#ifndef _HOST_H
#define _HOST_H

#include <hv/types.h>

int printf(const char *fmt, ...);
void *aligned_alloc(size_t align, size_t size);
void exit(int status);

extern unsigned int host_failures, host_checks;

#define CHECK(expr)							\
	do {								\
		host_checks++;						\
		if (!(expr)) {						\
			host_failures++;				\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr); \
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long __a = (a), __b = (b);		\
		host_checks++;						\
		if (__a != __b) {					\
			host_failures++;				\
			printf("FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", \
			       __FILE__, __LINE__, #a, #b, __a, __b);	\
		}							\
	} while (0)

/**
 * Give the hypervisor @p hv_size bytes of address space (aligned to 2 MiB)
 * at physical address @p phys_base, and @p remap_pages of remap pool.
 * @return the start of the buffer (JAILHOUSE_BASE).
 */
void *host_init(unsigned long hv_size, unsigned long phys_base,
		unsigned long remap_pages);

/** Report and exit: 0 if every check passed. */
int host_done(const char *name);

#endif
