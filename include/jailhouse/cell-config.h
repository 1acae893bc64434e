/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: system and cell configuration format (revision 14) */

/*
 * A configuration blob (.cell file) is a system configuration (signature
 * "JHSYS", describes the machine and the root cell) or a cell configuration
 * (signature "JHCLL", describes one non-root cell). Both are little endian
 * and packed. A cell description is followed, in this order, by
 *
 *   cpu_set_size bytes of CPU bitmap (bit n: CPU n),
 *   num_memory_regions  x struct jailhouse_memory,
 *   num_cache_regions   x struct jailhouse_cache,
 *   num_irqchips        x struct jailhouse_irqchip,
 *   num_pio_regions     x struct jailhouse_pio,
 *   num_pci_devices     x struct jailhouse_pci_device,
 *   num_pci_caps        x struct jailhouse_pci_capability,
 *   num_stream_ids      x union jailhouse_stream_id.
 *
 * In a system configuration, the root cell's description is the last member
 * of struct jailhouse_system and its variable part follows the structure.
 *
 * Structure, field and macro names are part of the interface: configuration
 * sources written for Jailhouse use them and must compile unchanged.
 */
#ifndef _JAILHOUSE_CELL_CONFIG_H
#define _JAILHOUSE_CELL_CONFIG_H

#include <jailhouse/types.h>
#include <jailhouse/console.h>
#include <jailhouse/pci_defs.h>

/* Value of the architecture byte of system and cell configurations. */
#define JAILHOUSE_X86		0
#define JAILHOUSE_ARM		1
#define JAILHOUSE_ARM64		2

/* Layout and semantic revision of system and cell configurations. */
#define JAILHOUSE_CONFIG_REVISION	14

#define JAILHOUSE_CELL_NAME_MAXLEN	31

/* Cell flags. */
#define JAILHOUSE_CELL_PASSIVE_COMMREG	0x00000001	/* no comm region handshake */
#define JAILHOUSE_CELL_TEST_DEVICE	0x00000002	/* expose the test device */
#define JAILHOUSE_CELL_AARCH32		0x00000004	/* ARM64: cell runs AArch32 */
/* The inmate may use the debug-console hypercall. */
#define JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED	0x40000000
/* The inmate should print through the hypercall (implies PERMITTED). */
#define JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE		0x80000000

#define CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags) \
	(!!((flags) & JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE))
#define CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(flags) \
	(!!((flags) & JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED))

#define JAILHOUSE_CELL_DESC_SIGNATURE	"JHCLL"

#define JAILHOUSE_INVALID_STREAMID	(~0)

#ifndef __ASSEMBLY__
/** Description of one cell; 132 bytes. */
struct jailhouse_cell_desc {
	char signature[5];
	__u8 architecture;
	__u16 revision;

	char name[JAILHOUSE_CELL_NAME_MAXLEN + 1];
	__u32 id;		/* assigned by the driver */
	__u32 flags;

	__u32 cpu_set_size;
	__u32 num_memory_regions;
	__u32 num_cache_regions;
	__u32 num_irqchips;
	__u32 num_pio_regions;
	__u32 num_pci_devices;
	__u32 num_pci_caps;
	__u32 num_stream_ids;

	__u32 vpci_irq_base;

	__u64 cpu_reset_address;
	__u64 msg_reply_timeout;

	struct jailhouse_console console;
} __jailhouse_packed;
#endif

/* Memory region flags. */
#define JAILHOUSE_MEM_READ		0x0001
#define JAILHOUSE_MEM_WRITE		0x0002
#define JAILHOUSE_MEM_EXECUTE		0x0004
#define JAILHOUSE_MEM_DMA		0x0008
#define JAILHOUSE_MEM_IO		0x0010
#define JAILHOUSE_MEM_COMM_REGION	0x0020
#define JAILHOUSE_MEM_LOADABLE		0x0040
#define JAILHOUSE_MEM_ROOTSHARED	0x0080
#define JAILHOUSE_MEM_NO_HUGEPAGES	0x0100
#define JAILHOUSE_MEM_IO_UNALIGNED	0x8000
#define JAILHOUSE_MEM_IO_WIDTH_SHIFT	16	/* bits 16..19 */
#define JAILHOUSE_MEM_IO_8		(1 << JAILHOUSE_MEM_IO_WIDTH_SHIFT)
#define JAILHOUSE_MEM_IO_16		(2 << JAILHOUSE_MEM_IO_WIDTH_SHIFT)
#define JAILHOUSE_MEM_IO_32		(4 << JAILHOUSE_MEM_IO_WIDTH_SHIFT)
#define JAILHOUSE_MEM_IO_64		(8 << JAILHOUSE_MEM_IO_WIDTH_SHIFT)

