/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo: one peer of an ivshmem v2 link (110a:4106).  Finds the
 * function, places its register BAR at bar0= (default 0xff000000) and the
 * MSI-X BAR one page above, takes MSI-X vectors 0 and 1 on this CPU,
 * announces itself with state= (default ID + 1), writes a greeting into
 * its output section and rings peer target= (default 0, or 1 for peer 0)
 * rings= times (default 1) on vector 1.  Then it waits up to wait= seconds
 * (default 10) for irqs= interrupts (default 1) and prints the states of
 * all peers and what each other peer wrote into its output section.
 */

#include <inmate.h>

#define IVSHMEM_VENDOR		0x110a
#define IVSHMEM_DEVICE		0x4106
#define PCI_CFG_CLASS		0x08
#define PCI_CAP_VENDOR		0x09

/* vendor capability */
#define VNDR_STATE_TAB_SZ	0x04
#define VNDR_RW_SZ		0x08
#define VNDR_OUT_SZ		0x10
#define VNDR_ADDR		0x18

/* register BAR */
#define REG_ID			0x00
#define REG_MAX_PEERS		0x04
#define REG_INT_CTRL		0x08
#define REG_DOORBELL		0x0c
#define REG_STATE		0x10

#define VECTOR_BASE		40
#define DOORBELL_VECTOR		1
#define GREETING_MAX		64

static volatile unsigned int irqs[2];
static unsigned long regs;

static u64 cfg_read64(u16 bdf, unsigned int reg)
{
	return pci_read_config(bdf, reg, 4) |
		(u64)pci_read_config(bdf, reg + 4, 4) << 32;
}

static void irq_handler(unsigned int vector)
{
	if (vector >= VECTOR_BASE && vector < VECTOR_BASE + 2)
		irqs[vector - VECTOR_BASE]++;
}

/* Copy @text into the output section, terminated. */
static void say(volatile char *out, const char *text)
{
	unsigned int n;

	for (n = 0; text[n] && n < GREETING_MAX - 1; n++)
		out[n] = text[n];
	out[n] = 0;
}

/* Print what peer @peer wrote (at most GREETING_MAX printable bytes). */
static void print_greeting(unsigned int peer, const volatile char *in)
{
	char text[GREETING_MAX];
	unsigned int n;

	for (n = 0; n < GREETING_MAX - 1 && in[n] >= ' ' && in[n] < 127; n++)
		text[n] = in[n];
	text[n] = 0;
	printk("ivshmem-demo: peer %u wrote \"%s\"\n", peer, text);
}

void inmate_main(void)
{
	unsigned long bar0 = cmdline_parse_int("bar0", 0xff000000);
	unsigned int wait_s = cmdline_parse_int("wait", 10);
	unsigned int want = cmdline_parse_int("irqs", 1);
	unsigned int rings, target, id, peers, n, vcap;
	u64 state_sz, rw_sz, out_sz, base, end;
	volatile u32 *states;
	volatile char *out;
	static char greeting[GREETING_MAX];
	int bdf = pci_find_device(IVSHMEM_VENDOR, IVSHMEM_DEVICE, 0);

	if (bdf < 0) {
		printk("ivshmem-demo: no ivshmem device\n");
		return;
	}
	vcap = pci_find_cap(bdf, PCI_CAP_VENDOR);
	printk("ivshmem-demo: device at %02x:%02x.%x, class %08x\n", bdf >> 8,
	       (bdf >> 3) & 0x1f, bdf & 7,
	       pci_read_config(bdf, PCI_CFG_CLASS, 4));
	if ((int)vcap < 0) {
		printk("ivshmem-demo: no vendor capability\n");
		return;
	}
	pci_write_config(bdf, PCI_CFG_BAR, bar0, 4);
	pci_write_config(bdf, PCI_CFG_BAR + 4, bar0 + 0x1000, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM | PCI_CMD_MASTER, 2);
	regs = bar0;

	id = mmio_read32(regs + REG_ID);
	peers = mmio_read32(regs + REG_MAX_PEERS);
	state_sz = pci_read_config(bdf, vcap + VNDR_STATE_TAB_SZ, 4);
	rw_sz = cfg_read64(bdf, vcap + VNDR_RW_SZ);
	out_sz = cfg_read64(bdf, vcap + VNDR_OUT_SZ);
	base = cfg_read64(bdf, vcap + VNDR_ADDR);
	printk("ivshmem-demo: ID %u of %u peers, shared memory at 0x%llx: "
	       "state table 0x%llx, r/w 0x%llx, outputs 0x%llx bytes each\n",
	       id, peers, base, state_sz, rw_sz, out_sz);
	if (!out_sz || peers < 2) {
		printk("ivshmem-demo: no output sections\n");
		return;
	}
	states = (volatile u32 *)(unsigned long)base;
	out = (volatile char *)(unsigned long)(base + state_sz + rw_sz);

	irq_init(irq_handler);
	if (pci_find_cap(bdf, PCI_CAP_MSIX) >= 0)
		for (n = 0; n < 2; n++)
			pci_msix_set_vector(bdf, VECTOR_BASE + n, n);
	mmio_write32(regs + REG_INT_CTRL, 1);

	memcpy(greeting, "hello from peer ", 16);
	greeting[16] = '0' + id % 10;
	greeting[17] = 0;
	say(out + id * out_sz, greeting);
	mmio_write32(regs + REG_STATE, cmdline_parse_int("state", id + 1));

	target = cmdline_parse_int("target", id ? 0 : 1);
	rings = cmdline_parse_int("rings", 1);
	for (n = 0; n < rings; n++)
		mmio_write32(regs + REG_DOORBELL, target << 16 | DOORBELL_VECTOR);
	printk("ivshmem-demo: rang peer %u %u times\n", target, rings);

	end = pm_timer_read() + wait_s * 1000000000ULL;
	while (irqs[DOORBELL_VECTOR] < want && pm_timer_read() < end)
		asm volatile("pause");
	arch_irq_disable();
	for (n = 0; n < peers; n++)
		printk("ivshmem-demo: peer %u state %u\n", n, states[n]);
	for (n = 0; n < peers; n++)
		if (n != id)
			print_greeting(n, out + n * out_sz);
	printk("ivshmem-demo: %u doorbells, %u state interrupts received\n",
	       irqs[DOORBELL_VECTOR], irqs[0]);
}
