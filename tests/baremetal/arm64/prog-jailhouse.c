/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal root cell for QEMU virt: plays what Linux and the jailhouse
 * driver do.  Starts at EL2, installs a Linux-like hyp stub, drops to EL1,
 * places jailhouse.bin and the system configuration in the hypervisor
 * memory, enters the hypervisor on all CPUs through HVC_SOFT_RESTART, then
 * runs the scenario whose name QEMU's loader put at SCENARIO_ADDR (a
 * NUL-terminated name, then an optional NUL-terminated argument; the names
 * are those of the scenarios[] table at the end of this file):
 *
 *   enable        enable on 4 CPUs, query, disable
 *   cycles        20 enable/disable cycles, pool use constant
 *   cells         two cells: create, load, start, query, shut down,
 *                 destroy; loadable visibility; CPUs back via PSCI
 *   fault         a cell touching foreign memory fails, others run on
 *   badconfig     malformed / conflicting configs and arguments refused
 *   cellcycles    20 create/load/start/destroy cycles, pool use constant
 *   comm          running-locked, denied shutdown, reply timeout,
 *                 passive comm region
 *   smp           a two-CPU cell: PSCI CPU_ON inside the cell, restart,
 *                 and a fault that stops both CPUs
 *   gic           two cells and the virtual GIC: SGIs stay in their
 *                 cell, list register overflow, interrupts a cell does
 *                 not own stay untouched, an owned SPI is delivered and
 *                 returns to the root; the virtual console refused
 *   psci          PSCI/SMCCC inside a cell; SYSTEM_RESET restarts only
 *                 the cell, SYSTEM_OFF stops only the cell
 *   bench         gic-demo in a cell on CPU 2 with the command line given
 *                 as the scenario's argument; the other CPUs idle (for
 *                 scripts/bench-irq-latency, which ends QEMU)
 *   busfault      a device aborts an access the hypervisor performs for a
 *                 cell (sub-page region): only the cell stops, management
 *                 and disable go on; access widths of sub-page regions;
 *                 1000 such faults leave the pools unchanged
 *   rootreach     what the root may reach of a cell: comm regions are the
 *                 hypervisor's, ROOTSHARED stays with the root, the root's
 *                 mappings after destroy are those of its config, no
 *                 firmware power-off under cells, DISABLE all or nothing,
 *                 cell RAM scrubbed before it returns
 *   cpustate      a CPU handed to a new cell carries no state of the old
 *                 one; ACTLR, PMU and debug registers trapped; foreign
 *                 redistributor frames show identification only
 *   ownership     memory ownership on physical ranges: DMA masters and
 *                 hypervisor-kept devices refused, aliased and overlapping
 *                 root regions, cell memory outside the root (refused
 *                 where, loadable, it would land on another root
 *                 mapping), ignored config parts reported
 *   scrub         time the destruction of a cell with the RAM size (MiB)
 *                 given as the scenario's argument (for scripts/bench-scrub)
 *   attacks       hostile configurations and cells: physical addresses
 *                 beyond the CPU's range (aliases of the hypervisor),
 *                 the GICv2m MSI frame, wrapping interrupt numbers,
 *                 private interrupt state passed from cell to cell,
 *                 odd-size GIC accesses (arm-common/root-attacks.c,
 *                 shared with ARMv7)
 *   serror        (a CONFIG_ARM_TEST_SERROR hypervisor) a cell's SError
 *                 stops it, the root's comes back to it as a virtual
 *                 SError, one pending on a CPU does not reach its next
 *                 owner
 *   ivshmem       the root and the ivshmem-demo cell as the two peers of
 *                 an ivshmem function on the virtual PCI host: doorbells
 *                 both ways through INTx, hostile accesses of the cell
 *                 (arm-common/ivshmem-root.c)
 *   ivshmem-image the image at 0x4f000000 (upstream's ivshmem-demo) as
 *                 that cell's peer; the argument is "<size> <command
 *                 line>"
 *
 * The same program runs on QEMU's GICv3 and GICv2 machines: it asks the CPU
 * (ID_AA64PFR0_EL1.GIC) which one it is on and hands the hypervisor the
 * matching system configuration (qemu-arm64.cell, qemu-arm64-gicv2.cell).
 *
 * Output lines starting with "ROOT:" are checked by tests/test_hv_arm64.py;
 * the exit status (semihosting) is 0 on success.
 */

#include <root.h>
#include "probe.h"

#define HVC_SOFT_RESTART 1
#define HVC_RESET_VECTORS 2
#define HVC_STUB_ERR	0xbadca11L

/* Cell memory: RAM (loadable) and a shared page, per test cell. */
#define CELL_RAM(n)	(0x70000000UL + (n) * 0x100000UL)
#define CELL_SHARED(n)	(0x70f00000UL + (n) * PAGE)
#define SECRET_OFFSET	0xf0000UL	/* the probe inmate's secret */
#define SECRET		0x5ec7e7UL
#define GICD		0x08000000UL
#define GICR_SGI0	(0x080a0000UL + 0x10000UL)
#define GICD_ITARGETSR	0x800
#define CELL_SPI	100

BLOB(hv_image, HV_BIN);
BLOB(sys_config, SYS_CELL);
BLOB(sys_config_v2, SYS_CELL_V2);
BLOB(inmate_image, INMATE_BIN);
BLOB(demo_image, DEMO_BIN);
BLOB(ivshmem_cell, IVSHMEM_CELL);
BLOB(ivshmem_image, IVSHMEM_BIN);

void drop_to_el1(void (*fn)(unsigned long), unsigned long arg);
void secondary_el2_entry(void);
void secondary_el1_entry(void);

/* ---- platform ---- */

long smc(unsigned long fn, unsigned long a1, unsigned long a2,
	 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn, x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}

static long hvc0(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3, unsigned long a4)
{
	register unsigned long x0 asm("x0") = fn, x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2, x3 asm("x3") = a3;
	register unsigned long x4 asm("x4") = a4;

	asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3),
		     "+r" (x4) : : "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		     "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x30",
		     "memory");
	return x0;
}

/* The GIC architecture version the CPU is wired to (3 or 2). */
unsigned int gic_version(void)
{
	unsigned long pfr0;

	asm volatile("mrs %0, id_aa64pfr0_el1" : "=r" (pfr0));
	return (pfr0 >> 24) & 0xf ? 3 : 2;
}

static void gic_init(void)
{
	volatile unsigned int *gicd = (void *)0x08000000UL;

	if (gic_version() == 2) {
		gicd[0] = 1;			/* Enable */
		return;
	}
	gicd[0] = 0;
	while (gicd[0] & (1U << 31))
		;
	gicd[0] = (1 << 4) | (1 << 1);		/* ARE, EnableGrp1 */
	while (gicd[0] & (1U << 31))
		;
}

static void gic_cpu_wake(unsigned long cpu)
{
	volatile unsigned int *waker =
		(void *)(0x080a0000UL + cpu * 0x20000 + 0x14);

	if (gic_version() == 2)
		return;
	*waker &= ~2U;
	while (*waker & 4U)
		;
}

/* ---- time (the virtual counter runs in host time under TCG) ---- */

unsigned long now_ms(void)
{
	unsigned long cnt, frq;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (cnt));
	asm volatile("mrs %0, cntfrq_el0" : "=r" (frq));
	return cnt / (frq / 1000);
}

/* ---- the "driver" ---- */

/* The system configuration of the GIC the machine has. */
const char *root_system_config(unsigned long *size)
{
	if (gic_version() == 2) {
		*size = sys_config_v2_end - sys_config_v2;
		return sys_config_v2;
	}
	*size = sys_config_end - sys_config;
	return sys_config;
}

long enter(unsigned int cpu)
{
	return hvc0(HVC_SOFT_RESTART, HV_PHYS + hv_header()->entry, cpu,
		    HV_PHYS, JAILHOUSE_ENTRY_MAGIC);
}

/* Damage to the system configuration copy beyond the common kinds. */
enum { CFG_ALIAS = CFG_ARCH, CFG_OVERLAP, CFG_SHRINK };

