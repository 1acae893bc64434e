/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: Intel VT-x (VMX) definitions, written from
 * the Intel SDM volume 3, chapters 24-28 and appendices A-C (VMCS field
 * encodings, capability MSRs, exit reasons).
 */

#ifndef _ASM_VMX_H
#define _ASM_VMX_H

#define X86_CR4_VMXE			(1UL << 13)

#define MSR_IA32_FEATURE_CONTROL	0x3a
#define FEATURE_CONTROL_LOCKED		(1UL << 0)
#define FEATURE_CONTROL_VMXON		(1UL << 2)	/* outside SMX */
#define MSR_IA32_SYSENTER_CS		0x174
#define MSR_IA32_SYSENTER_ESP		0x175
#define MSR_IA32_SYSENTER_EIP		0x176
#define MSR_IA32_DEBUGCTL		0x1d9
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101

/* capability MSRs */
#define MSR_VMX_BASIC			0x480
#define MSR_VMX_PINBASED_CTLS		0x481
#define MSR_VMX_PROCBASED_CTLS		0x482
#define MSR_VMX_EXIT_CTLS		0x483
#define MSR_VMX_ENTRY_CTLS		0x484
#define MSR_VMX_MISC			0x485
#define MSR_VMX_CR0_FIXED0		0x486
#define MSR_VMX_CR0_FIXED1		0x487
#define MSR_VMX_CR4_FIXED0		0x488
#define MSR_VMX_CR4_FIXED1		0x489
#define MSR_VMX_PROCBASED_CTLS2		0x48b
#define MSR_VMX_EPT_VPID_CAP		0x48c
#define MSR_VMX_TRUE_PINBASED_CTLS	0x48d
#define MSR_VMX_TRUE_PROCBASED_CTLS	0x48e
#define MSR_VMX_TRUE_EXIT_CTLS		0x48f
#define MSR_VMX_TRUE_ENTRY_CTLS		0x490

#define VMX_BASIC_TRUE_CTLS		(1UL << 55)
#define VMX_MISC_WAIT_FOR_SIPI		(1UL << 8)

#define EPT_CAP_WALK_4			(1UL << 6)
#define EPT_CAP_WB			(1UL << 14)
#define EPT_CAP_2M			(1UL << 16)
#define EPT_CAP_INVEPT			(1UL << 20)
#define EPT_CAP_INVEPT_SINGLE		(1UL << 25)
#define EPT_CAP_INVEPT_ALL		(1UL << 26)
#define VPID_CAP_INVVPID		(1UL << 32)
#define VPID_CAP_INVVPID_SINGLE		(1UL << 41)
#define VPID_CAP_INVVPID_ALL		(1UL << 42)

/* VMCS field encodings */
#define VMCS_VPID			0x0000
#define GUEST_ES_SELECTOR		0x0800	/* then CS, SS, DS, FS, GS, LDTR, TR */
#define HOST_ES_SELECTOR		0x0c00	/* then CS, SS, DS, FS, GS, TR */
#define HOST_CS_SELECTOR		0x0c02
#define HOST_SS_SELECTOR		0x0c04
#define HOST_DS_SELECTOR		0x0c06
#define HOST_FS_SELECTOR		0x0c08
#define HOST_GS_SELECTOR		0x0c0a
#define HOST_TR_SELECTOR		0x0c0c
#define IO_BITMAP_A			0x2000
#define IO_BITMAP_B			0x2002
#define MSR_BITMAP			0x2004
#define TSC_OFFSET			0x2010
#define EPT_POINTER			0x201a
#define GUEST_PHYSICAL_ADDRESS		0x2400
#define VMCS_LINK_POINTER		0x2800
#define GUEST_IA32_DEBUGCTL		0x2802
#define GUEST_IA32_PAT			0x2804
#define GUEST_IA32_EFER			0x2806
/* the four PDPTEs of PAE paging outside long mode: 0x280a, c, e, 0x2810 */
#define GUEST_PDPTE0			0x280a
#define HOST_IA32_PAT			0x2c00
#define HOST_IA32_EFER			0x2c02
#define PIN_BASED_CONTROLS		0x4000
#define PROC_BASED_CONTROLS		0x4002
#define EXCEPTION_BITMAP		0x4004
#define CR3_TARGET_COUNT		0x400a
#define VM_EXIT_CONTROLS		0x400c
#define VM_EXIT_MSR_STORE_COUNT		0x400e
#define VM_EXIT_MSR_LOAD_COUNT		0x4010
#define VM_ENTRY_CONTROLS		0x4012
#define VM_ENTRY_MSR_LOAD_COUNT		0x4014
#define VM_ENTRY_INTR_INFO		0x4016
#define VM_ENTRY_EXCEPTION_ERROR_CODE	0x4018
#define VM_ENTRY_INSTRUCTION_LEN	0x401a
#define PROC_BASED_CONTROLS2		0x401e
#define VM_INSTRUCTION_ERROR		0x4400
#define VM_EXIT_REASON			0x4402
#define VM_EXIT_INTR_INFO		0x4404
#define VM_EXIT_INTR_ERROR_CODE		0x4406
#define IDT_VECTORING_INFO		0x4408
#define IDT_VECTORING_ERROR_CODE	0x440a
#define VM_EXIT_INSTRUCTION_LEN		0x440c
#define GUEST_ES_LIMIT			0x4800	/* then as the selectors */
#define GUEST_GDTR_LIMIT		0x4810
#define GUEST_IDTR_LIMIT		0x4812
#define GUEST_ES_AR			0x4814	/* then as the selectors */
#define GUEST_SS_AR			0x4818
#define GUEST_INTERRUPTIBILITY		0x4824
#define GUEST_ACTIVITY_STATE		0x4826
#define GUEST_SYSENTER_CS		0x482a
#define PREEMPTION_TIMER_VALUE		0x482e
#define HOST_SYSENTER_CS		0x4c00
#define CR0_GUEST_HOST_MASK		0x6000
#define CR4_GUEST_HOST_MASK		0x6002
#define CR0_READ_SHADOW			0x6004
#define CR4_READ_SHADOW			0x6006
#define EXIT_QUALIFICATION		0x6400
#define GUEST_CR0			0x6800
#define GUEST_CR3			0x6802
#define GUEST_CR4			0x6804
#define GUEST_ES_BASE			0x6806	/* then as the selectors */
#define GUEST_GDTR_BASE			0x6816
#define GUEST_IDTR_BASE			0x6818
#define GUEST_DR7			0x681a
#define GUEST_RSP			0x681c
#define GUEST_RIP			0x681e
#define GUEST_RFLAGS			0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS	0x6822
#define GUEST_SYSENTER_ESP		0x6824
#define GUEST_SYSENTER_EIP		0x6826
#define HOST_CR0			0x6c00
#define HOST_CR3			0x6c02
#define HOST_CR4			0x6c04
#define HOST_FS_BASE			0x6c06
#define HOST_GS_BASE			0x6c08
#define HOST_TR_BASE			0x6c0a
#define HOST_GDTR_BASE			0x6c0c
#define HOST_IDTR_BASE			0x6c0e
#define HOST_SYSENTER_ESP		0x6c10
#define HOST_SYSENTER_EIP		0x6c12
#define HOST_RSP			0x6c14
#define HOST_RIP			0x6c16

