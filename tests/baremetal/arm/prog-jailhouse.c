/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bare-metal root cell for QEMU virt with ARMv7 (cortex-a15, GICv2): plays
 * what Linux and the jailhouse driver do, as tests/baremetal/arm64/
 * prog-jailhouse.c does on ARM64.  Starts in HYP mode, installs a
 * Linux-like hyp stub, drops to SVC mode, places jailhouse.bin and the
 * system configuration in the hypervisor memory, enters the hypervisor on
 * all CPUs through HVC_SOFT_RESTART, then runs the scenario named at
 * SCENARIO_ADDR (a NUL-terminated name, then a NUL-terminated argument):
 *
 *   enable        failed entries rolled back, enable on 4 CPUs, hypercalls,
 *                 the root's access to hypervisor memory refused, disable
 *   cycles        10 enable/disable cycles, pool use constant
 *   cells         gic-demo in a cell (its timer ticks through the virtual
 *                 GIC), loadable visibility, destroy, CPU back via PSCI;
 *                 create/destroy cycles with pool use constant
 *   fault         fault-demo in a cell fails, gic-demo in another runs on
 *   badconfig     malformed / conflicting configs and arguments refused
 *   gic           a cell cannot enable, route or send interrupts it does
 *                 not own; an owned SPI returns to the root on destroy
 *   hostile       the probe inmate (inmate/probe.c) in two cells sends
 *                 SGIs to the other's CPU, enables and routes an SPI it
 *                 does not own: nothing arrives or changes
 *   psci          PSCI/SMCCC of a cell: queries, CPU_ON of a foreign CPU
 *                 refused, SYSTEM_RESET and SYSTEM_OFF local to the cell
 *   busfault      a device abort during the hypervisor's sub-page access
 *                 for a cell stops only that cell, pool use unchanged
 *   cp15          ACTLR, PMU and debug registers of a cell trapped, its
 *                 data cache maintenance by set/way too
 *   comm          comm region protocol: shutdown denied, approved, a
 *                 silent cell stopped after its reply timeout
 *   bench         gic-demo in a cell with the argument as command line
 *                 (scripts/bench-irq-latency), then idle for good
 *   uart          uart-demo in a cell, the argument as command line, then
 *                 idle for good (the test stops QEMU at its last line)
 *   image         an image the test put at IMAGE_ADDR (upstream Jailhouse's,
 *                 tests/test_upstream_inmates.py) in a cell on CPU 2; the
 *                 argument is "<size in bytes> <command line>"; then idle
 *                 for good, as uart
 *   lock          lock-demo in a cell: running/locked refuses a new cell
 *                 and the first destroy, the second destroy succeeds
 *   cpustate      a CPU passes no state to its next owner: floating point
 *                 and timer compare values of a cell, performance monitor
 *                 and debug registers of the root cell
 *   highmem       (QEMU -m 4G) 40-bit addresses: root regions above 4 GiB
 *                 (physical and guest-physical), the probe in a cell whose
 *                 RAM is above 4 GiB and whose last page is the top of the
 *                 40-bit guest-physical space; regions beyond it refused
 *   attacks       hostile configurations and cells: physical addresses
 *                 beyond 40 bits (aliases of the hypervisor), the GICv2m
 *                 MSI frame, wrapping interrupt numbers, private
 *                 interrupt state passed from cell to cell
 *                 (tests/test_hv_arm_attacks.py), odd-size GIC accesses
 *                 (arm-common/root-attacks.c, shared with ARM64)
 *   banked        emulated MMIO stores and loads with the banked registers
 *                 of FIQ, IRQ, SVC, ABT, UND and SYS mode
 *   serror        (a CONFIG_ARM_TEST_SERROR hypervisor) a cell's SError
 *                 stops it, the root's comes back to it as a virtual
 *                 abort, one pending on a CPU does not reach its next
 *                 owner
 *   ivshmem       the root and the ivshmem-demo cell as the two peers of
 *                 an ivshmem function on the virtual PCI host: doorbells
 *                 both ways through INTx, hostile accesses of the cell
 *                 (arm-common/ivshmem-root.c)
 *   ivshmem-image the image at 0x4f000000 (upstream's ivshmem-demo) as
 *                 that cell's peer; the argument is "<size> <command
 *                 line>"
 *
 * Output lines starting with "ROOT:" are checked by tests/test_hv_arm.py;
 * the exit status (semihosting) is 0 on success.
 */

#include <root.h>
#include "probe.h"

#define HVC_SOFT_RESTART 1
#define HVC_STUB_ERR	0xbadca11L

#define CELL_RAM(n)	(0x70000000UL + (n) * 0x100000UL)
#define GICD		0x08000000UL
#define GICD_ISENABLER	0x100
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define CELL_SPI	100

BLOB(hv_image, HV_BIN);
BLOB(sys_config, SYS_CELL);
BLOB(demo_image, DEMO_BIN);
BLOB(fault_image, FAULT_BIN);
BLOB(probe_image, INMATE_BIN);
BLOB(uart_image, UART_BIN);
BLOB(lock_image, LOCK_BIN);
BLOB(ivshmem_cell, IVSHMEM_CELL);
BLOB(ivshmem_image, IVSHMEM_BIN);

void drop_to_svc(void (*fn)(unsigned long), unsigned long arg);
void secondary_hyp_entry(void);
void secondary_svc_entry(void);

/* ---- platform ---- */

long smc(unsigned long fn, unsigned long a1, unsigned long a2,
	 unsigned long a3)
{
	register unsigned long r0 asm("r0") = fn, r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile(".arch_extension sec\n\tsmc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3) : : "memory");
	return r0;
}

unsigned long now_ms(void)
{
	unsigned long long cnt;
	unsigned long frq;

	asm volatile("isb; mrrc p15, 1, %Q0, %R0, c14" : "=r" (cnt));
	asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r" (frq));
	/* 32-bit division (no libgcc): 2^8 ticks granularity is plenty */
	return (unsigned long)(cnt >> 8) / ((frq / 1000) >> 8);
}

/* ---- the "driver" ---- */

const char *root_system_config(unsigned long *size)
{
	*size = sys_config_end - sys_config;
	return sys_config;
}

/* The driver's entry: HVC_SOFT_RESTART, r1 entry, r2 CPU, r3 image. */
long enter(unsigned int cpu)
{
	/* (no calls once the register variables are set) */
	unsigned long entry = HV_PHYS + hv_header()->entry;
	register unsigned long r0 asm("r0") = HVC_SOFT_RESTART;
	register unsigned long r1 asm("r1") = entry;
	register unsigned long r2 asm("r2") = cpu;
	register unsigned long r3 asm("r3") = HV_PHYS;

	asm volatile(".arch_extension virt\n\thvc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)
		     : : "r12", "lr", "memory", "cc");
	return r0;
}


/* Damage to the system configuration copy beyond the common kinds. */
enum { CFG_HIGHMEM = CFG_ARCH, CFG_BEYOND_IPA, CFG_HV_SIZE_4G };

/*
 * RAM above 4 GiB (QEMU virt -m 4G: RAM at 0x40000000-0x13fffffff) and
 * the root's window onto it below 4 GiB (the root program runs with its
 * MMU off and reaches 32-bit addresses only).
 */
#define HIGH_RAM	0x100000000ULL
#define HIGH_WINDOW	0xc0000000UL
#define HIGH_SIZE	0x01000000UL
#define IPA_TOP		0x10000000000ULL	/* 40-bit guest-physical */

/* The root's regions in the system configuration (see qemu-arm.c). */
#define ROOT_REGION_NET	5	/* 5-8: ivshmem-net, the last PCI device */

static struct jailhouse_memory *root_mem(struct jailhouse_system *sys)
{
	return (void *)((char *)(sys + 1) + 8);
}

void damage_config(struct jailhouse_system *sys, int damage)
{
	struct jailhouse_memory *m = root_mem(sys) + ROOT_REGION_NET;

	/* 4 GiB more hypervisor memory: 32 bits of it look right */
	if (damage == CFG_HV_SIZE_4G) {
		sys->hypervisor_memory.size += 0x100000000ULL;
		return;
	}

	/* high RAM seen at HIGH_WINDOW, and its next MiB at its own
	 * (guest-physical above 4 GiB) address, in the regions of the
	 * ivshmem-net device, which goes */
	sys->root_cell.num_pci_devices--;
	m[0] = (struct jailhouse_memory){
		.phys_start = HIGH_RAM, .virt_start = HIGH_WINDOW,
		.size = HIGH_SIZE, .flags = JAILHOUSE_MEM_READ |
			JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_EXECUTE };
	m[1] = (struct jailhouse_memory){
		.phys_start = HIGH_RAM + HIGH_SIZE,
		.virt_start = HIGH_RAM + HIGH_SIZE, .size = 0x100000,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE };
	m[2].size = 0;
	/* one page over the top of the guest-physical space */
	if (damage == CFG_BEYOND_IPA)
		m[2] = (struct jailhouse_memory){
			.phys_start = HIGH_RAM, .virt_start = IPA_TOP - PAGE,
			.size = 2 * PAGE, .flags = JAILHOUSE_MEM_READ };
}

/* ---- cell configurations ---- */

struct test_cell {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[3];
	struct jailhouse_irqchip irqchip;
} __attribute__((packed));

static struct test_cell cell_cfg[2], bad_cfg;

/* A passive cell on @cpus with 1 MiB of RAM at CELL_RAM(n), the UART. */
static void make_cell(struct test_cell *c, const char *name, unsigned int n,
		      unsigned long cpus)
{
	const char *s;
	int i;

	memset8(c, 0, sizeof(*c));
	memcpy8(c->desc.signature, JAILHOUSE_CELL_DESC_SIGNATURE, 5);
	c->desc.architecture = JAILHOUSE_ARM;
	c->desc.revision = JAILHOUSE_CONFIG_REVISION;
	for (i = 0, s = name; *s; s++, i++)
		c->desc.name[i] = *s;
	c->desc.flags = JAILHOUSE_CELL_PASSIVE_COMMREG |
		JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED;
	c->desc.cpu_set_size = sizeof(c->cpus);
	c->desc.num_memory_regions = 3;
	c->desc.console.address = 0x09000000;
	c->desc.console.type = JAILHOUSE_CON_TYPE_PL011;
	c->desc.console.flags = JAILHOUSE_CON_ACCESS_MMIO |
		JAILHOUSE_CON_REGDIST_4;
	c->cpus[0] = cpus;
	c->mem[0] = (struct jailhouse_memory){
		.phys_start = CELL_RAM(n), .virt_start = 0, .size = 0x100000,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE };
	c->mem[1] = (struct jailhouse_memory){
		.phys_start = 0x09000000, .virt_start = 0x09000000,
		.size = PAGE, .flags = JAILHOUSE_MEM_READ |
			JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_IO |
			JAILHOUSE_MEM_ROOTSHARED };
	c->mem[2] = (struct jailhouse_memory){
		.virt_start = 0x80000000, .size = PAGE,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_COMM_REGION };
}

/* The cell also owns SPI CELL_SPI. */
static void give_spi(struct test_cell *c)
{
	c->desc.num_irqchips = 1;
	c->irqchip = (struct jailhouse_irqchip){
		.address = GICD, .pin_base = 32,
		.pin_bitmap = { 0, 0, 1U << (CELL_SPI - 96), 0 } };
}

/* create + load + start, like `jailhouse cell create/load/start` */
static long run_cell(unsigned int n, const char *image, unsigned long size,
		     const char *cmdline)
{
	long id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[n], 0);

	if (id < 0)
		return id;
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_SHUT_DOWN);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)CELL_RAM(n), image, size);
	memset8((char *)CELL_RAM(n) + 0x1000, 0, 256);
	memcpy8((char *)CELL_RAM(n) + 0x1000, cmdline, 255);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	return id;
}

