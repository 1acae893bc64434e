/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: interrupt remapping with QEMU's edu device
 * (1234:11e8) in the cell.  The root left the device's MSI enabled and
 * programmed for one of its own CPUs.  The cell turns bus mastering on,
 * enables MSI once more without touching address or data (a write the
 * configuration filter allows) and makes the device raise its interrupt:
 * that message must reach no CPU (the root checks its own APIC after the
 * line "edu-msi: the root's message raised"); the IOMMU has no entry for
 * it.  Then the cell programs the MSI for its own CPU, and the device's
 * interrupts arrive: the remapping table follows what the cell programs.
 * Without interrupt remapping the first interrupt lands on the root's CPU.
 */

#include <inmate.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define MSI_CTRL		2
# define MSI_CTRL_ENABLE	0x1
#define OWN_VECTOR		0x35
#define IRQS			2

static unsigned long bar0;
static volatile unsigned int irqs;

static void msi_handler(unsigned int vector)
{
	mmio_write32(bar0 + EDU_IRQ_ACK, mmio_read32(bar0 + EDU_IRQ_STATUS));
	irqs++;
}

/* Raise the device's interrupt; whether one arrived here within 100 ms. */
static bool raise(unsigned int status)
{
	unsigned int before = irqs;
	u64 end;

	mmio_write32(bar0 + EDU_IRQ_RAISE, status);
	end = pm_timer_read() + 100000000ULL;
	while (irqs == before && pm_timer_read() < end)
		asm volatile("pause");
	mmio_write32(bar0 + EDU_IRQ_ACK, status);
	return irqs != before;
}

void inmate_main(void)
{
	int bdf = pci_open_device(EDU_VENDOR, EDU_DEVICE, &bar0);
	unsigned int n, received = 0;
	int cap;

	EXPECT_TRUE(bdf >= 0);
	if (bdf < 0)
		goto out;
	cap = pci_find_cap(bdf, PCI_CAP_MSI);
	EXPECT_TRUE(cap >= 0);
	if (cap < 0)
		goto out;
	irq_init(NULL);
	irq_register(OWN_VECTOR, msi_handler);
	arch_irq_enable();

	/* what the root left: its CPU, its vector */
	pci_write_config(bdf, cap + MSI_CTRL,
			 pci_read_config(bdf, cap + MSI_CTRL, 2) |
			 MSI_CTRL_ENABLE, 2);
	EXPECT_TRUE(!raise(1));
	printk("edu-msi: the root's message raised\n");

	/* programmed for this CPU: arrives */
	pci_msi_set_vector(bdf, OWN_VECTOR);
	for (n = 0; n < IRQS; n++)
		received += raise(2);
	EXPECT_EQUAL(received, IRQS);
	printk("edu-msi: %u of %u own MSIs received\n", received, IRQS);
	arch_irq_disable();
out:
	test_summary();
}
