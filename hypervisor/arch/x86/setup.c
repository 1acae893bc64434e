/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: code shared by the AMD-V and Intel VT-x images. */

#include <hv/entry.h>
