/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: cells, hypercalls and CPU control. */

#include <hv/config.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/unit.h>

#define CELL_FLAGS_VALID	(JAILHOUSE_CELL_PASSIVE_COMMREG | \
				 JAILHOUSE_CELL_TEST_DEVICE | \
				 JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED | \
				 JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE)
#define MAX_CONFIG_PAGES	16
#define MAX_CELL_ID		255
#define FLUSH_CHUNK		0x100000UL
/* How long a cell without a msg_reply_timeout may take to answer. */
#define MSG_REPLY_DEFAULT_S	10

struct cell root_cell;
static spinlock_t mgmt_lock;
static unsigned int num_cells = 1;

/* DISABLE was decided: the hypervisor is on its way out. */
static bool shutting_down;

static int check_devices(const struct jailhouse_cell_desc *cfg, bool root);

/*
 * Map a memory region into @cell's guest-physical address space
 * (virt_start -> phys_start); the cell's paging format turns the generic
 * flags into its own.  @return 0, -ENOMEM.
 */
static int map_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	unsigned long flags = 0;

	if (mem->flags & JAILHOUSE_MEM_READ)
		flags |= PAGE_READ;
	if (mem->flags & JAILHOUSE_MEM_WRITE)
		flags |= PAGE_WRITE;
	if (mem->flags & JAILHOUSE_MEM_EXECUTE)
		flags |= PAGE_EXEC;
	if (mem->flags & JAILHOUSE_MEM_IO)
		flags |= PAGE_DEVICE;
	return paging_create(&cell->paging, mem->phys_start, mem->size,
			     mem->virt_start, flags) ?:
		arch_iommu_map_memory(cell, mem);
}

/* Remove a region from @cell's guest-physical address space. */
static int unmap_memory_region(struct cell *cell,
			       const struct jailhouse_memory *mem)
{
	return paging_destroy(&cell->paging, mem->virt_start, mem->size) ?:
		arch_iommu_unmap_memory(cell, mem);
}

static int map_region(struct cell *cell, const struct jailhouse_memory *mem)
{
	struct jailhouse_memory comm;

	if (!mem->size)
		return 0;
	if (mem->flags & JAILHOUSE_MEM_COMM_REGION) {
		if (!cell->comm_region)
			return 0;
		comm = *mem;
		comm.phys_start = paging_hvirt2phys(cell->comm_region);
		comm.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE;
		return map_memory_region(cell, &comm);
	}
	if (mem_is_subpage(mem))
		return mmio_subpage_register(cell, mem);
	return map_memory_region(cell, mem);
}

/*
 * Memory ownership, computed on physical ranges.
 *
 * The root cell may reach, through each of its regions (in order: a later
 * region wins where two overlap in guest-physical space), every byte of
 * physical memory that no non-root cell holds.  A non-root cell holds the
 * memory of its regions except comm regions (the hypervisor's pages),
 * ROOTSHARED ones, sub-page ones (emulated; the root keeps their page) and,
 * while the cell is loadable, LOADABLE ones.  Cell memory that no root
 * region covers reaches the root only while loadable, at its physical
 * address.  root_sync() makes the root's stage 2 follow these rules for a
 * range; everything that changes ownership calls it.
 */

/* The cell being created: it holds memory before it is listed. */
static struct cell *creating;

static struct cell *next_holder(struct cell *cell)
{
	if (cell && cell == creating)
		return NULL;
	cell = cell ? cell->next : root_cell.next;
	return cell ? cell : creating;
}

static bool region_held(const struct cell *cell,
			const struct jailhouse_memory *mem)
{
	return mem->size && !mem_is_subpage(mem) &&
		!(mem->flags & (JAILHOUSE_MEM_COMM_REGION |
				JAILHOUSE_MEM_ROOTSHARED)) &&
		!(cell->loadable && mem->flags & JAILHOUSE_MEM_LOADABLE);
}

/*
 * The run [phys, returned end) of [phys, end) in which every byte is held
 * by some non-root cell (*held) or none is.
 */
static u64 held_run(u64 phys, u64 end,
			      bool *held)
{
	const struct jailhouse_memory *mem;
	struct cell *cell;
	u64 s, e;
	unsigned int n;

	*held = false;
	for (cell = next_holder(NULL); cell; cell = next_holder(cell))
		for_each_mem_region(mem, cell->config, n) {
			if (!region_held(cell, mem))
				continue;
			s = mem->phys_start;
			e = s + mem->size;
			if (s <= phys && phys < e) {
				*held = true;
				end = MIN(end, e);
			} else if (s > phys) {
				end = MIN(end, s);
			}
		}
	return end;
}

static bool root_region_mappable(const struct jailhouse_memory *root)
{
	return root->size && !mem_is_subpage(root) &&
		!(root->flags & JAILHOUSE_MEM_COMM_REGION);
}

/* Like held_run(), for memory some root region covers (*covered). */
static u64 covered_run(u64 phys, u64 end,
				 bool *covered)
{
	const struct jailhouse_memory *root;
	u64 s, e;
	unsigned int n;

	*covered = false;
	for_each_mem_region(root, root_cell.config, n) {
		if (!root->size || root->flags & JAILHOUSE_MEM_COMM_REGION)
			continue;
		s = root->phys_start;
		e = s + root->size;
		if (s <= phys && phys < e) {
			*covered = true;
			end = MIN(end, e);
		} else if (s > phys) {
			end = MIN(end, s);
		}
	}
	return end;
}

