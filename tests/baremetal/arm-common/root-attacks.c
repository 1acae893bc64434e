/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library, ARM roots: the "attacks" scenario, hostile
 * configurations and cells, one copy for ARMv7 and ARM64
 * (tests/test_hv_arm_attacks.py).  The program's probe inmate runs in a
 * cell on PROBE_CPU through the hooks of include/root.h.  Each section
 * prints "ROOT: <what>" only if every check in it held.
 */

#include <root.h>

#define GICD		0x08000000UL
#define GICD_ITARGETSR	0x800
#define GICR		0x080a0000UL
#define GICR_STRIDE	0x20000UL
#define GICR_SGI	0x10000UL
#define V2M		0x08020000UL	/* QEMU virt, GICv2: the MSI frame */
#define V2M_SETSPI	0x40
#define CELL_SPI	100		/* the root's */
#define HV_SIGNATURE	0x4d49484aUL	/* "JHIM", jailhouse.bin's first word */
#define MEM_RW		(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE)
#define MEM_RW_IO	(MEM_RW | JAILHOUSE_MEM_IO)

static unsigned int section_failures;

void section(void)
{
	section_failures = failures;
}

void section_done(const char *what)
{
	if (failures == section_failures)
		printf("ROOT: %s\n", what);
}

void refuse_cfg(const char *what, const void *cfg, long err)
{
	long used = pool_used(), ret;
	long cells = hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
			JAILHOUSE_INFO_NUM_CELLS, 0);

	ret = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)cfg, 0);
	CHECK(ret == err, "%s: got %d, expected %d", what, ret, err);
	if (ret > 0)
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, ret, 0), 0);
	EXPECT(pool_used(), used);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0),
	       cells);
	printf("ROOT: refused %s: %d\n", what, ret);
}

static volatile unsigned int *gicd32(unsigned long offs)
{
	return (volatile unsigned int *)(GICD + offs);
}

/*
 * Wait until the started probe of cell @id made its access and runs on
 * (true), or was stopped for it (false: cell and CPU failed).
 */
static bool probe_ran(long id)
{
	unsigned long end = now_ms() + WAIT_MS;
	long state;

	while (now_ms() < end && !probe_heartbeat() &&
	       hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0) != JAILHOUSE_CELL_FAILED)
		;
	state = hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0);
	if (state == JAILHOUSE_CELL_FAILED) {
		EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, PROBE_CPU,
			  JAILHOUSE_CPU_INFO_STATE), JAILHOUSE_CPU_FAILED);
		return false;
	}
	CHECK(probe_heartbeat(), "probe neither ran nor failed (state %d)",
	      state);
	return true;
}

/*
 * One access @acc of a probe cell with region @extra: whether it ran on,
 * the value it read in *@value; the cell is gone afterwards.
 */
static bool probe_access_ran(const char *what,
			     const struct jailhouse_memory *extra,
			     const struct probe_access *acc,
			     unsigned long *value)
{
	long id = probe_start(probe_cell(PROBE_CPU, "accessor", extra, NULL), acc);
	bool ran;

	if (id < 0) {
		CHECK(0, "%s: create %d", what, id);
		return false;
	}
	ran = probe_ran(id);
	*value = probe_value();
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	return ran;
}

/* A 32-bit read (or write of @value) of @addr by a cell: what it read. */
static unsigned long probe_word(bool write, unsigned long addr,
				unsigned long value)
{
	struct probe_access acc = { .addr = addr, .width = 4, .write = write,
		.value = value };
	unsigned long v = 0;

	CHECK(probe_access_ran("word access", NULL, &acc, &v),
	      "a cell stopped for a word access to %x", addr);
	return v;
}

/*
 * A cell whose extra region names @phys must be refused; if it is not,
 * show what that costs: it reads the region's first word.
 */
static void peek_refused(const char *what, unsigned long long phys,
			 unsigned long size, unsigned long flags)
{
	struct jailhouse_memory extra = { .phys_start = phys,
		.virt_start = PEEK_IPA, .size = size, .flags = flags };
	struct probe_access acc = { .addr = PEEK_IPA, .width = 4 };
	long id = probe_start(probe_cell(PROBE_CPU, "peek", &extra, NULL), &acc);

	if (id > 0) {
		probe_ran(id);
		CHECK(probe_value() != HV_SIGNATURE,
		      "%s: the cell read the hypervisor's signature", what);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	}
	CHECK(id == -EINVAL, "%s: got %d, expected %d", what, id,
	      (long)-EINVAL);
	printf("ROOT: refused %s: %d\n", what, id);
}