static long run_demo(unsigned int n, const char *cmdline)
{
	return run_cell(n, demo_image, demo_image_end - demo_image, cmdline);
}

static unsigned long virqs(unsigned int cpu)
{
	return hc(JAILHOUSE_HC_CPU_GET_INFO, cpu, JAILHOUSE_CPU_INFO_STAT_BASE +
		  JAILHOUSE_CPU_STAT_VMEXITS_VIRQ);
}

/* Wait (up to WAIT_MS, the machine may be slow) for @n more interrupts
 * injected on @cpu. */
static bool wait_virqs(unsigned int cpu, unsigned long n)
{
	unsigned long end = now_ms() + WAIT_MS, start = virqs(cpu);

	while (virqs(cpu) - start < n)
		if (now_ms() > end)
			return false;
	return true;
}

/* ---- scenarios ---- */

static void scenario_enable(void)
{
	unsigned long aborts;
	unsigned int cpu;

	EXPECT(enable_with(CFG_BAD_REVISION), -EINVAL);
	EXPECT(enable_with(CFG_NO_CPU3), -EINVAL);
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
			  JAILHOUSE_INFO_NUM_CELLS, 0), HVC_STUB_ERR);
	printf("ROOT: failed entries rolled back on all CPUs\n");

	EXPECT(enable(), 0);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0),
	       1);
	for (cpu = 0; cpu < NUM_CPUS; cpu++)
		EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, cpu,
			  JAILHOUSE_CPU_INFO_STATE), JAILHOUSE_CPU_RUNNING);
	printf("ROOT: enabled on %d CPUs\n", (long)NUM_CPUS);
	aborts = root_aborts;
	CHECK(!root_can_read(HV_PHYS), "root reads hypervisor memory");
	EXPECT(root_aborts, aborts + 1);
	EXPECT(root_abort_addr, HV_PHYS);
	EXPECT(hc(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, 'R', 0), 0);
	EXPECT(hc(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, '\n', 0), 0);
	printf("ROOT: hello through DEBUG_CONSOLE_PUTC\n");
	EXPECT(disable(0xe), 0);
	EXPECT(hc(JAILHOUSE_HC_HYPERVISOR_GET_INFO, JAILHOUSE_INFO_NUM_CELLS, 0),
	       HVC_STUB_ERR);
	CHECK(root_can_read(HV_PHYS), "hypervisor memory not given back");
	printf("ROOT: disabled\n");

	/* a CPU the root turned off under the hypervisor stays off */
	EXPECT(enable(), 0);
	cpu_off(3);
	EXPECT(disable(0x6), 0);
	EXPECT(smc(PSCI_AFFINITY_INFO, 3, 0, 0), 1);
	cpu_on(3, secondary_hyp_entry);
	printf("ROOT: offline CPU powered off by disable, back through PSCI\n");
	EXPECT(enable(), 0);
	EXPECT(disable(0xe), 0);
}