/*
 * Whether @cell may reach every byte of physical [phys, phys + size) now:
 * the root what its regions cover and no other cell holds, another cell
 * what its own regions (but comm regions) cover.
 */
bool cell_owns_phys(const struct cell *cell, u64 phys, u64 size)
{
	const struct jailhouse_memory *mem;
	u64 end = phys + size, next;
	unsigned int n;
	bool flag;

	if (!size || end < phys)
		return false;
	while (phys < end) {
		if (cell == &root_cell) {
			next = covered_run(phys, end, &flag);
			if (!flag)
				return false;
			next = held_run(phys, next, &flag);
			if (flag)
				return false;
		} else {
			next = phys;
			for_each_mem_region(mem, cell->config, n)
				if (mem->size &&
				    !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
				    mem->phys_start <= phys &&
				    phys - mem->phys_start < mem->size)
					next = MAX(next, mem->phys_start +
						   mem->size);
			if (next == phys)
				return false;
		}
		phys = next;
	}
	return true;
}

/* Make the root's guest-physical range [ipa, ipa_end) follow the rules. */
static int root_sync(u64 ipa, u64 ipa_end)
{
	const struct jailhouse_memory *root;
	struct jailhouse_memory part;
	u64 s, e, phys, run;
	unsigned int n;
	bool held;
	int err;

	for_each_mem_region(root, root_cell.config, n) {
		if (!root_region_mappable(root))
			continue;
		s = MAX(ipa, root->virt_start);
		e = MIN(ipa_end, root->virt_start + root->size);
		phys = root->phys_start + (s - root->virt_start);
		for (; s < e; s += run, phys += run) {
			run = held_run(phys, phys + (e - s), &held) - phys;
			part.phys_start = phys;
			part.virt_start = s;
			part.size = run;
			part.flags = root->flags;
			err = held ? unmap_memory_region(&root_cell, &part) :
				     map_memory_region(&root_cell, &part);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * root_sync() every root mapping of physical memory @mem (sub-page regions
 * leave the root its pages: nothing to do).
 */
static int root_sync_phys(const struct jailhouse_memory *mem)
{
	const struct jailhouse_memory *root;
	u64 s, e;
	unsigned int n;
	int err;

	if (mem_is_subpage(mem))
		return 0;
	for_each_mem_region(root, root_cell.config, n) {
		if (!root_region_mappable(root) ||
		    !ranges_overlap(mem->phys_start, mem->size, root->phys_start,
			      root->size))
			continue;
		s = MAX(mem->phys_start, root->phys_start) - root->phys_start;
		e = MIN(mem->phys_start + mem->size,
			root->phys_start + root->size) - root->phys_start;
		err = root_sync(root->virt_start + s, root->virt_start + e);
		if (err)
			return err;
	}
	return 0;
}

/* Map (or unmap) the parts of @mem no root region covers at their address. */
static int loadable_outside_root(const struct jailhouse_memory *mem, bool map)
{
	u64 phys = mem->phys_start, end = phys + mem->size, run;
	struct jailhouse_memory part;
	bool covered;
	int err;

	if (mem_is_subpage(mem))
		return 0;
	for (; phys < end; phys += run) {
		run = covered_run(phys, end, &covered) - phys;
		if (covered)
			continue;
		part.phys_start = part.virt_start = phys;
		part.size = run;
		part.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE;
		err = map ? map_memory_region(&root_cell, &part) :
			    unmap_memory_region(&root_cell, &part);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Whether the parts of @mem no root region covers may go to a cell: as
 * loadable memory they appear in the root at their physical address, which
 * must be free there.
 */
static bool outside_root_ok(const struct jailhouse_memory *mem)
{
	u64 phys = mem->phys_start, end = phys + mem->size, run;
	const struct jailhouse_memory *root;
	unsigned int n;
	bool covered;

	if (!(mem->flags & JAILHOUSE_MEM_LOADABLE))
		return true;
	for (; phys < end; phys += run) {
		run = covered_run(phys, end, &covered) - phys;
		if (covered)
			continue;
		if (phys + run > arch_guest_phys_limit())
			return false;
		for_each_mem_region(root, root_cell.config, n)
			if (root->size &&
			    !(root->flags & JAILHOUSE_MEM_COMM_REGION) &&
			    ranges_overlap(phys, run, root->virt_start, root->size))
				return false;
	}
	return true;
}

/*
 * What the hypervisor keeps for itself (the interrupt controller, the PCI
 * configuration window, IOMMU units) and the pages it emulates for the
 * root (its devices' MSI-X tables, which no root region maps: identity
 * addresses): never a non-root cell's.
 */
static bool hypervisor_device(const struct jailhouse_memory *mem)
{
	const typeof(system_config->platform_info) *pi =
		&system_config->platform_info;

	if (mmio_emulates(&root_cell, mem->phys_start, mem->size))
		return true;
	if (pi->pci_mmconfig_base &&
	    ranges_overlap(mem->phys_start, mem->size, pi->pci_mmconfig_base,
			   ((u64)pi->pci_mmconfig_end_bus + 1) << 20))
		return true;
	return arch_hypervisor_device(mem->phys_start, mem->size);
}

/*
 * A root region but for the pages the hypervisor emulates for the root,
 * which must fault to reach their handler whatever the configuration maps
 * there (an MSI-X table the firmware moved into one of its regions,
 * arch/x86/msi.c).
 */
static int map_root_region(const struct jailhouse_memory *mem)
{
	u64 s = mem->virt_start, end = s + mem->size, next;
	struct jailhouse_memory part = *mem;
	bool emulated;
	int err;

	if (!mem->size || mem_is_subpage(mem) ||
	    mem->flags & JAILHOUSE_MEM_COMM_REGION)
		return map_region(&root_cell, mem);
	for (; s < end; s = next) {
		next = mmio_emulated_run(&root_cell, s, end, &emulated);
		if (emulated)
			continue;
		part.phys_start = mem->phys_start + (s - mem->virt_start);
		part.virt_start = s;
		part.size = next - s;
		err = map_region(&root_cell, &part);
		if (err)
			return err;
	}
	return 0;
}

int root_cell_init(void)
{
	struct jailhouse_cell_desc *cfg = &system_config->root_cell;
	struct jailhouse_memory console;
	const struct jailhouse_memory *mem;
	unsigned int n;
	int err;

	root_cell.config = cfg;
	err = config_check_cell(cfg, hypervisor_header.config_size -
				__builtin_offsetof(struct jailhouse_system,
						   root_cell),
				true, &system_config->hypervisor_memory,
				arch_guest_phys_limit(), arch_phys_limit());
	if (!err)
		err = check_devices(cfg, true);
	if (err)
		return err;
	/*
	 * Bits of CPUs the machine does not have are ignored, as the driver
	 * ignores them: upstream's QEMU system configs name 16 CPUs.
	 */
	jailhouse_cell_for_each_cpu(n, cfg)
		if (n < num_possible_cpus)
			cpu_set_add(&root_cell.cpus, n);

	err = arch_cell_create(&root_cell);
	if (err)
		return trace_error(err);
	err = mmio_cell_init(&root_cell);
	if (err)
		return trace_error(err);
	err = units_cell_init(&root_cell);
	if (err)
		return trace_error(err);
	for_each_mem_region(mem, cfg, n) {
		err = map_root_region(mem);
		if (err)
			return trace_error(err);
	}
	/* The driver reads the hypervisor console from the root cell. */
	if (SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(system_config->flags)) {
		console.phys_start = paging_hvirt2phys(&console_ring);
		console.virt_start = console.phys_start;
		console.size = PAGE_SIZE;
		console.flags = JAILHOUSE_MEM_READ;
		err = map_memory_region(&root_cell, &console);
	}
	return err;
}

static struct cell *cell_by_id(unsigned long id)
{
	struct cell *cell;

	for_each_cell(cell)
		if (cell->id == id)
			return cell;
	return NULL;
}

/* Copy @size bytes at root guest-physical @gphys (root RAM only). */
static int copy_from_root(void *dst, unsigned long gphys, unsigned long size)
{
	const struct jailhouse_memory *mem;
	unsigned long chunk;
	phys_addr_t phys;
	unsigned int n;
	bool ram;
	u8 *page;
	int err;

	while (size) {
		ram = false;
		/* the region that maps gphys: the last one (later wins) */
		for_each_mem_region(mem, root_cell.config, n)
			if (gphys >= mem->virt_start &&
			    gphys - mem->virt_start < mem->size)
				ram = (mem->flags & (JAILHOUSE_MEM_READ |
						     JAILHOUSE_MEM_IO |
						     JAILHOUSE_MEM_COMM_REGION)) ==
					JAILHOUSE_MEM_READ;
		phys = paging_virt2phys(&root_cell.paging, gphys);
		if (!ram || phys == INVALID_PHYS_ADDR)
			return trace_error(-EFAULT);
		chunk = MIN(size, PAGE_SIZE - (gphys & PAGE_OFFS_MASK));
		page = paging_remap(phys, chunk, PAGE_READ);
		if (!page)
			return trace_error(-ENOMEM);
		err = arch_guarded_copy(dst, page, chunk);
		paging_unmap(page, chunk);
		if (err)
			return trace_error(err);
		dst = (u8 *)dst + chunk;
		gphys += chunk;
		size -= chunk;
	}
	return 0;
}

static void suspend_cpu(struct per_cpu *t)
{
	bool suspended;

	spin_lock(&t->control_lock);
	t->suspend_cpu = true;
	suspended = t->cpu_suspended || t->halted;
	spin_unlock(&t->control_lock);
	if (suspended)
		return;
	arch_send_event(t);
	while (!READ_ONCE(t->cpu_suspended) && !READ_ONCE(t->halted))
		cpu_relax();
}

static void resume_cpu(struct per_cpu *t)
{
	spin_lock(&t->control_lock);
	t->suspend_cpu = false;
	spin_unlock(&t->control_lock);
	arch_send_event(t);
}

/* The cell's private RAM: what it alone could write. */
static bool private_ram(const struct jailhouse_memory *mem)
{
	return mem->size && !mem_is_subpage(mem) &&
		!(mem->flags & (JAILHOUSE_MEM_IO | JAILHOUSE_MEM_COMM_REGION |
				JAILHOUSE_MEM_ROOTSHARED));
}

/*
 * Write back and invalidate the data cache over the RAM of the first
 * @regions regions of @cell, so that the next owner (or the cell itself,
 * running with caches off) sees memory; with @scrub, zero its private RAM
 * first (before it goes back to the root; see CONFIG_KEEP_CELL_MEMORY).
 * The walk maps the memory chunk by chunk: where caches are coherent, only
 * a scrub needs it.
 */
static void cell_clean_memory(struct cell *cell, unsigned int regions,
			      bool scrub)
{
	const struct jailhouse_memory *mem;
	unsigned long chunk;
	unsigned int n;
	void *virt;
	u64 offs;

	if (!scrub && arch_dcache_coherent())
		return;
	for_each_mem_region(mem, cell->config, n) {
		if (n >= regions)
			break;
		if (mem->flags & (JAILHOUSE_MEM_IO | JAILHOUSE_MEM_COMM_REGION) ||
		    !mem->size || mem_is_subpage(mem))
			continue;
		for (offs = 0; offs < mem->size; offs += chunk) {
			chunk = MIN(mem->size - offs, FLUSH_CHUNK);
			virt = paging_remap(mem->phys_start + offs, chunk,
					    PAGE_DEFAULT);
			if (!virt) {
				printk("WARNING: cannot flush cell memory\n");
				return;
			}
			if (scrub && private_ram(mem) &&
			    arch_guarded_zero(virt, chunk))
				printk("WARNING: cell memory at %llx aborted its "
				       "scrubbing\n", mem->phys_start + offs);
			arch_dcache_flush(virt, chunk);
			paging_unmap(virt, chunk);
		}
	}
}

static void cell_flush_dcache(struct cell *cell)
{
	cell_clean_memory(cell, cell->config->num_memory_regions, false);
}

/*
 * The guest-physical maps of @cell changed (memory given, taken, made
 * loadable): every CPU of the cell drops its stale translations before it
 * runs guest code again, and this returns when they have.  The arch either
 * reaches all CPUs itself (broadcast TLB maintenance) or lets each CPU
 * flush locally on request, which this waits for.
 */
static void cell_commit(struct cell *cell)
{
	struct per_cpu *c = this_cpu(), *t;
	unsigned int cpu;

	if (arch_cell_flush_all(cell))
		return;
	for_each_cpu(cpu, &cell->cpus) {
		t = per_cpu(cpu);
		if (t == c) {
			arch_flush_local(c);
		} else if (t->activated) {
			WRITE_ONCE(t->flush_requested, true);
			arch_send_event(t);
		}
	}
	for_each_cpu(cpu, &cell->cpus) {
		t = per_cpu(cpu);
		while (READ_ONCE(t->flush_requested))
			cpu_relax();
	}
}

void check_flush_request(struct per_cpu *c)
{
	if (READ_ONCE(c->flush_requested)) {
		arch_flush_local(c);
		__atomic_store_n(&c->flush_requested, false, __ATOMIC_RELEASE);
	}
}


/* Make @t wait in check_events(), with @reset starting it at @address. */
static void park_cpu(struct per_cpu *t, bool reset, unsigned long address)
{
	t->parked = true;
	t->reset_requested = reset;
	t->reset_address = address;
	t->reset_arg = 0;
}

static void cell_suspend(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus)
		suspend_cpu(per_cpu(cpu));
}

static void cell_resume(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, &cell->cpus)
		resume_cpu(per_cpu(cpu));
}

/* Stop every CPU of @cell; with @start, restart its first one. */
static void cell_park(struct cell *cell, bool start)
{
	unsigned int cpu;
	bool first = true;
	struct per_cpu *t;

	/* All stop before any restarts: a started CPU may CPU_ON the others. */
	cell_suspend(cell);
	for_each_cpu(cpu, &cell->cpus) {
		t = per_cpu(cpu);
		park_cpu(t, start && (first || ARCH_CELL_START_ALL_CPUS) &&
			 !t->halted, cell->config->cpu_reset_address);
		t->failed = t->halted;
		first = false;
	}
	cell_resume(cell);
}

void cell_request_park(struct cell *cell, bool restart)
{
	struct per_cpu *c = this_cpu(), *t;
	unsigned int cpu;
	bool first = true;

	for_each_cpu(cpu, &cell->cpus) {
		t = per_cpu(cpu);
		spin_lock(&t->control_lock);
		park_cpu(t, restart && first, cell->config->cpu_reset_address);
		spin_unlock(&t->control_lock);
		if (t != c)
			arch_send_event(t);
		first = false;
	}
}

/*
 * Post @msg to @cell and wait for the answer.  true: go ahead (approved,
 * received, the cell does not run or is passive, or it timed out and was
 * stopped); false: denied or an unexpected reply.  A cell never makes the
 * root wait for good: without a msg_reply_timeout of its own (polling
 * iterations) it has MSG_REPLY_DEFAULT_S seconds.
 */
static bool cell_send_message(struct cell *cell, u32 msg, bool request)
{
	struct jailhouse_comm_region *comm = cell->comm_region;
	u64 timeout = cell->config->msg_reply_timeout;
	u64 deadline = arch_timer_ticks() +
		arch_timer_hz() * MSG_REPLY_DEFAULT_S;
	u32 state, reply;

	if (cell->config->flags & JAILHOUSE_CELL_PASSIVE_COMMREG)
		return true;
	state = READ_ONCE(comm->cell_state);
	if (state != JAILHOUSE_CELL_RUNNING &&
	    state != JAILHOUSE_CELL_RUNNING_LOCKED)
		return true;

	jailhouse_send_msg_to_cell(comm, msg);
	while (1) {
		state = READ_ONCE(comm->cell_state);
		reply = READ_ONCE(comm->reply_from_cell);
		if (state == JAILHOUSE_CELL_SHUT_DOWN ||
		    state == JAILHOUSE_CELL_FAILED)
			return true;
		if (reply == (request ? JAILHOUSE_MSG_REQUEST_APPROVED :
					JAILHOUSE_MSG_RECEIVED))
			return true;
		if (reply != JAILHOUSE_MSG_NONE)
			return false;
		if (cell->config->msg_reply_timeout ? --timeout == 0 :
		    (s64)(arch_timer_ticks() - deadline) > 0) {
			printk("Cell \"%s\" did not reply in time, stopping it\n",
			       cell->config->name);
			cell_park(cell, false);
			comm->cell_state = JAILHOUSE_CELL_FAILED;
			return true;
		}
		cpu_relax();
	}
}

/* No cell other than @excluded holds the reconfiguration lock. */
static bool cell_reconfig_ok(struct cell *excluded)
{
	struct cell *cell;

	for_each_non_root_cell(cell)
		if (cell != excluded &&
		    READ_ONCE(cell->comm_region->cell_state) ==
		    JAILHOUSE_CELL_RUNNING_LOCKED)
			return false;
	return true;
}

static void cell_reconfig_completed(void)
{
	struct cell *cell;

	for_each_non_root_cell(cell)
		cell_send_message(cell, JAILHOUSE_MSG_RECONFIG_COMPLETED, false);
}

void check_events(void)
{
	struct per_cpu *c = this_cpu();
	bool reset = false;

	spin_lock(&c->control_lock);
	while (1) {
		check_flush_request(c);
		if (c->suspend_cpu) {
			c->cpu_suspended = true;
			spin_unlock(&c->control_lock);
			while (READ_ONCE(c->suspend_cpu)) {
				check_flush_request(c);
				cpu_wait_event();
			}
			spin_lock(&c->control_lock);
			c->cpu_suspended = false;
			continue;
		}
		if (c->shutdown_requested) {
			c->cpu_suspended = true;
			spin_unlock(&c->control_lock);
			arch_cpu_off(c);
		}
		if (c->reset_requested) {
			c->reset_requested = false;
			c->parked = false;
			reset = true;
		}
		if (!c->parked)
			break;
		spin_unlock(&c->control_lock);
		cpu_wait_event();
		spin_lock(&c->control_lock);
	}
	spin_unlock(&c->control_lock);
	if (reset)
		arch_reset_self(c);
}

void cell_failed(const char *reason)
{
	struct per_cpu *c = this_cpu();
	struct cell *cell = c->cell;

	printk("FATAL: %s; stopping cell \"%s\" (CPU %u failed)\n", reason,
	       cell->config->name, c->cpu_id);
	c->failed = true;
	/* Without waiting, so two failing CPUs cannot wait for each other. */
	cell_request_park(cell, false);
	if (cell->comm_region)
		cell->comm_region->cell_state = JAILHOUSE_CELL_FAILED;
}

/*
 * A fatal hypervisor error on this CPU.  On a CPU of a non-root cell the
 * cell fails (as after a fault of its own); with CONFIG_CRASH_CELL_ON_PANIC
 * the CPU is parked and can be reused, without it the CPU stops for good.
 * Either way it is marked failed and never blocks management: a halted CPU
 * counts as suspended.
 */
void panic_stop(const char *reason)
{
	struct per_cpu *c = this_cpu();
	bool cell_cpu = c->activated && c->cell != &root_cell;

	if (cell_cpu) {
		cell_failed(reason);
		if (CONFIG_CRASH_CELL_ON_PANIC)
			arch_panic_park();
	}
	printk("FATAL: hypervisor panic: %s\nStopping CPU %u\n", reason,
	       c->cpu_id);
	spin_lock(&c->control_lock);
	c->failed = true;
	c->parked = true;
	c->halted = true;
	c->cpu_suspended = true;
	spin_unlock(&c->control_lock);
	while (1) {
		/* Runs no guest again: flush requests need no flush. */
		WRITE_ONCE(c->flush_requested, false);
		cpu_wait_event();
	}
}

int cpu_by_phys_id(unsigned long id)
{
	unsigned int cpu;

	for (cpu = 0; cpu < num_possible_cpus; cpu++)
		if (per_cpu(cpu)->activated && per_cpu(cpu)->arch.phys_id == id)
			return cpu;
	return -1;
}

/*
 * Configuration parts beyond memory, CPUs and interrupts.  Stream IDs and
 * physical PCI devices name DMA masters: a non-root cell may have physical
 * PCI devices only where IOMMU units confine their DMA to its memory
 * (x86 with AMD-Vi, arch_iommu_count()); stream IDs never (no SMMU
 * support on ARM).  ivshmem functions are checked by ivshmem.c when the
 * cell joins their links.  The rest is not implemented yet and only
 * reported, each non-zero count on a line of its own.
 */
static int check_devices(const struct jailhouse_cell_desc *cfg, bool root)
{
	const struct jailhouse_pci_device *dev = jailhouse_cell_pci_devices(cfg);
	unsigned int n, physical = 0;
	struct {
		unsigned int count;
		const char *what;
	} ignored[] = {
		{ cfg->num_cache_regions, "cache regions" },
		{ 0, "PIO regions" },
		{ 0, "physical PCI devices" },
		{ 0, "PCI capabilities" },
	};

	for (n = 0; n < cfg->num_pci_devices; n++, dev++) {
		if (dev->type == JAILHOUSE_PCI_TYPE_IVSHMEM)
			continue;
		physical++;
		if (!root && !arch_iommu_count()) {
			printk("Cell \"%s\": PCI device %02x:%02x.%x refused: "
			       "no IOMMU unit would confine its DMA\n",
			       cfg->name, dev->bdf >> 8, (dev->bdf >> 3) & 0x1f,
			       dev->bdf & 7);
			return trace_error(-EINVAL);
		}
	}
	if (!root && cfg->num_stream_ids)
		return trace_error(-EINVAL);
	if (!ARCH_HAS_PIO_AND_PCI) {
		ignored[1].count = cfg->num_pio_regions;
		ignored[2].count = physical;
		ignored[3].count = cfg->num_pci_caps;
	}
	for (n = 0; n < ARRAY_SIZE(ignored); n++)
		if (ignored[n].count)
			printk("Cell \"%s\": not implemented yet, ignored: "
			       "%u %s\n", cfg->name, ignored[n].count,
			       ignored[n].what);
	if (cfg->num_stream_ids)
		printk("Cell \"%s\": %u stream IDs ignored: no IOMMU support, "
		       "the root cell's DMA is not confined\n", cfg->name,
		       cfg->num_stream_ids);
	return 0;
}

static int cell_create_checked(struct cell *cell)
{
	const struct jailhouse_cell_desc *cfg = cell->config;
	const struct jailhouse_memory *mem, *omem;
	struct cell *other;
	unsigned int n, m, cpu;
	struct per_cpu *t;

	for_each_cell(other)
		if (!strncmp(other->config->name, cfg->name, sizeof(cfg->name)))
			return -EEXIST;
	if (cfg->flags & ~CELL_FLAGS_VALID)
		return trace_error(-EINVAL);

	jailhouse_cell_for_each_cpu(n, cfg) {
		if (n >= num_possible_cpus)
			return trace_error(-EINVAL);
		t = per_cpu(n);
		if (!cpu_in_set(&root_cell.cpus, n) || n == this_cpu()->cpu_id ||
		    !t->activated || t->halted ||
		    (!t->parked && !ARCH_CELL_CREATE_PARKS_CPUS))
			return trace_error(-EBUSY);
		cpu_set_add(&cell->cpus, n);
	}
	for_each_cpu(cpu, &cell->cpus)
		break;
	if (cpu >= num_possible_cpus)
		return trace_error(-EINVAL);

	/*
	 * Memory: never what the hypervisor keeps or a DMA master, never
	 * another cell's (but where both share it), and memory outside the
	 * root must have room in the root for loading.
	 */
	for_each_mem_region(mem, cfg, n) {
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION || !mem->size)
			continue;
		if (hypervisor_device(mem) || !outside_root_ok(mem))
			return trace_error(-EINVAL);
		for_each_non_root_cell(other)
			for_each_mem_region(omem, other->config, m)
				if (!(omem->flags & JAILHOUSE_MEM_COMM_REGION) &&
				    ranges_overlap(mem->phys_start, mem->size,
					     omem->phys_start, omem->size) &&
				    !(mem->flags & omem->flags &
				      JAILHOUSE_MEM_ROOTSHARED))
					return trace_error(-EBUSY);
	}
	return check_devices(cfg, false);
}

static void comm_region_init(struct cell *cell)
{
	struct jailhouse_comm_region *comm = cell->comm_region;
	u32 flags = cell->config->flags;

	memset(comm, 0, PAGE_SIZE);
	memcpy(comm->signature, COMM_REGION_MAGIC, sizeof(comm->signature));
	comm->revision = COMM_REGION_ABI_REVISION;
	comm->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
	if (CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(flags) ||
	    CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags))
		comm->flags |= JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED;
	if (CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags))
		comm->flags |= JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE;
	comm->console = cell->config->console;
	comm->pci_mmconfig_base = system_config->platform_info.pci_mmconfig_base;
	arch_comm_region_init(cell);
}

