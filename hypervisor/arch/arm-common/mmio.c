/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, ARM: decoding of stage-2 data aborts into MMIO. */

#include <hv/control.h>
#include <hv/mmio.h>
#include <asm/traps.h>

#define ISS_ISV		BIT(24)
#define ISS_SAS(esr)	(((esr) >> 22) & 3)
#define ISS_SSE		BIT(21)
#define ISS_SRT(esr)	(((esr) >> 16) & 0x1f)
#define ISS_SF		BIT(15)
#define ISS_S1PTW	BIT(7)
#define ISS_WNR		BIT(6)

bool arm_handle_dabt(struct trap_context *ctx, unsigned long esr)
{
	unsigned int srt = ISS_SRT(esr);
	struct mmio_access access;
	unsigned long hpfar, far, mask;

	if (!(esr & ISS_ISV) || esr & ISS_S1PTW)
		return false;
	arm_read_sysreg(HPFAR_EL2, hpfar);
	arm_read_sysreg(FAR_EL2, far);
	access.address = arm_fault_ipa(hpfar, far);
	access.size = 1 << ISS_SAS(esr);
	access.is_write = !!(esr & ISS_WNR);
	mask = mmio_size_mask(access.size);
	access.value = access.is_write ? arm_guest_reg(ctx, srt) & mask : 0;

	if (mmio_handle_access(&access) != MMIO_HANDLED)
		return false;
	this_cpu()->stats[JAILHOUSE_CPU_STAT_VMEXITS_MMIO]++;
	if (!access.is_write) {
		access.value &= mask;
		if (esr & ISS_SSE && mask != ~0UL &&
		    access.value & (1UL << (access.size * 8 - 1)))
			access.value |= ~mask;
		/* AArch32 and W registers: 32 bits (ISS.SF is 0 on ARMv7). */
		if (!(esr & ISS_SF))
			access.value &= 0xffffffffUL;
		arm_set_guest_reg(ctx, srt, access.value);
	}
	arch_skip_instruction();
	return true;
}
