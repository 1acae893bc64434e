/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library (tests/baremetal/common, arm-common): what every
 * bare-metal root program (<arch>/prog-jailhouse.c) shares.  It plays the
 * driver's part around the scenarios: output and checks, loading and
 * entering the hypervisor on every CPU, waiting for cells and for the
 * console, and running the scenario the test named.
 *
 * Each architecture provides <root-arch.h> (NUM_CPUS, HV_PHYS, HV_BASE,
 * cpu_relax()) and the functions marked "arch" below: the entry call, its
 * CPU commands, the clock, the system configuration it hands over and the
 * exit.  The ARM roots share theirs in arm-common/.
 */

#ifndef _ROOT_H
#define _ROOT_H

#include <baremetal.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/header.h>
#include <jailhouse/hypercall.h>
#include <root-arch.h>

typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE		0x1000UL

#define EPERM	1
#define ENOENT	2
#define E2BIG	7
#define EFAULT	14
#define EBUSY	16
#define EEXIST	17
#define EINVAL	22
#define ENOSYS	38

/*
 * Embed a build product (a macro naming the file, see BLOBS in
 * tests/baremetal/SConscript) as sym[] .. sym_end[].
 */
#define BLOB(sym, file)							\
	asm(".pushsection .rodata.blobs, \"a\"\n.balign 4096\n"		\
	    ".globl " #sym "\n" #sym ":\n.incbin \"" file "\"\n"	\
	    ".globl " #sym "_end\n" #sym "_end:\n.popsection\n");	\
	extern const char sym[], sym##_end[]

/* Every root embeds the hypervisor and its system configuration. */
extern const char hv_image[], hv_image_end[];
extern const char sys_config[], sys_config_end[];

/* ---- output and checks ---- */

/* %s, %d (long) and %x (unsigned long) only. */
void printf(const char *fmt, ...);
/* "ROOT: FAIL line <line>: <message>" and one more failure. */
void fail(long line, const char *fmt, ...);
extern volatile unsigned int failures;
/* Serialise output of several CPUs (default: nothing to do). */
void print_lock(void);
void print_unlock(void);

#define CHECK(cond, ...) do {						\
	if (!(cond))							\
		fail(__LINE__, __VA_ARGS__);				\
} while (0)

#define EXPECT(expr, want) do {						\
	long __got = (expr), __want = (want);				\
	CHECK(__got == __want, "%s = %d, expected %d", #expr, __got,	\
	      __want);							\
} while (0)

/* ---- memory and strings (byte by byte: device memory without MMU) ---- */

