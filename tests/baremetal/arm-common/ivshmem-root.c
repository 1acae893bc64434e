/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "ivshmem" scenario of the ARM roots (arm64 and ARMv7 prog-jailhouse.c
 * list scenario_ivshmem()): the root is peer 0 of the demo function
 * 0001:00:00.0 on the hypervisor's virtual PCI host, the ivshmem-demo
 * cell (configs/<arch>/qemu-<arch>-ivshmem-demo.c, CPU 1) runs
 * inmates/tests/arm-common/ivshmem-peer.c as peer 1.
 *
 * The root reads its functions through the ECAM window, maps BAR 0 of
 * 00.0 and takes its INTx (SPI 128, 32 + the root's vpci_irq_base) by
 * polling the acknowledge register with interrupts masked at the CPU.
 * They exchange doorbells both ways; what must not arrive (doorbells to a
 * missing peer or vector, the cell's writes to the root's other
 * function) does not.  Then the cell runs once per hostile access that
 * must stop it (an 8-byte configuration read, bus 1 beyond the window, a
 * write to the root's output section): it fails, the root and its
 * function run on.
 */

#include <root.h>

#define ECAM		0x08e00000UL
#define ECAM_FN(bdf)	(ECAM + ((unsigned long)(bdf) << 12))
#define ROOT_BAR0	0x08c00000UL
#define SHMEM		0x7faf0000UL	/* state table, then rw, out 0..2 */
#define RW		(SHMEM + 0x1000)
#define OUT(peer)	(SHMEM + 0xa000 + (peer) * 0x2000UL)
#define CELL_RAM	0x7f200000UL
#define IMAGE_ADDR	0x4f000000UL	/* scenario ivshmem-image */
#define CELL_CPU	1
#define ROOT_SPI	128
#define CELL_SPI	140
#define PEER_MAGIC	0xcafe0001U
#define ROOT_READY	0x50
#define ROOT_GO		0x60

#define GICD		0x08000000UL
#define GICD_IGROUPR	0x080
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICC		0x08010000UL	/* GICv2: the virtual interface */
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10

static volatile unsigned int *reg32(unsigned long addr)
{
	return (volatile unsigned int *)addr;
}

static volatile unsigned short *reg16(unsigned long addr)
{
	return (volatile unsigned short *)addr;
}

static volatile unsigned char *reg8(unsigned long addr)
{
	return (volatile unsigned char *)addr;
}

/* The root's CPU interface on: priority mask open, its group enabled. */
static void cpuif_on(void)
{
	if (gic_version() == 3) {
#ifdef __aarch64__
		asm volatile("msr S3_0_C4_C6_0, %0" : : "r" (0xffUL));
		asm volatile("msr S3_0_C12_C12_7, %0; isb" : : "r" (1UL));
#endif
		return;
	}
	*reg32(GICC + GICC_PMR) = 0xff;
	*reg32(GICC + GICC_CTLR) = 1;
}

/* Acknowledge the highest pending interrupt; 1023 for none. */
static unsigned int ack(void)
{
	if (gic_version() == 3) {
#ifdef __aarch64__
		unsigned long irq;

		asm volatile("mrs %0, S3_0_C12_C12_0" : "=r" (irq));
		return irq & 0xffffff;
#endif
	}
	return *reg32(GICC + GICC_IAR) & 0x3ff;
}

static void eoi(unsigned int irq)
{
	if (gic_version() == 3) {
#ifdef __aarch64__
		asm volatile("msr S3_0_C12_C12_1, %0; isb" : : "r" ((unsigned long)irq));
#endif
		return;
	}
	*reg32(GICC + GICC_EOIR) = irq;
}

/* Interrupts of the root's function that arrived within @ms. */
static unsigned int intx_within(unsigned long ms)
{
	unsigned long end = now_ms() + ms;
	unsigned int irq, count = 0, other = 0;

	do {
		irq = ack();
		if (irq >= 1020)
			continue;
		eoi(irq);
		if (irq == ROOT_SPI)
			count++;
		else
			other = irq;
	} while (now_ms() < end);
	CHECK(!other, "unexpected interrupt %d", (long)other);
	return count;
}

/* The demo cell with @image, command line @prefix@arg, started. */
static long start_image(const char *image, unsigned long size,
			const char *prefix, const char *arg)
{
	long id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)ivshmem_cell, 0);
	char *cmdline = (char *)CELL_RAM + 0x1000;

	if (id < 0)
		return id;
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)CELL_RAM, image, size);
	for (; *prefix; prefix++)
		*cmdline++ = *prefix;
	for (; *arg; arg++)
		*cmdline++ = *arg;
	*cmdline = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	return id;
}

static long start_peer(const char *mode)
{
	/* its lines go to the hypervisor's console, where the root reads them */
	return start_image(ivshmem_image, ivshmem_image_end - ivshmem_image,
			   "con-virtual mode=", mode);
}