/* segment register n (ES, CS, SS, DS, FS, GS, LDTR, TR) of a field group */
#define SEG_ES	0
#define SEG_CS	1
#define SEG_SS	2
#define SEG_DS	3
#define SEG_FS	4
#define SEG_GS	5
#define SEG_LDTR 6
#define SEG_TR	7
#define SEG_FIELD(group, n)		((group) + 2 * (n))
#define SEG_AR_UNUSABLE			(1U << 16)

#define PIN_NMI_EXITING			(1UL << 3)
#define PIN_PREEMPTION_TIMER		(1UL << 6)

#define PROC_TSC_OFFSETTING		(1UL << 3)
#define PROC_IO_BITMAPS			(1UL << 25)
#define PROC_MSR_BITMAPS		(1UL << 28)
#define PROC_SECONDARY			(1UL << 31)

#define PROC2_EPT			(1UL << 1)
#define PROC2_RDTSCP			(1UL << 3)
#define PROC2_VPID			(1UL << 5)
#define PROC2_UNRESTRICTED		(1UL << 7)
#define PROC2_INVPCID			(1UL << 12)
#define PROC2_XSAVES			(1UL << 20)

#define EXIT_SAVE_DEBUG			(1UL << 2)
#define EXIT_HOST_64			(1UL << 9)
#define EXIT_SAVE_PAT			(1UL << 18)
#define EXIT_LOAD_PAT			(1UL << 19)
#define EXIT_SAVE_EFER			(1UL << 20)
#define EXIT_LOAD_EFER			(1UL << 21)

#define ENTRY_LOAD_DEBUG		(1UL << 2)
#define ENTRY_IA32E			(1UL << 9)
#define ENTRY_LOAD_PAT			(1UL << 14)
#define ENTRY_LOAD_EFER			(1UL << 15)

#define ACTIVITY_ACTIVE			0
#define ACTIVITY_WAIT_SIPI		3

#define INTR_INFO_VALID			(1UL << 31)
#define INTR_INFO_ERROR_CODE		(1UL << 11)
#define INTR_TYPE_MASK			(7UL << 8)
#define INTR_TYPE_NMI			(2UL << 8)
#define INTR_TYPE_HW_EXCEPTION		(3UL << 8)
#define INTR_TYPE_SW_INTR		(4UL << 8)

#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INIT		3
#define EXIT_REASON_SIPI		4
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_GETSEC		11
#define EXIT_REASON_INVD		13
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19	/* .. VMXON (27) */
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_IO			30
#define EXIT_REASON_MSR_READ		31
#define EXIT_REASON_MSR_WRITE		32
#define EXIT_REASON_INVALID_STATE	33
#define EXIT_REASON_EPT_VIOLATION	48
/* its exit qualification: a guest linear address was being translated,
 * and the access was to its final translation (not a paging entry) */
#define EPT_VIOL_LINEAR_VALID		(1U << 7)
#define EPT_VIOL_TRANSLATED		(1U << 8)
#define EXIT_REASON_EPT_MISCONFIG	49
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_PREEMPTION_TIMER	52
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_XSETBV		55
#define EXIT_REASON_VMFUNC		59
#define EXIT_REASON_ENTRY_FAILED	(1U << 31)

#define EPT_READ			(1UL << 0)
#define EPT_WRITE			(1UL << 1)
#define EPT_EXEC			(1UL << 2)
#define EPT_MEMTYPE_WB			(6UL << 3)
#define EPT_LARGE			(1UL << 7)
#define EPTP_WB_4LEVEL			(6UL | (3UL << 3))

#define INVEPT_SINGLE			1
#define INVEPT_ALL			2
#define INVVPID_SINGLE			1
#define INVVPID_ALL			2

#endif
