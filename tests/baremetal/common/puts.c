/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs: a string on the board's console. */

#include <baremetal.h>

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}