static void scenario_cycles(void)
{
	long used = -1, now;
	int n;

	for (n = 0; n < 10; n++) {
		EXPECT(enable(), 0);
		now = pool_used();
		if (used >= 0)
			EXPECT(now, used);
		used = now;
		EXPECT(disable(0xe), 0);
	}
	printf("ROOT: 10 enable/disable cycles, pool use %d pages\n", used);
}

static void scenario_cells(void)
{
	long id, used;
	int n;

	make_cell(&cell_cfg[0], "gic-demo", 0, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(3);
	used = pool_used();
	id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0);
	EXPECT(id, 1);
	/* loadable: the root sees the cell's RAM only while it may load */
	CHECK(!root_can_read(CELL_RAM(0)), "cell RAM readable after create");
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	CHECK(root_can_read(CELL_RAM(0)), "cell RAM not loadable");
	memcpy8((void *)CELL_RAM(0), demo_image, demo_image_end - demo_image);
	memcpy8((char *)CELL_RAM(0) + 0x1000, "ticks=3 hz=50", 14);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	CHECK(!root_can_read(CELL_RAM(0)), "cell RAM readable after start");
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	/* the demo ends after 3 ticks and leaves its CPU in a wfi loop */
	CHECK(wait_virqs(3, 3), "no timer interrupts");
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0),
	       -EEXIST);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	/* (the root prints only while no cell shares the UART) */
	printf("ROOT: gic-demo ran in cell %d\n", id);
	EXPECT(pool_used(), used);
	for (n = 0; n < 10; n++) {
		id = run_demo(0, "ticks=1 hz=1000");
		EXPECT(id, 1);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		EXPECT(pool_used(), used);
	}
	printf("ROOT: 10 create/destroy cycles, pool use %d pages\n", used);
	cpu_on(3, secondary_svc_entry);
	printf("ROOT: CPU 3 back in the root cell\n");
	EXPECT(disable(0xe), 0);
	printf("ROOT: disabled\n");
}

static void scenario_fault(void)
{
	long id0, id1;

	make_cell(&cell_cfg[0], "healthy", 0, 1 << 2);
	make_cell(&cell_cfg[1], "faulty", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	/* one tick a second: the demo's lines rarely meet the others */
	id0 = run_demo(0, "ticks=0 hz=1");
	CHECK(wait_virqs(2, 1), "healthy cell does not run");
	id1 = run_cell(1, fault_image, fault_image_end - fault_image, "");
	EXPECT(wait_state(id1, JAILHOUSE_CELL_FAILED), JAILHOUSE_CELL_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STATE),
	       JAILHOUSE_CPU_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id0, 0), JAILHOUSE_CELL_RUNNING);
	CHECK(wait_virqs(2, 2), "healthy cell stopped");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: faulty cell failed, healthy cell and root run on\n");
	cpu_on(2, secondary_svc_entry);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

const void *malformed_cell(struct bad_cell *b)
{
	make_cell(&bad_cfg, "bad", 1, 1 << 3);
	*b = (struct bad_cell){ .desc = &bad_cfg.desc, .cpus = &bad_cfg.desc + 1,
		.ram = &bad_cfg.mem[0], .other = &bad_cfg.mem[1],
		.comm = &bad_cfg.mem[2] };
	return &bad_cfg;
}

