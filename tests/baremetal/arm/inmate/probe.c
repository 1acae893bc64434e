/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hostile probe inmate for the ARMv7 hypervisor tests (the 32-bit sibling
 * of tests/baremetal/arm64/inmate/probe.c, with the word layout of
 * ../probe.h).  The root program writes a mode letter to
 * the first word of the shared page (guest-physical SHARED_PAGE) before it
 * starts the cell; the probe reports in the words after it:
 *
 *   'r'  run: print a greeting, answer the comm region's messages (deny a
 *        shutdown while shared[HOLD] is non-zero), count heartbeats
 *   's'  silent: like 'r', never answering messages
 *   'g'  interrupts, polling the virtual GIC CPU interface: an SGI to
 *        itself (must arrive), SGI 9 to the CPU number shared[TARGET]
 *        (not its own), SGI 10 to all other CPUs (none of the cell's),
 *        enable and route SPI 33 (not its own); then as 'r', counting
 *        the SGIs that arrive
 *   'p'  PSCI/SMCCC queries, CPU_ON of CPU shared[TARGET] (not its own); SYSTEM_RESET on
 *        the first boot, SYSTEM_OFF on the second
 *   'b'  read 4 bytes at shared[TARGET] (an emulated sub-page region whose
 *        device aborts): the cell must stop there
 *   'v'  read shared[WIDTH] bytes (4 if 0) at shared[TARGET]
 *        into shared[BUS_VALUE], then as 'r'
 *   'w'  write shared[BUS_VALUE] to shared[TARGET] with shared[WIDTH]
 *        bytes, then as 'r'
 *        ('v', 'w': bits 8.. of shared[WIDTH] may name a doubleword
 *        pair, exclusive or post-indexed access instead, see root.h)
 *   'Z'  leave state on the CPU (floating point registers and FPSCR,
 *        timer compare values, PAR - the result of the last address
 *        translation), shared[POLLUTED] if it stuck, then as 'r'
 *   'S'  report that state (a new cell on the CPU 'Z' ran on), then as
 *        'r'
 *   'P'  ACTLR write, PMU and debug register accesses (trapped: writes
 *        ignored, read as zero), data cache invalidate, clean, and clean
 *        and invalidate by set/way (trapped), conditional PMCR reads (ARM:
 *        one failing, one passing; Thumb: the passing first of an ITE
 *        block, whose else instruction must not run), then as 'r'
 *   'E'  cause an SError (HVC #0x5e55 of a CONFIG_ARM_TEST_SERROR
 *        hypervisor): the cell must stop there
 *   'A'  count the start in shared[BOOTS], unmask asynchronous aborts,
 *        then as 'r' (one pending from the CPU's last owner would send
 *        it through its vector at 0x10, into its start code, again)
 *   'K'  emulated MMIO with banked registers: in FIQ, IRQ, SVC, ABT, UND
 *        and SYS mode, a store of the mode's own r8/r12 (FIQ), sp or lr
 *        to GICD_IPRIORITYR0 and a load back into it; the round trips
 *        that lost the value set their bit in shared[BANKED_BAD]; then
 *        as 'r'
 */

#include <jailhouse/hypercall.h>
#include "../probe.h"

typedef _Bool bool;

#define UART		0x09000000UL
#define COMM		((struct jailhouse_comm_region_generic *)0x80000000UL)
#define GICD		0x08000000UL
#define GICD_ISENABLER	0x100
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICC		0x08010000UL	/* the virtual CPU interface */
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define SELF_SGI	5
#define FOREIGN_SGI	9
#define OTHERS_SGI	10
#define FOREIGN_SPI	33

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_ON		0x84000003UL
#define PSCI_AFFINITY_INFO	0x84000004UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_SYSTEM_RESET	0x84000009UL
#define PSCI_FEATURES		0x8400000aUL
#define SMCCC_VERSION		0x80000000UL

void inmate_main(void);

static volatile unsigned int *const shared = (void *)SHARED_PAGE;

static volatile unsigned int *reg32(unsigned long addr)
{
	return (volatile unsigned int *)addr;
}

static void putc(char c)
{
	while (*reg32(UART + 0x18) & (1 << 5))
		;
	*reg32(UART) = c;
}

static void puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc('\r');
		putc(*s);
	}
}

