/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: start-up, comm region detection, exit. */

#include <arch.h>
#include <arm-common.h>

struct jailhouse_comm_region *comm_region;

static volatile bool probe_active, probe_faulted;

bool __probe_skip_fault(void)
{
	if (!probe_active)
		return false;
	probe_faulted = true;
	return true;
}

bool probe_read32(unsigned long addr, u32 *value)
{
	u32 v;

	probe_faulted = false;
	probe_active = true;
	barrier();
	v = arch_load32_single(addr);
	barrier();
	probe_active = false;
	if (probe_faulted)
		return false;
	*value = v;
	return true;
}

unsigned long cpu_mpidr(void)
{
	return arch_read_mpidr();
}

unsigned int cpu_index(void)
{
	return arch_read_mpidr() & (MAX_CPUS - 1);
}

unsigned long hypercall(unsigned long code, unsigned long arg1,
			unsigned long arg2)
{
	return jailhouse_call_arg2(code, arg1, arg2);
}

/* The hypervisor maps the comm region and writes "JHCOMM" before start. */
static void detect_comm_region(void)
{
	unsigned long base = JAILHOUSE_COMM_REGION_ADDR_ARM;
	u32 sig0, sig1;

	if (!probe_read32(base, &sig0) || !probe_read32(base + 4, &sig1))
		return;
	if (memcmp(&sig0, "JHCO", 4) != 0 || memcmp(&sig1, "MM", 2) != 0)
		return;
	comm_region = (struct jailhouse_comm_region *)base;
}

void __inmate_start(void)
{
	detect_comm_region();
	__psci_init();
	console_init();
	if (!comm_region) {
		printk("Note: no comm region at 0x%x, running without "
		       "the hypervisor (bare)\n",
		       JAILHOUSE_COMM_REGION_ADDR_ARM);
	} else if (comm_region->revision != COMM_REGION_ABI_REVISION) {
		/* Tell the hypervisor (and `jailhouse cell list`), then stop. */
		printk("Comm region ABI revision %u, this inmate speaks %u\n",
		       comm_region->revision, COMM_REGION_ABI_REVISION);
		comm_region_set_state(JAILHOUSE_CELL_FAILED_COMM_REV);
		stop();
	}
	inmate_main();
	inmate_exit();
}

void inmate_exit(void)
{
	if (!comm_region)
		psci_system_off();
	stop();
}
