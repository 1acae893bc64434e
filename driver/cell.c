// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: cells (create, load, start, destroy) and their CPUs. */

#include <linux/cpu.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <jailhouse/hypercall.h>

#include "main.h"

LIST_HEAD(jh_cells);
struct jh_cell *jh_root_cell;
cpumask_t jh_claimed_cpus;

static const char *const state_names[] = {
	[JAILHOUSE_CELL_RUNNING] = "running",
	[JAILHOUSE_CELL_RUNNING_LOCKED] = "running/locked",
	[JAILHOUSE_CELL_SHUT_DOWN] = "shut down",
	[JAILHOUSE_CELL_FAILED] = "failed",
	[JAILHOUSE_CELL_FAILED_COMM_REV] = "Comm ABI mismatch",
};

const char *jh_cell_state_name(long state)
{
	if (state < 0 || state >= ARRAY_SIZE(state_names))
		return "invalid";
	return state_names[state];
}

/*
 * The root cell's descriptor inside a system configuration carries no
 * signature, revision or architecture of its own (configuration sources
 * leave them zero): those are checked for non-root cells only.
 */
int jh_check_cell_desc(const struct jailhouse_cell_desc *desc, size_t size,
		       const char *what, bool root)
{
	if (size < sizeof(*desc)) {
		pr_err("jailhouse: %s: too short\n", what);
		return -EINVAL;
	}
	if (!root && memcmp(desc->signature, JAILHOUSE_CELL_DESC_SIGNATURE,
			    sizeof(desc->signature))) {
		pr_err("jailhouse: %s: not a cell configuration (signature)\n",
		       what);
		return -EINVAL;
	}
	if (!root && (desc->revision != JAILHOUSE_CONFIG_REVISION ||
		      desc->architecture != jh_arch_id)) {
		pr_err("jailhouse: %s: revision %u for architecture %u, this "
		       "driver needs revision %u for architecture %u\n", what,
		       desc->revision, desc->architecture,
		       JAILHOUSE_CONFIG_REVISION, jh_arch_id);
		return -EINVAL;
	}
	if (!desc->name[0] ||
	    strnlen(desc->name, sizeof(desc->name)) == sizeof(desc->name)) {
		pr_err("jailhouse: %s: empty or unterminated cell name\n", what);
		return -EINVAL;
	}
	/* Bound the counts first so that the size cannot overflow. */
	if (!desc->cpu_set_size || !jailhouse_cell_counts_valid(desc) ||
	    jailhouse_cell_config_size(desc) > size) {
		pr_err("jailhouse: %s \"%s\": counts do not fit its %zu bytes\n",
		       what, desc->name, size);
		return -EINVAL;
	}
	return 0;
}

/*
 * A cell from its descriptor.  The root cell's CPU set may name CPUs this
 * machine does not have (upstream's QEMU configs assume 16): those bits are
 * ignored, as upstream's driver ignores them.  A non-root cell that names
 * one is refused.
 */
static struct jh_cell *cell_alloc(const struct jailhouse_cell_desc *desc,
				  bool root)
{
	struct jh_cell *cell;
	unsigned int n;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return ERR_PTR(-ENOMEM);
	jh_cell_kobj_init(cell);
	INIT_LIST_HEAD(&cell->entry);
	INIT_LIST_HEAD(&cell->cpu_kobjs);
	strscpy(cell->name, desc->name, sizeof(cell->name));
	jailhouse_cell_for_each_cpu(n, desc) {
		if (n >= nr_cpu_ids && root)
			continue;
		if (n >= nr_cpu_ids) {
			pr_err("jailhouse: cell \"%s\" names CPU %u, this system "
			       "has %u\n", cell->name, n, nr_cpu_ids);
			jh_cell_put(cell);
			return ERR_PTR(-EINVAL);
		}
		cpumask_set_cpu(n, &cell->cpus_assigned);
	}
	if (cpumask_empty(&cell->cpus_assigned)) {
		pr_err("jailhouse: cell \"%s\" has no CPU\n", cell->name);
		jh_cell_put(cell);
		return ERR_PTR(-EINVAL);
	}
	return cell;
}

struct jh_cell *jh_cell_create_root(const struct jailhouse_system *config)
{
	struct jh_cell *cell = cell_alloc(&config->root_cell, true);

	if (!IS_ERR(cell))
		cell->id = 0;
	return cell;
}

/* Caller holds jh_ioctl_lock (the list changes only under both locks). */
static struct jh_cell *find_cell(struct jailhouse_cell_id *id)
{
	struct jh_cell *cell;