static long smc(unsigned long fn, unsigned long a1, unsigned long a2,
		unsigned long a3)
{
	register unsigned long r0 asm("r0") = fn, r1 asm("r1") = a1;
	register unsigned long r2 asm("r2") = a2, r3 asm("r3") = a3;

	asm volatile(".arch_extension sec\n\tsmc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3) : : "memory");
	return r0;
}

static unsigned long mpidr(void)
{
	unsigned long v;

	asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r" (v));
	return v & 0xffffff;
}

/* Acknowledge one pending interrupt, if any, and count it. */
static void poll_gic(void)
{
	unsigned int irq = *reg32(GICC + GICC_IAR) & 0x3ff;

	if (irq >= 1020)
		return;
	if (irq < 16)
		shared[SGI_COUNT + irq]++;
	*reg32(GICC + GICC_EOIR) = irq;
}

/* Answer the comm region's messages, beat, forever. */
static void run(bool greet)
{
	unsigned int msg;

	COMM->cell_state = JAILHOUSE_CELL_RUNNING;
	if (greet)
		puts("PROBE: hello from a 32-bit cell\n");
	shared[GREETED] = 1;
	while (1) {
		shared[HEARTBEAT]++;
		if (shared[MODE] == 'g')
			poll_gic();
		msg = COMM->msg_to_cell;
		if (msg == JAILHOUSE_MSG_NONE || shared[MODE] == 's')
			continue;
		shared[MESSAGES]++;
		COMM->msg_to_cell = JAILHOUSE_MSG_NONE;
		if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST && shared[HOLD]) {
			COMM->reply_from_cell = JAILHOUSE_MSG_REQUEST_DENIED;
		} else if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST) {
			COMM->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
			COMM->reply_from_cell = JAILHOUSE_MSG_REQUEST_APPROVED;
		} else {
			COMM->reply_from_cell = JAILHOUSE_MSG_RECEIVED;
		}
	}
}

static void interrupts(void)
{
	unsigned int n;

	*reg32(GICC + GICC_PMR) = 0xf0;
	*reg32(GICC + GICC_CTLR) = 1;
	/* TargetListFilter 2: to this CPU only */
	*reg32(GICD + GICD_SGIR) = (2 << 24) | SELF_SGI;
	for (n = 0; n < 1000000 && !shared[SGI_COUNT + SELF_SGI]; n++)
		poll_gic();
	*reg32(GICD + GICD_SGIR) = (1U << (16 + shared[TARGET])) | FOREIGN_SGI;
	/* TargetListFilter 1: to every other CPU (the cell has none) */
	*reg32(GICD + GICD_SGIR) = (1 << 24) | OTHERS_SGI;
	*reg32(GICD + GICD_ISENABLER + FOREIGN_SPI / 32 * 4) =
		1U << (FOREIGN_SPI % 32);
	*(volatile unsigned char *)(GICD + GICD_ITARGETSR + FOREIGN_SPI) =
		1U << (mpidr() & 0xff);
	shared[FOREIGN_EN] = *reg32(GICD + GICD_ISENABLER + FOREIGN_SPI / 32 *
				    4);
	shared[FOREIGN_TGT] =
		*(volatile unsigned char *)(GICD + GICD_ITARGETSR + FOREIGN_SPI);
	shared[IRQ_DONE] = 1;
}