/* The cell stops at a hostile access @mode; the root's function lives on. */
static void hostile_peer(const char *mode)
{
	unsigned int since = console()->tail;
	long id = start_peer(mode);

	EXPECT(id, 1);
	EXPECT(wait_state(id, JAILHOUSE_CELL_FAILED), JAILHOUSE_CELL_FAILED);
	CHECK(console_shows(since, "IVSHMEM-PEER: "), "no line of mode %s",
	      mode);
	sleep_ms(100);
	CHECK(!ring_contains(console(), "ERROR still running"),
	      "cell ran on after mode %s", mode);
	EXPECT(*reg32(ROOT_BAR0), 0);			/* ID register */
	EXPECT(*reg32(ECAM_FN(0)), 0x4106110a);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: ivshmem peer stopped at a hostile access (%s)\n", mode);
}

/* Enable the hypervisor, CPU 1 off for the cell. */
static void enable_for_peer(void)
{
	/* Linux puts the SPIs into Group 1 at boot; later writes are ignored */
	if (gic_version() == 3)
		*reg32(GICD + GICD_IGROUPR + ROOT_SPI / 32 * 4) |=
			1U << (ROOT_SPI % 32);
	EXPECT(enable(), 0);
	cpu_off(CELL_CPU);
}

/* BAR 0 and INTx of the root's 00.0, to CPU 0. */
static void root_function_on(void)
{
	*reg32(ECAM_FN(0) + 0x10) = ROOT_BAR0;
	*reg16(ECAM_FN(0) + 4) = 2;			/* memory space */
	EXPECT(*reg32(ROOT_BAR0), 0);			/* ID */
	EXPECT(*reg32(ROOT_BAR0 + 4), 3);		/* peers */
	*reg32(GICD + GICD_ISENABLER + ROOT_SPI / 32 * 4) =
		1U << (ROOT_SPI % 32);
	*reg8(GICD + GICD_IPRIORITYR + ROOT_SPI) = 0x80;
	if (gic_version() == 2)
		*reg8(GICD + GICD_ITARGETSR + ROOT_SPI) = 1;
	cpuif_on();
	*reg32(ROOT_BAR0 + 8) = 1;			/* interrupts on */
	*reg32(RW) = 0;
}

/* Copy of the demo cell's configuration to damage. */
static char bad_cfg[4096] __attribute__((aligned(8)));

static struct jailhouse_cell_desc *bad_cell(void)
{
	struct jailhouse_cell_desc *cfg = (void *)bad_cfg;

	memcpy8(bad_cfg, ivshmem_cell, ivshmem_cell_end - ivshmem_cell);
	return cfg;
}

/*
 * As upstream, a cell whose INTx interrupt is not its own, or whose
 * irqchips take the root's, is accepted; such an INTx raises nothing
 * (irqchip_raise_spi() checks ownership), and the root's comes back
 * with the interrupt.
 */
static void intx_checks(void)
{
	struct jailhouse_cell_desc *cfg = bad_cell();
	long unowned, foreign;

	cfg->vpci_irq_base = 100 - 32;
	unowned = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)cfg, 0);
	CHECK(unowned > 0, "cell with an INTx not its own: %d", unowned);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, unowned, 0), 0);
	cfg = bad_cell();
	/* SPI 128, INTx of the root's 00.0, besides its own SPI 140 */
	((struct jailhouse_irqchip *)jailhouse_cell_irqchips(cfg))->
		pin_bitmap[3] |= 1;
	foreign = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)cfg, 0);
	CHECK(foreign > 0, "cell taking the root's INTx: %d", foreign);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, foreign, 0), 0);
	printf("ROOT: ivshmem INTx not the cell's, or the root's, accepted\n");
}