/* Return everything @cell holds to the root cell and free it. */
static void cell_teardown(struct cell *cell, unsigned int mapped)
{
	const struct jailhouse_memory *mem;
	unsigned int cpu, n;
	struct per_cpu *t;

	cell_suspend(cell);
	for_each_cpu(cpu, &cell->cpus) {
		t = per_cpu(cpu);
		park_cpu(t, false, 0);
		t->failed = t->halted;
		t->cell = &root_cell;
		memset(t->stats, 0, sizeof(t->stats));
		cpu_set_add(&root_cell.cpus, cpu);
	}
	cell_resume(cell);
	cell_clean_memory(cell, mapped, !CONFIG_KEEP_CELL_MEMORY);
	/* The cell no longer holds anything (it left the cell list). */
	for_each_mem_region(mem, cell->config, n) {
		if (n >= mapped)
			break;
		if (!mem->size)
			continue;
		if (!mem_is_subpage(mem))
			unmap_memory_region(cell, mem);
		if (mem->flags & JAILHOUSE_MEM_COMM_REGION)
			continue;
		if ((!(mem->flags & JAILHOUSE_MEM_ROOTSHARED) &&
		     root_sync_phys(mem)) ||
		    (cell->loadable && mem->flags & JAILHOUSE_MEM_LOADABLE &&
		     loadable_outside_root(mem, false)))
			printk("WARNING: could not return memory to the root\n");
	}
	units_cell_exit(cell);
	mmio_cell_exit(cell);
	arch_cell_destroy(cell);
	cell_commit(&root_cell);
	page_free(&mem_pool, cell->comm_region, 1);
	page_free(&mem_pool, cell->config, cell->config_pages);
	page_free(&mem_pool, cell, 1);
}

