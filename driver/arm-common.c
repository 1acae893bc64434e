// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver, ARM and ARM64: what both take from Linux's hyp stub. */

/*
 * Both stubs answer a selector they do not know with HVC_STUB_ERR and
 * touch nothing else, so asking every online CPU for one is a harmless
 * way of learning that the stub, and nothing else, waits in the hypervisor
 * mode.  The architecture parts (arm.c, arm64.c) first make sure that the
 * hvc instruction reaches that mode at all.
 */

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <jailhouse/hypercall.h>

#include "main.h"
#include "arm.h"

/* Line sizes are 4 << DminLine bytes; never below a word. */
#define CTR_DMINLINE(ctr)	(((ctr) >> 16) & 0xf)

const char *jh_arch_firmware(void)
{
	return "jailhouse.bin";
}

#ifdef CONFIG_ARM64
const unsigned int jh_arch_id = JAILHOUSE_ARM64;
#else
const unsigned int jh_arch_id = JAILHOUSE_ARM;
#endif

const char *const jh_arch_stat_names[] = {
	"vmexits_maintenance", "vmexits_virt_irq", "vmexits_virt_sgi",
	"vmexits_psci", "vmexits_smccc",
#ifndef CONFIG_ARM64
	"vmexits_cp15",
#endif
	"vmexits_cache_setway",
	NULL,
};

static void probe_cpu(void *info)
{
	unsigned long *results = info;

	results[smp_processor_id()] = jh_arm_stub_call(JH_STUB_PROBE);
}

int jh_arch_check(void)
{
	unsigned long *results;
	unsigned int cpu;
	int err;

	err = jh_arm_check_cpu();
	if (err)
		return err;

	results = kcalloc(nr_cpu_ids, sizeof(*results), GFP_KERNEL);
	if (!results)
		return -ENOMEM;
	on_each_cpu(probe_cpu, results, 1);
	for_each_online_cpu(cpu) {
		if (results[cpu] == JH_STUB_ERR)
			continue;
		pr_err("jailhouse: %s on CPU %u is not Linux's hyp stub (answer "
		       "0x%lx): %s\n", jh_arm_hyp_mode, cpu, results[cpu],
		       jh_arm_not_stub_hint);
		err = -EBUSY;
		break;
	}
	kfree(results);
	return err;
}

void jh_arch_flush_dcache(void *addr, size_t size)
{
	unsigned long line = 4UL << CTR_DMINLINE(jh_arm_read_ctr());
	unsigned long start = (unsigned long)addr & ~(line - 1);
	unsigned long end = (unsigned long)addr + size;

	for (; start < end; start += line)
		jh_arm_clean_inval_line(start);
	dsb(sy);
}

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	return (long)jailhouse_call_arg2(code, arg1, arg2);
}
