/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe inmate for the hypervisor tests.  The root program puts a mode
 * letter into the first word of the shared page (guest-physical
 * SHARED_PAGE) before it starts the cell; the inmate reports progress in
 * the words after it:
 *
 *   'r'  run: print, answer messages, count heartbeats
 *   'f'  fault: touch memory outside the cell's regions
 *   'k'  run, holding the reconfiguration lock while shared[2] is non-zero
 *   'd'  run, deny shutdown requests while shared[2] is non-zero
 *   's'  silent: never answer messages
 *   'm'  start the CPU whose MPIDR is in shared[TARGET] through PSCI; it
 *        counts in shared[SECOND]
 *   'F'  like 'm', then fault once the second CPU runs
 *   'g'  interrupts: SGIs to itself (more at once than list registers),
 *        SGI 9 to the CPU whose MPIDR is in shared[TARGET], SGI 10 to
 *        all other CPUs (the cell has one), enable and
 *        route SPI 33 (not its own) and a private interrupt of CPU 0,
 *        then raise the SPI in shared[OWN_SPI] (if any); then run as 'r'
 *   'p'  PSCI/SMCCC queries; SYSTEM_RESET on the first boot, SYSTEM_OFF
 *        on the second
 *   'b'  bus access: read shared[ADDR] with shared[WIDTH] bytes (an
 *        emulated sub-page region); the cell must stop there, or else
 *        it puts the value into shared[VALUE]
 *   'q'  like 'b', without printing (for long fault loops)
 *   'w'  write shared[VALUE] to shared[ADDR] with shared[WIDTH] bytes (4
 *        if 0), then run as 'r'
 *        ('b', 'q', 'w': bits 8.. of shared[WIDTH] may name a pair,
 *        exclusive or post-indexed access instead, see root.h)
 *   'P'  pollute the CPU: PMU (counting, overflow interrupt), breakpoint
 *        and watchpoint values, timer compare values; count the exits
 *        that ACTLR_EL1, PMU and debug register accesses cause; then data
 *        cache invalidate, clean, and clean and invalidate by set/way
 *   'S'  report that CPU state (a new cell on the CPU 'P' ran on), then
 *        as 'R'
 *   'R'  read another CPU's redistributor frame (CPU 0, the root's)
 *   'E'  cause an SError (HVC #0x5e55 of a CONFIG_ARM_TEST_SERROR
 *        hypervisor): the cell must stop there
 *   'A'  unmask SErrors, then run as 'r' (an SError pending from the
 *        CPU's last owner would hang it in its vector)
 *   'a'  AArch32 at EL0: A32 code reads GICD_TYPER (an emulated register:
 *        a stage-2 abort from AArch32) into shared[A32_VALUE], fires the
 *        virtual timer and waits in EL0 for its interrupt (a physical IRQ
 *        taken from AArch32), which the EL1 handler counts in
 *        shared[A32_IRQS]; its SVC back to EL1 leaves the exception
 *        class in shared[A32_EC]; then run as 'r'
 *
 * Every mode leaves SECRET at guest-physical SECRET_ADDR in its RAM.
 */

#include <jailhouse/hypercall.h>
#include "../probe.h"

#define UART		0x09000000UL
#define FORBIDDEN	0x40000000UL
#define COMM		((struct jailhouse_comm_region *)0x80000000UL)
#define SECRET_ADDR	0x000f0000UL
#define SECRET		0x5ec7e7UL


#define GICD		0x08000000UL
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICC		0x08010000UL	/* GICv2: the virtual interface */
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define GICR		0x080a0000UL
#define GICR_STRIDE	0x20000UL
#define GICR_SGI	0x10000UL
#define WAIT_LOOPS	20000000UL

void inmate_main(void);
void secondary_main(void);
void secondary_start(void);

static unsigned long second_stack[512] __attribute__((aligned(16)));

static volatile unsigned int *const shared = (void *)SHARED_PAGE;

static void putc(char c)
{
	volatile unsigned int *uart = (void *)UART;

	while (uart[0x18 / 4] & (1 << 5))
		;
	uart[0] = c;
}

static void puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc('\r');
		putc(*s);
	}
}