/* The root's regions in the system configuration (see qemu-arm64.c). */
#define ROOT_REGION_RAM		10
#define ROOT_REGION_LAST	12
#define ALIAS_IPA		0x100000000UL
#define RTC			0x09010000UL
#define OVERLAP_IPA		0x7f300000UL
/* CFG_SHRINK: where the root sees the RTC, outside its RAM (no cell's) */
#define ELSEWHERE_IPA		0x70800000UL

static struct jailhouse_memory *root_mem(struct jailhouse_system *sys)
{
	return (void *)((char *)(sys + 1) + 8);
}

static void root_region(struct jailhouse_system *sys, unsigned int n,
			unsigned long phys, unsigned long virt,
			unsigned long size)
{
	root_mem(sys)[n] = (struct jailhouse_memory){
		.phys_start = phys, .virt_start = virt, .size = size,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_IO };
}

/* Whether the root reads the RTC's (PL031) identification at @ipa. */
static bool root_sees_rtc(unsigned long ipa)
{
	return root_can_read(ipa) &&
		*(volatile unsigned int *)(ipa + 0xfe0) == 0x31;
}

void damage_config(struct jailhouse_system *sys, int damage)
{
	/* a second root mapping of the UART/RTC page range at ALIAS_IPA */
	if (damage == CFG_ALIAS)
		root_region(sys, ROOT_REGION_LAST, 0x09000000, ALIAS_IPA,
			    0x200000);
	/* the RTC page over root RAM: a later region wins */
	if (damage == CFG_OVERLAP)
		root_region(sys, ROOT_REGION_LAST, RTC, OVERLAP_IPA, PAGE);
	/*
	 * root RAM ends at 0x70000000: the cells' memory is not the root's;
	 * the root sees the RTC page at ELSEWHERE_IPA, in that memory's range
	 */
	if (damage == CFG_SHRINK) {
		root_mem(sys)[ROOT_REGION_RAM].size = 0x30000000;
		root_region(sys, ROOT_REGION_LAST, RTC, ELSEWHERE_IPA, PAGE);
	}
}


/* ---- cell configurations ---- */

struct test_cell {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[4];
} __attribute__((packed));

static void make_cell(struct test_cell *c, const char *name, unsigned int n,
		      unsigned long cpus)
{
	const char *s;
	int i;

	memset8(c, 0, sizeof(*c));
	memcpy8(c->desc.signature, JAILHOUSE_CELL_DESC_SIGNATURE, 5);
	c->desc.architecture = JAILHOUSE_ARM64;
	c->desc.revision = JAILHOUSE_CONFIG_REVISION;
	for (i = 0, s = name; *s; s++, i++)
		c->desc.name[i] = *s;
	c->desc.flags = JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED;
	c->desc.cpu_set_size = sizeof(c->cpus);
	c->desc.num_memory_regions = 4;
	c->desc.msg_reply_timeout = 50000000;
	c->cpus[0] = cpus;
	c->mem[0] = (struct jailhouse_memory){
		.phys_start = CELL_RAM(n), .virt_start = 0, .size = 0x100000,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE };
	c->mem[1] = (struct jailhouse_memory){
		.phys_start = CELL_SHARED(n), .virt_start = 0x200000,
		.size = PAGE, .flags = JAILHOUSE_MEM_READ |
			JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_ROOTSHARED };
	/* The UART; cell 1 gets only its first registers, emulated. */
	c->mem[2] = (struct jailhouse_memory){
		.phys_start = 0x09000000, .virt_start = 0x09000000,
		.size = n ? 0x40 : PAGE, .flags = JAILHOUSE_MEM_READ |
			JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_IO |
			JAILHOUSE_MEM_ROOTSHARED | (n ? JAILHOUSE_MEM_IO_32 : 0) };
	c->mem[3] = (struct jailhouse_memory){
		.virt_start = 0x80000000, .size = PAGE,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_COMM_REGION };
}

static struct test_cell cell_cfg[2], bad_cfg;

/* A cell that also owns one shared interrupt. */
static struct {
	struct test_cell c;
	struct jailhouse_irqchip irqchip;
} __attribute__((packed)) irq_cfg;

static volatile unsigned int *shared(unsigned int n)
{
	return (volatile unsigned int *)CELL_SHARED(n);
}

/* The UART is shared: let the inmate finish its greeting first. */
static void wait_greeting(unsigned int n)
{
	unsigned long end = now_ms() + WAIT_MS;

	while (!shared(n)[GREETED] && now_ms() < end)
		;
	CHECK(shared(n)[GREETED], "no greeting from cell %d", (long)n);
}

static long run_cell_cfg(unsigned int n, const void *cfg, char mode);
/* shared[ADDR], [WIDTH] and [VALUE] of the next cell run_cell_cfg starts */
static unsigned long next_addr, next_width, next_value;

/* create + load + start, like `jailhouse cell create/load/start` */
static long run_cell(unsigned int n, char mode)
{
	return run_cell_cfg(n, &cell_cfg[n], mode);
}

static long run_cell_cfg(unsigned int n, const void *cfg, char mode)
{
	long id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)cfg, 0);

	if (id < 0)
		return id;
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_SHUT_DOWN);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)CELL_RAM(n), inmate_image,
		inmate_image_end - inmate_image);
	memset8((void *)shared(n), 0, NUM_WORDS * 4);
	shared(n)[MODE] = mode;
	shared(n)[TARGET] = 3;
	shared(n)[ADDR] = next_addr;
	shared(n)[WIDTH] = next_width;
	shared(n)[VALUE] = next_value;
	if (mode == 'g') {
		shared(n)[TARGET] = n ? 2 : 3;
		shared(n)[OWN_SPI] = cfg == &irq_cfg ? CELL_SPI : 0;
	}
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	wait_greeting(n);
	return id;
}

static bool wait_heartbeat(unsigned int n, unsigned int beats)
{
	unsigned long end = now_ms() + WAIT_MS;
	unsigned int start = shared(n)[HEARTBEAT];

	while (now_ms() < end)
		if (shared(n)[HEARTBEAT] - start >= beats)
			return true;
	return false;
}

/* ---- scenarios ---- */

static unsigned long console_page;

