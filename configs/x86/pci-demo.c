/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse-compatible partitioning hypervisor: pci-demo cell for QEMU q35 (CPU 1) */

/*
 * Takes QEMU's edu device (-device edu,addr=10: 00:10.0, one MSI vector)
 * from the root cell. Its 1 MiB BAR 0 is mapped at 0xfea00000, where
 * SeaBIOS places it on q35 with the devices of our QEMU command lines; the
 * inmate uses BAR 0 as it finds it, so another placement needs this
 * region moved (the hypervisor refuses BAR writes onto memory the cell
 * does not own).  The edu device masters
 * DMA: the cell's RAM is its DMA region, nothing else is (the hypervisor
 * refuses the cell without an IOMMU unit that confines it).
 * The cell also takes the second serial port (COM2, 0x2f8) from the root
 * and prints there (QEMU: a second serial port, e.g. -device
 * isa-serial,iobase=0x2f8,irq=3,chardev=...); with -s con-virtual it
 * prints on the hypervisor's console instead.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[3];
	struct jailhouse_pio pio_regions[1];
	struct jailhouse_pci_device pci_devices[1];
	struct jailhouse_pci_capability pci_caps[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "pci-demo",
		.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |
			JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pio_regions = ARRAY_SIZE(config.pio_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.num_pci_caps = ARRAY_SIZE(config.pci_caps),
		.console = {
			.address = 0x2f8,
			.type = JAILHOUSE_CON_TYPE_8250,
			.flags = JAILHOUSE_CON_ACCESS_PIO,
		},
	},

	.cpus = {
		0x2,
	},

	.mem_regions = {
		/* RAM */ {
			.phys_start = 0x3a800000,
			.virt_start = 0,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE |
				JAILHOUSE_MEM_DMA,
		},
		/* comm region */ {
			.virt_start = 0x00100000,
			.size = 0x00001000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
		/* edu BAR 0 */ {
			.phys_start = 0xfea00000,
			.virt_start = 0xfea00000,
			.size = 0x00100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
	},

	.pio_regions = {
		PIO_RANGE(0x2f8, 0x8),		/* COM2 */
	},

	.pci_devices = {
		/* 00:10.0 edu */ {
			.type = JAILHOUSE_PCI_TYPE_DEVICE,
			.bdf = 0x10 << 3,
			.bar_mask = {
				0xfff00000, 0x00000000, 0x00000000,
				0x00000000, 0x00000000, 0x00000000,
			},
			.caps_start = 0,
			.num_caps = 1,
			.num_msi_vectors = 1,
			.msi_64bits = 1,
		},
	},

	.pci_caps = {
		{
			.id = PCI_CAP_ID_MSI,
			.start = 0x40,
			.len = 14,
			.flags = JAILHOUSE_PCICAPS_WRITE,
		},
	},
};