static void puthex(unsigned long v)
{
	int n;

	for (n = 60; n >= 0; n -= 4)
		putc("0123456789abcdef"[(v >> n) & 0xf]);
}

static long psci(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn, x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}

void irq_handler(void);
unsigned long run_a32_el0(const void *code, unsigned long r1,
			  unsigned long r3);
extern const unsigned int a32_code[];

#define TIMER_PPI	27		/* the virtual timer's */

static void count_irq(unsigned long irq)
{
	if (irq == TIMER_PPI) {
		asm volatile("msr cntv_ctl_el0, xzr; isb");
		shared[A32_IRQS]++;
	} else if (irq < 16) {
		shared[SGI_COUNT + irq]++;
		shared[SGI_BITS] |= 1U << irq;
	} else if (irq == shared[OWN_SPI]) {
		shared[SPI_SEEN]++;
	}
}

static unsigned long mpidr(void)
{
	unsigned long v;

	asm volatile("mrs %0, mpidr_el1" : "=r" (v));
	return v & 0xff00ffffffUL;
}

static volatile unsigned int *reg32(unsigned long addr)
{
	return (volatile unsigned int *)addr;
}

static volatile unsigned char *reg8(unsigned long addr)
{
	return (volatile unsigned char *)addr;
}

/* GICv3 system register interface, else GICv2 (memory mapped). */
static int gic_v3(void)
{
	unsigned long pfr0;

	asm volatile("mrs %0, id_aa64pfr0_el1" : "=r" (pfr0));
	return (pfr0 >> 24) & 0xf;
}

/* GICv2 CPU interface mask of the CPU with MPIDR @mpidr (QEMU virt). */
static unsigned int gicc_mask(unsigned long mpidr)
{
	return 1U << (mpidr & 0xf);
}

void irq_handler(void)
{
	unsigned long irq, iar;

	if (!gic_v3()) {
		iar = *reg32(GICC + GICC_IAR);
		irq = iar & 0x3ff;
		if (irq >= 1020)
			return;
		count_irq(irq);
		*reg32(GICC + GICC_EOIR) = iar;
		return;
	}
	asm volatile("mrs %0, S3_0_C12_C12_0" : "=r" (irq));	/* ICC_IAR1 */
	irq &= 0xffffff;
	if (irq >= 1020)
		return;
	count_irq(irq);
	asm volatile("msr S3_0_C12_C12_1, %0" : : "r" (irq));	/* ICC_EOIR1 */
}

static void send_sgi(unsigned int sgi, unsigned long target)
{
	unsigned long v = (1UL << (target & 0xf)) | ((target >> 8) & 0xff) << 16 |
		(unsigned long)sgi << 24;

	if (!gic_v3()) {
		asm volatile("dsb sy" : : : "memory");
		*reg32(GICD + GICD_SGIR) = gicc_mask(target) << 16 | sgi;
		return;
	}
	asm volatile("dsb sy; msr S3_0_C12_C11_5, %0; isb" : : "r" (v));
}

static void wait_for(volatile unsigned int *word, unsigned int mask)
{
	unsigned long n;

	for (n = 0; n < WAIT_LOOPS && (*word & mask) != mask; n++)
		;
}

/* Our redistributor: walk the frames as an OS does. */
static unsigned long find_redist(void)
{
	unsigned long rd = GICR, aff = mpidr(), typer;
	unsigned int n;

	for (n = 0; n < 8; n++, rd += GICR_STRIDE) {
		typer = *(volatile unsigned long *)(rd + 8);
		if ((typer >> 32) == (((aff >> 8) & 0xff000000) | (aff & 0xffffff)))
			return rd;
		if (typer & (1 << 4))
			break;
	}
	return 0;
}

