/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests: the build options the core reads, as the build writes them
 * (every bool defined, 1 or 0).  MAX_CPUS spans more than one word of a
 * CPU set on 32- and 64-bit hosts.
 */
#define CONFIG_MAX_CPUS 70
#define CONFIG_TRACE_ERROR 0
#define CONFIG_CRASH_CELL_ON_PANIC 0
#define CONFIG_KEEP_CELL_MEMORY 0
