/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library: what the jailhouse driver does to enable and
 * disable the hypervisor, with one command loop on every root CPU (see
 * include/root.h).
 */

#include <root.h>

volatile unsigned long cmd[NUM_CPUS], alive[NUM_CPUS];
volatile long result[NUM_CPUS];
unsigned int online = (1 << NUM_CPUS) - 1;

static unsigned long config_offset;

struct jailhouse_header *hv_header(void)
{
	return (void *)HV_BASE;
}

struct jailhouse_system *hv_system(void)
{
	return (void *)((char *)hv_header() + config_offset);
}

const char * __attribute__((weak)) root_hypervisor_image(unsigned long *size)
{
	*size = hv_image_end - hv_image;
	return hv_image;
}

/* The image, its zeroed rest, per-CPU areas, then the configuration. */
void load_hypervisor(void)
{
	unsigned long image, size;
	const char *hv = root_hypervisor_image(&image);
	const struct jailhouse_header *src = (const void *)hv;
	struct jailhouse_header *hdr = hv_header();
	const char *sys = root_system_config(&size);

	memcpy8(hdr, hv, image);
	memset8((char *)hdr + image, 0, src->core_size - image);
	config_offset = (src->core_size + NUM_CPUS * src->percpu_size +
			 PAGE - 1) & ~(PAGE - 1);
	memcpy8((char *)hdr + config_offset, sys, size);
	hdr->possible_cpus = NUM_CPUS;
	hdr->online_cpus = NUM_CPUS;
	hdr->config_offset = config_offset;
	hdr->config_size = size;
	hdr->entered_cpus = 0;
	hdr->entry_status = 0;
}

static void run_cmd(unsigned int cpu, unsigned long c)
{
	if (c == CMD_ENTER)
		result[cpu] = enter(cpu);
	else if (c == CMD_DISABLE)
		result[cpu] = hc(JAILHOUSE_HC_DISABLE, 0, 0);
	else
		arch_cmd(cpu, c);
}

void secondary_loop(unsigned int cpu)
{
	unsigned long c;

	alive[cpu]++;
	while (1) {
		c = cmd[cpu];
		if (c == CMD_NONE || c == CMD_DONE) {
			cpu_relax();
			continue;
		}
		run_cmd(cpu, c);
		cmd[cpu] = CMD_DONE;
	}
}

void on_each_cpu(unsigned long c, unsigned int mask)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NUM_CPUS; cpu++)
		if (mask & (1 << cpu))
			cmd[cpu] = c;
	run_cmd(0, c);
	for (cpu = 1; cpu < NUM_CPUS; cpu++)
		if (mask & (1 << cpu))
			while (cmd[cpu] != CMD_DONE)
				cpu_relax();
}

long same_result(unsigned int mask)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NUM_CPUS; cpu++)
		if (mask & (1 << cpu))
			CHECK(result[cpu] == result[0], "CPU %d: result %d vs %d",
			      (long)cpu, result[cpu], result[0]);
	return result[0];
}

void __attribute__((weak)) damage_config(struct jailhouse_system *sys,
					 int kind)
{
}

void __attribute__((weak)) fit_config(struct jailhouse_system *sys,
				      int kind)
{
}

long enable_with(int damage)
{
	struct jailhouse_system *sys;

	load_hypervisor();
	sys = hv_system();
	if (damage == CFG_BAD_REVISION)
		sys->revision = 13;
	/* the root's CPU set (the byte after the header): no CPU 3 */
	if (damage == CFG_NO_CPU3)
		*((volatile unsigned char *)(sys + 1)) = 0x7;
	fit_config(sys, damage);
	if (damage >= CFG_ARCH)
		damage_config(sys, damage);
	on_each_cpu(CMD_ENTER, online);
	return same_result(online);
}

long enable(void)
{
	return enable_with(CFG_OK);
}

long disable_cpus(unsigned int mask)
{
	on_each_cpu(CMD_DISABLE, mask);
	return same_result(mask);
}
