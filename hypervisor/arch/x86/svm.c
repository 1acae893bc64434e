/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: AMD-V (SVM) part of jailhouse-amd.bin. */

#include <hv/entry.h>

const char arch_name[] = "x86 AMD-V";
