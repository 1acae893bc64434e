/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: AMD-V (SVM) definitions, written from the
 * AMD64 Architecture Programmer's Manual, volume 2, chapter 15 and
 * appendix B (VMCB layout).
 */

#ifndef _ASM_SVM_H
#define _ASM_SVM_H

#include <hv/types.h>

#define EFER_SVME		(1UL << 12)
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1UL << 4)

#define CPUID_SVM_FEATURES	0x8000000a
#define SVM_FEATURE_NPT		(1U << 0)
#define SVM_FEATURE_NRIPS	(1U << 3)

/* CR intercepts (offset 0): reads in bits 0..15, writes in 16..31 */
#define SVM_INTERCEPT_CR4_WRITE	(1U << 20)
/* intercept word 1 (offset 0x0c) */
#define SVM_INTERCEPT_NMI	(1U << 1)
#define SVM_INTERCEPT_INIT	(1U << 3)
#define SVM_INTERCEPT_CR0_SEL	(1U << 5)	/* but for TS and MP */
#define SVM_INTERCEPT_CPUID	(1U << 18)
#define SVM_INTERCEPT_INVD	(1U << 22)
#define SVM_INTERCEPT_INVLPGA	(1U << 26)
#define SVM_INTERCEPT_IOIO	(1U << 27)
#define SVM_INTERCEPT_MSR	(1U << 28)
#define SVM_INTERCEPT_SHUTDOWN	(1U << 31)
/* intercept word 2 (offset 0x10): VMRUN..SKINIT are bits 0..6 */
#define SVM_INTERCEPT_VMRUN	(1U << 0)
#define SVM_INTERCEPT_VMMCALL	(1U << 1)
#define SVM_INTERCEPT_SVM_INSNS	0x7dU	/* VMRUN, VMLOAD .. SKINIT */
#define SVM_INTERCEPT_XSETBV	(1U << 13)

#define SVM_EXIT_CR4_WRITE	0x14
#define SVM_EXIT_EXCP_BASE	0x40
#define SVM_EXIT_NMI		0x61
#define SVM_EXIT_INIT		0x63
#define SVM_EXIT_CR0_SEL_WRITE	0x65
#define SVM_EXIT_CPUID		0x72
#define SVM_EXIT_INVD		0x76
#define SVM_EXIT_INVLPGA	0x7a
#define SVM_EXIT_IOIO		0x7b
#define SVM_EXIT_MSR		0x7c
#define SVM_EXIT_SHUTDOWN	0x7f
#define SVM_EXIT_VMRUN		0x80
#define SVM_EXIT_VMMCALL	0x81
#define SVM_EXIT_VMLOAD		0x82
#define SVM_EXIT_SKINIT		0x86
#define SVM_EXIT_XSETBV		0x8d
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	(~0UL)

/* nested page fault exitinfo1: the fault hit the guest's page tables */
#define SVM_NPF_GUEST_PT	(1ULL << 33)

#define SVM_TLB_FLUSH_ALL	1
#define SVM_TLB_FLUSH_ASID	3

#define SVM_EVENT_VALID		(1U << 31)
#define SVM_EVENT_TYPE_MASK	(7U << 8)
#define SVM_EVENT_EXCEPTION	(3U << 8)
#define SVM_EVENT_SOFT_INTR	(4U << 8)
#define SVM_EVENT_ERR_VALID	(1U << 11)

struct svm_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

/* The VMCB: control area at 0, state save area at 0x400. */
struct vmcb {
	u32 intercept_cr;		/* 0x000 */
	u32 intercept_dr;
	u32 intercept_exceptions;
	u32 intercept1;
	u32 intercept2;			/* 0x010 */
	u8 res0[0x40 - 0x14];
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 res1[3];
	u64 vintr;			/* 0x060 */
	u64 interrupt_shadow;
	u64 exitcode;			/* 0x070 */
	u64 exitinfo1;
	u64 exitinfo2;			/* 0x080 */
	u64 exitintinfo;
	u64 np_enable;			/* 0x090 */
	u8 res2[0xa8 - 0x98];
	u64 eventinj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 lbr_virt;
	u64 clean_bits;			/* 0x0c0 */
	u64 next_rip;
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];
	u8 res3[0x400 - 0xe0];

	struct svm_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct svm_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	u8 res4[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 res5;
	u64 efer;			/* 0x4d0 */
	u8 res6[0x548 - 0x4d8];
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;	/* 0x548 */
	u8 res7[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u8 res8[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u64 star, lstar, cstar, sfmask, kernel_gs_base;	/* 0x600 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;	/* 0x628 */
	u64 cr2;			/* 0x640 */
	u8 res9[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;
	u8 res10[0x1000 - 0x678];
};

_Static_assert(__builtin_offsetof(struct vmcb, np_enable) == 0x90, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb");

#endif
