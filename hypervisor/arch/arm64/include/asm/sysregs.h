/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, arm64: system register access and bit definitions.
 *
 * arm-common code names registers as AArch64 does (HCR_EL2, ICH_HCR_EL2,
 * ...) and calls arm_read_sysreg()/arm_write_sysreg(); this header expands
 * them to MRS/MSR, arch/arm's to MRC/MCR on cp15.
 */

#ifndef _ASM_SYSREGS_H
#define _ASM_SYSREGS_H

#define arm_read_sysreg(reg, val) \
	asm volatile("mrs %0, " __stringify(reg) : "=r" (val))
#define arm_write_sysreg(reg, val) \
	asm volatile("msr " __stringify(reg) ", %0" : : \
		     "r" ((unsigned long)(val)) : "memory")

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* GICv3 CPU interface registers by encoding (older assemblers). */
#define ICC_IAR0_EL1		S3_0_C12_C8_0
#define ICC_EOIR0_EL1		S3_0_C12_C8_1
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_IGRPEN0_EL1		S3_0_C12_C12_6
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_DIR_EL1		S3_0_C12_C11_1
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICH_AP0R0_EL2		S3_4_C12_C8_0
#define ICH_AP1R0_EL2		S3_4_C12_C9_0
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VTR_EL2		S3_4_C12_C11_1
#define ICH_ELRSR_EL2		S3_4_C12_C11_5
#define ICH_VMCR_EL2		S3_4_C12_C11_7

/* MPIDR_EL1 affinity fields Aff3..Aff0. */
#define MPIDR_AFF_MASK		0xff00ffffffUL
/* HPFAR_EL2.FIPA: bits 47:12 of the faulting IPA, in bits 43:4. */
#define HPFAR_FIPA_MASK		0xfffffffffff0UL

#ifndef __ASSEMBLY__
#include <hv/types.h>

#define ICH_LR_CASE(n, crm, op2, write, val)				\
	case n:								\
		if (write)						\
			arm_write_sysreg(S3_4_C12_##crm##_##op2, val);	\
		else							\
			arm_read_sysreg(S3_4_C12_##crm##_##op2, val);	\
		break

/* ICH_LR<n>_EL2, one 64-bit register per list entry. */
static inline unsigned long arm_ich_lr_access(unsigned int n, bool write,
					      unsigned long val)
{
	switch (n) {
	ICH_LR_CASE(0, C12, 0, write, val); ICH_LR_CASE(1, C12, 1, write, val);
	ICH_LR_CASE(2, C12, 2, write, val); ICH_LR_CASE(3, C12, 3, write, val);
	ICH_LR_CASE(4, C12, 4, write, val); ICH_LR_CASE(5, C12, 5, write, val);
	ICH_LR_CASE(6, C12, 6, write, val); ICH_LR_CASE(7, C12, 7, write, val);
	ICH_LR_CASE(8, C13, 0, write, val); ICH_LR_CASE(9, C13, 1, write, val);
	ICH_LR_CASE(10, C13, 2, write, val); ICH_LR_CASE(11, C13, 3, write, val);
	ICH_LR_CASE(12, C13, 4, write, val); ICH_LR_CASE(13, C13, 5, write, val);
	ICH_LR_CASE(14, C13, 6, write, val); ICH_LR_CASE(15, C13, 7, write, val);
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

#define HCR_VM			(1UL << 0)
#define HCR_SWIO		(1UL << 1)
#define HCR_FMO			(1UL << 3)
#define HCR_IMO			(1UL << 4)
#define HCR_AMO			(1UL << 5)
#define HCR_VSE			(1UL << 8)	/* virtual SError pending */
#define HCR_TSC			(1UL << 19)
#define HCR_TIDCP		(1UL << 20)
#define HCR_TAC			(1UL << 21)
#define HCR_TSW			(1UL << 22)
#define HCR_RW			(1UL << 31)

#define MDCR_TPMCR		(1UL << 5)
#define MDCR_TPM		(1UL << 6)
#define MDCR_TDA		(1UL << 9)
#define MDCR_TDOSA		(1UL << 10)
#define MDCR_TDRA		(1UL << 11)

#define SCTLR_EL1_RES1		0x30d00800UL
#define SPSR_EL1H_MASKED	0x3c5UL		/* EL1h, D, A, I, F masked */

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_IL			(1UL << 25)
#define EC_UNKNOWN		0x00
#define EC_WFX			0x01
#define EC_HVC64		0x16
#define EC_SMC64		0x17
/* The HVC and SMC classes of the guests' instruction set (arm-common). */
#define EC_GUEST_HVC		EC_HVC64
#define EC_GUEST_SMC		EC_SMC64
#define EC_SYSREG		0x18
/* ESR ISS of a trapped MSR/MRS: Op0, Op2, Op1, CRn, CRm, no Rt, Dir */
#define ISS_SYSREG_MASK		0x3ffc1eUL
#define ISS_SYSREG_RT(iss)	(((iss) >> 5) & 0x1f)
#define ISS_SYSREG_READ		1UL
#define ISS_SYSREG_OP0(iss)	(((iss) >> 20) & 3)
#define ISS_SYSREG_OP1(iss)	(((iss) >> 14) & 7)
#define ISS_SYSREG_OP2(iss)	(((iss) >> 17) & 7)
#define ISS_SYSREG_CRN(iss)	(((iss) >> 10) & 0xf)
#define ISS_SYSREG_CRM(iss)	(((iss) >> 1) & 0xf)
#define ISS_ACTLR_EL1		((3UL << 20) | (1UL << 17) | (1UL << 10))
#define ISS_ICC_SGI1R		((3UL << 20) | (5UL << 17) | (12UL << 10) | (11UL << 1))
#define ISS_ICC_ASGI1R		((3UL << 20) | (6UL << 17) | (12UL << 10) | (11UL << 1))
#define ISS_ICC_SGI0R		((3UL << 20) | (7UL << 17) | (12UL << 10) | (11UL << 1))
#define EC_IABT_LOW		0x20
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25
#define EC_SERROR		0x2f
/** Whether syndrome @p esr reports an SError (asynchronous abort). */
#define ESR_IS_SERROR(esr)	(ESR_EC(esr) == EC_SERROR)

#endif
