// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: architectures without a hypervisor entry yet (ARMv7). */

#include <linux/kernel.h>
#include <linux/printk.h>

#include "main.h"

const unsigned int jh_arch_id = JAILHOUSE_ARM;

const char *const jh_arch_stat_names[] = {
	"vmexits_maintenance", "vmexits_virt_irq", "vmexits_virt_sgi",
	"vmexits_psci", "vmexits_smccc", "vmexits_cp15", NULL,
};

const char *jh_arch_firmware(void)
{
	return "jailhouse.bin";
}

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
