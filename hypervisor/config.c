/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: checks of configuration data (see hv/config.h). */

#include <hv/config.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/string.h>

static int check_mem_region(const struct jailhouse_memory *mem,
			    const struct jailhouse_memory *hv_mem,
			    u64 guest_limit, u64 phys_limit, unsigned int *comm)
{
	if (mem->flags & ~MEM_FLAGS_VALID ||
	    mem->virt_start + mem->size < mem->virt_start ||
	    mem->virt_start + mem->size > guest_limit)
		return trace_error(-EINVAL);
	if (mem->flags & JAILHOUSE_MEM_COMM_REGION) {
		/* The hypervisor's page: phys_start is ignored, and it is
		 * never the root's to load. */
		if (mem->size != PAGE_SIZE || !PAGE_ALIGNED(mem->virt_start) ||
		    mem->flags & JAILHOUSE_MEM_LOADABLE || ++*comm > 1)
			return trace_error(-EINVAL);
		return 0;
	}
	/*
	 * Physical addresses beyond what the CPU can name would reach the
	 * translation tables' attribute or ignored bits: an alias of memory
	 * below the limit (the hypervisor's) that no overlap check sees.
	 */
	if ((mem_is_subpage(mem) && !(mem->flags & JAILHOUSE_MEM_IO)) ||
	    mem->phys_start + mem->size < mem->phys_start ||
	    mem->phys_start + mem->size > phys_limit ||
	    ranges_overlap(mem->phys_start, mem->size, hv_mem->phys_start,
			   hv_mem->size))
		return trace_error(-EINVAL);
	return 0;
}

int config_check_cell(const struct jailhouse_cell_desc *cfg,
		      unsigned long size, bool root,
		      const struct jailhouse_memory *hv_mem, u64 guest_limit,
		      u64 phys_limit)
{
	const struct jailhouse_memory *mem, *other;
	unsigned int n, m, comm = 0;
	int err;

	if (!root && (memcmp(cfg->signature, JAILHOUSE_CELL_DESC_SIGNATURE, 5) ||
		      cfg->revision != JAILHOUSE_CONFIG_REVISION ||
		      cfg->architecture != JAILHOUSE_ARCH_ID))
		return trace_error(-EINVAL);
	/* Counts first, so that the size computation cannot overflow. */
	if (!jailhouse_cell_counts_valid(cfg) ||
	    jailhouse_cell_config_size(cfg) > size)
		return trace_error(-EINVAL);
	for (n = 0; n < sizeof(cfg->name) && cfg->name[n]; n++)
		;
	if (n == 0 || n == sizeof(cfg->name))
		return trace_error(-EINVAL);

	for_each_mem_region(mem, cfg, n) {
		/* Empty regions are placeholders (JAILHOUSE_SHMEM_NET_REGIONS). */
		if (!mem->size)
			continue;
		err = check_mem_region(mem, hv_mem, guest_limit, phys_limit,
				       &comm);
		if (err)
			return err;
		/* The root is trusted with overlapping regions: they are
		 * mapped in order, a later one wins where they overlap. */
		if (root)
			continue;
		for (m = n + 1, other = mem + 1; m < cfg->num_memory_regions;
		     m++, other++)
			if (other->size &&
			    ranges_overlap(mem->virt_start, mem->size,
					   other->virt_start, other->size))
				return trace_error(-EINVAL);
	}
	return 0;
}
