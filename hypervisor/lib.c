/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: memory and string helpers. */

#include <hv/string.h>

void *memcpy(void *dest, const void *src, size_t n)
{
	u8 *d = dest;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (!c && !((unsigned long)p & 7))
		for (; n >= 8; n -= 8, p += 8)
			*(u64 *)p = 0;
	while (n--)
		*p++ = c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (u8)*a - (u8)*b;
	return 0;
}
