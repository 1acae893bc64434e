/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: finds its PCI device, QEMU's "edu" test device
 * (1234:11e8; options vendor=, device=), enables its memory BAR and MSI
 * to this CPU, and makes it raise interrupts (write to the interrupt
 * raise register), counting them in the handler.  Option irqs=N (default
 * 5).
 */

#include <inmate.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_ID			0x00
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define MSI_VECTOR		34

static unsigned long bar0;
static volatile unsigned int irqs;

static void msi_handler(unsigned int vector)
{
	u32 status = mmio_read32(bar0 + EDU_IRQ_STATUS);

	mmio_write32(bar0 + EDU_IRQ_ACK, status);
	irqs++;
	printk("pci-demo: MSI %u received, device status %x\n", irqs, status);
}

void inmate_main(void)
{
	u16 vendor = cmdline_parse_int("vendor", EDU_VENDOR);
	u16 device = cmdline_parse_int("device", EDU_DEVICE);
	unsigned int limit = cmdline_parse_int("irqs", 5), n;
	int bdf = pci_open_device(vendor, device, &bar0);
	u64 end;

	if (bdf < 0) {
		printk("pci-demo: no device %04x:%04x\n", vendor, device);
		return;
	}
	printk("pci-demo: found %04x:%04x at %02x:%02x.%x\n", vendor, device,
	       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
	if (pci_find_cap(bdf, PCI_CAP_MSI) < 0) {
		printk("pci-demo: device has no MSI\n");
		return;
	}
	printk("pci-demo: BAR0 at 0x%lx, ID register %x\n", bar0,
	       mmio_read32(bar0 + EDU_ID));

	irq_init(NULL);
	irq_register(MSI_VECTOR, msi_handler);
	pci_msi_set_vector(bdf, MSI_VECTOR);

	for (n = 1; n <= limit; n++) {
		mmio_write32(bar0 + EDU_IRQ_RAISE, n);
		end = pm_timer_read() + 100000000ULL;
		while (irqs < n && pm_timer_read() < end)
			asm volatile("pause");
	}
	arch_irq_disable();
	printk("pci-demo: %u of %u MSIs received\n", irqs, limit);
}
