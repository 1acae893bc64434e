/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The three cells of an ARM GIC interrupt specifier in a device tree:
 * kind (shared or private peripheral), number within that kind, and
 * trigger type, for GICv2 or-ed with the mask of target CPU interfaces
 * (bits 8..15).  Values as Linux's bindings define them.
 */

#ifndef _DT_BINDINGS_INTERRUPT_CONTROLLER_ARM_GIC_H
#define _DT_BINDINGS_INTERRUPT_CONTROLLER_ARM_GIC_H

#include <dt-bindings/interrupt-controller/irq.h>

#define GIC_SPI 0
#define GIC_PPI 1

/* Target CPU interfaces: a raw bit mask, or the first @num interfaces. */
#define GIC_CPU_MASK_RAW(mask)		((mask) << 8)
#define GIC_CPU_MASK_SIMPLE(num)	GIC_CPU_MASK_RAW((1 << (num)) - 1)

#endif
