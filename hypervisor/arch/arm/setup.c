/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm: architecture name. */

#include <hv/entry.h>

const char arch_name[] = "arm";