static void scenario_enable(void)
{
	unsigned long n;
	unsigned int cpu;

	unsigned long aborts = root_aborts;
	const struct jailhouse_console_ring *ring;

	console_page = HV_PHYS + ((const struct jailhouse_header *)hv_image)->console_page;
	/* Failing entries: all CPUs get the same error, the stub stays. */
	load_hypervisor();
	EXPECT(hvc0(HVC_SOFT_RESTART, HV_PHYS + hv_header()->entry, 0, HV_PHYS,
		    0x1234), -EINVAL);
	EXPECT(enable_with(CFG_BAD_REVISION), -EINVAL);
	EXPECT(hvc0(HVC_RESET_VECTORS, 0, 0, 0, 0), 0);
	EXPECT(enable_with(CFG_NO_CPU3), -EINVAL);
	EXPECT(hvc0(HVC_RESET_VECTORS, 0, 0, 0, 0), 0);
	EXPECT(hvc0(42, 0, 0, 0, 0), HVC_STUB_ERR);
	printf("ROOT: failed entries rolled back on all CPUs\n");

	EXPECT(enable(), 0);
	printf("ROOT: enabled on %d CPUs\n", (long)NUM_CPUS);
	/* Hypervisor memory is gone from the root, except the console. */
	CHECK(!root_can_read(HV_PHYS), "hypervisor memory readable");
	CHECK(root_can_read(console_page), "console page not readable");
	ring = (const void *)console_page;
	CHECK(ring->size == JAILHOUSE_CONSOLE_SIZE && ring->tail > 20 &&
	      ring->busy == 0, "console ring size %d tail %d",
	      (long)ring->size, (long)ring->tail);
	CHECK(ring_contains(ring, "Activating hypervisor"), "console ring content");
	root_aborts = aborts;
	CHECK(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
		 JAILHOUSE_INFO_MEM_POOL_SIZE, 0) > 100, "pool size");
	CHECK(pool_used() > 0, "pool used");
	CHECK(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
		 JAILHOUSE_INFO_REMAP_POOL_SIZE, 0) > 0, "remap size");
	CHECK(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
		 JAILHOUSE_INFO_REMAP_POOL_USED, 0) > 0, "remap used");
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0), 1);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, 99, 0), -EINVAL);
	for (cpu = 0; cpu < NUM_CPUS; cpu++) {
		EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, cpu, JAILHOUSE_CPU_INFO_STATE),
		       JAILHOUSE_CPU_RUNNING);
	}
	CHECK(hc(JAILHOUSE_HC_CPU_GET_INFO, 0, JAILHOUSE_CPU_INFO_STAT_BASE +
		 JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL) > 5, "hypercall stats");
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 99, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 0, 5000), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, 0, 0), JAILHOUSE_CELL_RUNNING);
	EXPECT(hc(77, 0, 0), -ENOSYS);
	for (const char *s = "ROOT: hello through DEBUG_CONSOLE_PUTC\n"; *s; s++)
		EXPECT(hc(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, *s, 0), 0);
	/* The stub is gone while the hypervisor runs. */
	EXPECT(hvc0(HVC_SOFT_RESTART, 0, 0, 0, 0), HVC_STUB_ERR);
	EXPECT(disable(0xe), 0);
	printf("ROOT: disabled\n");
	EXPECT(current_el(), 1);
	/* The stub answers again, exactly as before. */
	EXPECT(hvc0(HVC_RESET_VECTORS, 0, 0, 0, 0), 0);
	EXPECT(hvc0(42, 0, 0, 0, 0), HVC_STUB_ERR);
	/* Disable with a CPU the root has taken offline: it is powered off
	 * and comes back through the firmware's PSCI, at EL2, as after boot. */
	EXPECT(enable(), 0);
	cpu_off(3);
	EXPECT(disable(0x6), 0);
	/* like Linux's cpu_kill: wait until the firmware reports it off */
	for (n = now_ms() + WAIT_MS;
	     now_ms() < n && smc(PSCI_AFFINITY_INFO, 3, 0, 0) != 1;)
		;
	EXPECT(smc(PSCI_AFFINITY_INFO, 3, 0, 0), 1);
	cpu_on(3, secondary_el2_entry);
	printf("ROOT: offline CPU powered off by disable, back through PSCI\n");
	EXPECT(enable(), 0);
	EXPECT(disable(0xe), 0);
}

static void scenario_cycles(void)
{
	long first = -1, used;
	int n;

	for (n = 0; n < 20; n++) {
		EXPECT(enable(), 0);
		used = pool_used();
		if (first < 0)
			first = used;
		EXPECT(used, first);
		EXPECT(disable(0xe), 0);
	}
	printf("ROOT: 20 enable/disable cycles, pool use %d pages each\n", first);
}

static void check_root_access(unsigned int n, bool ram, const char *when)
{
	CHECK(root_can_read(CELL_RAM(n)) == ram,
	      "root access to cell %d RAM %s: %d", (long)n, when, (long)!ram);
	CHECK(root_can_read(CELL_SHARED(n)), "shared page %s", when);
}

static void scenario_cells(void)
{
	long id0, id1, used;

	make_cell(&cell_cfg[0], "probe-a", 0, 1 << 2);
	make_cell(&cell_cfg[1], "probe-b", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	used = pool_used();
	check_root_access(0, true, "before create");

	id0 = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0);
	EXPECT(id0, 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_SHUT_DOWN);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0), 2);
	check_root_access(0, false, "after create");
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
	check_root_access(0, true, "while loadable");
	memcpy8((void *)CELL_RAM(0), inmate_image, inmate_image_end - inmate_image);
	memset8((void *)shared(0), 0, 64);
	shared(0)[MODE] = 'r';
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id0, 0), 0);
	wait_greeting(0);
	check_root_access(0, false, "after start");
	CHECK(root_abort_addr == CELL_RAM(0), "abort address %x", root_abort_addr);
	CHECK(wait_heartbeat(0, 1000), "cell 0 does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_RUNNING);
	EXPECT((int)shared(0)[EPERM_SEEN], -EPERM);
	EXPECT((int)shared(0)[PUTC_RESULT], 0);
	printf("ROOT: cell %d running, management from it refused\n", id0);

	id1 = run_cell(1, 'r');
	EXPECT(id1, 2);
	CHECK(wait_heartbeat(1, 1000), "cell 1 does not run");
	CHECK(wait_heartbeat(0, 1000), "cell 0 stopped running");
	CHECK(shared(0)[MESSAGES] >= 1, "no reconfig message to cell 0");
	CHECK(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STAT_BASE +
		 JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL) >= 2, "cell hypercalls");
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_RUNNING);
	CHECK(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STAT_BASE +
		 JAILHOUSE_CPU_STAT_VMEXITS_MMIO) > 20, "no emulated UART access");
	CHECK(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STAT_BASE +
		 JAILHOUSE_CPU_STAT_VMEXITS_MMIO) == 0, "cell 0 UART trapped");
	printf("ROOT: two cells running, cell 2 through the sub-page UART\n");

	/* restart cell 0 through loadable again */
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_SHUT_DOWN);
	check_root_access(0, true, "loadable again");
	shared(0)[GREETED] = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id0, 0), 0);
	wait_greeting(0);
	CHECK(wait_heartbeat(0, 1000), "cell 0 does not run again");
	EXPECT((int)shared(0)[BOOTS], 2);

	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), -ENOENT);
	check_root_access(0, true, "after destroy");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0), 1);
	EXPECT(pool_used(), used);
	printf("ROOT: cells destroyed\n");

	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	printf("ROOT: CPUs 2 and 3 back in the root cell\n");
	EXPECT(disable(0xe), 0);
	printf("ROOT: disabled\n");
}

static void scenario_fault(void)
{
	unsigned long timeout;
	long id0, id1;
	unsigned int before;

	make_cell(&cell_cfg[0], "faulty", 0, 1 << 2);
	make_cell(&cell_cfg[1], "healthy", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	id1 = run_cell(1, 'r');
	CHECK(wait_heartbeat(1, 1000), "healthy cell does not run");
	id0 = run_cell(0, 'f');
	for (timeout = now_ms() + WAIT_MS; now_ms() < timeout;)
		if (hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0) ==
		    JAILHOUSE_CELL_FAILED)
			break;
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_FAILED);
	before = shared(1)[HEARTBEAT];
	CHECK(wait_heartbeat(1, 1000), "healthy cell stopped");
	CHECK(shared(1)[HEARTBEAT] != before, "healthy cell stopped");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id1, 0), JAILHOUSE_CELL_RUNNING);
	printf("ROOT: faulty cell failed, healthy cell and root run on\n");
	/* A failed cell can be restarted ... */
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
	shared(0)[MODE] = 'r';
	shared(0)[GREETED] = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id0, 0), 0);
	wait_greeting(0);
	CHECK(wait_heartbeat(0, 1000), "restarted cell does not run");
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_RUNNING);
	/* ... and destroyed. */
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

const void *malformed_cell(struct bad_cell *b)
{
	make_cell(&bad_cfg, "bad", 1, 1 << 3);
	*b = (struct bad_cell){ .desc = &bad_cfg.desc, .cpus = &bad_cfg.desc + 1,
		.ram = &bad_cfg.mem[0], .other = &bad_cfg.mem[1],
		.comm = &bad_cfg.mem[3] };
	return &bad_cfg;
}

