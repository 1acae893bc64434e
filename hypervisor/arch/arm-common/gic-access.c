/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the access sizes the GIC architecture allows
 * on each distributor and redistributor register (GICv2 and GICv3
 * architecture specifications, "GIC register access").  Every register
 * takes naturally aligned 32-bit accesses; bytes only the registers that
 * hold one byte per interrupt; 64 bits only GICv3's 64-bit registers
 * (which also take 32-bit accesses to either half).  Halfwords never.
 *
 * What the hardware does with any other access is UNPREDICTABLE - it may
 * answer with an external abort or an SError, hit neighbouring
 * registers, or be ignored - so the emulation never passes one on: the
 * access is refused as the MMIO error it is (a non-root cell is stopped,
 * the root gets the data abort real hardware could give it).
 */

#include <hv/control.h>
#include <asm/irqchip.h>

#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR_END	0x0c00
#define GICD_CPENDSGIR		0x0f10
#define GICD_SPENDSGIR_END	0x0f30
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x8000
#define GICR_SGI_BASE		0x10000
#define GICR_IPRIORITYR		(GICR_SGI_BASE + 0x0400)
#define GICR_IPRIORITYR_END	(GICR_SGI_BASE + 0x0420)

static bool size_ok(const struct mmio_access *a, unsigned long offs,
		    bool bytes, bool wide)
{
	if (offs & (a->size - 1))
		return false;
	return a->size == 4 || (a->size == 1 && bytes) ||
		(a->size == 8 && wide);
}

bool gicd_access_ok(const struct mmio_access *a, unsigned long offs)
{
	/* priorities and targets (0x400..0xbff), the SGI pending bytes */
	bool bytes = (offs >= GICD_IPRIORITYR && offs < GICD_ITARGETSR_END) ||
		(offs >= GICD_CPENDSGIR && offs < GICD_SPENDSGIR_END);
	bool wide = system_config->platform_info.arm.gic_version == 3 &&
		offs >= GICD_IROUTER && offs < GICD_IROUTER_END;

	return size_ok(a, offs, bytes, wide);
}

/* @reg: offset in one redistributor's two frames (control, SGI). */
bool gicr_access_ok(const struct mmio_access *a, unsigned long reg)
{
	bool bytes = reg >= GICR_IPRIORITYR && reg < GICR_IPRIORITYR_END;
	/* TYPER, SETLPIR, CLRLPIR, PROPBASER, PENDBASER, INVLPIR, INVALLR */
	bool wide = reg == 0x08 || reg == 0x40 || reg == 0x48 ||
		reg == 0x70 || reg == 0x78 || reg == 0xa0 || reg == 0xb0;

	return size_ok(a, reg, bytes, wide);
}
