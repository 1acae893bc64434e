/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library, ARM roots: the malformed cell configurations
 * every ARM root's badconfig scenario hands the hypervisor, one copy for
 * ARMv7 and ARM64.  Each must be refused with its errno and leave nothing
 * behind; what only one architecture can get wrong stays in its program.
 */

#include <root.h>

/* A fresh valid cell from the program, changed by @change: refused. */
#define BAD(what, err, change) do {					\
	const void *cfg = malformed_cell(&b);				\
	change;								\
	refuse_cfg(what, cfg, err);					\
} while (0)

static void set_cpus(struct bad_cell *b, __u64 cpus)
{
	memcpy8(b->cpus, &cpus, sizeof(cpus));
}

void refuse_malformed_cells(void)
{
	struct bad_cell b;

	BAD("signature", -EINVAL, b.desc->signature[0] = 'X');
	BAD("revision", -EINVAL, b.desc->revision = 13);
	BAD("architecture", -EINVAL, b.desc->architecture = ROOT_OTHER_ARCH);
	BAD("unterminated name", -EINVAL, memset8(b.desc->name, 'x', 32));
	BAD("huge region count", -EINVAL, b.desc->num_memory_regions = 100000);
	BAD("too large", -E2BIG, b.desc->num_memory_regions = 3000);
	BAD("unknown cell flag", -EINVAL, b.desc->flags |= 0x100);
	BAD("no CPU", -EINVAL, set_cpus(&b, 0));
	BAD("nonexistent CPU", -EINVAL, set_cpus(&b, 1 << 7));
	BAD("calling CPU", -EBUSY, set_cpus(&b, 1));
	BAD("online root CPU", -EBUSY, set_cpus(&b, 1 << 1));
	BAD("unknown memory flag", -EINVAL, b.ram->flags |= 0x4000);
	BAD("unaligned RAM", -EINVAL, b.ram->phys_start += 0x10);
	BAD("overlapping regions", -EINVAL, b.other->virt_start = 0x1000);
	BAD("loadable comm region", -EINVAL,
	    b.comm->flags |= JAILHOUSE_MEM_LOADABLE);
	BAD("two comm regions", -EINVAL, b.other->flags = b.comm->flags;
	    b.other->phys_start = 0);
	BAD("wrapping region", -EINVAL, b.ram->size = ~0xfffULL);
	BAD("hypervisor memory", -EINVAL, b.ram->phys_start = HV_PHYS);
}