static long cell_create(unsigned long config_address)
{
	struct jailhouse_cell_desc head, *cfg;
	const struct jailhouse_memory *mem;
	struct cell *cell, *last;
	unsigned long size;
	unsigned int n, cpu, mapped = 0;
	int err;

	if (!cell_reconfig_ok(NULL))
		return -EPERM;
	err = copy_from_root(&head, config_address, sizeof(head));
	if (err)
		return err;
	size = jailhouse_cell_config_size(&head);
	if (!jailhouse_cell_counts_valid(&head))
		return trace_error(-EINVAL);
	if (size > MAX_CONFIG_PAGES * PAGE_SIZE)
		return trace_error(-E2BIG);

	cell = page_alloc(&mem_pool, 1);
	if (!cell)
		return -ENOMEM;
	cell->config_pages = PAGES(size);
	cfg = page_alloc(&mem_pool, cell->config_pages);
	cell->comm_region = page_alloc(&mem_pool, 1);
	cell->config = cfg;
	if (!cfg || !cell->comm_region) {
		err = -ENOMEM;
		goto err_free;
	}
	/* Validate the private copy only: the root may change its own. */
	err = copy_from_root(cfg, config_address, size);
	if (err)
		goto err_free;
	err = config_check_cell(cfg, size, false,
				&system_config->hypervisor_memory,
				arch_guest_phys_limit(), arch_phys_limit());
	if (!err)
		err = cell_create_checked(cell);
	if (err)
		goto err_free;

	for (cell->id = 1; cell->id <= MAX_CELL_ID; cell->id++)
		if (!cell_by_id(cell->id))
			break;
	if (cell->id > MAX_CELL_ID) {
		err = trace_error(-ENOMEM);
		goto err_free;
	}
	comm_region_init(cell);
	err = arch_cell_create(cell);
	if (err)
		goto err_free;
	err = mmio_cell_init(cell);
	if (err)
		goto err_arch;
	err = units_cell_init(cell);
	if (err)
		goto err_mmio;

	/* From here on, cell_teardown() undoes everything. */
	if (ARCH_CELL_CREATE_PARKS_CPUS)
		cell_suspend(cell);
	for_each_cpu(cpu, &cell->cpus) {
		cpu_set_del(&root_cell.cpus, cpu);
		per_cpu(cpu)->cell = cell;
		memset(per_cpu(cpu)->stats, 0, sizeof(per_cpu(cpu)->stats));
		if (ARCH_CELL_CREATE_PARKS_CPUS)
			park_cpu(per_cpu(cpu), false, 0);
	}
	if (ARCH_CELL_CREATE_PARKS_CPUS)
		cell_resume(cell);
	creating = cell;
	for_each_mem_region(mem, cfg, n) {
		mapped = n + 1;
		if (region_held(cell, mem))
			err = root_sync_phys(mem);
		if (!err)
			err = map_region(cell, mem);
		if (err) {
			creating = NULL;
			cell_teardown(cell, mapped);
			return trace_error(err);
		}
	}

	cell_commit(&root_cell);
	cell_commit(cell);

	for (last = &root_cell; last->next; last = last->next)
		;
	last->next = cell;
	creating = NULL;
	num_cells++;
	cell_reconfig_completed();
	printk("Created cell \"%s\" (ID %u), pool use mem %lu remap %lu\n",
	       cfg->name, cell->id, mem_pool.used, remap_pool.used);
	return cell->id;

err_mmio:
	mmio_cell_exit(cell);
err_arch:
	arch_cell_destroy(cell);
err_free:
	page_free(&mem_pool, cell->comm_region, 1);
	page_free(&mem_pool, cfg, cell->config_pages);
	page_free(&mem_pool, cell, 1);
	return err;
}