/* Our CPU interface on: GICv3 system registers, GICv2 the GICC page. */
static int gic_cpu_on(void)
{
	unsigned long rd;

	if (!gic_v3()) {
		*reg32(GICC + GICC_PMR) = 0xff;
		*reg32(GICC + GICC_CTLR) = 1;
		*reg32(GICD + 0x100) = 0x7fff;		/* SGIs 0..14 */
		return 1;
	}
	rd = find_redist();
	if (!rd) {
		puts("INMATE: no redistributor\n");
		return 0;
	}
	asm volatile("msr S3_0_C12_C12_5, %0; isb" : : "r" (1UL));	/* SRE */
	asm volatile("msr S3_0_C4_C6_0, %0" : : "r" (0xffUL));	/* PMR */
	asm volatile("msr S3_0_C12_C12_7, %0; isb" : : "r" (1UL));	/* IGRPEN1 */
	*reg32(rd + GICR_SGI + 0x100) = 0x7fff;		/* SGIs 0..14 */
	return 1;
}

/* Route shared interrupt @irq to this CPU: IROUTER or ITARGETSR. */
static void route_here(unsigned int irq)
{
	if (!gic_v3())
		*reg8(GICD + GICD_ITARGETSR + irq) = gicc_mask(mpidr());
	else
		*(volatile unsigned long *)(GICD + 0x6000 + irq * 8) =
			mpidr() & 0xffffff;
}

static unsigned long route_of(unsigned int irq)
{
	if (!gic_v3())
		return *reg8(GICD + GICD_ITARGETSR + irq);
	return *(volatile unsigned long *)(GICD + 0x6000 + irq * 8);
}

static void gic_tests(void)
{
	unsigned long self = mpidr(), v;
	unsigned int spi = shared[OWN_SPI], n;

	if (!gic_cpu_on())
		return;
	asm volatile("msr daifclr, #2; isb");

	send_sgi(1, self);
	wait_for(&shared[SGI_BITS], 1 << 1);
	/* eight at once, with interrupts masked: more than list registers */
	asm volatile("msr daifset, #2; isb");
	for (n = 0; n < 8; n++)
		send_sgi(n, self);
	asm volatile("msr daifclr, #2; isb");
	wait_for(&shared[SGI_BITS], 0xff);

	/* what is not ours */
	send_sgi(9, shared[TARGET]);
	/* SGI 10 to every other CPU: ICC_SGI1R.IRM, GICD_SGIR filter 1 */
	if (gic_v3())
		asm volatile("dsb sy; msr S3_0_C12_C11_5, %0; isb"
			     : : "r" (1UL << 40 | 10UL << 24));
	else
		*reg32(GICD + GICD_SGIR) = 1U << 24 | 10;
	*reg32(GICD + 0x104) = 1 << 1;			/* ISENABLER1: SPI 33 */
	route_here(33);
	if (gic_v3())
		*reg32(GICR + GICR_SGI + 0x100) = 1 << 5;	/* CPU 0's PPI */
	v = *reg32(GICD + 0x104) | route_of(33);
	shared[FOREIGN] = v;

	if (spi) {
		route_here(spi);
		*reg32(GICD + 0x100 + spi / 32 * 4) = 1U << (spi % 32);
		*reg32(GICD + 0x200 + spi / 32 * 4) = 1U << (spi % 32);
		wait_for(&shared[SPI_SEEN], 1);
	}
	shared[IRQ_DONE] = 1;
	puts("INMATE: interrupt tests done\n");
}

static void psci_tests(void)
{
	shared[PSCI_VER] = psci(0x84000000, 0, 0, 0);
	shared[PSCI_FEAT] = psci(0x8400000a, 0xc4000003, 0, 0) |
		psci(0x8400000a, 0x84000009, 0, 0) |
		psci(0x8400000a, 0x80000000, 0, 0);
	shared[SMCCC_VER] = psci(0x80000000, 0, 0, 0);
	shared[ARCH_FEAT] = psci(0x80000001, 0x80008000, 0, 0);
	shared[SIP_RESULT] = psci(0xc2000000, 0, 0, 0);
	shared[SUSPEND_RESULT] = psci(0xc4000001, 0, 0, 0);
	if (shared[BOOTS] == 1) {
		puts("INMATE: SYSTEM_RESET\n");
		psci(0x84000009, 0, 0, 0);
	} else {
		puts("INMATE: SYSTEM_OFF\n");
		psci(0x84000008, 0, 0, 0);
	}
	puts("INMATE: ERROR still running after SYSTEM_OFF/RESET\n");
}