static void refuse_while_running(void);

static void scenario_badconfig(void)
{
	struct test_cell *b = &bad_cfg;

	EXPECT(enable(), 0);
	cpu_off(3);
#define BAD(what, err, change) do {					\
	make_cell(b, "bad", 1, 1 << 3);					\
	change;								\
	refuse_cfg(what, b, err);					\
} while (0)
	refuse_malformed_cells();
	/* 40-bit guest-physical space (ARMv7 LPAE), 64-bit checks */
	BAD("beyond IPA space", -EINVAL, b->mem[0].virt_start =
	    0xfffff00000ULL; b->mem[0].size = 0x200000);
	BAD("wrapping guest-physical range", -EINVAL,
	    b->mem[0].virt_start = ~0xfffffULL; b->mem[0].size = 0x200000);
	BAD("wrapping physical range", -EINVAL,
	    b->mem[0].phys_start = ~0xfffffULL; b->mem[0].size = 0x200000);
	BAD("hypervisor memory + 4 GiB size", -EINVAL,
	    b->mem[0].phys_start = HV_PHYS - 0x100000;
	    b->mem[0].size = 0x100080000ULL);
	BAD("GIC CPU interface", -EINVAL, b->mem[1].phys_start = 0x08010000;
	    b->mem[1].virt_start = 0x08010000);
	BAD("private interrupt", -EINVAL, give_spi(b);
	    b->irqchip.pin_base = 0; b->irqchip.pin_bitmap[0] = 1 << 5);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, HV_PHYS, 0), -EFAULT);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, 42, 0), -ENOENT);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, 0, 0), -EINVAL);
	refuse_while_running();
	printf("ROOT: refused arguments\n");
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

static volatile unsigned int *gicd32(unsigned long offs)
{
	return (volatile unsigned int *)(GICD + offs);
}

static void scenario_gic(void)
{
	unsigned long spi_bit = 1UL << (CELL_SPI % 32);
	long id;

	make_cell(&cell_cfg[0], "spi-owner", 0, 1 << 3);
	give_spi(&cell_cfg[0]);
	EXPECT(enable(), 0);
	cpu_off(3);
	/* the root enables its SPI 33 and SPI 100, then gives 100 away */
	*gicd32(GICD_ISENABLER + 4) = 2;
	*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) = spi_bit;
	id = run_demo(0, "ticks=0 hz=20");
	EXPECT(id, 1);
	/* gone from the root's view, disabled */
	EXPECT(*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) & spi_bit, 0);
	/* the root can neither enable it nor target it any more */
	*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) = spi_bit;
	EXPECT(*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) & spi_bit, 0);
	*(volatile unsigned char *)(GICD + GICD_ITARGETSR + CELL_SPI) = 1 << 0;
	EXPECT(*(volatile unsigned char *)(GICD + GICD_ITARGETSR + CELL_SPI), 0);
	/* SGIs to the cell's CPU are dropped */
	*gicd32(GICD_SGIR) = (1 << (16 + 3)) | 5;
	CHECK(wait_virqs(3, 3), "cell's timer stopped");
	/* root's own SPI stays routed to a root CPU */
	CHECK(*(volatile unsigned char *)(GICD + GICD_ITARGETSR + 33) != 1 << 3,
	      "root SPI routed to the cell's CPU");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	EXPECT(*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) & spi_bit, 0);
	*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) = spi_bit;
	EXPECT(*gicd32(GICD_ISENABLER + CELL_SPI / 32 * 4) & spi_bit, spi_bit);
	*gicd32(0x180 + CELL_SPI / 32 * 4) = spi_bit;
	*gicd32(0x180 + 4) = 2;
	printf("ROOT: foreign interrupts untouched, SPI %d back in the root "
	       "cell\n", (long)CELL_SPI);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/* ---- the probe inmate (inmate/probe.c) in cells ---- */

#define SHARED(n)	(0x70f00000UL + (n) * PAGE)
#define BUS_HOLE	0x09100000UL	/* nothing answers here */
#define PSCI_SYSTEM_OFF	0x84000008UL
#define FOREIGN_SPI	33
#define WAIT_BEATS	2000

struct probe_cell {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[5];
} __attribute__((packed));

static struct probe_cell probe_cfg[2];

static volatile unsigned int *shared_of(unsigned int n)
{
	return (volatile unsigned int *)SHARED(n);
}

/*
 * A cell of make_cell() (RAM, UART, comm region) plus the shared page,
 * actively answering the comm region's messages.
 */
static void make_probe(struct probe_cell *c, const char *name, unsigned int n,
		       unsigned long cpus)
{
	struct test_cell t;

	make_cell(&t, name, n, cpus);
	memset8(c, 0, sizeof(*c));
	memcpy8(c, &t, sizeof(t.desc) + sizeof(t.cpus) + sizeof(t.mem));
	c->desc.flags &= ~JAILHOUSE_CELL_PASSIVE_COMMREG;
	c->desc.num_memory_regions = 4;
	c->mem[3] = (struct jailhouse_memory){
		.phys_start = SHARED(n), .virt_start = SHARED_PAGE,
		.size = PAGE, .flags = JAILHOUSE_MEM_READ |
			JAILHOUSE_MEM_WRITE | JAILHOUSE_MEM_ROOTSHARED };
}

/*
 * create, load the probe (at root address @load: the cell's RAM while
 * loadable), set its mode and target, start
 */
static long start_probe_at(unsigned int n, char mode, unsigned long target,
			   unsigned long load)
{
	long id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&probe_cfg[n], 0);
	volatile unsigned int *sh = shared_of(n);

	if (id < 0)
		return id;
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)load, probe_image, probe_image_end - probe_image);
	memset8((void *)sh, 0, NUM_WORDS * 4);
	sh[MODE] = mode;
	sh[TARGET] = target;
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	return id;
}

static long start_probe(unsigned int n, char mode, unsigned long target)
{
	return start_probe_at(n, mode, target, CELL_RAM(n));
}

