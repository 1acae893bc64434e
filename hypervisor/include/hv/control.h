/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: cell management, hypercalls, CPU control, and the
 * hooks each architecture implements for them.
 *
 * CPU control follows one pattern: the CPU that manages (a root CPU in a
 * hypercall) sets a request in the target's per-CPU block under its
 * control_lock and calls arch_send_event(); the target handles requests in
 * check_events() before it returns to guest code.  A parked CPU waits in
 * check_events() until it is reset or the hypervisor shuts down.
 */

#ifndef _HV_CONTROL_H
#define _HV_CONTROL_H

#include <hv/cell.h>
#include <jailhouse/header.h>

/** The image header (start of the image). */
extern struct jailhouse_header hypervisor_header;
/** The system configuration, in hypervisor memory. */
extern struct jailhouse_system *system_config;

/** The CPU we run on. */
static inline struct per_cpu *this_cpu(void)
{
	return this_cpu_data();
}

static inline struct cell *this_cell(void)
{
	return this_cpu_data()->cell;
}

/**
 * Handle a hypercall of the current cell.
 * @return the value for the caller's result register.
 */
long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);

/** Handle pending requests; parks here while the CPU has nothing to run. */
void check_events(void);

/**
 * The current cell misbehaved (access outside its regions, unhandled trap):
 * print @p reason, stop this CPU and mark the cell failed.  The root cell
 * cannot fail; the arch reflects the fault into it instead.
 */
void cell_failed(const char *reason);

/**
 * Park every CPU of @p cell without waiting for them (the caller may be one
 * of them: a fault, a reset the cell asked for).
 * @param restart	Start the cell's first CPU over at its reset address.
 */
void cell_request_park(struct cell *cell, bool restart);

/** Stop after a fatal hypervisor error (see CONFIG_CRASH_CELL_ON_PANIC). */
void __noreturn panic_stop(const char *reason);

/** Number of the CPU whose MPIDR/APIC ID is @p id, or -1. */
int cpu_by_phys_id(unsigned long id);

/** Set up the root cell from the system configuration (master CPU). */
int root_cell_init(void);

/* ---- architecture hooks ---- */

/*
 * How the root gives CPUs to cells: on ARM it parks them first through
 * the firmware interface the hypervisor emulates (PSCI CPU_OFF), so a new
 * cell takes parked CPUs only.  On x86 the root OS takes them offline on
 * its own (Linux halts them) and the hypervisor parks them when it
 * creates the cell; <asm/processor.h> defines ARCH_CELL_CREATE_PARKS_CPUS.
 */
#ifndef ARCH_CELL_CREATE_PARKS_CPUS
#define ARCH_CELL_CREATE_PARKS_CPUS	0
#endif

/*
 * Whether the architecture isolates port I/O and physical PCI devices
 * (x86: I/O bitmaps, PCI config and MSI filtering); elsewhere those parts of
 * a configuration are only reported as ignored.
 */
#ifndef ARCH_HAS_PIO_AND_PCI
#define ARCH_HAS_PIO_AND_PCI	0
#endif

/*
 * DMA remapping: where <asm/processor.h> defines ARCH_HAS_IOMMU, the arch
 * keeps a DMA page table per cell with its JAILHOUSE_MEM_DMA regions, and
 * the core tells it every map change; elsewhere nothing confines DMA.
 */
#ifdef ARCH_HAS_IOMMU
/** Number of IOMMU units the hypervisor runs (0: DMA is not confined). */
unsigned int arch_iommu_count(void);
/** Map @p mem into @p cell's DMA table if it is a DMA region. */
int arch_iommu_map_memory(struct cell *cell,
			  const struct jailhouse_memory *mem);
/** Remove @p mem's guest-physical range from @p cell's DMA table. */
int arch_iommu_unmap_memory(struct cell *cell,
			    const struct jailhouse_memory *mem);
#else
static inline unsigned int arch_iommu_count(void)
{
	return 0;
}

static inline int arch_iommu_map_memory(struct cell *cell,
					const struct jailhouse_memory *mem)
{
	return 0;
}

static inline int arch_iommu_unmap_memory(struct cell *cell,
					  const struct jailhouse_memory *mem)
{
	return 0;
}
#endif

/**
 * Per-CPU set-up: trap configuration, guest mode for the root cell.
 * @param cpu_data	This CPU.
 * @return 0 or a negative errno.
 */
int arch_cpu_init(struct per_cpu *cpu_data);

/**
 * Give the CPU back to the caller of the entry or of the DISABLE hypercall,
 * restoring the state the hypervisor found (stub vectors, MMU off).
 * @param cpu_data	This CPU.
 * @param return_code	Value the caller sees as the result.
 */
void __noreturn arch_cpu_restore(struct per_cpu *cpu_data, int return_code);

/** Leave the hypervisor on a parked CPU during disable and power it off. */
void __noreturn arch_cpu_off(struct per_cpu *cpu_data);

/** Wake @p target to look at its requests. */
void arch_send_event(struct per_cpu *target);

/** Start guest code on this CPU at reset_address / reset_arg. */
void arch_reset_self(struct per_cpu *cpu_data);

/**
 * Create the arch part of a cell: empty guest page tables.
 * @return 0, -ENOMEM.
 */
int arch_cell_create(struct cell *cell);

/** Free the arch part of a cell (after every region was unmapped). */
void arch_cell_destroy(struct cell *cell);

/** Highest guest-physical address + 1 a cell may use. */
u64 arch_guest_phys_limit(void);

/**
 * Highest physical address + 1 the CPU (and its translation tables) can
 * name.  Higher bits of an address would land in descriptor bits that are
 * attributes or ignored: the mapping would alias lower memory.
 */
u64 arch_phys_limit(void);

/**
 * First part of the commit step after @p cell's guest-physical map changed
 * (see cell_commit() in control.c).
 * @return true if every CPU of the cell has dropped its stale
 * translations (broadcast TLB maintenance); false to have the core ask
 * each CPU for arch_flush_local() and wait for it.
 */
bool arch_cell_flush_all(struct cell *cell);

/** Drop this CPU's stale translations of its cell's guest-physical map. */
void arch_flush_local(struct per_cpu *cpu_data);

/**
 * Handle a flush request of cell_commit() on this CPU, if there is one.
 * Every loop in which a CPU may wait in hypervisor context calls it.
 */
void check_flush_request(struct per_cpu *cpu_data);

/**
 * Whether @p cell may reach all of physical [@p phys, +@p size) now (the
 * root: covered by its regions, held by no other cell; another cell:
 * covered by its own regions).
 */
bool cell_owns_phys(const struct cell *cell, u64 phys, u64 size);

/**
 * Whether physical [@p phys, +@p size) touches a device the hypervisor
 * keeps for itself or one that masters DMA (interrupt controller, ITS,
 * IOMMU): never a non-root cell's.
 */
bool arch_hypervisor_device(u64 phys, u64 size);

/**
 * A free-running counter of this CPU (the TSC, the generic timer's
 * physical count) and its ticks per second, for the core's deadlines.
 */
u64 arch_timer_ticks(void);
u64 arch_timer_hz(void);

/** Arch part of the comm region (interrupt controller data etc.). */
void arch_comm_region_init(struct cell *cell);

/**
 * Park this CPU after a fatal error in hypervisor context: discard the
 * hypervisor stack and wait in check_events() like any parked CPU.
 */
void __noreturn arch_panic_park(void);

#endif
