/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: dispatch of trapped MMIO accesses. */

#ifndef _HV_MMIO_H
#define _HV_MMIO_H

#include <hv/cell.h>

struct mmio_access {
	/** Guest-physical address. */
	phys_addr_t address;
	/** Width in bytes: 1, 2, 4 or 8. */
	unsigned int size;
	bool is_write;
	/** Value written, or the value to return for a read. */
	unsigned long value;
};

enum mmio_result { MMIO_HANDLED, MMIO_UNHANDLED, MMIO_ERROR };

typedef enum mmio_result (*mmio_handler)(void *arg,
					 struct mmio_access *access);

struct mmio_region {
	/** Guest-physical range. */
	phys_addr_t start;
	u64 size;
	mmio_handler handler;
	void *arg;
};

/** Mask of the bits an access of @p size bytes carries in a long. */
static inline unsigned long mmio_size_mask(unsigned int size)
{
	return size >= sizeof(unsigned long) ? ~0UL : BIT(size * 8) - 1;
}

/** Read @p size (1, 2, 4 or 8) bytes from the mapped register @p addr. */
static inline unsigned long mmio_read_sized(void *addr, unsigned int size)
{
	switch (size) {
	case 1: return *(volatile u8 *)addr;
	case 2: return *(volatile u16 *)addr;
	case 4: return *(volatile u32 *)addr;
	default: return *(volatile u64 *)addr;
	}
}

/** Write @p size (1, 2, 4 or 8) bytes of @p value to @p addr. */
static inline void mmio_write_sized(void *addr, unsigned int size,
				    unsigned long value)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = value; break;
	case 2: *(volatile u16 *)addr = value; break;
	case 4: *(volatile u32 *)addr = value; break;
	default: *(volatile u64 *)addr = value; break;
	}
}

/**
 * Emulate accesses of @p cell to [@p start, @p start + @p size).
 * @return 0 or -ENOMEM if the cell's table is full.
 */
int mmio_region_register(struct cell *cell, phys_addr_t start, u64 size,
			 mmio_handler handler, void *arg);

/**
 * Register the handler of a sub-page (or not page aligned) I/O region: the
 * cell may access exactly the configured bytes with the configured widths.
 * @return 0, -ENOMEM.
 */
int mmio_subpage_register(struct cell *cell,
			  const struct jailhouse_memory *mem);

/**
 * Allocate @p cell's table of MMIO regions, sized for what the units and
 * the sub-page memory regions of its configuration register.
 * @return 0, -ENOMEM.
 */
int mmio_cell_init(struct cell *cell);

/** Free @p cell's MMIO regions. */
void mmio_cell_exit(struct cell *cell);

/*
 * Guarded accesses (arch): the hypervisor touches memory or a device at an
 * address a cell or a configuration chose.  A bus error there ends the
 * access with -EFAULT instead of taking the hypervisor down.
 */

/** Read @p size (1, 2, 4, 8) bytes at @p addr.  @return 0, -EFAULT. */
int arch_guarded_read(void *addr, unsigned int size, unsigned long *value);
/** Write @p size (1, 2, 4, 8) bytes at @p addr.  @return 0, -EFAULT. */
int arch_guarded_write(void *addr, unsigned int size, unsigned long value);
/** Copy @p size bytes from @p src.  @return 0, -EFAULT. */
int arch_guarded_copy(void *dst, const void *src, unsigned long size);
/**
 * Zero @p size bytes of normal memory at page aligned @p addr.
 * @return 0, -EFAULT.
 */
int arch_guarded_zero(void *addr, unsigned long size);

/** The region of @p cell that covers @p address, NULL if none does. */
const struct mmio_region *mmio_find_region(const struct cell *cell,
					   phys_addr_t address);

/**
 * Whether a region of @p cell other than a sub-page one (the hypervisor's
 * own emulation: interrupt controllers, MSI-X tables, configuration
 * space) overlaps its guest-physical [@p start, @p start + @p size).
 */
bool mmio_emulates(const struct cell *cell, u64 start, u64 size);
/**
 * The end of the run of [@p start, @p end) that is wholly emulated by such
 * regions of @p cell that are page aligned (*@p emulated) or wholly not.
 */
u64 mmio_emulated_run(const struct cell *cell, u64 start, u64 end,
		      bool *emulated);

/** Dispatch an access of the current cell. */
enum mmio_result mmio_handle_access(struct mmio_access *access);

#endif