static void psci(void)
{
	shared[PSCI_VER] = smc(PSCI_VERSION, 0, 0, 0);
	shared[PSCI_FEAT] = smc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	shared[SMCCC_VER] = smc(SMCCC_VERSION, 0, 0, 0);
	shared[AFF_SELF] = smc(PSCI_AFFINITY_INFO, mpidr(), 0, 0);
	shared[ON_FOREIGN] = smc(PSCI_CPU_ON, shared[TARGET], 0, 0);
	shared[BOOTS]++;
	puts(shared[BOOTS] == 1 ? "PROBE: SYSTEM_RESET\n" :
	     "PROBE: SYSTEM_OFF\n");
	smc(shared[BOOTS] == 1 ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
	puts("PROBE: ERROR still running\n");
}

/*
 * PMCR reads (trapped, read as zero) with conditions: a failing one has no
 * effect (trapped or not: QEMU skips it itself), a passing one traps.  In
 * Thumb, the trapped first instruction of an ITE EQ block is skipped by
 * the hypervisor, which must advance ITSTATE: else the NE instruction
 * after it would run as part of the EQ slot.
 */
static void conditional_reads(void)
{
	unsigned long v = 0x1234, tmp, zero = 0;

	asm volatile("cmp %1, #0\n\tmrcne p15, 0, %0, c9, c12, 0"
		     : "+r" (v) : "r" (zero) : "cc");
	shared[COND_FAIL_READ] = v;
	v = 0x1234;
	asm volatile("cmp %1, #0\n\tmrceq p15, 0, %0, c9, c12, 0"
		     : "+r" (v) : "r" (zero) : "cc");
	shared[COND_PASS_READ] = v;
	v = 0;
	asm volatile(".syntax unified\n\t"
		     "adr %1, 1f + 1\n\t"
		     "bx %1\n\t"
		     ".thumb\n"
		     "1:\tcmp %0, #0\n\t"
		     "ite eq\n\t"
		     "mrceq p15, 0, %1, c9, c12, 0\n\t"
		     "movne %0, #1\n\t"
		     "adr %1, 2f\n\t"
		     "bx %1\n\t"
		     ".balign 4\n\t"
		     ".arm\n"
		     "2:"
		     : "+r" (v), "=&r" (tmp) : : "cc");
	shared[IT_ELSE_RAN] = v;
}

static void cp_registers(void)
{
	unsigned long v;

	asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r" (v));	/* ACTLR */
	shared[ACTLR_BEFORE] = v;
	asm volatile("mcr p15, 0, %0, c1, c0, 1" : : "r" (v ^ 1));
	asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r" (v));
	shared[ACTLR_AFTER] = v;
	/* PMCR.E, PMCNTENSET.C, then the cycle counter */
	asm volatile("mcr p15, 0, %0, c9, c12, 0" : : "r" (1));
	asm volatile("mcr p15, 0, %0, c9, c12, 1" : : "r" (1UL << 31));
	asm volatile("mrc p15, 0, %0, c9, c12, 0" : "=r" (v));
	shared[PMCR_READ] = v;
	asm volatile("mrc p15, 0, %0, c9, c13, 0" : "=r" (v));
	shared[PMCCNTR_READ] = v;
	/* breakpoint value 0 */
	asm volatile("mcr p14, 0, %0, c0, c0, 4" : : "r" (0x1000));
	asm volatile("mrc p14, 0, %0, c0, c0, 4" : "=r" (v));
	shared[DBGBVR_READ] = v;
	conditional_reads();
	/* DCISW, DCCSW, DCCISW of level 1, set 0, way 0 */
	asm volatile("mcr p15, 0, %0, c7, c6, 2" : : "r" (0) : "memory");
	asm volatile("mcr p15, 0, %0, c7, c10, 2" : : "r" (0) : "memory");
	asm volatile("mcr p15, 0, %0, c7, c14, 2" : : "r" (0) : "memory");
}

#define CPACR_CP10_CP11	(0xfUL << 20)
#define FPEXC_EN	(1UL << 30)
#define POLLUTION	0x5a5a5a5aUL

/* cp10/cp11 for PL1; FPEXC before enabling it. */
static unsigned long fp_enable(void)
{
	unsigned long fpexc;

	asm volatile("mcr p15, 0, %0, c1, c0, 2; isb" : : "r" (CPACR_CP10_CP11));
	asm volatile(".fpu vfpv3\n\tvmrs %0, fpexc" : "=r" (fpexc));
	asm volatile(".fpu vfpv3\n\tvmsr fpexc, %0; isb" : : "r" (FPEXC_EN));
	return fpexc;
}

static void pollute(void)
{
	unsigned long lo, hi;

	fp_enable();
	asm volatile(".fpu vfpv3\n\tvmov d0, %0, %0\n\tvmov d31, %0, %0\n\t"
		     "vmsr fpscr, %1" : : "r" (POLLUTION), "r" (0x03c00000UL));
	asm volatile("mcrr p15, 2, %0, %0, c14" : : "r" (POLLUTION));
	asm volatile("mcrr p15, 3, %0, %0, c14" : : "r" (POLLUTION));
	asm volatile(".fpu vfpv3\n\tvmov %0, %1, d31" : "=r" (lo), "=r" (hi));
	shared[POLLUTED] = lo == POLLUTION && hi == POLLUTION;
	/* ATS1CPR of the shared page: PAR holds its address (MMU off) */
	asm volatile("mcr p15, 0, %0, c7, c8, 0; isb" : : "r" (SHARED_PAGE));
	asm volatile("mrrc p15, 0, %0, %1, c7" : "=r" (lo), "=r" (hi));
	shared[POLLUTED] &= (lo & ~0xfffUL) == SHARED_PAGE;
}

static void report_state(void)
{
	unsigned long lo, hi, v;

	shared[ST_FPEXC] = fp_enable();
	asm volatile(".fpu vfpv3\n\tvmrs %0, fpscr" : "=r" (v));
	shared[ST_FPSCR] = v;
	asm volatile(".fpu vfpv3\n\tvmov %0, %1, d0" : "=r" (lo), "=r" (hi));
	shared[ST_D0] = lo | hi;
	asm volatile(".fpu vfpv3\n\tvmov %0, %1, d31" : "=r" (lo), "=r" (hi));
	shared[ST_D31] = lo | hi;
	asm volatile("mrrc p15, 2, %0, %1, c14" : "=r" (lo), "=r" (hi));
	shared[ST_CNTP_CVAL] = lo | hi;
	asm volatile("mrrc p15, 3, %0, %1, c14" : "=r" (lo), "=r" (hi));
	shared[ST_CNTV_CVAL] = lo | hi;
	asm volatile("mrrc p15, 0, %0, %1, c7" : "=r" (lo), "=r" (hi));
	shared[ST_PAR] = lo;
	shared[ST_PAR_HI] = hi;
}

#define GICD_IPRIORITYR0	(GICD + 0x400)	/* SGIs 0..3: the cell's */

/*
 * In mode @mode: @reg := r0, store it to the emulated GICD_IPRIORITYR0,
 * clear it, load it back from there into r0 through @reg.  The mode's
 * own value of @reg is kept in r2, the caller's mode in r3; only r0..r3
 * (never banked) carry values across the mode switches.
 */
#define ROUNDTRIP(mode, reg, pattern) ({				\
	register unsigned long r0 asm("r0") = (pattern);		\
	register unsigned long r1 asm("r1") = GICD_IPRIORITYR0;		\
	asm volatile("mrs r3, cpsr\n\t"					\
		     "cps #" #mode "\n\t"				\
		     "mov r2, " #reg "\n\t"				\
		     "mov " #reg ", r0\n\t"				\
		     "str " #reg ", [r1]\n\t"				\
		     "mov " #reg ", #0\n\t"				\
		     "ldr " #reg ", [r1]\n\t"				\
		     "mov r0, " #reg "\n\t"				\
		     "mov " #reg ", r2\n\t"				\
		     "msr cpsr_c, r3"					\
		     : "+r" (r0) : "r" (r1) : "r2", "r3", "memory");	\
	r0; })