/* Wait (up to WAIT_MS) until shared word @w of probe @n reaches @v. */
static bool wait_word(unsigned int n, unsigned int w, unsigned long v)
{
	unsigned long end = now_ms() + WAIT_MS;

	while (shared_of(n)[w] < v)
		if (now_ms() > end)
			return false;
	return true;
}

/* Probe @n still beats: WAIT_BEATS more heartbeats. */
static bool beats_on(unsigned int n)
{
	return wait_word(n, HEARTBEAT, shared_of(n)[HEARTBEAT] + WAIT_BEATS);
}

static void scenario_hostile(void)
{
	unsigned long spi_bit = 1UL << (FOREIGN_SPI % 32);
	volatile unsigned char *target33 =
		(volatile unsigned char *)(GICD + GICD_ITARGETSR + FOREIGN_SPI);
	long id0, id1;

	make_probe(&probe_cfg[0], "prober", 0, 1 << 2);
	make_probe(&probe_cfg[1], "victim", 1, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	/* the root's SPI 33: disabled, routed to CPU 0 */
	*gicd32(0x180 + FOREIGN_SPI / 32 * 4) = spi_bit;
	*target33 = 1;
	/* each sends SGI 9 to the other's CPU */
	id0 = start_probe(0, 'g', 3);
	id1 = start_probe(1, 'g', 2);
	CHECK(wait_word(0, IRQ_DONE, 1) && wait_word(1, IRQ_DONE, 1),
	      "probes did not finish their interrupt tests");
	CHECK(beats_on(0) && beats_on(1), "probes stopped");
	EXPECT(shared_of(0)[SGI_COUNT + 5], 1);
	EXPECT(shared_of(1)[SGI_COUNT + 5], 1);
	EXPECT(shared_of(0)[SGI_COUNT + 9], 0);
	EXPECT(shared_of(1)[SGI_COUNT + 9], 0);
	/* each one's SGI 10 "to all but self" */
	EXPECT(shared_of(0)[SGI_COUNT + 10], 0);
	EXPECT(shared_of(1)[SGI_COUNT + 10], 0);
	EXPECT(shared_of(0)[FOREIGN_EN] & spi_bit, 0);
	EXPECT(shared_of(0)[FOREIGN_TGT], 0);
	EXPECT(*gicd32(GICD_ISENABLER + FOREIGN_SPI / 32 * 4) & spi_bit, 0);
	EXPECT(*target33, 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id1, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id0, 0), 0);
	printf("ROOT: SGIs stayed in their cells, foreign SPI untouched\n");
	cpu_on(2, secondary_svc_entry);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/* The part of the badconfig scenario that needs a running cell on CPU 2. */
static void refuse_while_running(void)
{
	struct test_cell *b = &bad_cfg;
	long id;

	make_probe(&probe_cfg[0], "probe-a", 0, 1 << 2);
	cpu_off(2);
	id = start_probe(0, 'r', 0);
	EXPECT(id, 1);
	/* (the root speaks only after the probe's greeting) */
	CHECK(wait_word(0, GREETED, 1), "probe did not run");
	BAD("duplicate name", -EEXIST, memcpy8(b->desc.name, "probe-a", 8));
	BAD("memory of another cell", -EBUSY,
	    b->mem[0].phys_start = CELL_RAM(0));
	BAD("CPU of another cell", -EBUSY, b->cpus[0] = 1 << 2);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, CELL_RAM(0), 0), -EFAULT);
	EXPECT(hc(JAILHOUSE_HC_CELL_START, 0, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, 0, 0), -EINVAL);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, 42, 0), -ENOENT);
	EXPECT(disable(0x2), -EBUSY);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	CHECK(beats_on(0), "cell stopped by the refused calls");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	cpu_on(2, secondary_svc_entry);
}

static void scenario_psci(void)
{
	volatile unsigned int *sh = shared_of(0);
	long id, used;

	make_probe(&probe_cfg[0], "psci", 0, 1 << 3);
	make_cell(&cell_cfg[1], "bystander", 1, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	used = pool_used();
	EXPECT(run_demo(1, "ticks=0 hz=2"), 1);
	id = start_probe(0, 'p', 2);
	EXPECT(wait_state(id, JAILHOUSE_CELL_SHUT_DOWN),
	       JAILHOUSE_CELL_SHUT_DOWN);
	EXPECT(sh[BOOTS], 2);
	EXPECT(sh[PSCI_VER], 0x10000);
	EXPECT(sh[PSCI_FEAT], 0);
	EXPECT(sh[SMCCC_VER], 0x10001);
	EXPECT(sh[AFF_SELF], 0);
	EXPECT((int)sh[ON_FOREIGN], -2);	/* INVALID_PARAMETERS */
	/* exits by cause since create: per boot 5 PSCI calls, 1 SMCCC */
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STAT_BASE +
		  JAILHOUSE_CPU_STAT_VMEXITS_PSCI), 10);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STAT_BASE +
		  JAILHOUSE_CPU_STAT_VMEXITS_SMCCC), 2);
	CHECK(wait_virqs(2, 2), "bystander stopped");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	EXPECT(pool_used(), used);
	printf("ROOT: cell reset and powered off itself, the rest runs on\n");
	cpu_on(2, secondary_svc_entry);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_busfault(void)
{
	struct probe_cell *c = &probe_cfg[0];
	long id, used;
	int n;

	make_probe(c, "bus", 0, 1 << 3);
	c->desc.num_memory_regions = 5;
	c->mem[4] = (struct jailhouse_memory){
		.phys_start = BUS_HOLE, .virt_start = BUS_HOLE, .size = 8,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			 JAILHOUSE_MEM_IO | JAILHOUSE_MEM_IO_32 };
	EXPECT(enable(), 0);
	cpu_off(3);
	used = pool_used();
	for (n = 0; n < 20; n++) {
		id = start_probe(0, 'b', BUS_HOLE);
		EXPECT(id, 1);
		EXPECT(wait_state(id, JAILHOUSE_CELL_FAILED),
		       JAILHOUSE_CELL_FAILED);
		EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, 3, JAILHOUSE_CPU_INFO_STATE),
		       JAILHOUSE_CPU_FAILED);
		EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
		EXPECT(pool_used(), used);
	}
	printf("ROOT: 20 bus faults stopped only the cell, pool use "
	       "unchanged\n");
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/* Exit statistic @n of @cpu. */
static unsigned long cpu_stat(unsigned int cpu, unsigned int n)
{
	return hc(JAILHOUSE_HC_CPU_GET_INFO, cpu,
		  JAILHOUSE_CPU_INFO_STAT_BASE + n);
}