#ifndef __ASSEMBLY__
/** A memory region; 32 bytes. */
struct jailhouse_memory {
	__u64 phys_start;
	__u64 virt_start;
	__u64 size;
	__u64 flags;
} __jailhouse_packed;
#endif

/*
 * The four regions of a virtual-network ivshmem device shared by two peers,
 * for a mem_regions[] initialiser: read-only state table (one page), an
 * unused read/write section, and one output section per peer, writable only
 * by its owner (dev_id 0 or 1).
 */
#define JAILHOUSE_SHMEM_NET_REGIONS(start, dev_id)			\
	{								\
		.phys_start = (start),					\
		.virt_start = (start),					\
		.size = 0x1000,						\
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED,	\
	},								\
	{ 0 },								\
	{								\
		.phys_start = (start) + 0x1000,				\
		.virt_start = (start) + 0x1000,				\
		.size = 0x7f000,					\
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED |	\
			(((dev_id) == 0) ? JAILHOUSE_MEM_WRITE : 0),	\
	},								\
	{								\
		.phys_start = (start) + 0x80000,			\
		.virt_start = (start) + 0x80000,			\
		.size = 0x7f000,					\
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED |	\
			(((dev_id) == 1) ? JAILHOUSE_MEM_WRITE : 0),	\
	}

/* Needs PAGE_OFFS_MASK from the user's environment. */
#define JAILHOUSE_MEMORY_IS_SUBPAGE(mem)	\
	((mem)->virt_start & PAGE_OFFS_MASK || (mem)->size & PAGE_OFFS_MASK)

/* Cache partition types and flags. */
#define JAILHOUSE_CACHE_L3_CODE		0x01
#define JAILHOUSE_CACHE_L3_DATA		0x02
#define JAILHOUSE_CACHE_L3		(JAILHOUSE_CACHE_L3_CODE | \
					 JAILHOUSE_CACHE_L3_DATA)

#define JAILHOUSE_CACHE_ROOTSHARED	0x0001

#ifndef __ASSEMBLY__
/** A cache partition (e.g. Intel CAT ways); 12 bytes. */
struct jailhouse_cache {
	__u32 start;
	__u32 size;
	__u8 type;
	__u8 padding;
	__u16 flags;
} __jailhouse_packed;

/** Interrupt pins of one interrupt controller given to the cell; 32 bytes. */
struct jailhouse_irqchip {
	__u64 address;
	__u32 id;
	__u32 pin_base;
	__u32 pin_bitmap[4];
} __jailhouse_packed;
#endif

/* PCI device types. */
#define JAILHOUSE_PCI_TYPE_DEVICE	0x01
#define JAILHOUSE_PCI_TYPE_BRIDGE	0x02
#define JAILHOUSE_PCI_TYPE_IVSHMEM	0x03

/* Protocols of ivshmem devices (PCI class interface). */
#define JAILHOUSE_SHMEM_PROTO_UNDEFINED		0x0000
#define JAILHOUSE_SHMEM_PROTO_VETH		0x0001
#define JAILHOUSE_SHMEM_PROTO_CUSTOM		0x4000	/* 0x4000..0x7fff */
#define JAILHOUSE_SHMEM_PROTO_VIRTIO_FRONT	0x8000	/* 0x8000..0xbfff */
#define JAILHOUSE_SHMEM_PROTO_VIRTIO_BACK	0xc000	/* 0xc000..0xffff */

#define VIRTIO_DEV_NET			1
#define VIRTIO_DEV_BLOCK		2
#define VIRTIO_DEV_CONSOLE		3

#ifndef __ASSEMBLY__
/** A PCI device (physical, bridge or virtual ivshmem); 56 bytes. */
struct jailhouse_pci_device {
	__u8 type;
	__u8 iommu;
	__u16 domain;
	__u16 bdf;
	__u32 bar_mask[6];
	__u16 caps_start;
	__u16 num_caps;
	__u8 num_msi_vectors;
	__u8 msi_64bits:1;
	__u8 msi_maskable:1;
	__u16 num_msix_vectors;
	__u16 msix_region_size;
	__u64 msix_address;
	/** ivshmem: index of the first of the device's memory regions. */
	__u32 shmem_regions_start;
	/** ivshmem: this cell's peer ID (0 .. shmem_peers - 1). */
	__u8 shmem_dev_id;
	/** ivshmem: maximum number of peers on the device. */
	__u8 shmem_peers;
	/** ivshmem: protocol, JAILHOUSE_SHMEM_PROTO_*. */
	__u16 shmem_protocol;
} __jailhouse_packed;
#endif

/* BAR masks for ivshmem devices: register BAR only, or plus MSI-X BAR. */
#define JAILHOUSE_IVSHMEM_BAR_MASK_INTX			\
	{						\
		0xfffff000, 0x00000000, 0x00000000,	\
		0x00000000, 0x00000000, 0x00000000,	\
	}

