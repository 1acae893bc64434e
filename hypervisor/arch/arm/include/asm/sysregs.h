/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: system register access.  Registers keep
 * their AArch64 names (as arm-common spells them); each name expands to
 * its cp15 encoding, SYSREG_32(opc1, CRn, CRm, opc2) for MRC/MCR or
 * SYSREG_64(opc1, CRm) for MRRC/MCRR, or to its cp14 one,
 * SYSREG_CP14(opc1, CRn, CRm, opc2) (debug), and arm_read_sysreg() /
 * arm_write_sysreg() pick the instruction from the kind.
 */

#ifndef _ASM_SYSREGS_H
#define _ASM_SYSREGS_H

#define SYSREG_32(op1, crn, crm, op2)	32, op1, crn, crm, op2
#define SYSREG_64(op1, crm)		64, op1, crm
#define SYSREG_CP14(op1, crn, crm, op2)	cp14, op1, crn, crm, op2

#define TPIDR_EL2		SYSREG_32(4, c13, c0, 2)	/* HTPIDR */
#define HPFAR_EL2		SYSREG_32(4, c6, c0, 4)		/* HPFAR */
#define FAR_EL2			SYSREG_32(4, c6, c0, 0)		/* HDFAR */
#define ESR_EL2			SYSREG_32(4, c5, c2, 0)		/* HSR */
#define HCR_EL2			SYSREG_32(4, c1, c1, 0)		/* HCR */
#define VTCR_EL2		SYSREG_32(4, c2, c1, 2)		/* VTCR */
#define VTTBR_EL2		SYSREG_64(6, c2)		/* VTTBR */
#define MPIDR_EL1		SYSREG_32(0, c0, c0, 5)		/* MPIDR */
#define CTR_EL0			SYSREG_32(0, c0, c0, 1)		/* CTR */

/* GICv3 CPU interface, AArch32 encodings */
#define ICC_IAR0_EL1		SYSREG_32(0, c12, c8, 0)
#define ICC_EOIR0_EL1		SYSREG_32(0, c12, c8, 1)
#define ICC_IAR1_EL1		SYSREG_32(0, c12, c12, 0)
#define ICC_EOIR1_EL1		SYSREG_32(0, c12, c12, 1)
#define ICC_BPR1_EL1		SYSREG_32(0, c12, c12, 3)
#define ICC_CTLR_EL1		SYSREG_32(0, c12, c12, 4)
#define ICC_IGRPEN0_EL1		SYSREG_32(0, c12, c12, 6)
#define ICC_IGRPEN1_EL1		SYSREG_32(0, c12, c12, 7)
#define ICC_DIR_EL1		SYSREG_32(0, c12, c11, 1)
#define ICC_PMR_EL1		SYSREG_32(0, c4, c6, 0)
#define ICC_SGI1R_EL1		SYSREG_64(0, c12)
#define ICC_SGI0R_EL1		SYSREG_64(2, c12)
#define ICH_AP0R0_EL2		SYSREG_32(4, c12, c8, 0)
#define ICH_AP1R0_EL2		SYSREG_32(4, c12, c9, 0)
#define ICH_HCR_EL2		SYSREG_32(4, c12, c11, 0)
#define ICH_VTR_EL2		SYSREG_32(4, c12, c11, 1)
#define ICH_ELRSR_EL2		SYSREG_32(4, c12, c11, 5)
#define ICH_VMCR_EL2		SYSREG_32(4, c12, c11, 7)

/* MPIDR affinity fields Aff2..Aff0. */
#define MPIDR_AFF_MASK		0xffffffUL
/* HPFAR.FIPA: bits 39:12 of the faulting IPA, in bits 31:4. */
#define HPFAR_FIPA_MASK		0xfffffff0UL

