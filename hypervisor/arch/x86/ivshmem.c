/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: ivshmem interrupts are MSI-X messages (the
 * functions have no INTx here).  A vector's table entry is checked when it
 * takes effect, as a physical device's would be (msi.c: only the cell's
 * CPUs, fixed or lowest-priority delivery); a doorbell then sends the
 * cached vector through the local APIC to the cell's CPUs it names.
 */

#include <hv/errno.h>
#include <hv/ivshmem.h>
#include <asm/apic.h>
#include <asm/pci.h>

#define MSI_ADDR_WINDOW		0xfff00000U
#define MSI_ADDR_BASE		0xfee00000U
#define MSI_DEST(addr)		(((addr) >> 12) & 0xff)
#define MSI_DEST_LOGICAL	(1U << 2)
#define MSI_DELIVERY(data)	(((data) >> 8) & 7)

/* arch_irq: valid, destination, logical, lowest priority, vector */
#define IRQ_VALID		(1ULL << 63)
#define IRQ_DEST(irq)		((u32)((irq) >> 16) & 0xff)
#define IRQ_LOGICAL		(1ULL << 9)
#define IRQ_LOWEST		(1ULL << 8)
#define IRQ_VECTOR(irq)		((unsigned int)(irq) & 0xff)

void arch_ivshmem_trigger(struct ivshmem_endpoint *ep, unsigned int vector)
{
	u64 irq = ep->arch_irq[vector];

	if (irq & IRQ_VALID)
		apic_send_to_cell(ep->cell, IRQ_DEST(irq), irq & IRQ_LOGICAL,
				  irq & IRQ_LOWEST, IRQ_VECTOR(irq));
}

int arch_ivshmem_update_msix(struct ivshmem_endpoint *ep, unsigned int vector,
			     bool enabled)
{
	const u32 *entry = ep->msix[vector];
	u32 addr = entry[0], data = entry[2];

	ep->arch_irq[vector] = 0;
	if (!enabled)
		return 0;
	/* an address outside the window would be a memory write: none here */
	if ((addr & MSI_ADDR_WINDOW) != MSI_ADDR_BASE || entry[1] ||
	    !msix_message_allowed(ep->cell, entry))
		return -EPERM;
	ep->arch_irq[vector] = IRQ_VALID | ((u64)MSI_DEST(addr) << 16) |
		(addr & MSI_DEST_LOGICAL ? IRQ_LOGICAL : 0) |
		(MSI_DELIVERY(data) == 1 ? IRQ_LOWEST : 0) | (data & 0xff);
	return 0;
}

void arch_ivshmem_update_intx(struct ivshmem_endpoint *ep, bool enabled)
{
	/* no INTx on x86: functions without MSI-X do not interrupt */
	ep->arch_irq[0] = 0;
}