#define JAILHOUSE_IVSHMEM_BAR_MASK_MSIX			\
	{						\
		0xfffff000, 0xfffff000, 0x00000000,	\
		0x00000000, 0x00000000, 0x00000000,	\
	}

#define JAILHOUSE_IVSHMEM_BAR_MASK_INTX_64K		\
	{						\
		0xffff0000, 0x00000000, 0x00000000,	\
		0x00000000, 0x00000000, 0x00000000,	\
	}

#define JAILHOUSE_IVSHMEM_BAR_MASK_MSIX_64K		\
	{						\
		0xffff0000, 0xffff0000, 0x00000000,	\
		0x00000000, 0x00000000, 0x00000000,	\
	}

/* Marks an extended (config space offset >= 0x100) capability ID. */
#define JAILHOUSE_PCI_EXT_CAP		0x8000

/* The cell may write this capability. */
#define JAILHOUSE_PCICAPS_WRITE		0x0001

#ifndef __ASSEMBLY__
/** A PCI capability of a device; 8 bytes. */
struct jailhouse_pci_capability {
	__u16 id;
	__u16 start;
	__u16 len;
	__u16 flags;
} __jailhouse_packed;
#endif

/* x86 APIC mode of platform_info.x86.apic_mode. */
#define JAILHOUSE_APIC_MODE_AUTO	0
#define JAILHOUSE_APIC_MODE_XAPIC	1
#define JAILHOUSE_APIC_MODE_X2APIC	2

#define JAILHOUSE_MAX_IOMMU_UNITS	8

/* IOMMU unit types. */
#define JAILHOUSE_IOMMU_AMD		1
#define JAILHOUSE_IOMMU_INTEL		2
#define JAILHOUSE_IOMMU_SMMUV3		3
#define JAILHOUSE_IOMMU_PVU		4
#define JAILHOUSE_IOMMU_ARM_MMU500	5

#ifndef __ASSEMBLY__
/** An IOMMU unit; 28 bytes. type 0 marks an unused slot. */
struct jailhouse_iommu {
	__u32 type;
	__u64 base;
	__u32 size;

	union {
		struct {
			__u16 bdf;
			__u8 base_cap;
			__u8 msi_cap;
			__u32 features;
		} __jailhouse_packed amd;

		struct {
			__u64 tlb_base;
			__u32 tlb_size;
		} __jailhouse_packed tipvu;
	} __jailhouse_packed;
} __jailhouse_packed;

/** A DMA stream ID (SMMU); 4 bytes. */
union jailhouse_stream_id {
	__u32 id;
	struct {
		/* both fields are 15 bits wide */
		__u16 id;
		/* bits set here are ignored when matching id */
		__u16 mask_out;
	} __jailhouse_packed mmu500;
} __jailhouse_packed;

/** A range of x86 I/O ports; 4 bytes. */
struct jailhouse_pio {
	__u16 base;
	__u16 length;
} __jailhouse_packed;
#endif

#define PIO_RANGE(__base, __length)	\
	{				\
		.base = __base,		\
		.length = __length,	\
	}

#define JAILHOUSE_SYSTEM_SIGNATURE	"JHSYS"

/* System flag: the root cell may read the hypervisor's console. */
#define JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE	0x0001

#define SYS_FLAGS_VIRTUAL_DEBUG_CONSOLE(flags) \
	(!!((flags) & JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE))

#ifndef __ASSEMBLY__
/** The system description; the root cell's variable part follows it. */
struct jailhouse_system {
	char signature[5];
	__u8 architecture;
	__u16 revision;

	__u32 flags;

	/** Memory reserved for the hypervisor. */
	struct jailhouse_memory hypervisor_memory;
	struct jailhouse_console debug_console;
	struct {
		__u64 pci_mmconfig_base;
		__u8 pci_mmconfig_end_bus;
		__u8 pci_is_virtual;
		__u16 pci_domain;
		struct jailhouse_iommu iommu_units[JAILHOUSE_MAX_IOMMU_UNITS];
		union {
			struct {
				__u16 pm_timer_address;
				__u8 apic_mode;
				__u8 padding;
				__u32 vtd_interrupt_limit;
				__u32 tsc_khz;
				__u32 apic_khz;
			} __jailhouse_packed x86;
			struct {
				__u8 maintenance_irq;
				__u8 gic_version;
				__u8 padding[2];
				__u64 gicd_base;
				__u64 gicc_base;
				__u64 gich_base;
				__u64 gicv_base;
				__u64 gicr_base;
			} __jailhouse_packed arm;
		} __jailhouse_packed;
	} __jailhouse_packed platform_info;
	struct jailhouse_cell_desc root_cell;
} __jailhouse_packed;

