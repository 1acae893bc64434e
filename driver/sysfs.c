// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: /sys/devices/jailhouse and its cells/<id>/ directories. */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <jailhouse/hypercall.h>

#include "main.h"

#define MAX_STATS	16

/* A statistics/cpu<n> directory. */
struct jh_cell_cpu {
	struct kobject kobj;
	struct list_head entry;
	struct jh_cell *cell;
	unsigned int cpu;
};

struct stat_attr {
	struct kobj_attribute attr;
	unsigned int index;
};

static struct kobject *cells_dir;

/* --- /sys/devices/jailhouse ------------------------------------------- */

static long info(unsigned long type)
{
	long ret;

	mutex_lock(&jh_state_lock);
	ret = jh_enabled ?
		jh_hypercall(JAILHOUSE_HC_HYPERVISOR_GET_INFO, type, 0) :
		-ENODEV;
	mutex_unlock(&jh_state_lock);
	return ret;
}

static ssize_t show_info(char *buf, unsigned long type)
{
	long value = info(type);

	return value < 0 ? value : sysfs_emit(buf, "%ld\n", value);
}

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(jh_enabled));
}

static ssize_t console_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	u32 pos = 0;

	return jh_console_copy(buf, PAGE_SIZE - 1, &pos, true);
}

static ssize_t mem_pool_size_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return show_info(buf, JAILHOUSE_INFO_MEM_POOL_SIZE);
}

static ssize_t mem_pool_used_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return show_info(buf, JAILHOUSE_INFO_MEM_POOL_USED);
}

static ssize_t remap_pool_size_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return show_info(buf, JAILHOUSE_INFO_REMAP_POOL_SIZE);
}

static ssize_t remap_pool_used_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return show_info(buf, JAILHOUSE_INFO_REMAP_POOL_USED);
}

static DEVICE_ATTR_RO(enabled);
static DEVICE_ATTR_RO(console);
static DEVICE_ATTR_RO(mem_pool_size);
static DEVICE_ATTR_RO(mem_pool_used);
static DEVICE_ATTR_RO(remap_pool_size);
static DEVICE_ATTR_RO(remap_pool_used);

static struct attribute *device_attrs[] = {
	&dev_attr_enabled.attr,
	&dev_attr_console.attr,
	&dev_attr_mem_pool_size.attr,
	&dev_attr_mem_pool_used.attr,
	&dev_attr_remap_pool_size.attr,
	&dev_attr_remap_pool_used.attr,
	NULL,
};

static const struct attribute_group device_group = {
	.attrs = device_attrs,
};

/* --- cells/<id>/ ------------------------------------------------------ */

static struct jh_cell *to_cell(struct kobject *kobj)
{
	return container_of(kobj, struct jh_cell, kobj);
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_cell(kobj)->name);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct jh_cell *cell = to_cell(kobj);
	long state = -ENODEV;

	mutex_lock(&jh_state_lock);
	if (jh_enabled && cell->alive)
		state = jh_hypercall(JAILHOUSE_HC_CELL_GET_STATE, cell->id, 0);
	mutex_unlock(&jh_state_lock);
	if (state == -ENODEV)
		return state;
	return sysfs_emit(buf, "%s\n", jh_cell_state_name(state));
}

/* The cell's CPUs, or those of them the hypervisor reports as failed. */
static int cell_cpus(struct jh_cell *cell, bool failed, cpumask_t *mask)
{
	unsigned int cpu;
	long state;
	int err = 0;

	cpumask_clear(mask);
	mutex_lock(&jh_state_lock);
	if (!jh_enabled || !cell->alive) {
		err = -ENODEV;
	} else if (!failed) {
		cpumask_copy(mask, &cell->cpus_assigned);
	} else {
		for_each_cpu(cpu, &cell->cpus_assigned) {
			state = jh_hypercall(JAILHOUSE_HC_CPU_GET_INFO, cpu,
					     JAILHOUSE_CPU_INFO_STATE);
			if (state == JAILHOUSE_CPU_FAILED)
				cpumask_set_cpu(cpu, mask);
		}
	}
	mutex_unlock(&jh_state_lock);
	return err;
}