static void scenario_badconfig(void)
{
	struct test_cell *b = &bad_cfg;
	long id;

	make_cell(&cell_cfg[0], "probe-a", 0, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);

#define BAD(what, err, change) do {					\
	make_cell(b, "bad", 1, 1 << 3);					\
	change;								\
	refuse_cfg(what, b, err);					\
} while (0)
	refuse_malformed_cells();
	BAD("AArch32 cell", -EINVAL, b->desc.flags |= JAILHOUSE_CELL_AARCH32);
	BAD("beyond IPA space", -EINVAL, b->mem[1].virt_start = 1UL << 40);
	BAD("stream IDs", -EINVAL, b->desc.num_stream_ids = 1);

	id = run_cell(0, 'r');
	EXPECT(id, 1);
	CHECK(wait_heartbeat(0, 100), "cell does not run");
	BAD("duplicate name", -EEXIST, memcpy8(b->desc.name, "probe-a", 8));
	BAD("memory of another cell", -EBUSY, b->mem[0].phys_start = CELL_RAM(0));
	BAD("CPU of another cell", -EBUSY, b->cpus[0] = 1 << 2);

	/* configuration not in root RAM */
	make_cell(b, "bad", 1, 1 << 3);
	bad_cfg = *b;
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, HV_PHYS, 0), -EFAULT);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, CELL_RAM(0), 0), -EFAULT);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, 0x08000000, 0), -EFAULT);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, 0x09000000, 0), -EFAULT);
	/* arguments of the other calls */
	EXPECT(hc(JAILHOUSE_HC_CELL_START, 0, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, 42, 0), -ENOENT);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, 0, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, 0, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, 42, 0), -ENOENT);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, 42, 0), -ENOENT);
	EXPECT(disable(0x2), -EBUSY);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	CHECK(wait_heartbeat(0, 100), "cell stopped by the refused calls");
	printf("ROOT: refused arguments\n");

	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_cellcycles(void)
{
	long used, id;
	int n;

	make_cell(&cell_cfg[0], "cycler", 0, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(2);
	used = pool_used();
	for (n = 0; n < 20; n++) {
		id = run_cell(0, 'r');
		EXPECT(id, 1);
		CHECK(wait_heartbeat(0, 10), "cycle %d: cell does not run", (long)n);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		EXPECT(pool_used(), used);
	}
	printf("ROOT: 20 create/destroy cycles, pool use %d pages each\n", used);
	cpu_on(2, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_comm(void)
{
	long id0, id1;

	make_cell(&cell_cfg[0], "locker", 0, 1 << 2);
	make_cell(&cell_cfg[1], "other", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);

	/* running/locked blocks creation and destruction of others */
	id0 = run_cell(0, 'k');
	shared(0)[HOLD] = 1;
	CHECK(wait_heartbeat(0, 100), "locker does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0),
	       JAILHOUSE_CELL_RUNNING_LOCKED);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[1], 0), -EPERM);
	shared(0)[HOLD] = 0;
	CHECK(wait_heartbeat(0, 100), "locker does not run");
	id1 = run_cell(1, 'r');
	EXPECT(id1, 2);
	shared(0)[HOLD] = 1;
	CHECK(wait_heartbeat(0, 100), "locker does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), -EPERM);
	shared(0)[HOLD] = 0;
	CHECK(wait_heartbeat(0, 100), "locker does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: running/locked respected\n");

	/* a denied shutdown request */
	id0 = run_cell(0, 'd');
	shared(0)[HOLD] = 1;
	CHECK(wait_heartbeat(0, 100), "denier does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), -EPERM);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), -EPERM);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_RUNNING);
	shared(0)[HOLD] = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: denied shutdown respected\n");

	/* a cell that never answers: the timeout stops it */
	cell_cfg[0].desc.msg_reply_timeout = 1000000;
	id0 = run_cell(0, 's');
	CHECK(wait_heartbeat(0, 100), "silent cell does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: reply timeout handled\n");

	/* no reply timeout of its own: it cannot hold the root for good */
	cell_cfg[0].desc.msg_reply_timeout = 0;
	id0 = run_cell(0, 's');
	CHECK(wait_heartbeat(0, 100), "silent cell does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: silent cell without reply timeout destroyed\n");

	/* passive comm region: no handshake at all */
	cell_cfg[0].desc.flags |= JAILHOUSE_CELL_PASSIVE_COMMREG;
	cell_cfg[0].desc.msg_reply_timeout = 0;
	id0 = run_cell(0, 's');
	CHECK(wait_heartbeat(0, 100), "passive cell does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: passive comm region cell destroyed\n");

	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static bool wait_second(unsigned int beats)
{
	unsigned long end = now_ms() + WAIT_MS;
	unsigned int start = shared(0)[SECOND];

	while (now_ms() < end)
		if (shared(0)[SECOND] - start >= beats)
			return true;
	return false;
}

static void scenario_smp(void)
{
	unsigned int before;
	unsigned long n;
	long id;

	make_cell(&cell_cfg[0], "smp", 0, (1 << 2) | (1 << 3));
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	id = run_cell(0, 'm');
	CHECK(wait_second(1000), "second CPU of the cell does not run");
	CHECK(wait_heartbeat(0, 1000), "first CPU of the cell does not run");
	EXPECT((int)shared(0)[PSCI_RESULT], 0);
	CHECK(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STAT_BASE +
		 JAILHOUSE_CPU_STAT_VMEXITS_PSCI) >= 2, "PSCI statistics");
	/* the root cannot start CPUs of the cell */
	EXPECT(smc(PSCI_CPU_ON, 3, (unsigned long)secondary_el1_entry, 3), -2);
	printf("ROOT: two-CPU cell running\n");

	/* restart: both CPUs stop, the first one starts over */
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	before = shared(0)[SECOND];
	sleep_ms(200);
	EXPECT(shared(0)[SECOND], before);
	shared(0)[MODE] = 'F';
	shared(0)[SECOND] = 0;
	shared(0)[GREETED] = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	wait_greeting(0);
	for (n = now_ms() + WAIT_MS; now_ms() < n;)
		if (hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0) ==
		    JAILHOUSE_CELL_FAILED)
			break;
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_FAILED);
	sleep_ms(50);
	before = shared(0)[SECOND];
	sleep_ms(200);
	EXPECT(shared(0)[SECOND], before);
	printf("ROOT: fault stopped both CPUs of the cell\n");

	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static volatile unsigned int *gicd32(unsigned long offs)
{
	return (volatile unsigned int *)(GICD + offs);
}

/* Where shared interrupt @irq goes: IROUTER (GICv3) or ITARGETSR (v2). */
static unsigned long route_of(unsigned int irq)
{
	if (gic_version() == 2)
		return *(volatile unsigned char *)(GICD + GICD_ITARGETSR + irq);
	return *(volatile unsigned long *)(GICD + 0x6000 + irq * 8);
}

static unsigned long stat(unsigned int cpu, unsigned int n)
{
	return hc(JAILHOUSE_HC_CPU_GET_INFO, cpu, JAILHOUSE_CPU_INFO_STAT_BASE + n);
}

static void scenario_gic(void)
{
	unsigned long route33, spi_bit = 1UL << (CELL_SPI % 32);
	unsigned int n;
	long id0, id1, used;

	make_cell(&irq_cfg.c, "gic-a", 0, 1 << 2);
	irq_cfg.c.desc.num_irqchips = 1;
	irq_cfg.irqchip = (struct jailhouse_irqchip){
		.address = GICD, .pin_base = 32,
		.pin_bitmap = { 0, 0, 1U << (CELL_SPI - 96), 0 } };
	make_cell(&cell_cfg[1], "gic-b", 1, 1 << 3);
	cell_cfg[1].desc.flags &= ~JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED;
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	used = pool_used();
	route33 = route_of(33);
	EXPECT(*gicd32(0x104) & 2, 0);

	/* the irqchip must name interrupts of the root */
	irq_cfg.irqchip.pin_bitmap[3] = 1;
	irq_cfg.irqchip.pin_base = 200;
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&irq_cfg, 0), -EBUSY);
	irq_cfg.irqchip.pin_bitmap[3] = 0;
	irq_cfg.irqchip.pin_base = 32;

	id1 = run_cell(1, 'g');
	id0 = run_cell_cfg(0, &irq_cfg, 'g');
	EXPECT(id0, 2);
	/* the root no longer sees or changes the cell's SPI */
	EXPECT(*gicd32(0x100 + CELL_SPI / 32 * 4) & spi_bit, 0);
	sleep_ms(100);
	for (n = 0; n < 2; n++) {
		EXPECT(shared(n)[IRQ_DONE], 1);
		EXPECT(shared(n)[SGI_BITS], 0xff);
		EXPECT(shared(n)[SGI_COUNT + 1], 2);
		EXPECT(shared(n)[SGI_COUNT + 9], 0);
		EXPECT(shared(n)[SGI_COUNT + 10], 0);	/* the other's "all" */
		EXPECT(shared(n)[FOREIGN], 0);
	}
	CHECK(shared(0)[SPI_SEEN] >= 1, "owned SPI not delivered");
	EXPECT(*gicd32(0x104) & 2, 0);
	EXPECT(route_of(33), route33);
	/* GICv2 banks private interrupts per CPU: no cell reaches CPU 0's. */
	if (gic_version() == 3)
		EXPECT(*(volatile unsigned int *)(GICR_SGI0 + 0x100) & (1 << 5),
		       0);
	EXPECT((int)shared(0)[PUTC_RESULT], 0);
	EXPECT((int)shared(1)[PUTC_RESULT], -EPERM);
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_VSGI) >= 10, "vsgi stats");
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_VIRQ) >= 10, "virq stats");
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE) >= 1,
	      "maintenance stats");
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_MMIO) >= 5, "mmio stats");
	printf("ROOT: SGIs stayed in their cells, list register overflow handled\n");
	printf("ROOT: foreign interrupts untouched, owned SPI delivered\n");
	printf("ROOT: virtual console refused without permission\n");
	CHECK(wait_heartbeat(0, 100) && wait_heartbeat(1, 100), "cells stopped");

	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	EXPECT(pool_used(), used);
	/* the SPI is the root's again: disabled, and it can enable it */
	EXPECT(*gicd32(0x100 + CELL_SPI / 32 * 4) & spi_bit, 0);
	*gicd32(0x100 + CELL_SPI / 32 * 4) = spi_bit;
	EXPECT(*gicd32(0x100 + CELL_SPI / 32 * 4) & spi_bit, spi_bit);
	*gicd32(0x180 + CELL_SPI / 32 * 4) = spi_bit;
	printf("ROOT: SPI %d back in the root cell\n", (long)CELL_SPI);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_psci(void)
{
	unsigned long n;
	long id0, id1;

	make_cell(&cell_cfg[0], "psci", 0, 1 << 2);
	make_cell(&cell_cfg[1], "bystander", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	id1 = run_cell(1, 'r');
	id0 = run_cell(0, 'p');
	for (n = now_ms() + WAIT_MS; now_ms() < n;)
		if (hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0) ==
		    JAILHOUSE_CELL_SHUT_DOWN)
			break;
	sleep_ms(50);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_SHUT_DOWN);
	EXPECT((int)shared(0)[BOOTS], 2);
	EXPECT((int)shared(0)[PSCI_VER], 0x10000);
	EXPECT((int)shared(0)[PSCI_FEAT], 0);
	EXPECT((int)shared(0)[SMCCC_VER], 0x10001);
	EXPECT((int)shared(0)[ARCH_FEAT], -1);
	EXPECT((int)shared(0)[SIP_RESULT], -1);
	EXPECT((int)shared(0)[SUSPEND_RESULT], 0);
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_PSCI) >= 5, "psci stats");
	CHECK(stat(2, JAILHOUSE_CPU_STAT_VMEXITS_SMCCC) >= 2, "smccc stats");
	CHECK(wait_heartbeat(1, 100), "bystander stopped");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id1, 0), JAILHOUSE_CELL_RUNNING);
	printf("ROOT: cell reset and powered off itself, the rest runs on\n");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

