/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: Intel VT-x (VMX) part of jailhouse-intel.bin. */

extern const char arch_name[];

const char arch_name[] = "x86 Intel VT-x";
