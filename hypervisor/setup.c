/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: late launch.  Every online CPU enters once (see
 * include/jailhouse/header.h).  The first one sets up what all share
 * (console, page pools, root cell); each sets up itself; then all wait for
 * each other so that they either all return 0 or all the same error.
 */

#include <generated/version.h>
#include <hv/control.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/unit.h>

struct jailhouse_system *system_config;
unsigned int num_possible_cpus;

static spinlock_t init_lock;
static unsigned int arrived_cpus, left_cpus;
static int init_error;
static bool early_done;

struct per_cpu *per_cpu(unsigned int cpu)
{
	return u64_to_ptr(JAILHOUSE_BASE + hypervisor_header.core_size +
			  cpu * sizeof(struct per_cpu));
}

static int check_system_config(struct per_cpu *cpu_data)
{
	struct jailhouse_header *h = &hypervisor_header;
	struct jailhouse_system *sys;
	u64 hv_size, percpu_end;

	/* 64-bit arithmetic: a 32-bit hypervisor must not truncate sizes */
	percpu_end = h->core_size +
		(u64)h->possible_cpus * sizeof(struct per_cpu);
	if (h->possible_cpus == 0 || h->possible_cpus > MAX_CPUS ||
	    h->online_cpus == 0 || h->online_cpus > h->possible_cpus ||
	    h->config_offset < percpu_end || !PAGE_ALIGNED(h->config_offset) ||
	    h->config_size < sizeof(*sys) ||
	    h->config_size > (1UL << 30))
		return trace_error(-EINVAL);

	sys = u64_to_ptr(JAILHOUSE_BASE + h->config_offset);
	hv_size = sys->hypervisor_memory.size;
	if (memcmp(sys->signature, JAILHOUSE_SYSTEM_SIGNATURE, 5) ||
	    sys->revision != JAILHOUSE_CONFIG_REVISION ||
	    sys->architecture != JAILHOUSE_ARCH_ID)
		return trace_error(-EINVAL);
	if (sys->hypervisor_memory.phys_start != cpu_data->phys_base ||
	    hv_size & (HV_MEM_ALIGN - 1) || hv_size > HV_MEM_MAX ||
	    h->config_offset > hv_size ||
	    h->config_size > hv_size - h->config_offset)
		return trace_error(-EINVAL);
	/* Counts first, so that the size computation cannot overflow. */
	if (!jailhouse_cell_counts_valid(&sys->root_cell) ||
	    jailhouse_system_config_size(sys) > h->config_size)
		return trace_error(-EINVAL);

	system_config = sys;
	num_possible_cpus = h->possible_cpus;
	return 0;
}

static int init_early(struct per_cpu *cpu_data)
{
	struct jailhouse_header *h = &hypervisor_header;
	int err;

	err = check_system_config(cpu_data);
	if (err)
		return err;
	err = paging_init(u64_to_ptr(JAILHOUSE_BASE +
				     ALIGN_UP(h->config_offset + h->config_size,
					      PAGE_SIZE)),
			  system_config->hypervisor_memory.size);
	if (!err)
		err = paging_init_temp();
	if (err)
		return err;
	console_init();
	printk("\nInitializing Jailhouse hypervisor %s on CPU %u\n",
	       JAILHOUSE_VERSION, cpu_data->cpu_id);
	err = units_init();
	if (err)
		return err;
	err = root_cell_init();
	if (err)
		return err;
	printk("Page pool usage after early setup: mem %lu/%lu, remap %lu/%lu\n",
	       mem_pool.used, mem_pool.pages, remap_pool.used, remap_pool.pages);
	return 0;
}

int entry(struct per_cpu *cpu_data)
{
	unsigned int online;
	int err = 0;

	spin_lock(&init_lock);
	if (!early_done) {
		early_done = true;
		init_error = init_early(cpu_data);
	}
	if (!init_error) {
		cpu_data->cell = &root_cell;
		if (!cpu_in_set(&root_cell.cpus, cpu_data->cpu_id))
			err = trace_error(-EINVAL);
		else
			err = arch_cpu_init(cpu_data);
		if (err && !init_error)
			init_error = err;
		if (!err)
			printk("CPU %u entered\n", cpu_data->cpu_id);
	}
	if (++arrived_cpus == hypervisor_header.online_cpus && !init_error)
		printk("Activating hypervisor\n");
	hypervisor_header.entered_cpus = arrived_cpus;
	spin_unlock(&init_lock);

	/* All or nothing: wait until every online CPU has tried. */
	online = hypervisor_header.online_cpus;
	while (READ_ONCE(arrived_cpus) < online)
		cpu_relax();

	if (!init_error) {
		cpu_data->activated = true;
		return 0;
	}

	spin_lock(&init_lock);
	hypervisor_header.entry_status = init_error;
	if (++left_cpus == online) {
		printk("Jailhouse entry failed: %d\n", init_error);
		units_shutdown();
	}
	spin_unlock(&init_lock);
	arch_cpu_restore(cpu_data, init_error);
}