/* The argument after the scenario name at SCENARIO_ADDR ("" if none). */
static const char *scenario_argument(void)
{
	const char *p = (const char *)SCENARIO_ADDR;

	while (*p)
		p++;
	return p + 1;
}

static void scenario_bench(void)
{
	const char *cmdline = scenario_argument();
	long id;

	make_cell(&cell_cfg[0], "bench", 0, 1 << 2);
	cell_cfg[0].desc.flags |= JAILHOUSE_CELL_PASSIVE_COMMREG;
	cell_cfg[0].desc.console.address = 0x09000000;
	cell_cfg[0].desc.console.type = JAILHOUSE_CON_TYPE_PL011;
	cell_cfg[0].desc.console.flags = JAILHOUSE_CON_ACCESS_MMIO |
		JAILHOUSE_CON_REGDIST_4;
	EXPECT(enable(), 0);
	cpu_off(1);
	cpu_off(2);
	cpu_off(3);
	id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0);
	EXPECT(id, 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)CELL_RAM(0), demo_image, demo_image_end - demo_image);
	memcpy8((char *)CELL_RAM(0) + 0x1000, cmdline, 256);
	printf("ROOT: starting gic-demo, command line \"%s\"\n", cmdline);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	if (failures)
		return;
	/* idle for good: QEMU is ended from outside */
	while (1)
		asm volatile("wfi");
}

/* ---- isolation scenarios ---- */

#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_SYSTEM_RESET	0x84000009UL
#define BUS_HOLE		0x09100000UL	/* nothing answers here */
#define GICR			0x080a0000UL
#define ITS			0x08080000UL
#define VPCI_ECAM		0x08e00000UL	/* the system config's */
#define MEM_RW			(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE)
#define MEM_RW_IO		(MEM_RW | JAILHOUSE_MEM_IO)

/* A cell of make_cell() with room for more parts behind its 4 regions. */
static struct {
	struct test_cell c;
	unsigned char more[256];
} __attribute__((packed)) ext_cfg;

/* cell 0 on CPU 2 with a fifth region: a sub-page one at @phys */
static void *subpage_cell(unsigned long phys, unsigned long flags)
{
	struct jailhouse_memory *extra = (void *)ext_cfg.more;

	make_cell(&ext_cfg.c, "bus", 0, 1 << 2);
	ext_cfg.c.desc.num_memory_regions = 5;
	*extra = (struct jailhouse_memory){ .phys_start = phys,
		.virt_start = phys, .size = 0x40, .flags = MEM_RW_IO | flags };
	return &ext_cfg;
}

/* Run the sub-page cell with one access; true if it stopped the cell. */
static bool bus_access_stops(const char *what, unsigned long phys,
			     unsigned long flags, unsigned int width)
{
	unsigned long end = now_ms() + WAIT_MS;
	bool failed;
	long id;

	next_addr = phys;
	next_width = width;
	id = run_cell_cfg(0, subpage_cell(phys, flags), 'b');
	next_addr = next_width = 0;
	if (id < 0) {
		CHECK(0, "%s: create %d", what, id);
		return false;
	}
	while (now_ms() < end && !shared(0)[HEARTBEAT] &&
	       hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0) != JAILHOUSE_CELL_FAILED)
		;
	failed = hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0) == JAILHOUSE_CELL_FAILED;
	if (failed)
		EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STATE),
		       JAILHOUSE_CPU_FAILED);
	else
		CHECK(wait_heartbeat(0, 100), "%s: cell neither failed nor runs",
		      what);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	return failed;
}

