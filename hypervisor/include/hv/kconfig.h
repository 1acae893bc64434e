/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: build options as C constants.  <generated/config.h>
 * defines every bool option, 1 or 0 (the build writes it from Kconfig), so
 * code tests them with a plain if () or #if.
 */

#ifndef _HV_KCONFIG_H
#define _HV_KCONFIG_H

#include <generated/config.h>

#endif