	id->name[sizeof(id->name) - 1] = 0;
	list_for_each_entry(cell, &jh_cells, entry) {
		if (id->id == JAILHOUSE_CELL_ID_UNUSED ?
		    !strcmp(cell->name, id->name) : cell->id == id->id)
			return cell;
	}
	return NULL;
}

/*
 * Take the ioctl lock and look up the non-root cell an ioctl names.  On
 * success the lock is held; on failure it is released and the errno is
 * returned: -EINVAL when disabled or for the root cell, -ENOENT if unknown.
 */
static long lock_target_cell(struct jailhouse_cell_id *id,
			     struct jh_cell **cellp)
{
	long err = -EINVAL;

	if (mutex_lock_interruptible(&jh_ioctl_lock))
		return -EINTR;
	if (!jh_enabled)
		goto fail;
	*cellp = find_cell(id);
	err = -ENOENT;
	if (!*cellp)
		goto fail;
	err = -EINVAL;
	if (*cellp == jh_root_cell)
		goto fail;
	return 0;
fail:
	mutex_unlock(&jh_ioctl_lock);
	return err;
}

static long hypercall_locked(unsigned long code, unsigned long arg1)
{
	long ret;

	mutex_lock(&jh_state_lock);
	ret = jh_enabled ? jh_hypercall(code, arg1, 0) : -EINVAL;
	mutex_unlock(&jh_state_lock);
	return ret;
}

/* Whether the hypervisor reports @cell as holding the configuration lock. */
static bool cell_holds_lock(struct jh_cell *cell)
{
	return hypercall_locked(JAILHOUSE_HC_CELL_GET_STATE, cell->id) ==
		JAILHOUSE_CELL_RUNNING_LOCKED;
}

/*
 * Say why the hypervisor refused @what (-EPERM) to @cell (NULL: a cell not
 * created yet).  There are two causes: another cell holds the configuration
 * lock (cell creation and destruction only: @lock_matters), or @cell denied
 * the shutdown request.  Cells may refuse by design, so this is a notice,
 * not an error.  jh_ioctl_lock held.
 */
static void log_refusal(const char *what, struct jh_cell *cell,
			bool lock_matters)
{
	struct jh_cell *other;

	if (lock_matters)
		list_for_each_entry(other, &jh_cells, entry)
			if (other != jh_root_cell && other != cell &&
			    cell_holds_lock(other)) {
				pr_notice("jailhouse: %s refused: cell \"%s\" "
					  "holds the configuration lock\n",
					  what, other->name);
				return;
			}
	if (!cell)
		pr_notice("jailhouse: %s refused: a cell holds the "
			  "configuration lock\n", what);
	else if (lock_matters && cell_holds_lock(cell))
		pr_notice("jailhouse: %s refused: cell \"%s\" holds the "
			  "configuration lock and denied the shutdown "
			  "request\n", what, cell->name);
	else
		pr_notice("jailhouse: %s refused: cell \"%s\" denied the "
			  "shutdown request\n", what, cell->name);
}

/* Give offlined CPUs back to Linux; used by failed creates and destroys. */
static void cell_return_cpus(struct jh_cell *cell)
{
	unsigned int cpu;
	int err;

	mutex_lock(&jh_state_lock);
	cpumask_andnot(&jh_claimed_cpus, &jh_claimed_cpus, &cell->cpus_assigned);
	mutex_unlock(&jh_state_lock);
	for_each_cpu(cpu, &cell->cpus_offlined) {
		err = add_cpu(cpu);
		if (err)
			pr_warn("jailhouse: CPU %u did not come back online (%d)\n",
				cpu, err);
	}
	cpumask_clear(&cell->cpus_offlined);
}

