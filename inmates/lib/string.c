/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: string and memory helpers. */

/* Byte-wise: safe with the MMU off, where unaligned accesses fault. */

#include <inmate.h>

void *memset(void *s, int c, unsigned long n)
{
	u8 *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
	const u8 *s = src;
	u8 *d = dst;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, unsigned long n)
{
	const u8 *s = src;
	u8 *d = dst;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, unsigned long n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, ~0UL);
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}
