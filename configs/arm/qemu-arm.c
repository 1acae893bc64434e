/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse-compatible partitioning hypervisor: root cell of QEMU virt, cortex-a15, GICv2, 4 CPUs, 1 GiB */

/*
 * QEMU: -M virt,virtualization=on -cpu cortex-a15 -smp 4 -m 1G (GICv2)
 * Linux (LPAE kernel, booted in HYP mode): mem=768M, so Linux uses
 * 0x40000000-0x6fffffff.
 *
 * Top 256 MiB of RAM:
 *   0x70000000-0x7f9fffff  memory for non-root cells (part of root RAM)
 *                          0x70000000 linux-demo's Linux (128 MiB),
 *                          0x7f000000 inmate-demo, 0x7f100000 uart-demo,
 *                          0x7f200000 ivshmem-demo, 0x7f900000 linux-demo's
 *                          loader (64 KiB each)
 *   0x7faf0000-0x7fafffff  ivshmem demo device 0001:00:00.0 (3 peers, as in
 *                          upstream's configs: the root, ivshmem-demo and
 *                          linux-demo)
 *   0x7fb00000-0x7fbfffff  ivshmem network device 0001:00:01.0 (the root
 *                          and linux-demo)
 *   0x7fc00000-0x7fffffff  hypervisor
 * Virtual PCI host (ivshmem) ECAM at 0x08e00000, INTx from SPI 128 up.
 * The physical host bridge's high ECAM (above 4 GiB, inside the 40-bit IPA
 * space) is not given to the root: Linux uses the low one.
 * The GIC's frames (GICD 0x08000000, GICC 0x08010000, GICH 0x08030000,
 * GICV 0x08040000) are the hypervisor's and no memory region.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[11];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci_devices[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_ARM,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x7fc00000,
			.size = 0x00400000,
		},
		.debug_console = {
			.address = 0x09000000,
			.size = 0x1000,
			.type = JAILHOUSE_CON_TYPE_PL011,
			.flags = JAILHOUSE_CON_ACCESS_MMIO |
				 JAILHOUSE_CON_REGDIST_4,
		},
		.platform_info = {
			.pci_mmconfig_base = 0x08e00000,
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 1,
			.pci_domain = 1,
			.arm = {
				.gic_version = 2,
				.gicd_base = 0x08000000,
				.gicc_base = 0x08010000,
				.gich_base = 0x08030000,
				.gicv_base = 0x08040000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.name = "qemu-arm",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			/* virtual PCI INTx: SPI 128 (device 0), 129 (device 1) */
			.vpci_irq_base = 128 - 32,
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* 0-4: ivshmem demo, root is peer 0: state, rw, out 0..2 */
		{
			.phys_start = 0x7faf0000,
			.virt_start = 0x7faf0000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		{
			.phys_start = 0x7faf1000,
			.virt_start = 0x7faf1000,
			.size = 0x9000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		{
			.phys_start = 0x7fafa000,
			.virt_start = 0x7fafa000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		{
			.phys_start = 0x7fafc000,
			.virt_start = 0x7fafc000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ,
		},
		{
			.phys_start = 0x7fafe000,
			.virt_start = 0x7fafe000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* 5-8: ivshmem network, root is peer 0 */
		JAILHOUSE_SHMEM_NET_REGIONS(0x7fb00000, 0),
		/* 9: devices from the UART up to RAM: UART, RTC, fw_cfg,
		 * GPIO, virtio-mmio, PCIe MMIO window and low ECAM */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x37000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* 10: RAM, including the memory handed to non-root cells */ {
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x3faf0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE,
		},
	},

	.irqchips = {
		/* GIC distributor: all SPIs 32..159 start with the root */ {
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = {
				0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
			},
		},
	},

	.pci_devices = {
		/* 0001:00:00.0 ivshmem demo */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0 << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 0,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
		/* 0001:00:01.0 ivshmem network */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 1 << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_INTX,
			.shmem_regions_start = 5,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
};
