// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: architectures without a hypervisor entry yet (x86). */

#include <linux/kernel.h>
#include <linux/printk.h>

#include "main.h"

#ifdef CONFIG_X86
const unsigned int jh_arch_id = JAILHOUSE_X86;

const char *const jh_arch_stat_names[] = {
	"vmexits_pio", "vmexits_xapic", "vmexits_cr", "vmexits_cpuid",
	"vmexits_xsetbv", "vmexits_exception", "vmexits_msr_other",
	"vmexits_msr_x2apic_icr", NULL,
};

const char *jh_arch_firmware(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		boot_cpu_data.x86_vendor == X86_VENDOR_HYGON ?
		"jailhouse-amd.bin" : "jailhouse-intel.bin";
}
#endif

int jh_arch_check(void)
{
	pr_err("jailhouse: entering the hypervisor is not implemented for this "
	       "architecture yet\n");
	return -EOPNOTSUPP;
}

long jh_arch_enter(phys_addr_t entry, unsigned int cpu, phys_addr_t image)
{
	return -EOPNOTSUPP;
}

void jh_arch_flush_dcache(void *addr, size_t size)
{
}

void jh_arch_flush_icache(void)
{
}

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	return -ENOSYS;
}