static void scenario_cp15(void)
{
	volatile unsigned int *sh = shared_of(0);
	unsigned long before;
	long id, setway;

	make_probe(&probe_cfg[0], "cp15", 0, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(3);
	EXPECT(cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY), 0);
	before = cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_CP15);
	id = start_probe(0, 'P', 0);
	CHECK(wait_word(0, GREETED, 1), "probe did not run");
	EXPECT(sh[ACTLR_AFTER], sh[ACTLR_BEFORE]);
	EXPECT(sh[PMCR_READ], 0);
	EXPECT(sh[PMCCNTR_READ], 0);
	EXPECT(sh[DBGBVR_READ], 0);
	/* a conditional read whose condition fails has no effect */
	EXPECT(sh[COND_FAIL_READ], 0x1234);
	EXPECT(sh[COND_PASS_READ], 0);
	EXPECT(sh[IT_ELSE_RAN], 0);
	/* 3 ACTLR, 4 PMU, 2 debug accesses, 2 passing conditional reads */
	EXPECT(cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_CP15) - before, 11);
	/*
	 * DCISW, DCCSW, DCCISW: each trapped where the CPU model traps them
	 * (not QEMU's cortex-a15: the test checks per machine)
	 */
	setway = cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_CACHE_SETWAY);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: ACTLR, PMU and debug registers trapped\n");
	printf("ROOT: %d set/way cache maintenance exits\n", setway);
	printf("ROOT: conditional trapped instructions follow their "
	       "condition\n");
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

static void scenario_comm(void)
{
	volatile unsigned int *sh = shared_of(0);
	long id;

	make_probe(&probe_cfg[0], "talker", 0, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(3);
	id = start_probe(0, 'r', 0);
	CHECK(wait_word(0, GREETED, 1), "probe did not run");
	sh[HOLD] = 1;
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), -EPERM);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	CHECK(beats_on(0), "cell stopped after denying");
	sh[HOLD] = 0;
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	EXPECT(sh[MESSAGES], 2);
	printf("ROOT: denied and approved shutdown respected\n");
	probe_cfg[0].desc.msg_reply_timeout = 100000;
	id = start_probe(0, 's', 0);
	CHECK(wait_word(0, GREETED, 1), "probe did not run");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: silent cell stopped after its reply timeout\n");
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/*
 * Emulated MMIO from every PL1 mode with its banked registers (FIQ's r8
 * and r12, each mode's sp and lr, SYS's sp): what a store sends and a
 * load returns is that mode's copy, not USR mode's.
 */
static void scenario_banked(void)
{
	volatile unsigned int *sh = shared_of(0);
	unsigned long before;
	long id;

	make_probe(&probe_cfg[0], "banked", 0, 1 << 3);
	EXPECT(enable(), 0);
	cpu_off(3);
	before = cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_MMIO);
	id = start_probe(0, 'K', 0);
	CHECK(wait_word(0, GREETED, 1), "probe did not run");
	EXPECT(sh[BANKED_DONE], 1);
	EXPECT(sh[BANKED_BAD], 0);
	/* 14 round trips of a store and a load, and the final clear */
	before = cpu_stat(3, JAILHOUSE_CPU_STAT_VMEXITS_MMIO) - before;
	CHECK(before >= 29, "%d MMIO exits", before);
	EXPECT(hc(JAILHOUSE_HC_CELL_GET_STATE, id, 0), JAILHOUSE_CELL_RUNNING);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: emulated MMIO used the banked registers of the "
	       "trapping mode\n");
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/* Start @image in a cell on CPU 2 with the scenario's argument as command
 * line; the root then idles for good (QEMU is ended from outside). */
static void run_alone(const char *name, const char *image, unsigned long size)
{
	const char *cmdline = (const char *)SCENARIO_ADDR;
	long id;

	while (*cmdline++)
		;
	make_cell(&cell_cfg[0], name, 0, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(1);
	cpu_off(2);
	cpu_off(3);
	printf("ROOT: starting %s, command line \"%s\"\n", name, cmdline);
	id = run_cell(0, image, size, cmdline);
	EXPECT(id, 1);
	if (failures)
		return;
	while (1)
		asm volatile("wfi");
}

static void scenario_bench(void)
{
	run_alone("bench", demo_image, demo_image_end - demo_image);
}

static void scenario_uart(void)
{
	run_alone("uart-demo", uart_image, uart_image_end - uart_image);
}

#define IMAGE_ADDR	0x4f000000UL

static void scenario_image(void)
{
	const char *arg = (const char *)SCENARIO_ADDR;
	unsigned long size = 0;
	long id;

	while (*arg++)
		;
	for (; *arg >= '0' && *arg <= '9'; arg++)
		size = size * 10 + (*arg - '0');
	while (*arg == ' ')
		arg++;
	CHECK(size > 0 && size <= 0x100000, "image size %d", size);
	if (failures)
		return;
	make_cell(&cell_cfg[0], "image", 0, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(1);
	cpu_off(2);
	cpu_off(3);
	printf("ROOT: starting an image of %d bytes, command line \"%s\"\n",
	       size, arg);
	id = run_cell(0, (const char *)IMAGE_ADDR, size, arg);
	EXPECT(id, 1);
	if (failures)
		return;
	while (1)
		asm volatile("wfi");
}

static void scenario_lock(void)
{
	long id;

	make_cell(&cell_cfg[0], "lock-demo", 0, 1 << 3);
	cell_cfg[0].desc.flags &= ~JAILHOUSE_CELL_PASSIVE_COMMREG;
	make_cell(&cell_cfg[1], "latecomer", 1, 1 << 2);
	EXPECT(enable(), 0);
	cpu_off(2);
	cpu_off(3);
	id = run_cell(0, lock_image, lock_image_end - lock_image, "");
	EXPECT(id, 1);
	EXPECT(wait_state(id, JAILHOUSE_CELL_RUNNING_LOCKED),
	       JAILHOUSE_CELL_RUNNING_LOCKED);
	EXPECT(hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[1], 0),
	       -EPERM);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), -EPERM);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: locked cell refused a new cell and the first destroy\n");
	cpu_on(2, secondary_svc_entry);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
}