/* ARMv7 HYP and PL1 registers the arch/arm code uses (ARMv7 names). */
#define MIDR			SYSREG_32(0, c0, c0, 0)
#define HVBAR			SYSREG_32(4, c12, c0, 0)
#define HSCTLR			SYSREG_32(4, c1, c0, 0)
#define HCPTR			SYSREG_32(4, c1, c1, 2)
#define HDCR			SYSREG_32(4, c1, c1, 1)
#define HSTR			SYSREG_32(4, c1, c1, 3)
#define VPIDR			SYSREG_32(4, c0, c0, 0)
#define VMPIDR			SYSREG_32(4, c0, c0, 5)
#define HIFAR			SYSREG_32(4, c6, c0, 2)
#define CNTHCTL			SYSREG_32(4, c14, c1, 0)
#define CNTVOFF			SYSREG_64(4, c14)
#define SCTLR			SYSREG_32(0, c1, c0, 0)
#define CPACR			SYSREG_32(0, c1, c0, 2)
#define TTBR0			SYSREG_64(0, c2)
#define TTBR1			SYSREG_64(1, c2)
#define TTBCR			SYSREG_32(0, c2, c0, 2)
#define DACR			SYSREG_32(0, c3, c0, 0)
#define DFSR			SYSREG_32(0, c5, c0, 0)
#define IFSR			SYSREG_32(0, c5, c0, 1)
#define ADFSR			SYSREG_32(0, c5, c1, 0)
#define AIFSR			SYSREG_32(0, c5, c1, 1)
#define DFAR			SYSREG_32(0, c6, c0, 0)
#define IFAR			SYSREG_32(0, c6, c0, 2)
#define PAR			SYSREG_64(0, c7)
#define PRRR			SYSREG_32(0, c10, c2, 0)
#define NMRR			SYSREG_32(0, c10, c2, 1)
#define AMAIR0			SYSREG_32(0, c10, c3, 0)
#define AMAIR1			SYSREG_32(0, c10, c3, 1)
#define VBAR			SYSREG_32(0, c12, c0, 0)
#define CONTEXTIDR		SYSREG_32(0, c13, c0, 1)
#define TPIDRURW		SYSREG_32(0, c13, c0, 2)
#define TPIDRURO		SYSREG_32(0, c13, c0, 3)
#define TPIDRPRW		SYSREG_32(0, c13, c0, 4)
#define CSSELR			SYSREG_32(2, c0, c0, 0)
#define CNTKCTL			SYSREG_32(0, c14, c1, 0)
#define CNTFRQ_EL0		SYSREG_32(0, c14, c0, 0)	/* CNTFRQ */
#define CNTPCT_EL0		SYSREG_64(0, c14)		/* CNTPCT */
#define CNTP_CTL		SYSREG_32(0, c14, c2, 1)
#define CNTV_CTL		SYSREG_32(0, c14, c3, 1)
#define ID_MMFR0		SYSREG_32(0, c0, c1, 4)
#define ACTLR			SYSREG_32(0, c1, c0, 1)

/* Performance monitors, timers and debug (arm-common/cpu-state.c) */
#define PMCR_EL0		SYSREG_32(0, c9, c12, 0)
#define PMCNTENCLR_EL0		SYSREG_32(0, c9, c12, 2)
#define PMOVSCLR_EL0		SYSREG_32(0, c9, c12, 3)	/* PMOVSR */
#define PMSELR_EL0		SYSREG_32(0, c9, c12, 5)
#define PMCCNTR_EL0		SYSREG_32(0, c9, c13, 0)
#define PMXEVTYPER_EL0		SYSREG_32(0, c9, c13, 1)
#define PMXEVCNTR_EL0		SYSREG_32(0, c9, c13, 2)
#define PMUSERENR_EL0		SYSREG_32(0, c9, c14, 0)
#define PMINTENCLR_EL1		SYSREG_32(0, c9, c14, 2)
#define CNTP_CVAL_EL0		SYSREG_64(2, c14)
#define CNTV_CVAL_EL0		SYSREG_64(3, c14)
#define DBGDIDR			SYSREG_CP14(0, c0, c0, 0)
#define MDCCINT_EL1		SYSREG_CP14(0, c0, c2, 0)	/* DBGDCCINT */
#define MDSCR_EL1		SYSREG_CP14(0, c0, c2, 2)	/* DBGDSCRext */

#define HCR_VM			(1UL << 0)
#define HCR_SWIO		(1UL << 1)
#define HCR_FMO			(1UL << 3)
#define HCR_IMO			(1UL << 4)
#define HCR_AMO			(1UL << 5)
#define HCR_VSE			(1UL << 8)	/* HCR.VA: virtual abort pending */
#define HCR_TSC			(1UL << 19)
#define HCR_TIDCP		(1UL << 20)
#define HCR_TAC			(1UL << 21)
#define HCR_TSW			(1UL << 22)

/* HDCR */
#define HDCR_HPMN_MASK		0x1fUL
#define HDCR_TPMCR		(1UL << 5)
#define HDCR_TPM		(1UL << 6)
#define HDCR_TDA		(1UL << 9)
#define HDCR_TDOSA		(1UL << 10)
#define HDCR_TDRA		(1UL << 11)

/* HSR */
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_IL			(1UL << 25)
#define EC_UNKNOWN		0x00
#define EC_WFX			0x01
#define EC_CP15_32		0x03
#define EC_CP15_64		0x04
#define EC_CP14_32		0x05
#define EC_CP14_LS		0x06	/* LDC/STC to the debug registers */
#define EC_CP14_64		0x0c
#define EC_HVC			0x12
#define EC_SMC			0x13
/* The HVC and SMC classes of the guests' instruction set (arm-common). */
#define EC_GUEST_HVC		EC_HVC
#define EC_GUEST_SMC		EC_SMC
/* ISS of trapped MCR/MRC (CRn, opc1, opc2 valid) and MCRR/MRRC (Rt2) */
#define ISS_CP_READ		1UL
#define ISS_CP_CRM(esr)		(((esr) >> 1) & 0xf)
#define ISS_CP_RT(esr)		(((esr) >> 5) & 0xf)
#define ISS_CP_CRN(esr)		(((esr) >> 10) & 0xf)
#define ISS_CP_RT2(esr)		(((esr) >> 10) & 0xf)
#define ISS_CP_OPC1(esr)	(((esr) >> 14) & 0x7)
#define ISS_CP_OPC2(esr)	(((esr) >> 17) & 0x7)
#define EC_IABT_LOW		0x20
#define EC_DABT_LOW		0x24
#define EC_DABT_HYP		0x25
/*
 * Whether syndrome @p esr reports an asynchronous abort: a data abort
 * whose status (long-descriptor format) is "asynchronous external abort".
 */