static void scenario_busfault(void)
{
	long id0, id1, used, remap, during;
	int n;

	make_cell(&cell_cfg[1], "healthy", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	id1 = run_cell(1, 'r');
	used = pool_used();
	remap = remap_used();

	/* A device abort while the hypervisor accesses for the cell. */
	section();
	next_addr = BUS_HOLE;
	next_width = 4;
	id0 = run_cell_cfg(0, subpage_cell(BUS_HOLE, JAILHOUSE_MEM_IO_32), 'b');
	next_addr = next_width = 0;
	CHECK(wait_state(id0, JAILHOUSE_CELL_FAILED) ==
	      JAILHOUSE_CELL_FAILED, "bus fault: cell not failed");
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_FAILED);
	CHECK(wait_heartbeat(1, 100), "healthy cell stopped");
	/* management of the failed cell completes */
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id0, 0), 0);
	CHECK(wait_state(id0, JAILHOUSE_CELL_FAILED) ==
	      JAILHOUSE_CELL_FAILED, "restart: not failed");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(pool_used(), used);
	EXPECT(remap_used(), remap);
	section_done("bus fault stopped only the cell, its management completes");

	/* Access widths of sub-page regions: exactly the flagged ones. */
	section();
	CHECK(!bus_access_stops("32-bit RTC", RTC, JAILHOUSE_MEM_IO_32, 4),
	      "32-bit access to a 32-bit region refused");
	CHECK(bus_access_stops("8-bit RTC", RTC, JAILHOUSE_MEM_IO_32, 1),
	      "8-bit access to a 32-bit region allowed");
	CHECK(bus_access_stops("64-bit RTC", RTC, JAILHOUSE_MEM_IO_8 |
			       JAILHOUSE_MEM_IO_32, 8),
	      "64-bit access to an 8/32-bit region allowed");
	CHECK(bus_access_stops("no width", RTC, 0, 4),
	      "access to a region without width flags allowed");
	section_done("sub-page regions allow only their access widths");

	/* 1000 contained faults cost nothing (the healthy cell's CPU idles:
	 * this takes long enough already). */
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	cpu_off(1);
	used = pool_used();
	section();
	next_addr = BUS_HOLE;
	next_width = 4;
	id0 = run_cell_cfg(0, subpage_cell(BUS_HOLE, JAILHOUSE_MEM_IO_32), 'q');
	next_addr = next_width = 0;
	CHECK(wait_state(id0, JAILHOUSE_CELL_FAILED) ==
	      JAILHOUSE_CELL_FAILED, "first fault");
	during = pool_used();
	for (n = 0; n < 1000 && !failures; n++) {
		CHECK(wait_state(id0, JAILHOUSE_CELL_FAILED) ==
	      JAILHOUSE_CELL_FAILED, "fault %d", (long)n);
		EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id0, 0), 0);
		EXPECT(hc(JAILHOUSE_HC_CELL_START, id0, 0), 0);
	}
	CHECK(wait_state(id0, JAILHOUSE_CELL_FAILED) ==
	      JAILHOUSE_CELL_FAILED, "last fault");
	EXPECT(pool_used(), during);
	EXPECT(remap_used(), remap);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	EXPECT(pool_used(), used);
	EXPECT(remap_used(), remap);
	make_cell(&cell_cfg[0], "after", 0, 1 << 2);
	id0 = run_cell(0, 'r');
	CHECK(wait_heartbeat(0, 100), "cell after 1000 faults does not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	section_done("1000 bus faults, pool use unchanged");
	cpu_on(1, secondary_el1_entry);

	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

/* What the root can read and write, one bit per probe address. */
static unsigned long root_view(void)
{
	static const unsigned long probes[] = {
		CELL_RAM(0), CELL_RAM(0) + 0xff000, CELL_SHARED(0),
		CELL_RAM(1), CELL_RAM(1) + 0xff000, CELL_SHARED(1),
		CELL_RAM(2), 0x7faf0000, 0x7faf1000, RTC, 0x4f000000,
	};
	unsigned long view = 0, old, before;
	volatile unsigned int *p;
	unsigned int n;

	for (n = 0; n < sizeof(probes) / sizeof(probes[0]); n++) {
		if (root_can_read(probes[n]))
			view |= 1UL << n;
		if (probes[n] == RTC)
			continue;
		p = (volatile unsigned int *)probes[n];
		before = root_aborts;
		old = *p;
		*p = 0xa5a5a5a5;
		if (root_aborts == before && *p == 0xa5a5a5a5)
			view |= 1UL << (n + 16);
		*p = old;
	}
	root_aborts = 0;
	return view;
}

static void scenario_rootreach(void)
{
	struct test_cell *b = &bad_cfg;
	unsigned long view0, view1;
	long id0, id1, ret;

	make_cell(&cell_cfg[0], "victim", 0, 1 << 2);
	make_cell(&cell_cfg[1], "lender", 1, 1 << 3);
	cell_cfg[1].mem[1].flags |= JAILHOUSE_MEM_LOADABLE;
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	view0 = root_view();
	id0 = run_cell(0, 'r');
	CHECK(wait_heartbeat(0, 100), "victim does not run");

	/* A comm region is the hypervisor's page, never loadable. */
	section();
	make_cell(b, "thief", 1, 1 << 3);
	b->mem[3].flags |= JAILHOUSE_MEM_LOADABLE;
	b->mem[3].phys_start = CELL_RAM(0);
	ret = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)b, 0);
	EXPECT(ret, -EINVAL);
	if (ret > 0) {
		hc(JAILHOUSE_HC_CELL_SET_LOADABLE, ret, 0);
		CHECK(!root_can_read(CELL_RAM(0)),
		      "root reads a running cell through a loadable comm region");
		hc(JAILHOUSE_HC_CELL_DESTROY, ret, 0);
	}
	CHECK(!root_can_read(CELL_RAM(0)), "running cell's RAM readable");
	root_aborts = 0;
	section_done("comm regions are the hypervisor's, never loadable");

	/* ROOTSHARED stays with the root, loadable or not. */
	section();
	view1 = root_view();
	id1 = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[1], 0);
	EXPECT(id1, 2);
	CHECK(root_can_read(CELL_SHARED(1)), "shared page gone after create");
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id1, 0), 0);
	memcpy8((void *)CELL_RAM(1), inmate_image,
		inmate_image_end - inmate_image);
	memset8((void *)shared(1), 0, NUM_WORDS * 4);
	shared(1)[MODE] = 'r';
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id1, 0), 0);
	CHECK(root_can_read(CELL_SHARED(1)), "shared page gone while running");
	if (!failures) {
		wait_greeting(1);
		CHECK(wait_heartbeat(1, 100), "lender does not run");
	}
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id1, 0), 0);
	CHECK(root_can_read(CELL_SHARED(1)), "shared page gone after shutdown");
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id1, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	CHECK(root_view() == view1, "root view after destroy %x, before %x",
	      root_view(), view1);
	section_done("ROOTSHARED stays with the root, its view is restored");

	/* The lender's RAM came back scrubbed. */
	section();
	EXPECT(*(volatile unsigned int *)(CELL_RAM(1) + SECRET_OFFSET), 0);
	EXPECT(*(volatile unsigned int *)CELL_RAM(1), 0);
	section_done("cell RAM scrubbed before it returned to the root");

	/* No power-off or reset through the firmware under running cells. */
	section();
	EXPECT(smc(PSCI_SYSTEM_OFF, 0, 0, 0), -1);
	EXPECT(smc(PSCI_SYSTEM_RESET, 0, 0, 0), -1);
	EXPECT(hvc0(PSCI_SYSTEM_OFF, 0, 0, 0, 0), -1);
	CHECK(wait_heartbeat(0, 100), "victim stopped");
	section_done("no firmware power-off or reset under running cells");

	/* A refused DISABLE on one CPU leaves nothing behind. */
	section();
	EXPECT(hc(JAILHOUSE_HC_DISABLE, 0, 0), -EBUSY);
	CHECK(wait_heartbeat(0, 100), "victim stopped");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	CHECK(root_view() == view0, "root view after destroy %x, before %x",
	      root_view(), view0);
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
	EXPECT(hvc0(HVC_RESET_VECTORS, 0, 0, 0, 0), 0);
	section_done("DISABLE is all or nothing");
}