/* ---- the CPU state an owner leaves ---- */

enum { CMD_POLLUTE = CMD_PROGRAM, CMD_REPORT };

/* The root's PMU and debug state of a CPU, as CMD_REPORT read it. */
enum { R_PMCR, R_PMCNTEN, R_PMINTEN, R_DBGBVR, R_DBGBCR, R_DBGWVR, R_WORDS };
static volatile unsigned long root_state[R_WORDS];

/* Counting cycles with an overflow interrupt, a breakpoint, a watchpoint. */
void root_program_cmd(unsigned int cpu, unsigned long c)
{
	unsigned long v;

	if (c == CMD_POLLUTE) {
		asm volatile("mcr p15, 0, %0, c9, c12, 0" : : "r" (1UL));
		asm volatile("mcr p15, 0, %0, c9, c12, 1" : : "r" (1UL << 31));
		asm volatile("mcr p15, 0, %0, c9, c14, 1" : : "r" (1UL << 31));
		asm volatile("mcr p14, 0, %0, c0, c0, 4" : : "r" (0x40001000UL));
		asm volatile("mcr p14, 0, %0, c0, c0, 5" : : "r" (0x1e5UL));
		asm volatile("mcr p14, 0, %0, c0, c0, 6" : : "r" (0x40002000UL));
	}
	if (c == CMD_REPORT) {
		asm volatile("mrc p15, 0, %0, c9, c12, 0" : "=r" (v));
		root_state[R_PMCR] = v & 1;
		asm volatile("mrc p15, 0, %0, c9, c12, 1" : "=r" (v));
		root_state[R_PMCNTEN] = v;
		asm volatile("mrc p15, 0, %0, c9, c14, 1" : "=r" (v));
		root_state[R_PMINTEN] = v;
		asm volatile("mrc p14, 0, %0, c0, c0, 4" : "=r" (v));
		root_state[R_DBGBVR] = v;
		asm volatile("mrc p14, 0, %0, c0, c0, 5" : "=r" (v));
		root_state[R_DBGBCR] = v & 1;
		asm volatile("mrc p14, 0, %0, c0, c0, 6" : "=r" (v));
		root_state[R_DBGWVR] = v;
	}
}

static void on_cpu(unsigned int cpu, unsigned long c)
{
	cmd[cpu] = c;
	while (cmd[cpu] != CMD_DONE)
		;
}

static void scenario_cpustate(void)
{
	volatile unsigned int *sh = shared_of(0);
	unsigned int w;
	long id;

	EXPECT(enable(), 0);
	/* the root's PMU and debug state on CPU 3 */
	on_cpu(3, CMD_POLLUTE);
	on_cpu(3, CMD_REPORT);
	for (w = 0; w < R_WORDS; w++)
		CHECK(root_state[w], "root state word %d not set", (long)w);
	cpu_off(3);
	make_probe(&probe_cfg[0], "polluter", 0, 1 << 3);
	id = start_probe(0, 'Z', 0);
	CHECK(wait_word(0, GREETED, 1), "polluter did not run");
	EXPECT(sh[POLLUTED], 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	make_probe(&probe_cfg[0], "heir", 0, 1 << 3);
	id = start_probe(0, 'S', 0);
	CHECK(wait_word(0, GREETED, 1), "heir did not run");
	for (w = ST_FPEXC; w <= ST_CNTV_CVAL; w++)
		CHECK(sh[w] == 0, "state word %d of the heir: %x", (long)w,
		      (unsigned long)sh[w]);
	CHECK(!sh[ST_PAR] && !sh[ST_PAR_HI], "the heir's PAR: %x %x",
	      (unsigned long)sh[ST_PAR_HI], (unsigned long)sh[ST_PAR]);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	/* back in the root, reset as for a cell */
	cpu_on(3, secondary_svc_entry);
	on_cpu(3, CMD_REPORT);
	for (w = 0; w < R_WORDS; w++)
		CHECK(!root_state[w], "root state word %d of CPU 3: %x",
		      (long)w, root_state[w]);
	printf("ROOT: a CPU passes no state to its next owner\n");
	EXPECT(disable(0xe), 0);
}

static void scenario_highmem(void)
{
	struct probe_cell *c = &probe_cfg[0];
	volatile unsigned int *window = (void *)HIGH_WINDOW;
	unsigned long cell_ram = HIGH_WINDOW + 0x100000;
	long id, used;

	EXPECT(enable_with(CFG_BEYOND_IPA), -EINVAL);
	EXPECT(enable_with(CFG_HV_SIZE_4G), -EINVAL);
	EXPECT(enable_with(CFG_HIGHMEM), 0);
	/* a truncated address would be the flash at 0 */
	window[0] = 0x600dcafe;
	EXPECT(window[0], 0x600dcafe);
	printf("ROOT: root regions above 4 GiB accepted and mapped\n");

	/* the probe in RAM above 4 GiB, its last page at the IPA top */
	make_probe(c, "high", 0, 1 << 3);
	c->mem[0].phys_start = HIGH_RAM + (cell_ram - HIGH_WINDOW);
	c->desc.num_memory_regions = 5;
	c->mem[4] = (struct jailhouse_memory){
		.phys_start = HIGH_RAM + HIGH_SIZE, .virt_start = IPA_TOP - PAGE,
		.size = PAGE, .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE };
	cpu_off(3);
	used = pool_used();
	id = start_probe_at(0, 'r', 0, cell_ram);
	EXPECT(id, 1);
	CHECK(wait_word(0, GREETED, 1), "probe above 4 GiB did not run");
	/* the cell's memory left the root's window, the rest stayed */
	CHECK(!root_can_read(cell_ram), "cell RAM above 4 GiB readable");
	CHECK(root_can_read(HIGH_WINDOW), "root lost its own high RAM");
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	CHECK(root_can_read(cell_ram), "cell RAM above 4 GiB not returned");
	EXPECT(pool_used(), used);
	printf("ROOT: cell ran in RAM above 4 GiB, memory returned\n");

	/* an address 4 GiB above the hypervisor's is not the hypervisor's */
	make_cell(&cell_cfg[0], "alias", 0, 1 << 3);
	cell_cfg[0].mem[0].phys_start = HV_PHYS + 0x100000000ULL;
	cell_cfg[0].mem[0].flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
		JAILHOUSE_MEM_IO;	/* nothing there: no scrubbing */
	id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)&cell_cfg[0], 0);
	EXPECT(id, 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	cpu_on(3, secondary_svc_entry);
	EXPECT(disable(0xe), 0);
	printf("ROOT: 40-bit addresses checked in 64 bits\n");
}