static ssize_t show_cpus(struct kobject *kobj, char *buf, bool failed,
			 bool list)
{
	cpumask_var_t mask;
	ssize_t ret;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = cell_cpus(to_cell(kobj), failed, mask);
	if (!ret)
		ret = sysfs_emit(buf, list ? "%*pbl\n" : "%*pb\n",
				 cpumask_pr_args(mask));
	free_cpumask_var(mask);
	return ret;
}

static ssize_t cpus_assigned_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return show_cpus(kobj, buf, false, false);
}

static ssize_t cpus_assigned_list_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return show_cpus(kobj, buf, false, true);
}

static ssize_t cpus_failed_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return show_cpus(kobj, buf, true, false);
}

static ssize_t cpus_failed_list_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return show_cpus(kobj, buf, true, true);
}

static struct kobj_attribute name_attr = __ATTR_RO(name);
static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute cpus_assigned_attr = __ATTR_RO(cpus_assigned);
static struct kobj_attribute cpus_assigned_list_attr =
	__ATTR_RO(cpus_assigned_list);
static struct kobj_attribute cpus_failed_attr = __ATTR_RO(cpus_failed);
static struct kobj_attribute cpus_failed_list_attr =
	__ATTR_RO(cpus_failed_list);

static struct attribute *cell_attrs[] = {
	&name_attr.attr,
	&state_attr.attr,
	&cpus_assigned_attr.attr,
	&cpus_assigned_list_attr.attr,
	&cpus_failed_attr.attr,
	&cpus_failed_list_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cell);

/* --- cells/<id>/statistics/[cpu<n>/] ----------------------------------- */

static const char *const generic_stat_names[] = {
	"vmexits_total", "vmexits_mmio", "vmexits_management",
	"vmexits_hypercall",
};

static struct stat_attr stat_attrs[MAX_STATS];
static struct attribute *stats_attrs[MAX_STATS + 1];
static const struct attribute_group stats_group = {
	.attrs = stats_attrs,
};
static const struct attribute_group *stats_groups[] = {
	&stats_group,
	NULL,
};

/* Sum of one counter over cpus (one CPU or all of the cell's). */
static ssize_t show_stat(struct jh_cell *cell, int only_cpu,
			 struct kobj_attribute *attr, char *buf)
{
	struct stat_attr *stat = container_of(attr, struct stat_attr, attr);
	unsigned int cpu;
	u64 sum = 0;
	long value;
	int err = 0;

	mutex_lock(&jh_state_lock);
	if (!jh_enabled || !cell->alive)
		err = -ENODEV;
	for_each_cpu(cpu, &cell->cpus_assigned) {
		if (err || (only_cpu >= 0 && cpu != (unsigned int)only_cpu))
			continue;
		value = jh_hypercall(JAILHOUSE_HC_CPU_GET_INFO, cpu,
				     JAILHOUSE_CPU_INFO_STAT_BASE + stat->index);
		if (value < 0)
			err = value;
		else
			sum += value;
	}
	mutex_unlock(&jh_state_lock);
	return err ? err : sysfs_emit(buf, "%llu\n", sum);
}

static ssize_t cell_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return show_stat(container_of(kobj, struct jh_cell, stats_kobj), -1,
			 attr, buf);
}

static ssize_t cpu_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct jh_cell_cpu *cpu = container_of(kobj, struct jh_cell_cpu, kobj);

	return show_stat(cpu->cell, cpu->cpu, attr, buf);
}

/*
 * Both directories share the attributes; the kobject type decides whose
 * counters a read shows.
 */
static ssize_t stat_show(struct kobject *kobj, struct attribute *attr,
			 char *buf);

static const struct sysfs_ops stat_sysfs_ops = {
	.show = stat_show,
};

static void cell_release(struct kobject *kobj)
{
	struct jh_cell *cell = to_cell(kobj);

	kfree(cell->config);
	kfree(cell);
}

/* Embedded in the cell; a child holds a reference on its parent. */
static void stats_release(struct kobject *kobj)
{
}

static void cell_cpu_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct jh_cell_cpu, kobj));
}

static struct kobj_type cell_ktype = {
	.release = cell_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cell_groups,
};

static struct kobj_type stats_ktype = {
	.release = stats_release,
	.sysfs_ops = &stat_sysfs_ops,
	.default_groups = stats_groups,
};

