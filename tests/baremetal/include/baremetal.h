/* SPDX-License-Identifier: GPL-2.0-only */
/* Bare-metal test programs: what every board file provides. */

#ifndef _BAREMETAL_H
#define _BAREMETAL_H

void putc(char c);
void puts(const char *s);
/** Power the machine off; QEMU exits with status 0. */
void system_off(void);
/** Exception level (ARM64) the program runs at. */
unsigned int current_el(void);
int main(void);

#endif
