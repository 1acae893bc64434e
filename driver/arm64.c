// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver, ARM64: entering the hypervisor through Linux's EL2 stub. */

/*
 * A stock arm64 kernel booted at EL2 with KVM off (kvm-arm.mode=none) leaves
 * its hyp stub in EL2.  The stub's HVC_SOFT_RESTART branches, at EL2 with
 * the MMU off, to a physical address we choose: that is how the hypervisor
 * gets control (protocol in include/jailhouse/header.h).  What ARM and
 * ARM64 share is in arm-common.c.  Nothing here needs an unexported kernel
 * symbol:
 *
 *  - is_hyp_mode_available() reads __boot_cpu_mode, which modules cannot
 *    reach; instead the driver asks EL2 itself (arm-common.c).  The stub
 *    answers any selector it does not know with HVC_STUB_ERR (0xbadca11);
 *    KVM's nVHE host handler answers SMCCC_RET_NOT_SUPPORTED (-1) instead,
 *    a kernel running at EL2 (VHE) shows CurrentEL == 2, and a CPU without
 *    EL2 says so in ID_AA64PFR0_EL1 (checked first: hvc would be undefined
 *    there).
 *  - An initialised but idle KVM (nVHE, no VM) hands EL2 back to the stub
 *    until it creates a VM, so the probe alone cannot see it:
 *    jh_kvm_initialised() does (KVM reaches kvm_init() only when it takes
 *    EL2: not with kvm-arm.mode=none, not when booted at EL1).
 *  - the caches are cleaned by virtual address with our own "dc civac"
 *    loop (dcache_clean_inval_poc is not exported).
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>

#include <asm/sysreg.h>

#include <jailhouse/header.h>

#include "main.h"
#include "arm.h"

#define PFR0_EL2_SHIFT		8
#define CURRENT_EL_EL2		(2 << 2)

#define HYP_MODE	"EL2"
#define NOT_STUB_HINT	"KVM owns EL2; boot with kvm-arm.mode=none"

const char jh_arm_hyp_mode[] = HYP_MODE;
const char jh_arm_not_stub_hint[] = NOT_STUB_HINT;
const char jh_arch_entry_not_run[] =
	HYP_MODE " did not run the hypervisor entry: " NOT_STUB_HINT;

unsigned long jh_arm_stub_call(unsigned long selector)
{
	register u64 x0 asm("x0") = selector;

	/* The stub and KVM return with x0 only changed; be safe anyway. */
	asm volatile("hvc #0"
		     : "+r" (x0)
		     :
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory", "cc");
	return x0;
}

int jh_arm_check_cpu(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	if (read_sysreg(CurrentEL) == CURRENT_EL_EL2) {
		pr_err("jailhouse: the kernel runs at EL2 (VHE): boot with "
		       "kvm-arm.mode=none on a CPU without VHE, or with "
		       "id_aa64mmfr1.vh=0\n");
		return -EBUSY;
	}
	if (((pfr0 >> PFR0_EL2_SHIFT) & 0xf) == 0) {
		pr_err("jailhouse: this CPU does not implement EL2\n");
		return -ENODEV;
	}
	if (jh_kvm_initialised()) {
		pr_err("jailhouse: KVM is initialised and takes EL2 for its "
		       "VMs: boot with kvm-arm.mode=none\n");
		return -EBUSY;
	}
	return 0;
}

long jh_arch_enter(phys_addr_t entry, unsigned int cpu, phys_addr_t image)
{
	register u64 x0 asm("x0") = JH_STUB_SOFT_RESTART;
	register u64 x1 asm("x1") = entry;
	register u64 x2 asm("x2") = cpu;
	register u64 x3 asm("x3") = image;
	register u64 x4 asm("x4") = JAILHOUSE_ENTRY_MAGIC;

	/*
	 * The entry may use x0-x18 and returns with eret to the next
	 * instruction.  x18 is saved by hand as the kernel may reserve it;
	 * x30 is declared clobbered too, as header.h promises only x19-x29.
	 */
	asm volatile("str x18, [sp, #-16]!\n\t"
		     "hvc #0\n\t"
		     "ldr x18, [sp], #16"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4)
		     :
		     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "x30", "memory", "cc");
	return (long)x0;
}

unsigned long jh_arm_read_ctr(void)
{
	return read_sysreg(ctr_el0);
}

void jh_arm_clean_inval_line(unsigned long addr)
{
	asm volatile("dc civac, %0" : : "r" (addr) : "memory");
}

void jh_arch_flush_icache(void)
{
	asm volatile("ic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}