/* shared[WIDTH]: width | instruction << 8 (root.h's enum probe_insn) */
enum { PLAIN, PAIR, EXCLUSIVE, WRITEBACK };

/* An access the syndrome does not describe: must stop the cell. */
static unsigned long undecodable_access(unsigned long addr, int write,
					unsigned long v)
{
	unsigned int status;

	switch (shared[WIDTH] >> 8) {
	case PAIR:
		if (write)
			asm volatile("stp %w0, %w0, [%1]"
				     : : "r" (v), "r" (addr) : "memory");
		else
			asm volatile("ldp %w0, %w0, [%1]"
				     : "=&r" (v) : "r" (addr) : "memory");
		break;
	case EXCLUSIVE:
		if (write)
			asm volatile("stxr %w0, %w1, [%2]" : "=&r" (status)
				     : "r" (v), "r" (addr) : "memory");
		else
			asm volatile("ldxr %w0, [%1]"
				     : "=r" (v) : "r" (addr) : "memory");
		break;
	default:
		if (write)
			asm volatile("str %w1, [%0], #4" : "+r" (addr)
				     : "r" (v) : "memory");
		else
			asm volatile("ldr %w1, [%0], #4" : "+r" (addr),
				     "=r" (v) : : "memory");
	}
	return v;
}

static void bus_access(void)
{
	unsigned long addr = shared[ADDR], v;

	if (shared[WIDTH] >> 8) {
		shared[VALUE] = undecodable_access(addr, 0, 0);
		return;
	}
	switch (shared[WIDTH]) {
	case 1: v = *(volatile unsigned char *)addr; break;
	case 2: v = *(volatile unsigned short *)addr; break;
	case 8: v = *(volatile unsigned long *)addr; break;
	default: v = *(volatile unsigned int *)addr; break;
	}
	shared[VALUE] = v;
}

static void write_access(void)
{
	unsigned long addr = shared[ADDR], v = shared[VALUE];

	if (shared[WIDTH] >> 8) {
		undecodable_access(addr, 1, v);
		return;
	}
	switch (shared[WIDTH]) {
	case 1: *(volatile unsigned char *)addr = v; break;
	case 2: *(volatile unsigned short *)addr = v; break;
	case 8: *(volatile unsigned long *)addr = v; break;
	default: *(volatile unsigned int *)addr = v; break;
	}
}

