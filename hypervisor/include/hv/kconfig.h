/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: build options as C constants.  <generated/config.h>
 * defines only the enabled bool options; this header gives the others the
 * value 0 so that code can test them with a plain if ().
 */

#ifndef _HV_KCONFIG_H
#define _HV_KCONFIG_H

#include <generated/config.h>

#ifndef CONFIG_TRACE_ERROR
#define CONFIG_TRACE_ERROR		0
#endif
#ifndef CONFIG_CRASH_CELL_ON_PANIC
#define CONFIG_CRASH_CELL_ON_PANIC	0
#endif
#ifndef CONFIG_KEEP_CELL_MEMORY
#define CONFIG_KEEP_CELL_MEMORY		0
#endif

#endif