/* Common checks of START, SET_LOADABLE and DESTROY. */
static int cell_management_prologue(unsigned long id, bool destroy,
				    struct cell **cellp)
{
	struct cell *cell = cell_by_id(id);

	if (!cell)
		return -ENOENT;
	if (cell == &root_cell)
		return trace_error(-EINVAL);
	if ((destroy && !cell_reconfig_ok(cell)) ||
	    !cell_send_message(cell, JAILHOUSE_MSG_SHUTDOWN_REQUEST, true))
		return -EPERM;
	*cellp = cell;
	return 0;
}

static int set_loadable(struct cell *cell, bool loadable)
{
	const struct jailhouse_memory *mem;
	unsigned int n;
	int err = 0;

	if (cell->loadable == loadable)
		return 0;
	cell->loadable = loadable;
	for_each_mem_region(mem, cell->config, n)
		if (mem->flags & JAILHOUSE_MEM_LOADABLE && mem->size &&
		    !mem_is_subpage(mem)) {
			err = root_sync_phys(mem);
			if (!err)
				err = loadable_outside_root(mem, loadable);
			if (err)
				break;
		}
	cell_commit(&root_cell);
	return err;
}

static long cell_start(unsigned long id)
{
	struct cell *cell;
	int err;

	err = cell_management_prologue(id, false, &cell);
	if (err)
		return err;
	cell_park(cell, false);
	err = set_loadable(cell, false);
	if (err)
		return trace_error(err);
	cell_flush_dcache(cell);
	comm_region_init(cell);
	ivshmem_cell_reset(cell);
	cell->comm_region->cell_state = JAILHOUSE_CELL_RUNNING;
	printk("Started cell \"%s\"\n", cell->config->name);
	cell_park(cell, true);
	return 0;
}