#define WRITE_SYSREG(reg, val) \
	asm volatile("msr " #reg ", %0; isb" : : "r" ((unsigned long)(val)))
#define READ_SYSREG(reg) ({ unsigned long __v; \
	asm volatile("isb; mrs %0, " #reg : "=r" (__v)); __v; })

static long exits(void)
{
	return jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO,
				   mpidr() & 0xff,
				   JAILHOUSE_CPU_INFO_STAT_BASE +
				   JAILHOUSE_CPU_STAT_VMEXITS_TOTAL);
}

/* Leave as much state as a cell can on this CPU, and look for traps. */
static void pollute(void)
{
	unsigned long before, cycles;
	int n;

	before = exits();
	for (n = 0; n < 10; n++)
		WRITE_SYSREG(actlr_el1, READ_SYSREG(actlr_el1));
	WRITE_SYSREG(pmcr_el0, 1);			/* E */
	WRITE_SYSREG(pmccfiltr_el0, 1UL << 27);		/* NSH: count EL2 */
	WRITE_SYSREG(pmcntenset_el0, 1UL << 31);
	WRITE_SYSREG(pmintenset_el1, 1UL << 31);
	WRITE_SYSREG(dbgbvr0_el1, 0x1234000);
	WRITE_SYSREG(dbgbcr0_el1, 0x1e5);
	WRITE_SYSREG(dbgwvr0_el1, 0x5678000);
	shared[TRAPS] = exits() - before;
	cycles = READ_SYSREG(pmccntr_el0);
	for (n = 0; n < 10; n++)
		exits();
	shared[PMU_DELTA] = READ_SYSREG(pmccntr_el0) - cycles;
	WRITE_SYSREG(cntp_cval_el0, 0x1234567);
	WRITE_SYSREG(cntv_cval_el0, 0x7654321);
	/* level 1, set 0, way 0: each traps (HCR_EL2.TSW) */
	asm volatile("dc isw, %0; dc csw, %0; dc cisw, %0"
		     : : "r" (0UL) : "memory");
}

static void report_state(void)
{
	shared[ST_PMCR] = READ_SYSREG(pmcr_el0) & 0xff;
	shared[ST_PMCNTEN] = READ_SYSREG(pmcntenset_el0);
	shared[ST_PMINTEN] = READ_SYSREG(pmintenset_el1);
	shared[ST_PMCCFILTR] = READ_SYSREG(pmccfiltr_el0);
	shared[ST_DBGBVR] = READ_SYSREG(dbgbvr0_el1);
	shared[ST_DBGBCR] = READ_SYSREG(dbgbcr0_el1);
	shared[ST_DBGWVR] = READ_SYSREG(dbgwvr0_el1);
	shared[ST_CNTP_CVAL] = READ_SYSREG(cntp_cval_el0);
	shared[ST_CNTV_CVAL] = READ_SYSREG(cntv_cval_el0);
}

/* CPU 0's redistributor: what a cell may see of a foreign frame. */
static void foreign_redist(void)
{
	unsigned long rd = find_redist();

	/* and of its own: the LPI tables are the root's */
	if (rd) {
		shared[R_OWN_PROPBASER] = *(volatile unsigned long *)(rd + 0x70) |
			*(volatile unsigned long *)(rd + 0x70) >> 32;
		shared[R_OWN_PENDBASER] = *(volatile unsigned long *)(rd + 0x78) |
			*(volatile unsigned long *)(rd + 0x78) >> 32;
	}
	shared[R_TYPER] = *(volatile unsigned long *)(GICR + 0x08) >> 32 |
		(*(volatile unsigned long *)(GICR + 0x08) & 0x10);
	shared[R_PIDR2] = *reg32(GICR + 0xffe8);
	shared[R_CTLR] = *reg32(GICR + 0x0) | 0x80000000;
	shared[R_PROPBASER] = *(volatile unsigned long *)(GICR + 0x70) |
		*(volatile unsigned long *)(GICR + 0x70) >> 32;
	shared[R_PENDBASER] = *(volatile unsigned long *)(GICR + 0x78) |
		*(volatile unsigned long *)(GICR + 0x78) >> 32;
}

/*
 * AArch32 at EL0 (which every cell may use, like Linux' compat tasks): its
 * exits to the hypervisor - a stage-2 abort, a physical interrupt - must
 * be handled as those from AArch64.  The A32 code (start.S) may use the
 * virtual timer (CNTKCTL_EL1.EL0VTEN).
 */
static void aarch32_el0(void)
{
	unsigned long esr;

	if (!gic_cpu_on())
		return;
	if (gic_v3())
		*reg32(find_redist() + GICR_SGI + 0x100) = 1U << TIMER_PPI;
	else
		*reg32(GICD + 0x100) = 1U << TIMER_PPI;
	asm volatile("msr cntkctl_el1, %0; isb" : : "r" (1UL << 8));	/* EL0VTEN */
	shared[A32_VALUE] = run_a32_el0(a32_code, GICD + 4,
					(unsigned long)&shared[A32_IRQS]);
	asm volatile("mrs %0, esr_el1" : "=r" (esr));
	shared[A32_EC] = esr >> 26;
	asm volatile("msr cntv_ctl_el0, xzr; msr cntkctl_el1, xzr; isb");
}

void secondary_main(void)
{
	while (1)
		shared[SECOND]++;
}

static void start_second_cpu(void)
{
	unsigned long target = shared[TARGET];

	shared[PSCI_RESULT] = psci(0xc4000003, target,
				   (unsigned long)secondary_start,
				   (unsigned long)(second_stack + 512));
	while (psci(0xc4000004, target, 0, 0) != 0)	/* AFFINITY_INFO */
		;
	while (shared[SECOND] < 100)
		;
	puts("INMATE: second CPU running\n");
}

void inmate_main(void)
{
	struct jailhouse_comm_region *comm = COMM;
	unsigned int mode = shared[MODE];
	const char *s;
	long ret;
	__u32 msg;

	*(volatile unsigned long *)SECRET_ADDR = SECRET;
	if (mode == 'q') {
		shared[GREETED] = 1;
		bus_access();
		shared[HEARTBEAT] = 0xdead;
		while (1)
			;
	}
	shared[BOOTS]++;
	puts("INMATE: hello from a cell, mode ");
	putc(mode);
	puts(", comm region ");
	puts(comm->signature[0] == 'J' && comm->revision == 2 ?
	     "ok\n" : "BAD\n");

	/* A refused management call, and the virtual debug console. */
	ret = jailhouse_call_arg1(JAILHOUSE_HC_CELL_GET_STATE, 0);
	shared[EPERM_SEEN] = ret;
	puts("INMATE: management call returned ");
	puthex(ret);
	puts("\n");
	/*
	 * The greeting's last line goes through the hypervisor console: its
	 * console ring tells a root that cannot read the shared page (memory
	 * outside the root) that the UART is free again.
	 */
	for (s = "INMATE: via hypercall\n", ret = 0; *s && !ret; s++)
		ret = jailhouse_call_arg1(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, *s);
	shared[PUTC_RESULT] = ret;

	if (mode == 'm' || mode == 'F')
		start_second_cpu();
	if (mode == 'g')
		gic_tests();
	if (mode == 'P')
		pollute();
	if (mode == 'S') {
		report_state();
		foreign_redist();
	}
	if (mode == 'R')
		foreign_redist();
	if (mode == 'a')
		aarch32_el0();

	/* The console is shared: the root waits for this before it prints. */
	shared[GREETED] = 1;
	if (mode == 'p')
		psci_tests();
	if (mode == 'f' || mode == 'F') {
		puts("INMATE: touching memory outside my regions\n");
		*(volatile unsigned int *)FORBIDDEN = 0xdead;
		puts("INMATE: ERROR still running after the fault\n");
	}
	if (mode == 'w')
		write_access();
	if (mode == 'E') {
		asm volatile("hvc #0x5e55" : : : "memory");
		puts("INMATE: ERROR still running after the SError\n");
	}
	if (mode == 'A')
		asm volatile("msr daifclr, #4; isb");
	if (mode == 'b') {
		puts("INMATE: accessing the device behind my sub-page region\n");
		bus_access();
		puts("INMATE: bus access done\n");
	}

	while (1) {
		shared[HEARTBEAT]++;
		if (mode == 'k')
			comm->cell_state = shared[HOLD] ?
				JAILHOUSE_CELL_RUNNING_LOCKED :
				JAILHOUSE_CELL_RUNNING;
		msg = comm->msg_to_cell;
		if (mode == 's' || msg == JAILHOUSE_MSG_NONE)
			continue;
		shared[MESSAGES]++;
		if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST) {
			if (mode == 'd' && shared[HOLD]) {
				puts("INMATE: denying shutdown\n");
				jailhouse_send_reply_from_cell(comm,
					JAILHOUSE_MSG_REQUEST_DENIED);
			} else {
				puts("INMATE: shutdown approved\n");
				jailhouse_send_reply_from_cell(comm,
					JAILHOUSE_MSG_REQUEST_APPROVED);
			}
		} else if (msg == JAILHOUSE_MSG_RECONFIG_COMPLETED) {
			jailhouse_send_reply_from_cell(comm,
				JAILHOUSE_MSG_RECEIVED);
		} else {
			jailhouse_send_reply_from_cell(comm,
				JAILHOUSE_MSG_UNKNOWN);
		}
	}
}
