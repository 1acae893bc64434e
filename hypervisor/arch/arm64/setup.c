/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, arm64: architecture name. */

#include <hv/entry.h>

const char arch_name[] = "arm64";
