/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse-compatible partitioning hypervisor: root cell of Bochs (i440FX), 4 CPUs, 1 GiB */

/*
 * Bochs 2.7 with `megs: 1024` and `cpu: count=4` (tests/bochs.py), Intel
 * (model=corei7_skylake_x: VT-x with EPT and unrestricted guest) or AMD
 * (model=ryzen: SVM with nested paging); no IOMMU, so one file serves
 * both firmware images.  The memory layout is the one of qemu-x86.c, so
 * the same non-root cell configurations (tiny-demo ...) run here; what
 * differs is the chipset: i440FX/PIIX4 with the ACPI PM block at 0xb000
 * (timer at 0xb008), PCI configuration through ports 0xcf8/0xcfc only (no
 * MMCONFIG; so no PCI devices are listed, as the configuration checker
 * wants MMCONFIG for them), Bochs's debug port 0xe9 and shutdown port
 * 0x8900.
 *
 * Reserved at 0x3a000000:
 *   0x3a000000-0x3a5fffff  hypervisor
 *   0x3a600000-0x3f1fffff  memory for non-root cells
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_system header;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[6];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pio pio_regions[17];
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
			.x86 = {
				.pm_timer_address = 0xb008,
				.apic_mode = JAILHOUSE_APIC_MODE_AUTO,
			},
		},
		.root_cell = {
			.name = "bochs-x86",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pio_regions = ARRAY_SIZE(config.pio_regions),
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
			.size = 0x4c00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* 2: RAM above the reservation */ {
			.phys_start = 0x3f200000,
			.virt_start = 0x3f200000,
			.size = 0xdf0000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA,
		},
		/* 3: ACPI tables of the Bochs BIOS at the top of RAM */ {
			.phys_start = 0x3fff0000,
			.virt_start = 0x3fff0000,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ,
		},
		/* 4: PCI MMIO (VGA frame buffer at 0xe0000000), up to the
		 * IOAPIC */ {
			.phys_start = 0xc0000000,
			.virt_start = 0xc0000000,
			.size = 0x3ec00000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO,
		},
		/* 5: HPET */ {
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
		PIO_RANGE(0x92, 0x1),		/* A20 / fast reset */
		PIO_RANGE(0xa0, 0x2),		/* PIC 2 */
		PIO_RANGE(0xe9, 0x1),		/* Bochs debug port */
		PIO_RANGE(0xf4, 0x4),		/* isa-debug-exit (ignored here) */
		PIO_RANGE(0x1ce, 0x3),		/* VBE */
		PIO_RANGE(0x3b0, 0x30),		/* VGA */
		PIO_RANGE(0x3f8, 0x8),		/* COM1 */
		PIO_RANGE(0x4d0, 0x2),		/* ELCR */
		PIO_RANGE(0x8900, 0x1),		/* Bochs shutdown port (tests) */
		PIO_RANGE(0xb000, 0x40),	/* ACPI PM block (PIIX4) */
		PIO_RANGE(0xc000, 0x4000),	/* PCI I/O BARs */
	},
};