void scenario_ivshmem(void)
{
	volatile unsigned int *state = reg32(SHMEM);
	unsigned int since;
	long id;

	enable_for_peer();
	/* first: cells with odd INTx come and go before the root uses its own */
	intx_checks();

	/* configuration space of the root's functions, and of none */
	EXPECT(*reg32(ECAM_FN(0)), 0x4106110a);
	EXPECT(*reg16(ECAM_FN(0) + 2), 0x4106);
	EXPECT(*reg8(ECAM_FN(0) + 1), 0x11);
	EXPECT(*reg32(ECAM_FN(0) + 8) >> 8, 0xff0000);	/* class, protocol */
	EXPECT(*reg8(ECAM_FN(0) + 0x3d), 1);		/* INTA */
	EXPECT(*reg32(ECAM_FN(1 << 3)), 0x4106110a);	/* network */
	EXPECT(*reg8(ECAM_FN(1 << 3) + 0x3d), 2);	/* INTB */
	EXPECT(*reg32(ECAM_FN(2 << 3)), 0xffffffff);
	EXPECT(*reg32(ECAM_FN(1)), 0xffffffff);
	EXPECT(*reg16(ECAM_FN(31 << 3) + 6), 0xffff);
	*reg32(ECAM_FN(2 << 3) + 4) = 7;		/* nobody there */
	EXPECT(*reg32(ECAM_FN(2 << 3) + 4), 0xffffffff);
	CHECK(!root_can_read(ECAM + 0x100000), "bus 1 beyond the window");
	printf("ROOT: ivshmem functions 00.0 and 01.0 on the virtual host\n");

	root_function_on();

	since = console()->tail;
	id = start_peer("peer");
	EXPECT(id, 1);
	CHECK(console_shows(since, "IVSHMEM-PEER: function 0, class ff000000, "
			    "pin 1, INTx irq 140"), "peer found no function");
	CHECK(console_shows(since, "IVSHMEM-PEER: 01.0 reads ffffffff, "
			    "00.1 reads ffffffff"), "foreign functions seen");
	CHECK(console_shows(since, "IVSHMEM-PEER: shared memory at 7faf0000: "
			    "state 1000, rw 9000, out 2000 bytes"),
	      "shared memory layout");
	CHECK(console_shows(since, "IVSHMEM-PEER: ID 1 of 3 peers"),
	      "peer registers");
	/* what the cell's start raised is over before it rings */
	intx_within(100);
	*reg32(RW) = ROOT_READY;
	since = console_next(since, "IVSHMEM-PEER: doorbells to peers 2 and 5 "
			     "and vector 3 rung");
	CHECK(since, "no hostile doorbells");
	/* none of them, nor the write to 01.0's command register, arrived */
	EXPECT(intx_within(300), 0);
	EXPECT(*reg16(ECAM_FN(1 << 3) + 4), 0);
	printf("ROOT: doorbells to missing peers and vectors raise nothing\n");

	*reg32(RW) = ROOT_GO;
	CHECK(console_shows(since, "IVSHMEM-PEER: state 1, root's doorbell "
			    "rung, irqs so far 0"), "peer rang no doorbell");
	CHECK(intx_within(300) >= 1, "no INTx from the peer's doorbell");
	EXPECT(state[1], 1);
	EXPECT(*reg32(OUT(1)), PEER_MAGIC);
	printf("ROOT: peer's doorbell arrived as SPI %d\n", (long)ROOT_SPI);

	*reg32(ROOT_BAR0 + 0x10) = 7;			/* root's state */
	*reg32(ROOT_BAR0 + 0xc) = 1 << 16;		/* doorbell to peer 1 */
	CHECK(console_shows(since, "IVSHMEM-PEER: doorbell arrived as irq "
			    "140, root state 7"), "root's doorbell lost");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	/* the peer's state went with it */
	EXPECT(state[1], 0);
	printf("ROOT: root's doorbell arrived as SPI %d in the cell\n",
	       (long)CELL_SPI);

	hostile_peer("wide");
	hostile_peer("bus");
	hostile_peer("out");
	intx_within(100);
	root_cpu_back(CELL_CPU);
	EXPECT(disable(0xe), 0);
}

/*
 * Scenario "ivshmem-image": the image the test put at IMAGE_ADDR (upstream
 * Jailhouse's ivshmem-demo) in the ivshmem-demo cell; the argument is
 * "<size in bytes> <command line>".  The image announces state 2 and
 * rings the root, the root rings back; upstream's demo then counts the
 * interrupt in its word of the read/write section and writes ten times
 * that into its output section.  It prints to the UART itself: the root
 * speaks only after it destroyed the cell.
 */
void scenario_ivshmem_image(void)
{
	const char *arg = (const char *)SCENARIO_ADDR;
	unsigned long size = 0, end;
	unsigned int rang = 0;
	long id, state, counted, out;

	while (*arg++)
		;
	for (; *arg >= '0' && *arg <= '9'; arg++)
		size = size * 10 + (*arg - '0');
	while (*arg == ' ')
		arg++;
	CHECK(size > 0 && size <= 0x10000, "image size %d", size);
	if (failures)
		return;
	enable_for_peer();
	root_function_on();
	id = start_image((const char *)IMAGE_ADDR, size, "", arg);
	for (end = now_ms() + WAIT_MS; !rang && now_ms() < end;)
		rang = intx_within(10);
	*reg32(ROOT_BAR0 + 0xc) = 1 << 16;		/* doorbell to peer 1 */
	for (end = now_ms() + WAIT_MS; now_ms() < end;)
		if (*reg32(RW + 4) == 1)
			break;
	sleep_ms(1000);		/* its report of the interrupt */
	state = *reg32(SHMEM + 4);
	counted = *reg32(RW + 4);
	out = *reg32(OUT(1));
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("\nROOT: the image rang the root %d, state %d; the root's "
	       "doorbell counted %d, output %d\n", (long)!!rang, state,
	       counted, out);
	CHECK(rang, "no doorbell from the image");
	intx_within(100);
	root_cpu_back(CELL_CPU);
	EXPECT(disable(0xe), 0);
}
