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
	access.address = ((hpfar & 0xfffffffffff0UL) << 8) | (far & 0xfff);
	access.size = 1 << ISS_SAS(esr);
	access.is_write = !!(esr & ISS_WNR);
	mask = access.size == 8 ? ~0UL : (1UL << (access.size * 8)) - 1;
	access.value = access.is_write && srt != 31 ? ctx->regs[srt] & mask : 0;

	if (mmio_handle_access(&access) != MMIO_HANDLED)
		return false;
	this_cpu()->stats[JAILHOUSE_CPU_STAT_VMEXITS_MMIO]++;
	if (!access.is_write && srt != 31) {
		access.value &= mask;
		if (esr & ISS_SSE && access.size < 8 &&
		    access.value & (1UL << (access.size * 8 - 1)))
			access.value |= ~mask;
		if (!(esr & ISS_SF))
			access.value &= 0xffffffffUL;
		ctx->regs[srt] = access.value;
	}
	arch_skip_instruction();
	return true;
}