static long cell_set_loadable(unsigned long id)
{
	struct cell *cell;
	int err;

	err = cell_management_prologue(id, false, &cell);
	if (err)
		return err;
	cell_park(cell, false);
	ivshmem_cell_reset(cell);
	cell->comm_region->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
	err = set_loadable(cell, true);
	if (err)
		return trace_error(err);
	printk("Cell \"%s\" can be loaded\n", cell->config->name);
	return 0;
}

static long cell_destroy(unsigned long id)
{
	struct cell *cell, *prev;
	int err;

	err = cell_management_prologue(id, true, &cell);
	if (err)
		return err;
	printk("Closing cell \"%s\"\n", cell->config->name);
	for (prev = &root_cell; prev->next != cell; prev = prev->next)
		;
	prev->next = cell->next;
	num_cells--;
	cell_teardown(cell, cell->config->num_memory_regions);
	cell_reconfig_completed();
	return 0;
}

static long cell_get_state(unsigned long id)
{
	struct cell *cell = cell_by_id(id);
	u32 state;

	if (!cell)
		return -ENOENT;
	if (cell == &root_cell)
		return JAILHOUSE_CELL_RUNNING;
	state = READ_ONCE(cell->comm_region->cell_state);
	if (state > JAILHOUSE_CELL_FAILED_COMM_REV)
		return -EINVAL;
	return state;
}