/* ---- the probe in the shared scenarios (arm-common/root-attacks.c) ---- */

static struct {
	struct probe_cell c;
	struct jailhouse_irqchip irqchip;
} __attribute__((packed)) attack_cfg;

const void *probe_cell(unsigned int cpu, const char *name,
		       const struct jailhouse_memory *extra,
		       const struct jailhouse_irqchip *irqchip)
{
	struct probe_cell *c = &attack_cfg.c;

	memset8(&attack_cfg, 0, sizeof(attack_cfg));
	make_probe(c, name, 0, 1 << cpu);
	if (extra) {
		c->desc.num_memory_regions = 5;
		c->mem[4] = *extra;
	}
	if (irqchip) {
		c->desc.num_irqchips = 1;
		/* right after the regions there are */
		memcpy8(&c->mem[c->desc.num_memory_regions], irqchip,
			sizeof(*irqchip));
	}
	return &attack_cfg;
}

/* The probe of @cfg in @mode, for @acc (NULL: none). */
static long start_for(const void *cfg, char mode,
		      const struct probe_access *acc)
{
	volatile unsigned int *sh = shared_of(0);
	long id = hc(JAILHOUSE_HC_CELL_CREATE, (unsigned long)cfg, 0);

	if (id < 0)
		return id;
	EXPECT(hc(JAILHOUSE_HC_CELL_SET_LOADABLE, id, 0), 0);
	memcpy8((void *)CELL_RAM(0), probe_image, probe_image_end - probe_image);
	memset8((void *)sh, 0, NUM_WORDS * 4);
	sh[MODE] = mode;
	if (acc) {
		sh[TARGET] = acc->addr;
		sh[WIDTH] = acc->width | acc->insn << PROBE_INSN_SHIFT;
		sh[BUS_VALUE] = acc->value;
	}
	EXPECT(hc(JAILHOUSE_HC_CELL_START, id, 0), 0);
	return id;
}

/* modes 'v' (read shared[WIDTH] bytes) and 'w' (write them) */
long probe_start(const void *cfg, const struct probe_access *acc)
{
	return start_for(cfg, acc->write ? 'w' : 'v', acc);
}

long probe_run(const void *cfg, char mode)
{
	return start_for(cfg, mode, NULL);
}

unsigned long probe_boots(void)
{
	return shared_of(0)[BOOTS];
}

unsigned long root_masked_serror(void)
{
	unsigned long isr;

	asm volatile("cpsid a; isb\n\t.arch_extension virt\n\t"
		     "hvc #0x5e55" : : : "memory");
	asm volatile("isb; mrc p15, 0, %0, c12, c1, 0" : "=r" (isr));
	return isr & (1 << 8);
}

void root_take_serror(void)
{
	asm volatile("cpsie a; isb; cpsid a" : : : "memory");
}

unsigned long probe_heartbeat(void)
{
	return shared_of(0)[HEARTBEAT];
}

unsigned long probe_value(void)
{
	return shared_of(0)[BUS_VALUE];
}

unsigned int gic_version(void)
{
	return 2;
}

void root_cpu_back(unsigned long cpu)
{
	cpu_on(cpu, secondary_svc_entry);
}

static const struct scenario scenarios[] = {
	{ "enable", scenario_enable },
	{ "cycles", scenario_cycles },
	{ "cells", scenario_cells },
	{ "fault", scenario_fault },
	{ "badconfig", scenario_badconfig },
	{ "gic", scenario_gic },
	{ "hostile", scenario_hostile },
	{ "psci", scenario_psci },
	{ "busfault", scenario_busfault },
	{ "cp15", scenario_cp15 },
	{ "comm", scenario_comm },
	{ "bench", scenario_bench },
	{ "uart", scenario_uart },
	{ "image", scenario_image },
	{ "lock", scenario_lock },
	{ "cpustate", scenario_cpustate },
	{ "highmem", scenario_highmem },
	{ "attacks", scenario_attacks },
	{ "banked", scenario_banked },
	{ "serror", scenario_serror },
	{ "ivshmem", scenario_ivshmem },
	{ "ivshmem-image", scenario_ivshmem_image },
};

static void main_svc(unsigned long unused)
{
	const char *name = (const char *)SCENARIO_ADDR;

	printf("ROOT: in SVC mode, scenario %s\n", name);
	run_scenario(name, scenarios, ARRAY_SIZE(scenarios));
}

int main(void)
{
	unsigned long cpu;

	*gicd32(0) = 1;		/* distributor on */
	for (cpu = 1; cpu < NUM_CPUS; cpu++) {
		smc(PSCI_CPU_ON, cpu, (unsigned long)secondary_hyp_entry, cpu);
		while (!alive[cpu])
			;
	}
	drop_to_svc(main_svc, 0);
	return 1;
}