/* modes: 0x11 FIQ, 0x12 IRQ, 0x13 SVC, 0x17 ABT, 0x1b UND, 0x1f SYS */
static void banked_roundtrips(void)
{
	unsigned long got[14], bad = 0;
	unsigned int n;

	got[0] = ROUNDTRIP(0x11, r8, 0x10101010);
	got[1] = ROUNDTRIP(0x11, r12, 0x20202020);
	got[2] = ROUNDTRIP(0x11, sp, 0x30303030);
	got[3] = ROUNDTRIP(0x11, lr, 0x40404040);
	got[4] = ROUNDTRIP(0x12, sp, 0x50505050);
	got[5] = ROUNDTRIP(0x12, lr, 0x60606060);
	got[6] = ROUNDTRIP(0x13, sp, 0x70707070);
	got[7] = ROUNDTRIP(0x13, lr, 0x80808080);
	got[8] = ROUNDTRIP(0x17, sp, 0x90909090);
	got[9] = ROUNDTRIP(0x17, lr, 0xa0a0a0a0);
	got[10] = ROUNDTRIP(0x1b, sp, 0xb0b0b0b0);
	got[11] = ROUNDTRIP(0x1b, lr, 0xc0c0c0c0);
	got[12] = ROUNDTRIP(0x1f, sp, 0xd0d0d0d0);
	got[13] = ROUNDTRIP(0x1f, lr, 0xe0e0e0e0);
	for (n = 0; n < 14; n++)
		if (got[n] != (n + 1) * 0x10101010UL)
			bad |= 1UL << n;
	*reg32(GICD_IPRIORITYR0) = 0;
	shared[BANKED_BAD] = bad;
	shared[BANKED_DONE] = 1;
}