/*
 * DISABLE: every online root CPU calls it.  The first call decides for all
 * and nothing changes before the decision, so every attempt is all or
 * nothing: refused (-EBUSY while non-root cells exist, on whichever CPUs
 * ask) or, once decided, the hypervisor goes and every later call of the
 * round leaves as well.
 */
static long hypervisor_disable(void)
{
	struct per_cpu *c = this_cpu(), *t;
	unsigned int cpu;

	if (!shutting_down) {
		if (num_cells > 1)
			return -EBUSY;
		printk("Shutting down hypervisor\n");
		shutting_down = true;
		for_each_cpu(cpu, &root_cell.cpus) {
			t = per_cpu(cpu);
			if (!t->parked || !t->activated || t->halted)
				continue;
			spin_lock(&t->control_lock);
			t->shutdown_requested = true;
			spin_unlock(&t->control_lock);
			arch_send_event(t);
			/* on its way to PSCI CPU_OFF */
			while (!READ_ONCE(t->cpu_suspended))
				cpu_relax();
		}
		units_shutdown();
	}
	c->leaving = true;
	return 0;
}

static long hypervisor_get_info(unsigned long type)
{
	switch (type) {
	case JAILHOUSE_INFO_MEM_POOL_SIZE:
		return mem_pool.pages;
	case JAILHOUSE_INFO_MEM_POOL_USED:
		return mem_pool.used;
	case JAILHOUSE_INFO_REMAP_POOL_SIZE:
		return remap_pool.pages;
	case JAILHOUSE_INFO_REMAP_POOL_USED:
		return remap_pool.used;
	case JAILHOUSE_INFO_NUM_CELLS:
		return num_cells;
	default:
		return -EINVAL;
	}
}