/*
 * Physical addresses beyond the CPU's range: the descriptor bits above
 * the address are attributes or ignored, the mapping would alias memory
 * below - the hypervisor's - past every overlap check.
 */
static void beyond_physical_range(void)
{
	section();
	peek_refused("hypervisor memory through the first bit beyond the "
		     "CPU's range", (1ULL << ROOT_PA_BITS) | HV_PHYS, PAGE,
		     MEM_RW);
	peek_refused("hypervisor memory through descriptor bit 55",
		     (1ULL << 55) | HV_PHYS, PAGE, MEM_RW);
	peek_refused("hypervisor memory through a sub-page region with bit 55",
		     (1ULL << 55) | HV_PHYS, 0x40,
		     MEM_RW_IO | JAILHOUSE_MEM_IO_32);
	section_done("physical addresses beyond the CPU's range refused");
}

/*
 * The GIC's block, from the distributor to the last CPU interface frame,
 * holds QEMU's GICv2m MSI frame: a write of an SPI number to its SETSPI
 * register pends that SPI (80..143), the root's or another cell's.  A
 * cell that got it sets the root's SPI pending.
 */
static void gicv2m_frame(void)
{
	volatile unsigned int *icfgr = gicd32(0xc00 + CELL_SPI / 16 * 4);
	volatile unsigned char *target =
		(volatile unsigned char *)(GICD + GICD_ITARGETSR + CELL_SPI);
	unsigned int cfg, edge = 2U << (CELL_SPI % 16 * 2);
	unsigned int bit = 1U << (CELL_SPI % 32), reg = CELL_SPI / 32 * 4;
	struct jailhouse_memory extra = { .phys_start = V2M,
		.virt_start = PEEK_IPA, .size = PAGE, .flags = MEM_RW_IO };
	struct probe_access acc = { .addr = PEEK_IPA + V2M_SETSPI,
		.width = 4, .write = true, .value = CELL_SPI };
	long id;

	section();
	cfg = *icfgr;
	*icfgr = cfg | edge;	/* disabled: only an edge pends it */
	if (gic_version() == 2)	/* ... for its targets */
		*target = 1;
	*gicd32(0x280 + reg) = bit;
	id = probe_start(probe_cell(PROBE_CPU, "v2m", &extra, NULL), &acc);
	if (id > 0) {
		probe_ran(id);
		CHECK(!(*gicd32(0x200 + reg) & bit),
		      "a cell pended the root's SPI %d through GICv2m",
		      (long)CELL_SPI);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		*gicd32(0x280 + reg) = bit;
	}
	*icfgr = cfg;
	if (gic_version() == 2)
		*target = 0;
	CHECK(id == -EINVAL, "GICv2m frame: got %d, expected %d", id,
	      (long)-EINVAL);
	section_done("the GIC's block (GICv2m MSI frame) is no cell's");
}

static void wrapping_pins(void)
{
	struct jailhouse_irqchip ic = { .address = GICD,
		.pin_base = 0xffffffe0,
		.pin_bitmap = { 0, 0, 1U << 8, 0 } };	/* pin 72: "SPI 40" */

	section();
	refuse_cfg("an irqchip pin base wrapping around",
		   probe_cell(PROBE_CPU, "wrap", NULL, &ic), -EINVAL);
	section_done("irqchip pin numbers checked without wrap-around");
}

/*
 * PROBE_CPU's private interrupts (GICv2: the banked distributor
 * registers, GICv3: its redistributor): a cell puts PPIs 24..27 at
 * priority 0xff, which the hypervisor's mask never lets through, and
 * makes them edge-triggered.  The next cell on the CPU finds what the
 * first one found.
 */
static void private_interrupt_state(void)
{
	unsigned long base = gic_version() == 2 ? GICD :
		GICR + PROBE_CPU * GICR_STRIDE + GICR_SGI;
	unsigned long prio, cfg;

	section();
	prio = probe_word(false, base + 0x418, 0);
	cfg = probe_word(false, base + 0xc04, 0);
	probe_word(true, base + 0x418, 0xffffffff);
	probe_word(true, base + 0xc04, 0xffffffff);
	EXPECT(probe_word(false, base + 0x418, 0), prio);
	EXPECT(probe_word(false, base + 0xc04, 0), cfg);
	section_done("private interrupt priorities and configuration do not "
		     "pass to the next cell");
}

