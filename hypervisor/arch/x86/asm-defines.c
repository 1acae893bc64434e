/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor, x86-64: constants the assembly code needs. */

#include <hv/asm-offsets.h>

void common(void);

#define ES(sym, mem)	DEFINE(sym, __builtin_offsetof(struct per_cpu, \
					arch.entry.mem))
#define LV(sym, mem)	OFFSET(sym, x86_leave, mem)

void common(void)
{
	GENERIC_ASM_DEFINES();
	DEFINE(GUEST_REGS_SIZE, sizeof(struct guest_regs));
	ES(ES_RBX, rbx);
	ES(ES_RBP, rbp);
	ES(ES_R12, r12);
	ES(ES_R13, r13);
	ES(ES_R14, r14);
	ES(ES_R15, r15);
	ES(ES_RSP, rsp);
	ES(ES_RIP, rip);
	ES(ES_RFLAGS, rflags);
	ES(ES_CR0, cr0);
	ES(ES_CR3, cr3);
	ES(ES_CR4, cr4);
	ES(ES_EFER, efer);
	ES(ES_GDTR, gdtr);
	ES(ES_IDTR, idtr);
	ES(ES_CS, cs);
	ES(ES_SS, ss);
	ES(ES_DS, ds);
	ES(ES_ES, es);
	ES(ES_FS, fs);
	ES(ES_GS, gs);
	ES(ES_TR, tr);
	ES(ES_LDTR, ldtr);
	ES(ES_DESC, desc);
	ES(ES_VIRT, image_virt);
	LV(LV_REGS, regs);
	LV(LV_GDTR, gdtr);
	LV(LV_IDTR, idtr);
	LV(LV_CR4, cr4);
	LV(LV_DS, ds);
	LV(LV_ES, es);
	LV(LV_IRET, iret);
	LV(LV_RELOAD_SEGS, reload_segs);
	LV(LV_LDTR, ldtr);
	LV(LV_FS, fs);
	LV(LV_GS, gs);
	LV(LV_FS_BASE, fs_base);
	LV(LV_GS_BASE, gs_base);
	LV(LV_TR, tr);
	LV(LV_TR_GDTR, tr_gdtr);
}
