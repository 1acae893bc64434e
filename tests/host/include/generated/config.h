/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: the build options the core reads. */
#define CONFIG_MAX_CPUS 70
/* Every bool option is defined, 0 when off (see hv/kconfig.h). */
#define CONFIG_TRACE_ERROR 0
#define CONFIG_CRASH_CELL_ON_PANIC 0
#define CONFIG_KEEP_CELL_MEMORY 0