int jh_cmd_cell_create(struct jailhouse_cell_create __user *arg)
{
	struct jailhouse_cell_create params;
	struct jailhouse_cell_desc *config;
	struct jailhouse_cell_id by_name;
	struct jh_cell *cell;
	unsigned int cpu;
	long id;
	int err;

	if (copy_from_user(&params, arg, sizeof(params)))
		return -EFAULT;
	if (params.config_size < sizeof(*config) ||
	    params.config_size > JH_MAX_CONFIG_SIZE)
		return -EINVAL;
	/* Physically contiguous: the hypervisor reads it by address. */
	config = kmalloc(params.config_size, GFP_KERNEL);
	if (!config)
		return -ENOMEM;
	if (copy_from_user(config, u64_to_user_ptr(params.config_address),
			   params.config_size)) {
		kfree(config);
		return -EFAULT;
	}
	err = jh_check_cell_desc(config, params.config_size,
				 "cell configuration", false);
	if (err) {
		kfree(config);
		return err;
	}

	if (mutex_lock_interruptible(&jh_ioctl_lock)) {
		kfree(config);
		return -EINTR;
	}
	if (!jh_enabled) {
		err = -EINVAL;
		goto err_free_config;
	}
	by_name.id = JAILHOUSE_CELL_ID_UNUSED;
	strscpy(by_name.name, config->name, sizeof(by_name.name));
	if (find_cell(&by_name)) {
		pr_err("jailhouse: a cell named \"%s\" exists\n", config->name);
		err = -EEXIST;
		goto err_free_config;
	}
	cell = cell_alloc(config, false);
	if (IS_ERR(cell)) {
		err = PTR_ERR(cell);
		goto err_free_config;
	}
	cell->config = config;
	cell->config_size = params.config_size;

	mutex_lock(&jh_state_lock);
	if (!cpumask_subset(&cell->cpus_assigned, &jh_root_cell->cpus_assigned)) {
		mutex_unlock(&jh_state_lock);
		pr_err("jailhouse: cell \"%s\" wants CPUs %*pbl, the root cell "
		       "has %*pbl\n", cell->name,
		       cpumask_pr_args(&cell->cpus_assigned),
		       cpumask_pr_args(&jh_root_cell->cpus_assigned));
		err = -EBUSY;
		goto err_put_cell;
	}
	cpumask_or(&jh_claimed_cpus, &jh_claimed_cpus, &cell->cpus_assigned);
	mutex_unlock(&jh_state_lock);

	for_each_cpu(cpu, &cell->cpus_assigned) {
		if (!cpu_online(cpu))
			continue;
		err = remove_cpu(cpu);
		if (err) {
			pr_err("jailhouse: cannot take CPU %u offline (%d)\n",
			       cpu, err);
			goto err_return_cpus;
		}
		cpumask_set_cpu(cpu, &cell->cpus_offlined);
	}

	jh_pci_cell_claim(cell);
	mutex_lock(&jh_state_lock);
	id = jh_hypercall(JAILHOUSE_HC_CELL_CREATE, __pa(config), 0);
	if (id < 0) {
		mutex_unlock(&jh_state_lock);
		jh_pci_cell_release(cell);
		if (id == -EPERM)
			log_refusal("cell create", NULL, true);
		else
			pr_err("jailhouse: the hypervisor refused cell "
			       "\"%s\" (%ld)\n", cell->name, id);
		err = id;
		goto err_return_cpus;
	}
	cell->id = id;
	cell->alive = true;
	cpumask_andnot(&jh_root_cell->cpus_assigned,
		       &jh_root_cell->cpus_assigned, &cell->cpus_assigned);
	list_add_tail(&cell->entry, &jh_cells);
	mutex_unlock(&jh_state_lock);

	if (jh_sysfs_cell_add(cell))
		pr_warn("jailhouse: no sysfs entry for cell \"%s\"\n",
			cell->name);
	pr_info("jailhouse: created cell \"%s\" (id %u) on CPUs %*pbl\n",
		cell->name, cell->id, cpumask_pr_args(&cell->cpus_assigned));
	mutex_unlock(&jh_ioctl_lock);
	return 0;

err_return_cpus:
	cell_return_cpus(cell);
err_put_cell:
	jh_cell_put(cell);	/* frees config too */
	config = NULL;
err_free_config:
	kfree(config);
	mutex_unlock(&jh_ioctl_lock);
	return err;
}

static int load_image(struct jh_cell *cell,
		      const struct jailhouse_preload_image *image)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(cell->config);
	u64 offset = 0;
	unsigned int n;
	void *target;
	phys_addr_t phys;

	if (!image->size)
		return 0;
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!(mem->flags & JAILHOUSE_MEM_LOADABLE) ||
		    image->target_address < mem->virt_start)
			continue;
		offset = image->target_address - mem->virt_start;
		if (offset < mem->size && image->size <= mem->size - offset)
			break;
	}
	if (n == cell->config->num_memory_regions) {
		pr_err("jailhouse: image 0x%llx+0x%llx is not inside a loadable "
		       "region of cell \"%s\"\n", image->target_address,
		       image->size, cell->name);
		return -EINVAL;
	}
	phys = mem->phys_start + offset;
	target = memremap(phys, image->size, MEMREMAP_WB);
	if (!target) {
		pr_err("jailhouse: cannot map 0x%llx+0x%llx for loading\n",
		       (u64)phys, image->size);
		return -ENOMEM;
	}
	if (copy_from_user(target, u64_to_user_ptr(image->source_address),
			   image->size)) {
		memunmap(target);
		return -EFAULT;
	}
	jh_arch_flush_dcache(target, image->size);
	memunmap(target);
	return 0;
}

