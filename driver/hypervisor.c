// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: loading and leaving the hypervisor; its console. */

#include <linux/cpu.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <jailhouse/hypercall.h>

#include "main.h"

/* While enabled: the system configuration and where the hypervisor lives. */
static struct jailhouse_system *sys_config;
static struct resource *hv_resource;
/* The console ring page, mapped while the hypervisor runs. */
static struct jailhouse_console_ring *console_ring;
/* A copy of the ring after disable or a failed enable, for read(). */
static struct jailhouse_console_ring *console_saved;
/* Changes whenever the ring readers see is replaced. */
static u32 console_gen;

/* The hypervisor memory as jh_arch_map_hypervisor() gave it, if kept. */
static void *hv_kept;

struct cpu_results {
	phys_addr_t entry;
	phys_addr_t image;
	long *result;
};

static int check_system_config(const struct jailhouse_system *config,
			       size_t size)
{
	const struct jailhouse_memory *hv = &config->hypervisor_memory;
	size_t root_size = size - offsetof(struct jailhouse_system, root_cell);

	if (size < sizeof(*config) ||
	    memcmp(config->signature, JAILHOUSE_SYSTEM_SIGNATURE,
		   sizeof(config->signature))) {
		pr_err("jailhouse: not a system configuration (signature)\n");
		return -EINVAL;
	}
	if (config->revision != JAILHOUSE_CONFIG_REVISION) {
		pr_err("jailhouse: system configuration revision %u, this "
		       "driver needs %u\n", config->revision,
		       JAILHOUSE_CONFIG_REVISION);
		return -EINVAL;
	}
	if (config->architecture != jh_arch_id) {
		pr_err("jailhouse: system configuration is for another "
		       "architecture (%u)\n", config->architecture);
		return -EINVAL;
	}
	if (jh_check_cell_desc(&config->root_cell, root_size,
			       "root cell configuration", true))
		return -EINVAL;
	if (!hv->size || !PAGE_ALIGNED(hv->phys_start) ||
	    !PAGE_ALIGNED(hv->size) || hv->phys_start + hv->size < hv->size) {
		pr_err("jailhouse: hypervisor memory 0x%llx+0x%llx is empty or "
		       "not page aligned\n", hv->phys_start, hv->size);
		return -EINVAL;
	}
	if (region_intersects(hv->phys_start, hv->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("jailhouse: hypervisor memory 0x%llx-0x%llx overlaps "
		       "Linux RAM: reserve it (mem=, memmap= or a reserved-"
		       "memory node)\n", hv->phys_start,
		       hv->phys_start + hv->size - 1);
		return -EINVAL;
	}
	return 0;
}

/* The system configuration from user space, checked; kvfree() it. */
static struct jailhouse_system *copy_system_config(
	struct jailhouse_system __user *arg, size_t *size)
{
	struct jailhouse_system head, *config;
	int err;

	if (copy_from_user(&head, arg, sizeof(head)))
		return ERR_PTR(-EFAULT);
	err = check_system_config(&head, sizeof(head) +
				  JH_MAX_CONFIG_SIZE);
	if (err)
		return ERR_PTR(err);
	*size = jailhouse_system_config_size(&head);
	config = kvmalloc(*size, GFP_KERNEL);
	if (!config)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(config, arg, *size)) {
		kvfree(config);
		return ERR_PTR(-EFAULT);
	}
	/* Check again what we keep: user space may have changed it. */
	if (check_system_config(config, *size) ||
	    jailhouse_system_config_size(config) != *size) {
		kvfree(config);
		return ERR_PTR(-EINVAL);
	}
	/*
	 * Make the root cell's descriptor a complete one for the hypervisor,
	 * like a non-root cell's: configuration sources leave these zero.
	 */
	memcpy(config->root_cell.signature, JAILHOUSE_CELL_DESC_SIGNATURE,
	       sizeof(config->root_cell.signature));
	config->root_cell.revision = JAILHOUSE_CONFIG_REVISION;
	config->root_cell.architecture = jh_arch_id;
	return config;
}

