// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver, ARM (32-bit): entering the hypervisor through Linux's HYP stub. */

/*
 * A stock ARMv7 kernel (Debian's armmp-lpae) started in HYP mode leaves its
 * hyp stub in HYP mode; KVM is gone from 32-bit ARM since Linux 5.7, so
 * nothing else takes it.  The kernel proper's stub knows one call,
 * HVC_SOFT_RESTART ("bx r1" in HYP mode, MMU off, r2 and r3 untouched);
 * every other selector, HVC_SET_VECTORS included, returns HVC_STUB_ERR
 * (only the zImage decompressor's stub could still set vectors).  That is
 * how the hypervisor gets control (protocol in include/jailhouse/header.h);
 * it reads the stub's HVBAR itself and restores it on disable.
 *
 * Nothing here needs an unexported kernel symbol:
 *
 *  - is_hyp_mode_available() reads __boot_cpu_mode, which neither the
 *    module nor kallsyms (no CONFIG_KALLSYMS_ALL on Debian) can reach.
 *    hvc is undefined unless the CPU has the virtualization extensions
 *    and the firmware enabled HYP mode, and an undefined instruction in
 *    the kernel is an oops, so the driver looks before it asks: at
 *    ID_PFR1, then at the line the kernel printed when it checked its boot
 *    mode (read through the exported kmsg_dump iterator).  Only then does
 *    arm-common.c ask every CPU's stub.
 *  - the caches are cleaned by virtual address with our own DCCIMVAC loop
 *    (the per-CPU cache functions behind cpu_cache are not an interface).
 */

#include <linux/kernel.h>
#include <linux/kmsg_dump.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <jailhouse/header.h>

#include "main.h"
#include "arm.h"

#define ID_PFR1_VIRT(pfr1)	(((pfr1) >> 12) & 0xf)
#define LOG_LINE_MAX		1024

/* What hyp_mode_check() prints after all CPUs came up (arch/arm setup). */
#define LOG_HYP			"CPU: All CPU(s) started in HYP mode"
#define LOG_SVC			"CPU: All CPU(s) started in SVC mode"
#define LOG_MIXED		"CPU(s) started in wrong/inconsistent modes"

#define HYP_MODE	"HYP mode"
#define NOT_STUB_HINT	"another hypervisor owns HYP mode"

const char jh_arm_hyp_mode[] = HYP_MODE;
const char jh_arm_not_stub_hint[] = NOT_STUB_HINT;
const char jh_arch_entry_not_run[] =
	HYP_MODE " did not run the hypervisor entry: " NOT_STUB_HINT;

enum boot_mode { BOOT_MODE_UNKNOWN, BOOT_MODE_HYP, BOOT_MODE_NOT_HYP };

/* The boot mode as the kernel logged it, if the line is still there. */
static enum boot_mode logged_boot_mode(void)
{
	enum boot_mode mode = BOOT_MODE_UNKNOWN;
	struct kmsg_dump_iter iter;
	size_t len;
	char *line;

	line = kmalloc(LOG_LINE_MAX + 1, GFP_KERNEL);
	if (!line)
		return BOOT_MODE_UNKNOWN;
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, false, line, LOG_LINE_MAX, &len)) {
		line[len] = 0;
		if (strstr(line, LOG_HYP))
			mode = BOOT_MODE_HYP;
		else if (strstr(line, LOG_SVC) || strstr(line, LOG_MIXED))
			mode = BOOT_MODE_NOT_HYP;
	}
	kfree(line);
	return mode;
}

int jh_arm_check_cpu(void)
{
	u32 pfr1;

	asm volatile("mrc p15, 0, %0, c0, c1, 1" : "=r" (pfr1));
	if (!ID_PFR1_VIRT(pfr1)) {
		pr_err("jailhouse: this CPU has no virtualization extensions "
		       "(no HYP mode)\n");
		return -ENODEV;
	}
	switch (logged_boot_mode()) {
	case BOOT_MODE_HYP:
		return 0;
	case BOOT_MODE_NOT_HYP:
		pr_err("jailhouse: the kernel was not started in HYP mode on "
		       "all CPUs: let the boot loader start it in HYP mode\n");
		return -ENODEV;
	default:
		pr_err("jailhouse: cannot tell whether the kernel was started "
		       "in HYP mode: \"" LOG_HYP "\" is no longer in the "
		       "kernel log\n");
		return -ENODEV;
	}
}

unsigned long jh_arm_stub_call(unsigned long selector)
{
	register unsigned long r0 asm("r0") = selector;

	/* The stub changes only r0; the hvc may trap elsewhere, be safe. */
	asm volatile(".arch_extension virt\n\t"
		     "hvc #0"
		     : "+r" (r0)
		     :
		     : "r1", "r2", "r3", "r12", "lr", "memory", "cc");
	return r0;
}

long jh_arch_enter(phys_addr_t entry, unsigned int cpu, phys_addr_t image)
{
	register unsigned long r0 asm("r0") = JH_STUB_SOFT_RESTART;
	register unsigned long r1 asm("r1") = entry;
	register unsigned long r2 asm("r2") = cpu;
	register unsigned long r3 asm("r3") = image;

	/* HYP mode runs with the MMU off: it sees 32-bit addresses only. */
	if (upper_32_bits(entry) || upper_32_bits(image))
		return -EINVAL;
	/*
	 * The entry returns with eret to the next instruction, the result in
	 * r0; it may change r0-r3, r12 and lr (header.h).
	 */
	asm volatile(".arch_extension virt\n\t"
		     "hvc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     :
		     : "r12", "lr", "memory", "cc");
	return (long)r0;
}

unsigned long jh_arm_read_ctr(void)
{
	unsigned long ctr;

	asm volatile("mrc p15, 0, %0, c0, c0, 1" : "=r" (ctr));
	return ctr;
}

void jh_arm_clean_inval_line(unsigned long addr)
{
	asm volatile("mcr p15, 0, %0, c7, c14, 1" : : "r" (addr) : "memory");
}

void jh_arch_flush_icache(void)
{
	/* ICIALLUIS */
	asm volatile("mcr p15, 0, %0, c7, c1, 0\n\t"
		     "dsb ish\n\t"
		     "isb" : : "r" (0) : "memory");
}