int jh_cmd_cell_load(struct jailhouse_cell_load __user *arg)
{
	struct jailhouse_preload_image *images = NULL;
	struct jailhouse_cell_load head;
	struct jh_cell *cell;
	unsigned int n;
	long err;

	if (copy_from_user(&head, arg, sizeof(head)))
		return -EFAULT;
	if (head.num_preload_images > JH_MAX_IMAGES)
		return -EINVAL;
	if (head.num_preload_images) {
		images = memdup_user(arg->image, head.num_preload_images *
				     sizeof(*images));
		if (IS_ERR(images))
			return PTR_ERR(images);
	}

	err = lock_target_cell(&head.cell_id, &cell);
	if (err) {
		kfree(images);
		return err;
	}
	err = hypercall_locked(JAILHOUSE_HC_CELL_SET_LOADABLE, cell->id);
	if (err == -EPERM) {
		/* Loading shuts a running cell down first. */
		log_refusal(head.num_preload_images ? "cell load" :
			    "cell shutdown", cell, false);
		goto out;
	}
	if (err) {
		pr_err("jailhouse: cell \"%s\" cannot be made loadable (%ld)\n",
		       cell->name, err);
		goto out;
	}
	for (n = 0; n < head.num_preload_images && !err; n++)
		err = load_image(cell, &images[n]);
out:
	mutex_unlock(&jh_ioctl_lock);
	kfree(images);
	return err;
}

int jh_cmd_cell_start(struct jailhouse_cell_id __user *arg)
{
	struct jailhouse_cell_id id;
	struct jh_cell *cell;
	long err;

	if (copy_from_user(&id, arg, sizeof(id)))
		return -EFAULT;
	err = lock_target_cell(&id, &cell);
	if (err)
		return err;
	err = hypercall_locked(JAILHOUSE_HC_CELL_START, cell->id);
	if (err == -EPERM)	/* (re)starting shuts a running cell down */
		log_refusal("cell start", cell, false);
	else if (err)
		pr_err("jailhouse: cell \"%s\" did not start (%ld)\n",
		       cell->name, err);
	mutex_unlock(&jh_ioctl_lock);
	return err;
}

/*
 * Destroy one non-root cell and take its CPUs back, for @what ("cell
 * destroy" or "disable"); jh_ioctl_lock held.
 */
static long destroy_cell_locked(struct jh_cell *cell, const char *what)
{
	long err;

	mutex_lock(&jh_state_lock);
	err = jh_hypercall(JAILHOUSE_HC_CELL_DESTROY, cell->id, 0);
	if (!err) {
		cell->alive = false;
		list_del(&cell->entry);
		cpumask_or(&jh_root_cell->cpus_assigned,
			   &jh_root_cell->cpus_assigned, &cell->cpus_assigned);
	}
	mutex_unlock(&jh_state_lock);
	if (err == -EPERM) {
		log_refusal(what, cell, true);
		return err;
	}
	if (err) {
		pr_err("jailhouse: cell \"%s\" was not destroyed (%ld)\n",
		       cell->name, err);
		return err;
	}
	jh_sysfs_cell_remove(cell);
	cell_return_cpus(cell);
	jh_pci_cell_release(cell);
	pr_info("jailhouse: destroyed cell \"%s\"\n", cell->name);
	jh_cell_put(cell);
	return 0;
}

int jh_cells_destroy_nonroot(void)
{
	struct jh_cell *cell, *next;
	long err;

	list_for_each_entry_safe(cell, next, &jh_cells, entry) {
		if (cell == jh_root_cell)
			continue;
		err = destroy_cell_locked(cell, "disable");
		if (err)
			return err;
	}
	return 0;
}

int jh_cmd_cell_destroy(struct jailhouse_cell_id __user *arg)
{
	struct jailhouse_cell_id id;
	struct jh_cell *cell;
	long err;

	if (copy_from_user(&id, arg, sizeof(id)))
		return -EFAULT;
	err = lock_target_cell(&id, &cell);
	if (err)
		return err;
	err = destroy_cell_locked(cell, "cell destroy");
	mutex_unlock(&jh_ioctl_lock);
	return err;
}