/* One access of shared[WIDTH] bytes at shared[TARGET]: what it read. */
/* shared[WIDTH]: width | instruction << 8 (root.h's enum probe_insn) */
enum { PLAIN, PAIR, EXCLUSIVE, WRITEBACK };

/* An access the syndrome does not describe: must stop the cell. */
static unsigned long undecodable_access(unsigned long addr, bool write,
					unsigned long v)
{
	register unsigned long lo asm("r2") = v, hi asm("r3") = v;
	unsigned long status;

	switch (shared[WIDTH] >> 8) {
	case PAIR:
		if (write)
			asm volatile("strd r2, r3, [%0]" : : "r" (addr),
				     "r" (lo), "r" (hi) : "memory");
		else
			asm volatile("ldrd r2, r3, [%2]" : "=r" (lo), "=r" (hi)
				     : "r" (addr) : "memory");
		return lo;
	case EXCLUSIVE:
		if (write)
			asm volatile("strex %0, %1, [%2]" : "=&r" (status)
				     : "r" (v), "r" (addr) : "memory");
		else
			asm volatile("ldrex %0, [%1]"
				     : "=r" (v) : "r" (addr) : "memory");
		return v;
	default:
		if (write)
			asm volatile("str %1, [%0], #4" : "+r" (addr)
				     : "r" (v) : "memory");
		else
			asm volatile("ldr %1, [%0], #4" : "+r" (addr),
				     "=r" (v) : : "memory");
		return v;
	}
}

static unsigned long sized_access(bool write, unsigned long v)
{
	unsigned long addr = shared[TARGET];

	if (shared[WIDTH] >> 8)
		return undecodable_access(addr, write, v);
	switch (shared[WIDTH]) {
	case 1:
		if (!write)
			return *(volatile unsigned char *)addr;
		*(volatile unsigned char *)addr = v;
		return 0;
	case 2:
		if (!write)
			return *(volatile unsigned short *)addr;
		*(volatile unsigned short *)addr = v;
		return 0;
	default:
		if (!write)
			return *reg32(addr);
		*reg32(addr) = v;
		return 0;
	}
}

void inmate_main(void)
{
	switch (shared[MODE]) {
	case 'g':
		interrupts();
		break;
	case 'p':
		psci();
		return;
	case 'b':
		shared[BUS_VALUE] = *reg32(shared[TARGET]);
		puts("PROBE: ERROR still running after the bus fault\n");
		return;
	case 'v':
		shared[BUS_VALUE] = sized_access(0, 0);
		break;
	case 'w':
		sized_access(1, shared[BUS_VALUE]);
		break;
	case 'P':
		cp_registers();
		break;
	case 'Z':
		pollute();
		break;
	case 'S':
		report_state();
		break;
	case 'K':
		banked_roundtrips();
		break;
	case 'E':
		asm volatile(".arch_extension virt\n\thvc #0x5e55" : : : "memory");
		puts("PROBE: ERROR still running after the SError\n");
		return;
	case 'A':
		shared[BOOTS]++;
		asm volatile("cpsie a; isb" : : : "memory");
		break;
	}
	run(shared[MODE] != 'g');
}