void * __weak jh_arch_map_hypervisor(phys_addr_t phys, unsigned long size)
{
	void *virt = memremap(phys, size, MEMREMAP_WB);

	if (!virt)
		pr_err("jailhouse: cannot map hypervisor memory\n");
	return virt;
}

void __weak jh_arch_unmap_hypervisor(void *virt)
{
	memunmap(virt);
}

bool __weak jh_arch_keep_hypervisor_mapped(void)
{
	return false;
}

/*
 * kvm_init() sets the exported kvm_debugfs_dir; KVM's architecture part
 * calls it when it takes the virtualization extensions (arm64: EL2 at
 * boot; x86: kvm_amd/kvm_intel loaded).  Looked up by name at run time,
 * so that the module also loads on kernels without KVM.
 */
bool jh_kvm_initialised(void)
{
	void **debugfs_dir = __symbol_get("kvm_debugfs_dir");
	bool ret;

	if (!debugfs_dir)
		return false;
	ret = READ_ONCE(*debugfs_dir) != NULL;
	__symbol_put("kvm_debugfs_dir");
	return ret;
}

/* Check the image header; returns where the configuration goes. */
static int check_image(const struct firmware *fw,
		       const struct jailhouse_system *config, size_t size,
		       u64 *config_offset)
{
	const struct jailhouse_header *h = (const void *)fw->data;
	u64 hv_size = config->hypervisor_memory.size;
	u64 percpu, end;

	if (fw->size < sizeof(*h) ||
	    memcmp(h->signature, JAILHOUSE_HEADER_SIGNATURE,
		   sizeof(h->signature))) {
		pr_err("jailhouse: %s is not a Jailhouse hypervisor image\n",
		       jh_arch_firmware());
		return -EINVAL;
	}
	if (h->revision != JAILHOUSE_HEADER_REVISION || h->arch != jh_arch_id) {
		pr_err("jailhouse: %s: header revision %u for architecture %u, "
		       "this driver needs revision %u for architecture %u\n",
		       jh_arch_firmware(), h->revision, h->arch,
		       JAILHOUSE_HEADER_REVISION, jh_arch_id);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(h->core_size) || h->core_size < fw->size ||
	    !h->percpu_size || !PAGE_ALIGNED(h->percpu_size) ||
	    h->entry >= fw->size || !PAGE_ALIGNED(h->console_page) ||
	    h->console_page >= h->core_size ||
	    h->core_size - h->console_page < PAGE_SIZE) {
		pr_err("jailhouse: %s: inconsistent image header\n",
		       jh_arch_firmware());
		return -EINVAL;
	}
	if (h->max_cpus < nr_cpu_ids) {
		pr_err("jailhouse: %s supports %u CPUs, this kernel %u\n",
		       jh_arch_firmware(), h->max_cpus, nr_cpu_ids);
		return -EINVAL;
	}
	if (check_mul_overflow(h->percpu_size, (u64)nr_cpu_ids, &percpu) ||
	    check_add_overflow(h->core_size, percpu, &end) ||
	    end > hv_size || PAGE_ALIGN(end) + size > hv_size) {
		pr_err("jailhouse: hypervisor memory of 0x%llx bytes is too "
		       "small for image, %u per-CPU areas and configuration\n",
		       hv_size, nr_cpu_ids);
		return -ENOMEM;
	}
	*config_offset = PAGE_ALIGN(end);
	return 0;
}

static void enter_cpu(void *info)
{
	struct cpu_results *ctx = info;
	unsigned int cpu = smp_processor_id();

	ctx->result[cpu] = jh_arch_enter(ctx->entry, cpu, ctx->image);
}

static void leave_cpu(void *info)
{
	struct cpu_results *ctx = info;

	ctx->result[smp_processor_id()] =
		jh_hypercall(JAILHOUSE_HC_DISABLE, 0, 0);
}

/*
 * Copy up to size bytes of the ring after *pos (or from the oldest byte
 * still there) following the protocol in console.h.
 */
