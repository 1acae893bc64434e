/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse driver: state shared by the parts of jailhouse.ko. */

#ifndef _JAILHOUSE_DRIVER_MAIN_H
#define _JAILHOUSE_DRIVER_MAIN_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <jailhouse/cell-config.h>
#include <jailhouse/console.h>
#include <jailhouse/header.h>
#include <jailhouse/ioctl.h>

#define JH_MAX_CONFIG_SIZE	(1024 * 1024)
#define JH_MAX_IMAGES		64

struct device;

/*
 * Locking: jh_ioctl_lock serialises the management operations (enable,
 * disable, cell create/load/start/destroy) including the creation and
 * removal of sysfs objects.  jh_state_lock protects jh_enabled, the cell
 * list and the console mapping, and is held around every hypercall, so
 * that no hypercall reaches EL2 while the hypervisor is not there.  sysfs
 * readers take jh_state_lock only: sysfs objects are removed with
 * jh_state_lock released (kernfs waits for running readers).
 * Order: jh_ioctl_lock, the CPU hotplug lock (cpus_read_lock, or taken
 * by remove_cpu/add_cpu; our hotplug callback takes jh_state_lock), then
 * jh_state_lock.
 */
extern struct mutex jh_ioctl_lock;
extern struct mutex jh_state_lock;
extern bool jh_enabled;
extern struct device *jh_dev;

struct jh_cell_cpu;

struct jh_cell {
	struct kobject kobj;
	struct kobject stats_kobj;
	struct list_head entry;
	struct list_head cpu_kobjs;
	unsigned int id;
	char name[JAILHOUSE_CELL_ID_NAMELEN + 1];
	/** CPUs the cell owns now. */
	cpumask_t cpus_assigned;
	/** CPUs the driver took offline for this cell (non-root cells). */
	cpumask_t cpus_offlined;
	/** The cell's configuration (non-root cells; kmalloc'ed copy). */
	struct jailhouse_cell_desc *config;
	size_t config_size;
	/** Cleared under jh_state_lock when the cell goes away. */
	bool alive;
	bool registered;
};

extern struct list_head jh_cells;
extern struct jh_cell *jh_root_cell;
/** CPUs non-root cells own or are about to own; Linux may not online them. */
extern cpumask_t jh_claimed_cpus;

/* hypervisor.c */
int jh_cmd_enable(struct jailhouse_system __user *arg);
int jh_cmd_disable(void);
ssize_t jh_console_copy(char *buf, size_t size, u32 *pos, bool from_start);
u32 jh_console_generation(void);
void jh_hypervisor_exit(void);

/* cell.c */
struct jh_cell *jh_cell_create_root(const struct jailhouse_system *config);
int jh_cmd_cell_create(struct jailhouse_cell_create __user *arg);
int jh_cmd_cell_load(struct jailhouse_cell_load __user *arg);
int jh_cmd_cell_start(struct jailhouse_cell_id __user *arg);
int jh_cmd_cell_destroy(struct jailhouse_cell_id __user *arg);
/* Destroy every non-root cell (disable does this first); jh_ioctl_lock held. */
int jh_cells_destroy_nonroot(void);

/*
 * pci.c: a cell's physical PCI devices leave their Linux drivers before
 * the hypervisor creates it and come back after it is gone.
 */
#ifdef CONFIG_PCI
void jh_pci_cell_claim(struct jh_cell *cell);
void jh_pci_cell_release(struct jh_cell *cell);
#else
static inline void jh_pci_cell_claim(struct jh_cell *cell)
{
}

static inline void jh_pci_cell_release(struct jh_cell *cell)
{
}
#endif
void jh_cells_unregister_all(void);
const char *jh_cell_state_name(long state);
int jh_check_cell_desc(const struct jailhouse_cell_desc *desc, size_t size,
		       const char *what, bool root);

/* sysfs.c */
/** Initialise the cell's kobjects; from then on jh_cell_put() frees it. */
void jh_cell_kobj_init(struct jh_cell *cell);
void jh_cell_put(struct jh_cell *cell);
int jh_sysfs_init(struct device *dev);
void jh_sysfs_exit(struct device *dev);
int jh_sysfs_cell_add(struct jh_cell *cell);
void jh_sysfs_cell_remove(struct jh_cell *cell);

/* Architecture part (arm64.c, x86.c, arch-none.c). */
/*
 * Map the hypervisor memory for loading it (default, in hypervisor.c:
 * memremap write-back; x86 maps it executable for the entry call).
 */
void *jh_arch_map_hypervisor(phys_addr_t phys, unsigned long size);
void jh_arch_unmap_hypervisor(void *virt);
/** Keep that mapping while enabled (x86: the way out runs through it). */
bool jh_arch_keep_hypervisor_mapped(void);
/** KVM's vendor part is loaded and may take the extensions (hypervisor.c). */
bool jh_kvm_initialised(void);
/** File name of the hypervisor image for request_firmware(). */
const char *jh_arch_firmware(void);
extern const unsigned int jh_arch_id;
/** Check that the CPU and the kernel allow an entry; print why not. */
int jh_arch_check(void);
/* jh_arch_enter() result when EL2 did not run the entry (HVC_STUB_ERR). */
#define JH_ENTRY_NOT_RUN	0xbadca11L
/**
 * What to do when the entry did not run, as this architecture's users need
 * it; empty where the entry is a plain call that always runs (x86).
 */
extern const char jh_arch_entry_not_run[];

/** Enter the hypervisor on this CPU (interrupts off); entry's result. */
long jh_arch_enter(phys_addr_t entry, unsigned int cpu, phys_addr_t image);
/** Write back and invalidate the data cache for a range to the PoC. */
void jh_arch_flush_dcache(void *addr, size_t size);
/** Invalidate all instruction caches (inner shareable). */
void jh_arch_flush_icache(void);
long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);
/** Names of the arch statistics, NULL terminated, after the generic ones. */
extern const char *const jh_arch_stat_names[];

#endif /* !_JAILHOUSE_DRIVER_MAIN_H */
