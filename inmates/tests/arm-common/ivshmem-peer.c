/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ivshmem peer test, ARM and ARM64: the cell side of the bare-metal
 * "ivshmem" scenario (tests/baremetal/arm-common/ivshmem-root.c), whose
 * root program is the other peer of the demo function 00.0 on the
 * hypervisor's virtual PCI host.  Lines start with "IVSHMEM-PEER:".
 *
 * Option mode= chooses what it does:
 *   peer   find the function through the inmate library's ECAM access,
 *          check its configuration space and registers, probe what it
 *          must not reach (the root's other function, doorbells to a
 *          peer and a vector that do not exist) once the root says it
 *          is ready, then wait for the root's go (both through the
 *          read/write section), publish a state and a
 *          word in its output section, ring the root's doorbell, and wait
 *          for the root's doorbell through INTx
 *   wide   an 8-byte access to its configuration space
 *   bus    a read of bus 1, beyond the host's window
 *   out    a write to the root's output section
 * The last three must stop the cell: a line after them is an error.
 */

#include <inmate.h>

#define IVSHMEM_VENDOR		0x110a
#define IVSHMEM_DEVICE		0x4106
#define PCI_CAP_VENDOR		0x09
/* vendor capability: section sizes and the shared memory's address */
#define CAP_STATE_SIZE		0x04
#define CAP_RW_SIZE		0x08
#define CAP_OUT_SIZE		0x10
#define CAP_ADDRESS		0x18
/* register region (BAR 0) */
#define REG_ID			0x00
#define REG_MAX_PEERS		0x04
#define REG_INT_CTRL		0x08
#define REG_DOORBELL		0x0c
#define REG_STATE		0x10

/* Where the cell puts BAR 0: nothing of its config is there. */
#define BAR0			0x10000000UL
#define PEER_MAGIC		0xcafe0001U
#define ROOT_READY		0x50
#define ROOT_GO			0x60
#define WAIT_US			20000000UL

static volatile unsigned int irqs, last_irq;

static void handler(unsigned int irq)
{
	last_irq = irq;
	irqs++;
}

static u64 cfg_read64(u16 bdf, unsigned int addr)
{
	return pci_read_config(bdf, addr, 4) |
		(u64)pci_read_config(bdf, addr + 4, 4) << 32;
}

static bool wait_for(volatile u32 *word, u32 value)
{
	unsigned long n;

	for (n = 0; n < WAIT_US / 1000; n++) {
		if (*word == value)
			return true;
		delay_us(1000);
	}
	return false;
}

static void stopping_access(const char *mode, unsigned long ecam)
{
	if (!strcmp(mode, "wide")) {
		printk("IVSHMEM-PEER: 8-byte configuration read\n");
#ifdef __aarch64__
		{
			u64 v;

			asm volatile("ldr %0, [%1]" : "=r" (v) : "r" (ecam)
				     : "memory");
		}
#else
		{
			register u32 lo asm("r2"), hi asm("r3");

			asm volatile("ldrd %0, %1, [%2]" : "=r" (lo), "=r" (hi)
				     : "r" (ecam) : "memory");
		}
#endif
	} else if (!strcmp(mode, "bus")) {
		printk("IVSHMEM-PEER: reading bus 1\n");
		mmio_read32(ecam + (1UL << 20));
	} else if (!strcmp(mode, "out")) {
		printk("IVSHMEM-PEER: writing the root's output section\n");
		mmio_write32(0x7fafa000UL, 0xbad);
	} else {
		printk("IVSHMEM-PEER: unknown mode %s\n", mode);
		return;
	}
	printk("IVSHMEM-PEER: ERROR still running after mode %s\n", mode);
}

void inmate_main(void)
{
	unsigned long shmem, out_size, rw_size, state_size;
	volatile u32 *state, *rw, *out;
	char mode[16];
	unsigned long n;
	int bdf, cap, irq;
	u32 id;

	cmdline_parse_str("mode", mode, sizeof(mode), "peer");
	if (strcmp(mode, "peer")) {
		stopping_access(mode, comm_region->pci_mmconfig_base);
		stop();
	}

	bdf = pci_find_device(IVSHMEM_VENDOR, IVSHMEM_DEVICE, 0);
	irq = bdf < 0 ? -1 : pci_intx_irq(bdf);
	printk("IVSHMEM-PEER: function %x, class %x, pin %d, INTx irq %d\n",
	       bdf, bdf < 0 ? 0 : pci_read_config(bdf, 0x08, 4),
	       bdf < 0 ? 0 : pci_read_config(bdf, PCI_CFG_INT + 1, 1), irq);
	if (bdf != 0 || irq < 32)
		stop();

	/* the root's network function 01.0 is not this cell's */
	pci_write_config(1 << 3, PCI_CFG_COMMAND, PCI_CMD_MEM, 2);
	printk("IVSHMEM-PEER: 01.0 reads %x, 00.1 reads %x\n",
	       pci_read_config(1 << 3, 0, 4), pci_read_config(1, 0, 4));

	cap = pci_find_cap(bdf, PCI_CAP_VENDOR);
	state_size = pci_read_config(bdf, cap + CAP_STATE_SIZE, 4);
	rw_size = cfg_read64(bdf, cap + CAP_RW_SIZE);
	out_size = cfg_read64(bdf, cap + CAP_OUT_SIZE);
	shmem = cfg_read64(bdf, cap + CAP_ADDRESS);
	printk("IVSHMEM-PEER: shared memory at %lx: state %lx, rw %lx, "
	       "out %lx bytes\n", shmem, state_size, rw_size, out_size);

	pci_write_config(bdf, PCI_CFG_BAR, BAR0, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM, 2);
	id = mmio_read32(BAR0 + REG_ID);
	printk("IVSHMEM-PEER: ID %d of %d peers\n", id,
	       mmio_read32(BAR0 + REG_MAX_PEERS));

	state = (volatile u32 *)shmem;
	rw = (volatile u32 *)(shmem + state_size);
	out = (volatile u32 *)(shmem + state_size + rw_size + id * out_size);

	irq_init(handler);
	irq_enable(irq);
	mmio_write32(BAR0 + REG_INT_CTRL, 1);

	if (!wait_for(&rw[0], ROOT_READY)) {
		printk("IVSHMEM-PEER: ERROR root not ready\n");
		stop();
	}
	/* nothing of these may reach anyone */
	/* peer 2 is in range but absent, 5 is beyond the peers */
	mmio_write32(BAR0 + REG_DOORBELL, 2 << 16);
	mmio_write32(BAR0 + REG_DOORBELL, 5 << 16);
	mmio_write32(BAR0 + REG_DOORBELL, 3);
	printk("IVSHMEM-PEER: doorbells to peers 2 and 5 and vector 3 rung\n");

	if (!wait_for(&rw[0], ROOT_GO)) {
		printk("IVSHMEM-PEER: ERROR no go from the root\n");
		stop();
	}
	out[0] = PEER_MAGIC;
	mmio_write32(BAR0 + REG_STATE, 1);
	mmio_write32(BAR0 + REG_DOORBELL, 0 << 16);
	printk("IVSHMEM-PEER: state 1, root's doorbell rung, irqs so far %d\n",
	       irqs);

	for (n = 0; !irqs && n < WAIT_US / 1000; n++)
		delay_us(1000);
	if (!irqs) {
		printk("IVSHMEM-PEER: ERROR no doorbell from the root\n");
		stop();
	}
	printk("IVSHMEM-PEER: doorbell arrived as irq %d, root state %d\n",
	       last_irq, state[0]);
	stop();
}