static ssize_t ring_copy(const struct jailhouse_console_ring *ring, char *buf,
			 size_t size, u32 *pos, bool from_start)
{
	u32 tail, start, lowest, len, ring_size, i;
	int tries;

	ring_size = ring->size;
	if (!ring_size || ring_size > JAILHOUSE_CONSOLE_SIZE ||
	    (ring_size & (ring_size - 1)))
		return -EIO;
	for (tries = 0; tries < 1000; tries++) {
		/* A statement on ARM: it cannot go into the for header. */
		if (tries)
			cpu_relax();
		if (READ_ONCE(ring->busy))
			continue;
		tail = READ_ONCE(ring->tail);
		smp_rmb();
		if (READ_ONCE(ring->busy))
			continue;
		lowest = tail >= ring_size ? tail - ring_size : 0;
		start = from_start ? lowest : *pos;
		if ((s32)(start - lowest) < 0 || (s32)(tail - start) < 0)
			start = lowest;
		len = min_t(u32, tail - start, size);
		for (i = 0; i < len; i++)
			buf[i] = ring->content[(start + i) & (ring_size - 1)];
		smp_rmb();
		if (READ_ONCE(ring->busy) ||
		    READ_ONCE(ring->tail) - start > ring_size)
			continue;
		*pos = start + len;
		return len;
	}
	return -EBUSY;
}

ssize_t jh_console_copy(char *buf, size_t size, u32 *pos, bool from_start)
{
	const struct jailhouse_console_ring *ring;
	ssize_t len = 0;

	mutex_lock(&jh_state_lock);
	ring = jh_enabled ? console_ring : console_saved;
	if (ring)
		len = ring_copy(ring, buf, size, pos, from_start);
	mutex_unlock(&jh_state_lock);
	return len;
}

u32 jh_console_generation(void)
{
	return READ_ONCE(console_gen);
}

/* Keep a copy of the ring for later readers and show it in the kernel log. */
static void save_console(const struct jailhouse_console_ring *ring,
			 bool print)
{
	char *text, *line, *next;
	u32 pos = 0;
	ssize_t len;

	if (!console_saved)
		console_saved = kmalloc(sizeof(*console_saved), GFP_KERNEL);
	if (console_saved) {
		memcpy(console_saved, (const void *)ring, sizeof(*ring));
		console_saved->busy = 0;
		WRITE_ONCE(console_gen, console_gen + 1);
	}
	if (!print)
		return;
	text = kzalloc(JAILHOUSE_CONSOLE_SIZE + 1, GFP_KERNEL);
	if (!text)
		return;
	len = ring_copy(ring, text, JAILHOUSE_CONSOLE_SIZE, &pos, true);
	if (len > 0) {
		text[len] = 0;
		for (line = text; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = 0;
			if (*line)
				pr_err("jailhouse: hypervisor: %s\n", line);
		}
	}
	kfree(text);
}

/* Run fn on every online CPU; the first error, 0 if all succeeded. */
static long on_all_cpus(smp_call_func_t fn, struct cpu_results *ctx,
			unsigned int *failed, unsigned int *succeeded)
{
	unsigned int cpu;
	long err = 0;

	*failed = *succeeded = 0;
	on_each_cpu(fn, ctx, 1);
	for_each_online_cpu(cpu) {
		if (ctx->result[cpu]) {
			if (!err)
				err = ctx->result[cpu];
			(*failed)++;
		} else {
			(*succeeded)++;
		}
	}
	return err;
}