static void scenario_cpustate(void)
{
	volatile unsigned long *propbaser = (void *)(GICR + 0x70);
	volatile unsigned long *pendbaser = (void *)(GICR + 0x78);
	/* CPU 2's frame: the cells' CPU */
	volatile unsigned long *propbaser2 = (void *)(GICR + 2 * 0x20000 + 0x70);
	volatile unsigned long *pendbaser2 = (void *)(GICR + 2 * 0x20000 + 0x78);
	unsigned int w;
	long id;

	make_cell(&cell_cfg[0], "polluter", 0, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	*propbaser = 0x4010000fUL;
	*pendbaser = 0x40200000UL;
	*propbaser2 = 0x4010000fUL;
	*pendbaser2 = 0x40230000UL;
	CHECK(*propbaser && *pendbaser && *pendbaser2,
	      "root's LPI table registers");

	section();
	id = run_cell(0, 'P');
	CHECK(wait_heartbeat(0, 100), "polluter does not run");
	CHECK(shared(0)[TRAPS] >= 20, "ACTLR/PMU/debug accesses: %d exits",
	      (long)shared(0)[TRAPS]);
	EXPECT(shared(0)[PMU_DELTA], 0);
	section_done("ACTLR, PMU and debug registers trapped");

	section();
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 2, JAILHOUSE_CPU_INFO_STAT_BASE +
		  JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY), 3);
	section_done("set/way cache maintenance trapped");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);

	section();
	make_cell(&cell_cfg[0], "heir", 0, 1 << 2);
	id = run_cell(0, 'S');
	CHECK(wait_heartbeat(0, 100), "heir does not run");
	for (w = ST_PMCR; w <= ST_CNTV_CVAL; w++)
		CHECK(shared(0)[w] == 0, "state word %d of the heir: %x",
		      (long)w, (unsigned long)shared(0)[w]);
	section_done("a CPU passes no state to its next cell");

	section();
	EXPECT(shared(0)[R_PROPBASER], 0);
	EXPECT(shared(0)[R_PENDBASER], 0);
	EXPECT(shared(0)[R_PIDR2] & 0xf0, 0x30);
	CHECK(*propbaser == 0x4010000fUL, "root's PROPBASER changed");
	section_done("foreign redistributors show identification only");

	/* the root's LPI table addresses stay in the CPU's redistributor */
	section();
	EXPECT(shared(0)[R_OWN_PROPBASER], 0);
	EXPECT(shared(0)[R_OWN_PENDBASER], 0);
	section_done("a cell does not read the root's LPI tables in its "
		     "redistributor");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);

	/* exits from AArch32 EL0: an emulated load, a physical interrupt */
	section();
	make_cell(&cell_cfg[0], "aarch32", 0, 1 << 2);
	id = run_cell(0, 'a');
	CHECK(wait_heartbeat(0, 100), "the cell stopped in AArch32 EL0");
	EXPECT(shared(0)[A32_VALUE], *gicd32(4));
	EXPECT(shared(0)[A32_IRQS], 1);
	EXPECT(shared(0)[A32_EC], 0x11);	/* SVC from AArch32 */
	section_done("exits from AArch32 EL0 handled");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);

	*propbaser = 0;
	*pendbaser = 0;
	cpu_on(2, secondary_el1_entry);
	*propbaser2 = 0;
	*pendbaser2 = 0;
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_ownership(void)
{
	struct jailhouse_pci_device *dev;
	struct test_cell *b = &bad_cfg;
	unsigned char *more = ext_cfg.more;
	unsigned int since;
	long id;

	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);

	/* DMA masters and what the hypervisor keeps for itself. */
	section();
#define DEVICE(what, err, addr, len) do {				\
	make_cell(b, "dma", 1, 1 << 3);					\
	b->mem[2] = (struct jailhouse_memory){ .phys_start = (addr),	\
		.virt_start = (addr), .size = (len), .flags = MEM_RW_IO };	\
	refuse_cfg(what, b, err);					\
} while (0)
	DEVICE("the ITS", -EINVAL, ITS, 0x20000);
	DEVICE("part of the ITS", -EINVAL, ITS + 0x10000, PAGE);
	DEVICE("the GIC distributor", -EINVAL, GICD, 0x10000);
	DEVICE("a redistributor", -EINVAL, GICR + 0x40000, 0x20000);
	DEVICE("the virtual PCI config window", -EINVAL, VPCI_ECAM, 0x100000);
	make_cell(&ext_cfg.c, "dma", 1, 1 << 3);
	ext_cfg.c.desc.num_stream_ids = 1;
	refuse_cfg("stream IDs", &ext_cfg, -EINVAL);
	make_cell(&ext_cfg.c, "dma", 1, 1 << 3);
	ext_cfg.c.desc.num_pci_devices = 1;
	dev = (void *)more;
	dev->type = JAILHOUSE_PCI_TYPE_DEVICE;
	refuse_cfg("a physical PCI device", &ext_cfg, -EINVAL);
	dev->type = 0;
	section_done("DMA masters and hypervisor devices stay out of cells");

	/* Parts not implemented yet: accepted and reported; an ivshmem
	 * function without its memory regions is refused. */
	section();
	make_cell(&ext_cfg.c, "unimplemented", 1, 1 << 3);
	ext_cfg.c.desc.num_cache_regions = 1;
	ext_cfg.c.desc.num_pci_devices = 1;
	dev = (void *)(more + sizeof(struct jailhouse_cache));
	dev->type = JAILHOUSE_PCI_TYPE_IVSHMEM;
	dev->shmem_peers = 2;
	refuse_cfg("an ivshmem device without its regions", &ext_cfg, -EINVAL);
	ext_cfg.c.desc.num_pci_devices = 0;
	id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&ext_cfg, 0);
	CHECK(id > 0, "cell with cache region: %d", id);
	if (id > 0)
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	memset8(more, 0, sizeof(ext_cfg.more));
	section_done("cache regions accepted");
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);

	/* Aliases: coverage on physical ranges, both aliases go and come. */
	section();
	EXPECT(enable_with(CFG_ALIAS), 0);
	cpu_off(2);
	cpu_off(3);
	CHECK(root_can_read(RTC) && root_can_read(ALIAS_IPA + 0x10000),
	      "RTC aliases not mapped");
	DEVICE("PCI window half covered by aliases", -EINVAL, VPCI_ECAM,
	       0x400000);
	make_cell(b, "rtc", 1, 1 << 3);
	b->mem[2] = (struct jailhouse_memory){ .phys_start = RTC,
		.virt_start = RTC, .size = PAGE, .flags = MEM_RW_IO };
	id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)b, 0);
	EXPECT(id, 1);
	CHECK(!root_can_read(RTC) && !root_can_read(ALIAS_IPA + 0x10000),
	      "RTC alias still mapped in the root");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	root_aborts = 0;
	CHECK(root_can_read(RTC) && root_can_read(ALIAS_IPA + 0x10000),
	      "RTC aliases not back");
	cpu_on(2, secondary_el1_entry);
	cpu_on(3, secondary_el1_entry);
	EXPECT(disable(0xe), 0);
	section_done("aliased root regions: ownership on physical ranges");

	/* Overlapping root regions: the later one wins, also after a cell. */
	section();
	id = enable_with(CFG_OVERLAP);
	EXPECT(id, 0);
	if (id == 0) {
		cpu_off(2);
		cpu_off(3);
		EXPECT(*(volatile unsigned int *)(OVERLAP_IPA + 0xfe0), 0x31);
		CHECK(root_can_read(OVERLAP_IPA + PAGE), "RAM after the RTC");
		make_cell(b, "under", 1, 1 << 3);
		b->mem[0].phys_start = OVERLAP_IPA;
		b->mem[0].flags &= ~JAILHOUSE_MEM_LOADABLE;
		id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)b, 0);
		EXPECT(id, 1);
		EXPECT(*(volatile unsigned int *)(OVERLAP_IPA + 0xfe0), 0x31);
		CHECK(!root_can_read(OVERLAP_IPA + PAGE), "cell RAM readable");
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		EXPECT(*(volatile unsigned int *)(OVERLAP_IPA + 0xfe0), 0x31);
		root_aborts = 0;
		CHECK(root_can_read(OVERLAP_IPA + PAGE), "RAM not back");
		cpu_on(2, secondary_el1_entry);
		cpu_on(3, secondary_el1_entry);
		EXPECT(disable(0xe), 0);
	}
	section_done("overlapping root regions: the later one wins");

	/* Cell memory outside the root: reaches the root only to be loaded. */
	section();
	id = enable_with(CFG_SHRINK);
	EXPECT(id, 0);
	if (id == 0) {
		cpu_off(2);
		cpu_off(3);
		CHECK(!root_can_read(CELL_RAM(0)), "RAM outside the root config");
		CHECK(root_sees_rtc(ELSEWHERE_IPA), "no RTC at %x",
		      ELSEWHERE_IPA);
		/*
		 * Loadable, memory outside the root appears in the root at its
		 * physical address: where the root maps other memory (the
		 * RTC), the cell is refused, also when only part of it lands
		 * there; never loadable, it is accepted and the root keeps
		 * its mapping.
		 */
		make_cell(b, "clash", 1, 1 << 3);
		b->mem[0].phys_start = ELSEWHERE_IPA;
		refuse_cfg("loadable outside memory where the root maps other "
			   "memory", b, -EINVAL);
		b->mem[0].phys_start = ELSEWHERE_IPA - 0x80000;
		refuse_cfg("loadable outside memory running into a root "
			   "mapping", b, -EINVAL);
		b->mem[0].phys_start = ELSEWHERE_IPA;
		b->mem[0].flags &= ~JAILHOUSE_MEM_LOADABLE;
		id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)b, 0);
		EXPECT(id, 1);
		EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
		CHECK(root_sees_rtc(ELSEWHERE_IPA),
		      "RTC mapping lost to a cell that is never loadable");
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		CHECK(root_sees_rtc(ELSEWHERE_IPA), "RTC mapping lost");
		make_cell(&cell_cfg[0], "outsider", 0, 1 << 2);
		cell_cfg[0].mem[1].flags |= JAILHOUSE_MEM_LOADABLE;
		id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0);
		EXPECT(id, 1);
		CHECK(!root_can_read(CELL_RAM(0)), "readable after create");
		EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
		root_aborts = 0;
		CHECK(root_can_read(CELL_RAM(0)) && root_can_read(CELL_SHARED(0)),
		      "not loadable");
		if (!failures) {
			memcpy8((void *)CELL_RAM(0), inmate_image,
				inmate_image_end - inmate_image);
			memset8((void *)shared(0), 0, NUM_WORDS * 4);
			shared(0)[MODE] = 'o';
		}
		since = console()->tail;
		EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
		/*
		 * The UART is shared, and the root cannot see the cell's
		 * GREETED word now: wait for the greeting's last line in the
		 * console before the root (or the hypervisor, reporting the
		 * root's aborts) writes to the UART again.
		 */
		CHECK(console_shows(since, "INMATE: via hypercall"),
		      "no greeting from the outsider");
		CHECK(!root_can_read(CELL_RAM(0)) && !root_can_read(CELL_SHARED(0)),
		      "readable while running");
		/* overlaps with it, or with the GIC, are still refused */
		make_cell(b, "overlap", 1, 1 << 3);
		b->mem[0].phys_start = CELL_RAM(0) + 0x80000;
		refuse_cfg("outside memory of another cell", b, -EBUSY);
		DEVICE("outside memory on the GIC", -EINVAL, GICD + 0x10000,
		       0x10000);
		sleep_ms(100);
		EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0),
		       JAILHOUSE_CELL_RUNNING);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		CHECK(!root_can_read(CELL_RAM(0)), "readable after destroy");
		CHECK(root_sees_rtc(ELSEWHERE_IPA), "RTC mapping lost");
		root_aborts = 0;
		cpu_on(2, secondary_el1_entry);
		cpu_on(3, secondary_el1_entry);
		EXPECT(disable(0xe), 0);
	}
	section_done("cell memory outside the root cell");
}