/* A cell's access of @width bytes at @addr: stopped (@stops) or not. */
static void gic_access(const char *what, unsigned long addr,
		       unsigned int width, bool write, bool stops)
{
	struct probe_access acc = { .addr = addr, .width = width,
		.write = write };
	unsigned long v;

	CHECK(probe_access_ran(what, NULL, &acc, &v) != stops,
	      "%s: the cell %s", what, stops ? "ran on" : "was stopped");
}

/*
 * Accesses the GIC architecture does not define for a register - bytes,
 * halfwords or doublewords on word registers - are UNPREDICTABLE on the
 * hardware (an SError, neighbouring registers): the distributor and
 * redistributor emulation refuses them as a class and stops the cell
 * (the root gets a data abort), while the sizes the architecture allows
 * go on.  (Misaligned accesses
 * cannot be made by the probe, whose MMU is off: its own alignment fault
 * comes first.  ARMv7 has no doubleword access the hypervisor could
 * emulate.)
 */
static void odd_size_gic_accesses(void)
{
	unsigned long rd = GICR + PROBE_CPU * GICR_STRIDE;
	unsigned long aborts = root_aborts;

	section();
	/* the root: the data abort the hardware could give it */
	(void)*(volatile unsigned char *)(GICD + 0x104);
	EXPECT(root_aborts, aborts + 1);
	EXPECT(root_abort_addr, GICD + 0x104);
	gic_access("a byte of GICD_ISENABLER1", GICD + 0x104, 1, false, true);
	gic_access("a halfword of GICD_ISENABLER1", GICD + 0x104, 2, false,
		   true);
	gic_access("a halfword write to GICD_ICFGR2", GICD + 0xc08, 2, true,
		   true);
	gic_access("a byte write to GICD_ICENABLER0", GICD + 0x180, 1, true,
		   true);
	if (sizeof(long) == 8)
		gic_access("a doubleword of GICD_ISENABLER0", GICD + 0x100, 8,
			   false, true);
	gic_access("a byte of GICD_IPRIORITYR7", GICD + 0x41c, 1, false,
		   false);
	if (gic_version() == 3) {
		gic_access("a halfword of GICR_CTLR", rd, 2, false, true);
		gic_access("a byte of GICR_ISENABLER0", rd + GICR_SGI + 0x100,
			   1, false, true);
		gic_access("a doubleword of GICR_WAKER", rd + 0x10, 8, false,
			   true);
		gic_access("a doubleword of GICR_TYPER", rd + 0x8, 8, false,
			   false);
		gic_access("a byte of GICR_IPRIORITYR7",
			   rd + GICR_SGI + 0x41c, 1, false, false);
		gic_access("a doubleword of GICD_IROUTER100",
			   GICD + 0x6000 + 100 * 8, 8, false, false);
	}
	section_done("GIC accesses of sizes the architecture does not allow "
		     "stop the cell");
}

/*
 * Loads and stores whose stage-2 abort syndrome does not describe them
 * (ESR.ISV = 0) - pairs, exclusives, register writeback - on an emulated
 * register (GICD_IPRIORITYR0, the CPU's SGIs: the cell's own): the
 * hypervisor cannot carry them out from the syndrome, and never guesses.
 * The cell is stopped, the hypervisor and the root run on (the sections
 * after this one).
 */
static void undecodable_accesses(void)
{
	static const struct { const char *what; enum probe_insn insn;
			      bool write; } accs[] = {
		{ "a pair store", PROBE_PAIR, true },
		{ "an exclusive load", PROBE_EXCLUSIVE, false },
		{ "a post-indexed load", PROBE_WRITEBACK, false },
	};
	struct probe_access acc = { .addr = GICD + 0x400, .width = 4 };
	unsigned long v;
	unsigned int n;

	section();
	for (n = 0; n < ARRAY_SIZE(accs); n++) {
		acc.insn = accs[n].insn;
		acc.write = accs[n].write;
		CHECK(!probe_access_ran(accs[n].what, NULL, &acc, &v),
		      "%s on GICD_IPRIORITYR0: the cell ran on", accs[n].what);
	}
	section_done("pair, exclusive and writeback accesses to emulated "
		     "registers stop the cell");
}

void scenario_attacks(void)
{
	EXPECT(enable(), 0);
	cpu_off(PROBE_CPU);
	beyond_physical_range();
	gicv2m_frame();
	wrapping_pins();
	private_interrupt_state();
	odd_size_gic_accesses();
	undecodable_accesses();
	root_cpu_back(PROBE_CPU);
	EXPECT(disable(0xe), 0);
}