int jh_cmd_enable(struct jailhouse_system __user *arg)
{
	struct cpu_results ctx = { };
	const struct jailhouse_memory *hv;
	const struct firmware *fw = NULL;
	struct jailhouse_system *config;
	struct jailhouse_header *header;
	struct jh_cell *root = NULL;
	unsigned int cpu, failed, succeeded;
	u64 config_offset, console_page;
	void *hv_mem = NULL;
	size_t size;
	long err;

	config = copy_system_config(arg, &size);
	if (IS_ERR(config))
		return PTR_ERR(config);
	hv = &config->hypervisor_memory;

	if (mutex_lock_interruptible(&jh_ioctl_lock)) {
		kvfree(config);
		return -EINTR;
	}
	if (jh_enabled) {
		err = -EBUSY;
		goto err_unlock;
	}
	err = jh_arch_check();
	if (err)
		goto err_unlock;

	ctx.result = kcalloc(nr_cpu_ids, sizeof(*ctx.result), GFP_KERNEL);
	root = jh_cell_create_root(config);
	if (!ctx.result || IS_ERR(root)) {
		err = IS_ERR(root) ? PTR_ERR(root) : -ENOMEM;
		root = IS_ERR(root) ? NULL : root;
		goto err_free;
	}

	err = request_firmware_direct(&fw, jh_arch_firmware(), jh_dev);
	if (err) {
		pr_err("jailhouse: cannot load /lib/firmware/%s (%ld)\n",
		       jh_arch_firmware(), err);
		fw = NULL;
		goto err_free;
	}
	err = check_image(fw, config, size, &config_offset);
	if (err)
		goto err_free;

	hv_resource = request_mem_region(hv->phys_start, hv->size,
					 "Jailhouse hypervisor");
	if (!hv_resource) {
		pr_err("jailhouse: hypervisor memory 0x%llx-0x%llx is in use\n",
		       hv->phys_start, hv->phys_start + hv->size - 1);
		err = -EBUSY;
		goto err_free;
	}
	hv_mem = jh_arch_map_hypervisor(hv->phys_start, hv->size);
	if (!hv_mem) {
		err = -ENOMEM;
		goto err_release;
	}

	/* Image, cleared bss and per-CPU areas, then the configuration. */
	memcpy(hv_mem, fw->data, fw->size);
	memset(hv_mem + fw->size, 0, config_offset - fw->size);
	memcpy(hv_mem + config_offset, config, size);
	header = hv_mem;
	header->possible_cpus = nr_cpu_ids;
	header->config_offset = config_offset;
	header->config_size = size;
	header->entered_cpus = 0;
	header->entry_status = 0;
	ctx.entry = hv->phys_start + header->entry;
	ctx.image = hv->phys_start;
	/* Once the hypervisor runs, its memory is out of Linux's reach. */
	console_page = header->console_page;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (!cpumask_test_cpu(cpu, &root->cpus_assigned)) {
			pr_err("jailhouse: CPU %u is online but not in the "
			       "root cell's CPU set\n", cpu);
			err = -EINVAL;
			goto err_cpus_unlock;
		}
	}
	header->online_cpus = num_online_cpus();
	jh_arch_flush_dcache(hv_mem, config_offset + size);
	jh_arch_flush_icache();

	mutex_lock(&jh_state_lock);
	err = on_all_cpus(enter_cpu, &ctx, &failed, &succeeded);
	if (err && succeeded) {
		/* The hypervisor promises all or nothing; try to get out. */
		pr_crit("jailhouse: entry failed on %u CPUs, succeeded on %u: "
			"disabling again\n", failed, succeeded);
		for_each_online_cpu(cpu)
			if (!ctx.result[cpu])
				smp_call_function_single(cpu, leave_cpu, &ctx, 1);
	}
	if (err) {
		mutex_unlock(&jh_state_lock);
		if (err == JH_ENTRY_NOT_RUN && jh_arch_entry_not_run[0])
			pr_err("jailhouse: %s\n", jh_arch_entry_not_run);
		else
			pr_err("jailhouse: hypervisor entry failed: %ld "
			       "(status %d, %u of %u CPUs entered)\n", err,
			       header->entry_status, header->entered_cpus,
			       header->online_cpus);
		save_console(hv_mem + header->console_page, true);
		if (err > 0 || err < -MAX_ERRNO)
			err = -EIO;
		goto err_cpus_unlock;
	}

	/*
	 * Linux is the root cell now.  The hypervisor leaves it the console
	 * page (read-only) only with the virtual debug console flag.
	 */
	if (SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(config->flags)) {
		console_ring = memremap(hv->phys_start + console_page,
					PAGE_SIZE, MEMREMAP_WB);
		if (!console_ring)
			pr_warn("jailhouse: cannot map the hypervisor console\n");
	}
	jh_enabled = true;
	jh_root_cell = root;
	list_add(&root->entry, &jh_cells);
	root->alive = true;
	WRITE_ONCE(console_gen, console_gen + 1);
	mutex_unlock(&jh_state_lock);
	cpus_read_unlock();

	if (jh_arch_keep_hypervisor_mapped())
		hv_kept = hv_mem;
	else
		jh_arch_unmap_hypervisor(hv_mem);
	release_firmware(fw);
	kfree(ctx.result);
	sys_config = config;
	__module_get(THIS_MODULE);

	if (jh_sysfs_cell_add(root))
		pr_warn("jailhouse: no sysfs entry for the root cell\n");
	pr_info("jailhouse: hypervisor enabled on %u CPUs, root cell \"%s\"\n",
		succeeded, root->name);
	mutex_unlock(&jh_ioctl_lock);
	return 0;

