/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: AMD-V (SVM) part of jailhouse-amd.bin. */

extern const char arch_name[];

const char arch_name[] = "x86 AMD-V";