static struct kobj_type cell_cpu_ktype = {
	.release = cell_cpu_release,
	.sysfs_ops = &stat_sysfs_ops,
	.default_groups = stats_groups,
};

static ssize_t stat_show(struct kobject *kobj, struct attribute *attr,
			 char *buf)
{
	struct kobj_attribute *kattr =
		container_of(attr, struct kobj_attribute, attr);

	if (kobj->ktype == &cell_cpu_ktype)
		return cpu_stat_show(kobj, kattr, buf);
	return cell_stat_show(kobj, kattr, buf);
}

static void init_stat_attrs(void)
{
	unsigned int n, count = 0;

	for (n = 0; n < ARRAY_SIZE(generic_stat_names); n++)
		stat_attrs[count++].attr.attr.name = generic_stat_names[n];
	for (n = 0; jh_arch_stat_names[n] && count < MAX_STATS; n++)
		stat_attrs[count++].attr.attr.name = jh_arch_stat_names[n];
	for (n = 0; n < count; n++) {
		sysfs_attr_init(&stat_attrs[n].attr.attr);
		stat_attrs[n].attr.attr.mode = 0444;
		stat_attrs[n].index = n;
		stats_attrs[n] = &stat_attrs[n].attr.attr;
	}
	stats_attrs[count] = NULL;
}

void jh_cell_kobj_init(struct jh_cell *cell)
{
	kobject_init(&cell->kobj, &cell_ktype);
	kobject_init(&cell->stats_kobj, &stats_ktype);
}

void jh_cell_put(struct jh_cell *cell)
{
	kobject_put(&cell->stats_kobj);
	kobject_put(&cell->kobj);
}

int jh_sysfs_cell_add(struct jh_cell *cell)
{
	struct jh_cell_cpu *entry;
	unsigned int cpu;
	int err;

	if (!cells_dir)
		return -ENODEV;
	err = kobject_add(&cell->kobj, cells_dir, "%u", cell->id);
	if (err)
		return err;
	cell->registered = true;
	err = kobject_add(&cell->stats_kobj, &cell->kobj, "statistics");
	if (err)
		goto err_remove;
	for_each_cpu(cpu, &cell->cpus_assigned) {
		entry = kzalloc(sizeof(*entry), GFP_KERNEL);
		if (!entry) {
			err = -ENOMEM;
			goto err_remove;
		}
		entry->cell = cell;
		entry->cpu = cpu;
		err = kobject_init_and_add(&entry->kobj, &cell_cpu_ktype,
					   &cell->stats_kobj, "cpu%u", cpu);
		if (err) {
			kobject_put(&entry->kobj);
			goto err_remove;
		}
		list_add_tail(&entry->entry, &cell->cpu_kobjs);
	}
	kobject_uevent(&cell->kobj, KOBJ_ADD);
	return 0;

err_remove:
	jh_sysfs_cell_remove(cell);
	return err;
}

/* Call without jh_state_lock: kernfs waits for readers holding it. */
void jh_sysfs_cell_remove(struct jh_cell *cell)
{
	struct jh_cell_cpu *entry, *next;

	list_for_each_entry_safe(entry, next, &cell->cpu_kobjs, entry) {
		list_del(&entry->entry);
		kobject_del(&entry->kobj);
		kobject_put(&entry->kobj);
	}
	if (cell->stats_kobj.state_in_sysfs)
		kobject_del(&cell->stats_kobj);
	if (cell->registered) {
		kobject_uevent(&cell->kobj, KOBJ_REMOVE);
		kobject_del(&cell->kobj);
		cell->registered = false;
	}
}

int jh_sysfs_init(struct device *dev)
{
	int err;

	init_stat_attrs();
	err = sysfs_create_group(&dev->kobj, &device_group);
	if (err)
		return err;
	cells_dir = kobject_create_and_add("cells", &dev->kobj);
	if (!cells_dir) {
		sysfs_remove_group(&dev->kobj, &device_group);
		return -ENOMEM;
	}
	return 0;
}

void jh_sysfs_exit(struct device *dev)
{
	kobject_put(cells_dir);
	cells_dir = NULL;
	sysfs_remove_group(&dev->kobj, &device_group);
}
