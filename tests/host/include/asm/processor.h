/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: one thread, nothing to wait for. */

#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

static inline void cpu_relax(void)
{
}

static inline void cpu_wait_event(void)
{
}

static inline void cpu_send_event(void)
{
}

#endif
