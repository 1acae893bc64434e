/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: start-up, comm region, hypercalls, exit. */

#include <arch.h>
#include <x86.h>

#define ACPI_PM1_CNT		4	/* from the PM base (timer port - 8) */
#define ACPI_SLP_EN		(1 << 13)

struct jailhouse_comm_region *comm_region;
/* Intel CPUs call the hypervisor with vmcall, AMD ones with vmmcall. */
bool jailhouse_use_vmcall;

unsigned long hypercall(unsigned long code, unsigned long arg1,
			unsigned long arg2)
{
	return jailhouse_call_arg2(code, arg1, arg2);
}

static void detect_vendor(void)
{
	u32 eax, ebx, ecx, edx;

	cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	/* "GenuineIntel" */
	jailhouse_use_vmcall = ebx == 0x756e6547 && edx == 0x49656e69 &&
		ecx == 0x6c65746e;
}

/* The hypervisor maps the comm region and writes "JHCOMM" before start;
 * bare, RAM (or nothing) is there. */
static void detect_comm_region(void)
{
	struct jailhouse_comm_region *region =
		(struct jailhouse_comm_region *)COMM_REGION_ADDR;

	if (memcmp(region->signature, COMM_REGION_MAGIC, 6) == 0)
		comm_region = region;
}

unsigned int cell_num_cpus(void)
{
	if (comm_region)
		return comm_region->num_cpus;
	return cmdline_parse_int("num-cpus", 1);
}

/* header.S's bitmap of the APIC IDs of the CPUs that started with the
 * cell, in the comm region page (ELECT_CPUS there). */
#define CPUS_ARRIVED_OFFSET	0xfd0
#define MAX_XAPIC_ID		255

unsigned int cell_cpu_apic_ids(u8 *ids, unsigned int max)
{
	const volatile u32 *arrived;
	unsigned int id, count = 0;

	if (!comm_region) {
		if (max > 0)
			ids[0] = cpu_apic_id();
		return 1;
	}
	arrived = (const volatile u32 *)((unsigned long)comm_region +
					 CPUS_ARRIVED_OFFSET);
	for (id = 0; id <= MAX_XAPIC_ID; id++) {
		if (!(arrived[id / 32] & (1U << (id % 32))))
			continue;
		if (count < max)
			ids[count] = id;
		count++;
	}
	return count;
}

void __inmate_start(void)
{
	__int_load_table();
	detect_vendor();
	detect_comm_region();
	console_init();
	if (!comm_region) {
		printk("Note: no comm region at 0x%x, running without "
		       "the hypervisor (bare)\n", COMM_REGION_ADDR);
	} else if (comm_region->revision != COMM_REGION_ABI_REVISION) {
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
	if (!comm_region) {
		/* QEMU's isa-debug-exit, if present; then ACPI S5. */
		outl(all_passed ? 0 : 1, DEBUG_EXIT_PORT);
		outw(ACPI_SLP_EN, pm_timer_port() - 8 + ACPI_PM1_CNT);
	}
	stop();
}