#define ESR_IS_SERROR(esr)						\
	((ESR_EC(esr) == EC_DABT_LOW || ESR_EC(esr) == EC_DABT_HYP) &&	\
	 ((esr) & 0x3f) == 0x11)

#ifndef __ASSEMBLY__
#include <hv/types.h>

#define arm_read_sysreg(...)		_arm_read_sysreg(__VA_ARGS__)
#define arm_write_sysreg(...)		_arm_write_sysreg(__VA_ARGS__)
#define _arm_read_sysreg(size, ...)	arm_read_sysreg_##size(__VA_ARGS__)
#define _arm_write_sysreg(size, ...)	arm_write_sysreg_##size(__VA_ARGS__)

#define arm_read_sysreg_32(op1, crn, crm, op2, val)			\
	do {								\
		u32 __val;						\
		asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm	\
			     ", " #op2 : "=r" (__val));			\
		(val) = (typeof(val))__val;				\
	} while (0)
#define arm_write_sysreg_32(op1, crn, crm, op2, val)			\
	asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2	\
		     : : "r" ((u32)(unsigned long)(val)) : "memory")
#define arm_read_sysreg_cp14(op1, crn, crm, op2, val)			\
	do {								\
		u32 __val;						\
		asm volatile("mrc p14, " #op1 ", %0, " #crn ", " #crm	\
			     ", " #op2 : "=r" (__val));			\
		(val) = (typeof(val))__val;				\
	} while (0)
#define arm_write_sysreg_cp14(op1, crn, crm, op2, val)			\
	asm volatile("mcr p14, " #op1 ", %0, " #crn ", " #crm ", " #op2	\
		     : : "r" ((u32)(unsigned long)(val)) : "memory")
#define arm_read_sysreg_64(op1, crm, val)				\
	do {								\
		u64 __val;						\
		asm volatile("mrrc p15, " #op1 ", %Q0, %R0, " #crm	\
			     : "=r" (__val));				\
		(val) = __val;						\
	} while (0)
#define arm_write_sysreg_64(op1, crm, val)				\
	asm volatile("mcrr p15, " #op1 ", %Q0, %R0, " #crm		\
		     : : "r" ((u64)(val)) : "memory")

/*
 * ICH_LR<n> holds the low, ICH_LRC<n> the high half of list register n:
 * p15, 4, c12, c12 + n / 8, n % 8 and c12, c14 + n / 8, n % 8.
 */
#define ICH_LR_CASE(n, crm, crmc, op2, write, val)			\
	case n:								\
		if (write) {						\
			arm_write_sysreg_32(4, c12, crm, op2, (u32)val);	\
			arm_write_sysreg_32(4, c12, crmc, op2,		\
					    (u32)(val >> 32));		\
		} else {						\
			arm_read_sysreg_32(4, c12, crm, op2, lo);	\
			arm_read_sysreg_32(4, c12, crmc, op2, hi);	\
			val = ((u64)hi << 32) | lo;			\
		}							\
		break

static inline u64 arm_ich_lr_access(unsigned int n, bool write, u64 val)
{
	u32 lo, hi;

	switch (n) {
	ICH_LR_CASE(0, c12, c14, 0, write, val);
	ICH_LR_CASE(1, c12, c14, 1, write, val);
	ICH_LR_CASE(2, c12, c14, 2, write, val);
	ICH_LR_CASE(3, c12, c14, 3, write, val);
	ICH_LR_CASE(4, c12, c14, 4, write, val);
	ICH_LR_CASE(5, c12, c14, 5, write, val);
	ICH_LR_CASE(6, c12, c14, 6, write, val);
	ICH_LR_CASE(7, c12, c14, 7, write, val);
	ICH_LR_CASE(8, c13, c15, 0, write, val);
	ICH_LR_CASE(9, c13, c15, 1, write, val);
	ICH_LR_CASE(10, c13, c15, 2, write, val);
	ICH_LR_CASE(11, c13, c15, 3, write, val);
	ICH_LR_CASE(12, c13, c15, 4, write, val);
	ICH_LR_CASE(13, c13, c15, 5, write, val);
	ICH_LR_CASE(14, c13, c15, 6, write, val);
	ICH_LR_CASE(15, c13, c15, 7, write, val);
	}
	return val;
}

static inline u64 arm_read_ich_lr(unsigned int n)
{
	return arm_ich_lr_access(n, false, 0);
}

static inline void arm_write_ich_lr(unsigned int n, u64 val)
{
	arm_ich_lr_access(n, true, val);
}
#endif

#endif