/* For scripts/bench-scrub: destroy a cell of N MiB (parameter) and time it. */
static void scenario_scrub(void)
{
	const char *arg = scenario_argument();
	unsigned long mib = 0, t0, t1, frq, ram;
	long id;

	for (; *arg >= '0' && *arg <= '9'; arg++)
		mib = mib * 10 + *arg - '0';
	if (!mib || mib > 256)
		mib = 256;
	/* the probe's 1 MiB plus a region of mib MiB below it */
	ram = CELL_RAM(0) - (mib << 20);
	make_cell(&ext_cfg.c, "scrub", 0, 1 << 2);
	ext_cfg.c.desc.num_memory_regions = 5;
	*(struct jailhouse_memory *)ext_cfg.more = (struct jailhouse_memory){
		.phys_start = ram, .virt_start = 0x10000000, .size = mib << 20,
		.flags = MEM_RW };
	EXPECT(enable(), 0);
	/* only CPU 0 and the cell's run: exact figures under -icount */
	cpu_off(1);
	cpu_off(2);
	cpu_off(3);
	id = run_cell_cfg(0, &ext_cfg, 'r');
	EXPECT(id, 1);
	CHECK(wait_heartbeat(0, 10), "cell does not run");
	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (t0));
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (t1));
	asm volatile("mrs %0, cntfrq_el0" : "=r" (frq));
	printf("ROOT: destroyed a cell with %d MiB of RAM in %d us "
	       "(%d counter ticks at %d Hz)\n", mib + 1,
	       (t1 - t0) * 1000000 / frq, t1 - t0, frq);
	printf("ROOT: its secret after destroy: %x\n", (unsigned long)
	       *(volatile unsigned int *)(CELL_RAM(0) + SECRET_OFFSET));
	/* the other CPUs leave with the hypervisor (powered off) */
	EXPECT(disable(0), 0);
}

/* ---- the probe in the shared scenarios (arm-common/root-attacks.c) ---- */

const void *probe_cell(unsigned int cpu, const char *name,
		       const struct jailhouse_memory *extra,
		       const struct jailhouse_irqchip *irqchip)
{
	struct jailhouse_memory *more = (void *)ext_cfg.more;

	make_cell(&ext_cfg.c, name, 0, 1 << cpu);
	memset8(ext_cfg.more, 0, sizeof(ext_cfg.more));
	if (extra) {
		ext_cfg.c.desc.num_memory_regions = 5;
		*more++ = *extra;
	}
	if (irqchip) {
		ext_cfg.c.desc.num_irqchips = 1;
		memcpy8(more, irqchip, sizeof(*irqchip));
	}
	return &ext_cfg;
}

/* modes 'b' (read shared[WIDTH] bytes) and 'w' (write them) */
long probe_start(const void *cfg, const struct probe_access *acc)
{
	long id;

	next_addr = acc->addr;
	next_width = acc->width | acc->insn << PROBE_INSN_SHIFT;
	next_value = acc->value;
	id = run_cell_cfg(0, cfg, acc->write ? 'w' : 'b');
	next_addr = next_width = next_value = 0;
	return id;
}

long probe_run(const void *cfg, char mode)
{
	return run_cell_cfg(0, cfg, mode);
}

unsigned long probe_heartbeat(void)
{
	return shared(0)[HEARTBEAT];
}

unsigned long probe_boots(void)
{
	return shared(0)[BOOTS];
}

unsigned long root_masked_serror(void)
{
	unsigned long isr;

	asm volatile("msr daifset, #4; isb; hvc #0x5e55" : : : "memory");
	asm volatile("isb; mrs %0, isr_el1" : "=r" (isr));
	return isr & (1 << 8);
}

void root_take_serror(void)
{
	asm volatile("msr daifclr, #4; isb; msr daifset, #4" : : : "memory");
}

unsigned long probe_value(void)
{
	return shared(0)[VALUE];
}

void root_cpu_back(unsigned long cpu)
{
	cpu_on(cpu, secondary_el1_entry);
}

/* The one list of scenarios: tests and scripts name them. */
static const struct scenario scenarios[] = {
	{ "enable", scenario_enable },
	{ "cycles", scenario_cycles },
	{ "cells", scenario_cells },
	{ "fault", scenario_fault },
	{ "badconfig", scenario_badconfig },
	{ "cellcycles", scenario_cellcycles },
	{ "comm", scenario_comm },
	{ "smp", scenario_smp },
	{ "gic", scenario_gic },
	{ "psci", scenario_psci },
	{ "bench", scenario_bench },
	{ "busfault", scenario_busfault },
	{ "rootreach", scenario_rootreach },
	{ "cpustate", scenario_cpustate },
	{ "ownership", scenario_ownership },
	{ "scrub", scenario_scrub },
	{ "attacks", scenario_attacks },
	{ "serror", scenario_serror },
	{ "ivshmem", scenario_ivshmem },
	{ "ivshmem-image", scenario_ivshmem_image },
};

static void main_el1(unsigned long unused)
{
	const char *name = (const char *)SCENARIO_ADDR;

	printf("ROOT: at EL%d, scenario %s\n", (long)current_el(), name);
	printf("ROOT: GICv%d\n", (long)gic_version());
	run_scenario(name, scenarios, ARRAY_SIZE(scenarios));
}

int main(void)
{
	unsigned long cpu;

	gic_init();
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		gic_cpu_wake(cpu);
	for (cpu = 1; cpu < NUM_CPUS; cpu++) {
		smc(PSCI_CPU_ON, cpu, (unsigned long)secondary_el2_entry, cpu);
		while (!alive[cpu])
			;
	}
	drop_to_el1(main_el1, 0);
	return 1;
}