#ifndef __JAILHOUSE_CFFI__
/*
 * Accessors for the variable part of a cell description. They trust the
 * counts: validate them against the blob size before using them.
 */

/**
 * Largest count of each variable part (CPU set bytes, memory regions,
 * irqchips, ...) the driver and the hypervisor accept.
 */
#define JAILHOUSE_MAX_CONFIG_COUNT	4096

/**
 * Whether every count of @cell is at most JAILHOUSE_MAX_CONFIG_COUNT, so
 * that jailhouse_cell_config_size() cannot overflow.  Check this first.
 */
static inline int
jailhouse_cell_counts_valid(const struct jailhouse_cell_desc *cell)
{
	const __u32 max = JAILHOUSE_MAX_CONFIG_COUNT;

	return cell->cpu_set_size <= max && cell->num_memory_regions <= max &&
		cell->num_cache_regions <= max && cell->num_irqchips <= max &&
		cell->num_pio_regions <= max && cell->num_pci_devices <= max &&
		cell->num_pci_caps <= max && cell->num_stream_ids <= max;
}

/** Size of a cell configuration including its variable part. */
static inline __u32
jailhouse_cell_config_size(const struct jailhouse_cell_desc *cell)
{
	return sizeof(struct jailhouse_cell_desc) + cell->cpu_set_size +
		cell->num_memory_regions * sizeof(struct jailhouse_memory) +
		cell->num_cache_regions * sizeof(struct jailhouse_cache) +
		cell->num_irqchips * sizeof(struct jailhouse_irqchip) +
		cell->num_pio_regions * sizeof(struct jailhouse_pio) +
		cell->num_pci_devices * sizeof(struct jailhouse_pci_device) +
		cell->num_pci_caps * sizeof(struct jailhouse_pci_capability) +
		cell->num_stream_ids * sizeof(union jailhouse_stream_id);
}

/** Size of a system configuration including the root cell's variable part. */
static inline __u32
jailhouse_system_config_size(const struct jailhouse_system *system)
{
	return sizeof(*system) - sizeof(system->root_cell) +
		jailhouse_cell_config_size(&system->root_cell);
}

static inline const unsigned long *
jailhouse_cell_cpu_set(const struct jailhouse_cell_desc *cell)
{
	return (const unsigned long *)((const char *)cell + sizeof(*cell));
}

/** Whether CPU @cpu is in the CPU set of @cell. */
static inline int
jailhouse_cell_has_cpu(const struct jailhouse_cell_desc *cell, __u32 cpu)
{
	const __u8 *bits = (const __u8 *)jailhouse_cell_cpu_set(cell);

	return cpu / 8 < cell->cpu_set_size && (bits[cpu / 8] >> (cpu % 8)) & 1;
}

/** Iterate @cpu (an unsigned integer) over the CPU set of @cell. */
#define jailhouse_cell_for_each_cpu(cpu, cell)				\
	for ((cpu) = 0; (cpu) < (cell)->cpu_set_size * 8; (cpu)++)	\
		if (jailhouse_cell_has_cpu((cell), (cpu)))

static inline const struct jailhouse_memory *
jailhouse_cell_mem_regions(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_memory *)
		((const char *)jailhouse_cell_cpu_set(cell) +
		 cell->cpu_set_size);
}

static inline const struct jailhouse_cache *
jailhouse_cell_cache_regions(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_cache *)
		(jailhouse_cell_mem_regions(cell) + cell->num_memory_regions);
}

static inline const struct jailhouse_irqchip *
jailhouse_cell_irqchips(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_irqchip *)
		(jailhouse_cell_cache_regions(cell) + cell->num_cache_regions);
}

static inline const struct jailhouse_pio *
jailhouse_cell_pio(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_pio *)
		(jailhouse_cell_irqchips(cell) + cell->num_irqchips);
}

static inline const struct jailhouse_pci_device *
jailhouse_cell_pci_devices(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_pci_device *)
		(jailhouse_cell_pio(cell) + cell->num_pio_regions);
}

static inline const struct jailhouse_pci_capability *
jailhouse_cell_pci_caps(const struct jailhouse_cell_desc *cell)
{
	return (const struct jailhouse_pci_capability *)
		(jailhouse_cell_pci_devices(cell) + cell->num_pci_devices);
}

static inline const union jailhouse_stream_id *
jailhouse_cell_stream_ids(const struct jailhouse_cell_desc *cell)
{
	return (const union jailhouse_stream_id *)
		(jailhouse_cell_pci_caps(cell) + cell->num_pci_caps);
}
#endif /* !__JAILHOUSE_CFFI__ */
#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_CELL_CONFIG_H */