err_cpus_unlock:
	cpus_read_unlock();
	jh_arch_unmap_hypervisor(hv_mem);
err_release:
	release_mem_region(hv->phys_start, hv->size);
	hv_resource = NULL;
err_free:
	release_firmware(fw);
	kfree(ctx.result);
	if (root)
		jh_cell_put(root);
err_unlock:
	mutex_unlock(&jh_ioctl_lock);
	kvfree(config);
	return err;
}

int jh_cmd_disable(void)
{
	struct cpu_results ctx = { };
	unsigned int failed, succeeded;
	struct jh_cell *root;
	long err;

	if (mutex_lock_interruptible(&jh_ioctl_lock))
		return -EINTR;
	if (!jh_enabled) {
		err = -EINVAL;
		goto out_unlock;
	}
	/* As upstream: disabling destroys the remaining non-root cells. */
	err = jh_cells_destroy_nonroot();
	if (err)
		goto out_unlock;
	ctx.result = kcalloc(nr_cpu_ids, sizeof(*ctx.result), GFP_KERNEL);
	if (!ctx.result) {
		err = -ENOMEM;
		goto out_unlock;
	}

	cpus_read_lock();
	mutex_lock(&jh_state_lock);
	err = on_all_cpus(leave_cpu, &ctx, &failed, &succeeded);
	if (err && succeeded)
		pr_crit("jailhouse: disable failed on %u CPUs (%ld) but "
			"succeeded on %u\n", failed, err, succeeded);
	if (err && !succeeded) {
		mutex_unlock(&jh_state_lock);
		cpus_read_unlock();
		pr_err("jailhouse: the hypervisor refused to disable (%ld)\n",
		       err);
		goto out_free;
	}
	jh_enabled = false;
	root = jh_root_cell;
	root->alive = false;
	list_del(&root->entry);
	jh_root_cell = NULL;
	if (console_ring) {
		save_console(console_ring, false);
		memunmap(console_ring);
		console_ring = NULL;
	}
	mutex_unlock(&jh_state_lock);
	cpus_read_unlock();

	jh_sysfs_cell_remove(root);
	jh_cell_put(root);
	if (hv_kept) {
		jh_arch_unmap_hypervisor(hv_kept);
		hv_kept = NULL;
	}
	release_mem_region(sys_config->hypervisor_memory.phys_start,
			   sys_config->hypervisor_memory.size);
	hv_resource = NULL;
	kvfree(sys_config);
	sys_config = NULL;
	module_put(THIS_MODULE);
	pr_info("jailhouse: hypervisor disabled\n");
	err = 0;

out_free:
	kfree(ctx.result);
out_unlock:
	mutex_unlock(&jh_ioctl_lock);
	return err;
}

void jh_hypervisor_exit(void)
{
	/* The module cannot go while enabled (it holds a reference). */
	kfree(console_saved);
	console_saved = NULL;
}