void memcpy8(void *dst, const void *src, unsigned long n);
void memset8(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memset(void *dst, int c, unsigned long n);
bool same_string(const char *a, const char *b);

/* ---- hypercalls and the hypervisor's state ---- */

static inline long hc(unsigned long code, unsigned long a1, unsigned long a2)
{
	return jailhouse_call_arg2(code, a1, a2);
}

long pool_used(void);
long remap_used(void);

/* ---- time ---- */

#define WAIT_MS		60000	/* give up waiting for a cell after 60 s */

/* arch: milliseconds since some point (host time under TCG) */
unsigned long now_ms(void);
void sleep_ms(unsigned long ms);
/* Wait (up to WAIT_MS) for cell @id to reach @state; the last state seen. */
long wait_state(long id, long state);

/* ---- the "driver": loading and entering the hypervisor ---- */

/* arch: the system configuration to hand over, @size bytes */
const char *root_system_config(unsigned long *size);
/* The hypervisor image to load (default: hv_image; x86 picks the
 * vendor's). */
const char *root_hypervisor_image(unsigned long *size);
struct jailhouse_header *hv_header(void);
/* The system configuration's copy in the hypervisor memory. */
struct jailhouse_system *hv_system(void);
void load_hypervisor(void);

/* Commands to the root's CPUs; arch commands start at CMD_ARCH. */
enum { CMD_NONE, CMD_ENTER, CMD_DISABLE, CMD_OFF, CMD_DONE, CMD_ARCH };
extern volatile unsigned long cmd[NUM_CPUS], alive[NUM_CPUS];
extern volatile long result[NUM_CPUS];
/* The CPUs the root runs on (the ones enable enters on). */
extern unsigned int online;

/* arch: the driver's entry call on @cpu; its result */
long enter(unsigned int cpu);
/* arch: run command @c (CMD_OFF or an arch one) on @cpu */
void arch_cmd(unsigned int cpu, unsigned long c);
/* ARM programs (optional): run their command @c >= CMD_PROGRAM on @cpu */
void root_program_cmd(unsigned int cpu, unsigned long c);
/* A secondary CPU's command loop (never returns). */
void __attribute__((noreturn)) secondary_loop(unsigned int cpu);
/* Run @c on the CPUs of @mask but 0, and on CPU 0 at the same time. */
void on_each_cpu(unsigned long c, unsigned int mask);
/* result[0], checked to be that of every other CPU of @mask. */
long same_result(unsigned int mask);

/* Damage to the system configuration copy, to test failing entries. */
enum { CFG_OK, CFG_BAD_REVISION, CFG_NO_CPU3, CFG_ARCH };
/* arch (optional): damage @kind >= CFG_ARCH */
void damage_config(struct jailhouse_system *sys, int kind);
/* arch (optional): fit the system configuration to the machine, as a
 * config generator would, before any damage */
void fit_config(struct jailhouse_system *sys, int kind);
/* Load the hypervisor, damage its configuration, enter on online CPUs. */
long enable_with(int damage);
long enable(void);
/* DISABLE on CPU 0 and the CPUs of @mask; the common result. */
long disable_cpus(unsigned int mask);

/* ---- the hypervisor console ring (readable by the root) ---- */

const struct jailhouse_console_ring *console(void);
/* Whether the ring's current content holds @text. */
bool ring_contains(const struct jailhouse_console_ring *ring,
		   const char *text);
/*
 * Wait (up to WAIT_MS) until the console shows a whole line with @text
 * after position @since, and the hypervisor has finished sending it.  A
 * cell prints to the same UART as the root, so the root may speak only
 * once the cell's line is complete.
 */
bool console_shows(unsigned int since, const char *text);
/* Like console_shows(): the position after @text, 0 if it never came. */
unsigned int console_next(unsigned int since, const char *text);

/* ---- ARM roots (arm-common): PSCI and aborts ---- */

/* arch: a firmware (SMC) call */
long smc(unsigned long fn, unsigned long a1, unsigned long a2,
	 unsigned long a3);
extern volatile unsigned long root_aborts, root_abort_addr;
/* Whether a read of @addr did not abort (the root's stage 2 maps it). */
bool root_can_read(unsigned long addr);
/* CMD_OFF on @cpu: it leaves through PSCI CPU_OFF (arch_cmd calls this). */
void psci_cpu_off_self(unsigned int cpu);
/* Turn @cpu off through PSCI and wait until the firmware says so. */
void cpu_off(unsigned long cpu);
/* Bring @cpu up again at @entry and wait for it. */
void cpu_on(unsigned long cpu, void (*entry)(void));

/*
 * ARM: the ivshmem scenario (arm-common/ivshmem-root.c).  The program
 * embeds the ivshmem-demo cell's configuration as ivshmem_cell and
 * inmates/tests/arm-common/ivshmem-peer.bin as ivshmem_image (BLOB()).
 */
extern const char ivshmem_cell[], ivshmem_cell_end[];
extern const char ivshmem_image[], ivshmem_image_end[];
void scenario_ivshmem(void);
/* An image at 0x4f000000 in that cell (upstream's ivshmem-demo). */
void scenario_ivshmem_image(void);

/*
 * The attack scenarios the ARM roots share (arm-common/root-attacks.c) run
 * the program's probe inmate in a cell on CPU PROBE_CPU (<root-arch.h>),
 * which the scenario takes from the root; each program provides these.
 */
/*
 * The instruction of a probe access: a plain load or store, or one the
 * syndrome of a stage-2 abort does not describe (ESR.ISV = 0): a pair
 * (LDP/STP, LDRD/STRD), an exclusive (LDXR/STXR, LDREX/STREX), a
 * post-indexed load or store (register writeback).  These three take
 * width 4.
 */
enum probe_insn { PROBE_PLAIN, PROBE_PAIR, PROBE_EXCLUSIVE, PROBE_WRITEBACK };
/* The probe gets width | insn << PROBE_INSN_SHIFT. */
#define PROBE_INSN_SHIFT	8

/* One access the probe makes once it runs (then it beats, or is stopped). */
struct probe_access {
	unsigned long addr;
	unsigned int width;	/* bytes: 1, 2, 4, 8 (ARM64) */
	bool write;
	unsigned long value;	/* written */
	enum probe_insn insn;
};
/* Where a probe cell's extra region (probe_cell()) appears to it. */
#define PEEK_IPA	0x300000UL
/* arch: a probe cell on @cpu named @name, with the extra memory region
 * @extra and the irqchip entry @irqchip (NULL: none) */
const void *probe_cell(unsigned int cpu, const char *name,
		       const struct jailhouse_memory *extra,
		       const struct jailhouse_irqchip *irqchip);
/* arch: create, load and start the probe of @cfg for @acc: the cell ID or
 * -errno of the creation */
long probe_start(const void *cfg, const struct probe_access *acc);
/* arch: the same for the probe's mode @mode ('E': cause an SError, 'A':
 * unmask SErrors, then beat) */
long probe_run(const void *cfg, char mode);
/* arch: the started probe's heartbeat (0 before the access is done) and
 * the value it read */
unsigned long probe_heartbeat(void);
unsigned long probe_value(void);
/* arch: how often the started probe entered its main function */
unsigned long probe_boots(void);
/* arch: the GIC version of the machine (2 or 3) */
unsigned int gic_version(void);
/* arch: bring @cpu back into the root */
void root_cpu_back(unsigned long cpu);
/*
 * The parts of a cell configuration (on CPU 3, the root's others online)
 * that the shared malformed-cell checks change: its RAM (at guest
 * address 0), a region that is neither RAM nor the comm region, the
 * comm region.
 */
struct bad_cell {
	struct jailhouse_cell_desc *desc;
	void *cpus;		/* the CPU set, 8 bytes after desc */
	struct jailhouse_memory *ram, *other, *comm;
};
/* arch: a fresh valid configuration of that kind, its parts in @b */
const void *malformed_cell(struct bad_cell *b);
/* Hand the hypervisor the malformed cells every ARM root can build
 * (arm-common/root-badconfig.c): each refused, nothing left behind. */
void refuse_malformed_cells(void);
/* The hostile configurations and cells of the ARM roots. */
void scenario_attacks(void);
/*
 * SErrors (arm-common/root-serror.c, a CONFIG_ARM_TEST_SERROR hypervisor):
 * root_serrors counts the ones the root took (the hyp stub's handler);
 * arch: root_masked_serror() masks them, causes one (HVC #0x5e55) and
 * returns whether it is pending (ISR.A), root_take_serror() unmasks them
 * for a moment.  CMD_SERROR has a secondary CPU do the first
 * (root_serror_cmd()).
 */
extern volatile unsigned long root_serrors;
unsigned long root_masked_serror(void);
void root_take_serror(void);
void root_serror_cmd(void);
void scenario_serror(void);
enum { CMD_SERROR = CMD_ARCH, CMD_PROGRAM };
/* CELL_CREATE of @cfg must fail with @err and leave nothing behind. */
void refuse_cfg(const char *what, const void *cfg, long err);
/* A section of checks: section_done() prints "ROOT: <what>" only if none
 * of the checks since section() failed. */
void section(void);
void section_done(const char *what);

/* ---- scenarios ---- */

struct scenario {
	const char *name;
	void (*run)(void);
};

/* arch: leave the machine (QEMU) with exit status @status */
void __attribute__((noreturn)) root_exit(unsigned int status);

/* Run the scenario called @name from @table, print the result line and
 * leave the machine with status 0 on success. */
void __attribute__((noreturn))
run_scenario(const char *name, const struct scenario *table,
	     unsigned int count);

#endif
