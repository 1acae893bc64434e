/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor: ivshmem v2 virtual PCI functions (see
 * <hv/ivshmem.h>).  First step: the interface only, no function is
 * linked yet (configs still report ivshmem devices as not implemented).
 */

#include <hv/ivshmem.h>

struct ivshmem_endpoint *ivshmem_endpoint(struct cell *cell, u16 domain,
					  u16 bdf)
{
	return NULL;
}

u32 ivshmem_cfg_read(struct ivshmem_endpoint *ep, u16 reg, unsigned int size)
{
	return 0;
}

void ivshmem_cfg_write(struct ivshmem_endpoint *ep, u16 reg,
		       unsigned int size, u32 value)
{
}

enum mmio_result ivshmem_mmio_access(struct cell *cell,
				     struct mmio_access *access)
{
	return MMIO_UNHANDLED;
}

void ivshmem_cell_reset(struct cell *cell)
{
}
