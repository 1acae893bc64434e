/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse-compatible partitioning hypervisor: root cell of QEMU q35, 4 CPUs, 1 GiB */

/*
 * QEMU: -machine q35 -smp 4 -m 1G, AMD (-cpu qemu64,+svm,+npt) or Intel
 * (VT-x), with -device amd-iommu (first, before other PCI devices: 00:03.0,
 * registers at 0xfed80000) for DMA isolation: the hypervisor takes the
 * unit, so the root's Linux must leave it (amd_iommu=off).  Without that
 * device the hypervisor says the unit is missing and runs without it (no
 * physical PCI devices for non-root cells then).
 * Linux: memmap=82M$0x3a000000 console=ttyS0 amd_iommu=off
 *
 * Reserved 82 MiB at 0x3a000000:
 *   0x3a000000-0x3a5fffff  hypervisor
 *   0x3a600000-0x3f0effff  memory for non-root cells (1 MiB each at
 *                          0x3a600000 apic-demo, 0x3a700000 tiny-demo,
 *                          0x3a800000 pci-demo, 0x3a900000 ivshmem-demo,
 *                          0x3aa00000 mmio-access, its emulated page at
 *                          0x3ab00000, 0x3ac00000 smp-demo, 0x3ad00000
 *                          ioapic-demo)
 *   0x3f0f0000-0x3f0fffff  ivshmem demo device 00:0e.0 (3 peers, as
 *                          upstream's: root, ivshmem-demo, a third cell)
 *   0x3f100000-0x3f1fffff  ivshmem network device 00:0f.0
 * COM1 (0x3f8) is shared by the hypervisor's debug output and Linux's
 * console; non-root cells print through the hypervisor (virtual console).
 *
 * The e1000e's MSI-X table (BAR 3) is where QEMU 7.2's SeaBIOS puts it on
 * this machine with its default devices: 0xfebd0000 (as upstream's q35
 * config and `jailhouse config create` on it, qemu-x86-generated.c).  The
 * hypervisor emulates that page, so no memory region maps it.  A further
 * PCI device with memory BARs moves it (with edu at 00:10.0, the README's
 * machine: 0xfeb90000): the hypervisor then emulates the table where the
 * BAR puts it and says so at enable (the rig's root program fits the
 * config to the machine, fit_config(), as generating it there would).
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[16];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pio pio_regions[17];
	struct jailhouse_pci_device pci_devices[9];
	struct jailhouse_pci_capability pci_caps[8];
} __attribute__((packed)) config = {
	.header = {
		.signature = JAILHOUSE_SYSTEM_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.flags = JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x3a000000,
			.size = 0x600000,
		},
		.debug_console = {
			.address = 0x3f8,
			.type = JAILHOUSE_CON_TYPE_8250,
			.flags = JAILHOUSE_CON_ACCESS_PIO,
		},
		.platform_info = {
			.pci_mmconfig_base = 0xb0000000,
			.pci_mmconfig_end_bus = 0xff,
			.iommu_units = {
				/* QEMU's amd-iommu at 00:03.0 */ {
					.type = JAILHOUSE_IOMMU_AMD,
					.base = 0xfed80000,
					.size = 0x4000,
					.amd.bdf = 0x03 << 3,
					.amd.base_cap = 0x40,
				},
			},
			.x86 = {
				.pm_timer_address = 0x608,
				.apic_mode = JAILHOUSE_APIC_MODE_AUTO,
			},
		},
		.root_cell = {
			.name = "qemu-x86",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pio_regions = ARRAY_SIZE(config.pio_regions),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.num_pci_caps = ARRAY_SIZE(config.pci_caps),
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* 0: RAM below the reservation */ {
			.phys_start = 0x0,
			.virt_start = 0x0,
			.size = 0x3a000000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* 1: RAM for non-root cells */ {
			.phys_start = 0x3a600000,
			.virt_start = 0x3a600000,
			.size = 0x4af0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* 2-6: ivshmem demo, root is peer 0: state, rw, out 0-2 */
		{
			.phys_start = 0x3f0f0000,
			.virt_start = 0x3f0f0000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ,
		},
		{
			.phys_start = 0x3f0f1000,
			.virt_start = 0x3f0f1000,
			.size = 0x9000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		{
			.phys_start = 0x3f0fa000,
			.virt_start = 0x3f0fa000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE,
		},
		{
			.phys_start = 0x3f0fc000,
			.virt_start = 0x3f0fc000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ,
		},
		{
			.phys_start = 0x3f0fe000,
			.virt_start = 0x3f0fe000,
			.size = 0x2000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* 7-10: ivshmem network, root is peer 0 */
		JAILHOUSE_SHMEM_NET_REGIONS(0x3f100000, 0),
		/* 10: RAM above the reservation */ {
			.phys_start = 0x3f200000,
			.virt_start = 0x3f200000,
			.size = 0xde0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* 11: firmware tables (ACPI) at the top of RAM */ {
			.phys_start = 0x3ffe0000,
			.virt_start = 0x3ffe0000,
			.size = 0x20000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* 12-13: 32-bit PCI MMIO window, up to the IOAPIC (the
		 * MMCONFIG area below it stays with the hypervisor), without
		 * the e1000e's MSI-X table at 0xfebd0000 (emulated) */ {
			.phys_start = 0xc0000000,
			.virt_start = 0xc0000000,
			.size = 0x3ebd0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		{
			.phys_start = 0xfebd1000,
			.virt_start = 0xfebd1000,
			.size = 0x2f000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* 14: HPET */ {
			.phys_start = 0xfed00000,
			.virt_start = 0xfed00000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
	},

	.irqchips = {
		/* IOAPIC, all 24 pins */ {
			.address = 0xfec00000,
			.id = 0xff00,
			.pin_bitmap = {
				0xffffff,
			},
		},
	},

	.pio_regions = {
		PIO_RANGE(0x0, 0x20),		/* DMA controller 1 */
		PIO_RANGE(0x20, 0x2),		/* PIC 1 */
		PIO_RANGE(0x40, 0x4),		/* PIT */
		PIO_RANGE(0x60, 0x5),		/* keyboard, NMI status/control */
		PIO_RANGE(0x70, 0x2),		/* RTC */
		PIO_RANGE(0x80, 0x1),		/* POST / delay port */
		PIO_RANGE(0xa0, 0x2),		/* PIC 2 */
		PIO_RANGE(0xf4, 0x4),		/* isa-debug-exit (tests) */
		PIO_RANGE(0x1ce, 0x3),		/* VBE */
		PIO_RANGE(0x2f8, 0x8),		/* COM2 */
		PIO_RANGE(0x3b0, 0x30),		/* VGA */
		PIO_RANGE(0x3f8, 0x8),		/* COM1, Linux console */
		PIO_RANGE(0x402, 0x1),		/* firmware debug port */
		PIO_RANGE(0x4d0, 0x2),		/* ELCR */
		PIO_RANGE(0x510, 0xc),		/* fw_cfg */
		PIO_RANGE(0x600, 0x80),		/* ACPI PM block (ICH9) */
		PIO_RANGE(0xc000, 0x4000),	/* PCI I/O BARs */
	},

	.pci_devices = {
		/* 00:00.0 host bridge */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = 0x00 << 3,
		},
		/* 00:01.0 VGA */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = 0x01 << 3,
		},
		/* 00:02.0 e1000e, its MSI-X table emulated */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = 0x02 << 3,
			.bar_mask = {
				0xfffe0000, 0xfffe0000, 0xffffffe0,
				0xffffc000, 0x00000000, 0x00000000,
			},
			.caps_start = 0,
			.num_caps = 6,
			.num_msi_vectors = 1,
			.msi_64bits = 1,
			.num_msix_vectors = 5,
			.msix_region_size = 0x1000,
			.msix_address = 0xfebd0000,
		},
		/* 00:0e.0 ivshmem demo */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.bdf = 0x0e << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
			.num_msix_vectors = 16,
			.shmem_regions_start = 2,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_UNDEFINED,
		},
		/* 00:0f.0 ivshmem network */ {
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.bdf = 0x0f << 3,
			.bar_mask = JAILHOUSE_IVSHMEM_BAR_MASK_MSIX,
			.num_msix_vectors = 2,
			.shmem_regions_start = 7,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
		/* 00:10.0 QEMU edu device (-device edu,addr=10), for pci-demo */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = 0x10 << 3,
			.bar_mask = {
				0xfff00000, 0x00000000, 0x00000000,
				0x00000000, 0x00000000, 0x00000000,
			},
			.caps_start = 6,
			.num_caps = 1,
			.num_msi_vectors = 1,
			.msi_64bits = 1,
		},
		/* 00:1f.0 LPC bridge */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = (0x1f << 3) | 0,
		},
		/* 00:1f.2 AHCI */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = (0x1f << 3) | 2,
			.caps_start = 7,
			.num_caps = 1,
			.num_msi_vectors = 1,
			.msi_64bits = 1,
		},
		/* 00:1f.3 SMBus */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = (0x1f << 3) | 3,
		},
	},

	.pci_caps = {
		/* 0-5: e1000e */ {
			.id = PCI_CAP_ID_PM,
			.start = 0xc8,
			.len = 8,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
		{
			.id = PCI_CAP_ID_MSI,
			.start = 0xd0,
			.len = 14,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
		{
			.id = PCI_CAP_ID_EXP,
			.start = 0xe0,
			.len = 20,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
		{
			.id = PCI_CAP_ID_MSIX,
			.start = 0xa0,
			.len = 12,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
		{
			.id = PCI_EXT_CAP_ID_ERR | JAILHOUSE_PCI_EXT_CAP,
			.start = 0x100,
			.len = 4,
			.flags = 0,
		},
		{
			.id = PCI_EXT_CAP_ID_DSN | JAILHOUSE_PCI_EXT_CAP,
			.start = 0x140,
			.len = 4,
			.flags = 0,
		},
		/* 6: edu */ {
			.id = PCI_CAP_ID_MSI,
			.start = 0x40,
			.len = 14,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
		/* 7: AHCI */ {
			.id = PCI_CAP_ID_MSI,
			.start = 0x80,
			.len = 14,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
	},
};
