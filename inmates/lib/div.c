/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: 64-bit division for every architecture. */

#include <inmate.h>

u64 udiv64(u64 n, u64 d, u64 *rem)
{
	u64 q = 0, r = 0;
#if __SIZEOF_LONG__ == 8
	/* Native 64-bit divide instruction. */
	q = n / d;
	r = n - q * d;
#else
	int bit;

	/* Restoring shift-and-subtract, one quotient bit a step. */
	for (bit = 63; bit >= 0; bit--) {
		r = (r << 1) | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << bit;
		}
	}
#endif
	if (rem)
		*rem = r;
	return q;
}
