/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: the state one owner of a CPU can leave for the
 * next (another cell, or the root cell again) beyond the registers a reset
 * clears anyway: performance monitors, self-hosted debug, timer compare
 * values.  arch_reset_self() of both archs resets it with this.
 */

#include <hv/types.h>
#include <asm/cpu-state.h>

/*
 * Stopped and cleared counters, no overflow interrupts or user access; no
 * breakpoints, watchpoints, debug monitor or DCC interrupts; timer compare
 * values 0 (their controls are cleared by the arch).  The root cell, which
 * may use the PMU and debug registers, would otherwise leave counting
 * counters, overflow interrupts and armed breakpoints to a cell; a cell
 * would leave its timer deadlines.
 */
void arm_reset_pmu_debug_timers(void)
{
	unsigned int n, counters, brps, wrps;
	unsigned long pmcr;

	arm_read_sysreg(PMCR_EL0, pmcr);
	counters = (pmcr >> 11) & 0x1f;
	arm_write_sysreg(PMCR_EL0, 6);			/* stop, reset counters */
	arm_write_sysreg(PMCNTENCLR_EL0, ~0UL);
	arm_write_sysreg(PMINTENCLR_EL1, ~0UL);
	arm_write_sysreg(PMOVSCLR_EL0, ~0UL);
	arm_write_sysreg(PMUSERENR_EL0, 0);
	arm_write_sysreg(PMCCNTR_EL0, 0);
	/* the event counters, then selector 31: the cycle counter's filter */
	for (n = 0; n <= 31; n++) {
		if (n >= counters && n != 31)
			continue;
		arm_write_sysreg(PMSELR_EL0, n);
		asm volatile("isb" : : : "memory");
		arm_write_sysreg(PMXEVTYPER_EL0, 0);
		if (n != 31)
			arm_write_sysreg(PMXEVCNTR_EL0, 0);
	}
	arm_write_sysreg(PMSELR_EL0, 0);

	arm_debug_pair_counts(&brps, &wrps);
	for (n = 0; n < brps; n++)
		arm_clear_debug_pair(n, false);
	for (n = 0; n < wrps; n++)
		arm_clear_debug_pair(n, true);
	arm_write_sysreg(MDCCINT_EL1, 0);
	arm_write_sysreg(MDSCR_EL1, 0);

	arm_write_sysreg(CNTP_CVAL_EL0, 0);
	arm_write_sysreg(CNTV_CVAL_EL0, 0);
}
