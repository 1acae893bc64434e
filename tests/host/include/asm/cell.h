/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: no arch part of a cell. */

#ifndef _ASM_CELL_H
#define _ASM_CELL_H

struct cell_arch {
	unsigned int unused;
};

#endif