static long cpu_get_info(unsigned long cpu, unsigned long type)
{
	struct per_cpu *t;

	if (cpu >= num_possible_cpus)
		return -EINVAL;
	if (this_cell() != &root_cell && !cpu_in_set(&this_cell()->cpus, cpu))
		return -EPERM;
	t = per_cpu(cpu);
	if (type == JAILHOUSE_CPU_INFO_STATE)
		return t->failed ? JAILHOUSE_CPU_FAILED : JAILHOUSE_CPU_RUNNING;
	if (type >= JAILHOUSE_CPU_INFO_STAT_BASE &&
	    type - JAILHOUSE_CPU_INFO_STAT_BASE < JAILHOUSE_NUM_CPU_STATS)
		return t->stats[type - JAILHOUSE_CPU_INFO_STAT_BASE] & (~0UL >> 1);
	return -EINVAL;
}

static long debug_console_putc(unsigned long c)
{
	u32 flags = this_cell()->config->flags;

	if (this_cell() == &root_cell ?
	    !SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(system_config->flags) :
	    !(CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(flags) ||
	      CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags)))
		return -EPERM;
	console_putc(c);
	return 0;
}

long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	struct per_cpu *c = this_cpu();
	long ret;

	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL]++;
	switch (code) {
	case JAILHOUSE_HC_HYPERVISOR_GET_INFO:
		return hypervisor_get_info(arg1);
	case JAILHOUSE_HC_CPU_GET_INFO:
		return cpu_get_info(arg1, arg2);
	case JAILHOUSE_HC_DEBUG_CONSOLE_PUTC:
		return debug_console_putc(arg1);
	case JAILHOUSE_HC_DISABLE:
	case JAILHOUSE_HC_CELL_CREATE:
	case JAILHOUSE_HC_CELL_START:
	case JAILHOUSE_HC_CELL_SET_LOADABLE:
	case JAILHOUSE_HC_CELL_DESTROY:
	case JAILHOUSE_HC_CELL_GET_STATE:
		break;
	default:
		return -ENOSYS;
	}

	/* Management: root cell only, one at a time. */
	if (c->cell != &root_cell)
		return -EPERM;
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT]++;
	/* The holder may wait for this CPU to flush (cell_commit()). */
	while (!spin_trylock(&mgmt_lock)) {
		check_flush_request(c);
		cpu_relax();
	}
	if (shutting_down && code != JAILHOUSE_HC_DISABLE)
		ret = -EBUSY;
	else if (code == JAILHOUSE_HC_DISABLE)
		ret = hypervisor_disable();
	else if (code == JAILHOUSE_HC_CELL_CREATE)
		ret = cell_create(arg1);
	else if (code == JAILHOUSE_HC_CELL_START)
		ret = cell_start(arg1);
	else if (code == JAILHOUSE_HC_CELL_SET_LOADABLE)
		ret = cell_set_loadable(arg1);
	else if (code == JAILHOUSE_HC_CELL_DESTROY)
		ret = cell_destroy(arg1);
	else
		ret = cell_get_state(arg1);
	spin_unlock(&mgmt_lock);
	return ret;
}
