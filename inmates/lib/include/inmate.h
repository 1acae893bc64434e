/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: the interface inmates program against. */

#ifndef _INMATE_H
#define _INMATE_H

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef _Bool bool;

#define true	1
#define false	0
#define NULL	((void *)0)

#define __aligned(n)	__attribute__((aligned(n)))
#define __noreturn	__attribute__((noreturn))
#define barrier()	asm volatile("" : : : "memory")

/*
 * Program entry and basic services (every architecture)
 */

/** Entry point of every inmate, called after stack and BSS are set up. */
void inmate_main(void);

/** Write one character to the inmate's console (arch/board specific). */
void arch_console_putc(char c);

/**
 * Print a formatted string. Understood: %s %c %d %i %u %x %X %p %%, the
 * length modifiers l and ll, a field width and the '0' and '-' flags.
 * Not serialised between CPUs: let one CPU print at a time.
 */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Stop this CPU for good (interrupts masked). */
void __noreturn stop(void);

/* String and memory helpers (freestanding; the compiler may call these). */
void *memset(void *s, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, unsigned long n);
char *strchr(const char *s, int c);

/**
 * 64-bit unsigned division without compiler runtime helpers (32-bit
 * targets have no libgcc here). Returns @n / @d and, if @rem is not NULL,
 * stores the remainder.
 */
u64 udiv64(u64 n, u64 d, u64 *rem);

/**
 * Bump allocator on the RAM behind the image (starting at heap_start, see
 * inmate.lds.S); nothing checks the end of the cell's RAM. Not serialised
 * between CPUs.
 * @param size   bytes wanted
 * @param align  power of two alignment (0 or 1: none)
 * @return the block, never freed; NULL if the heap would wrap.
 */
void *alloc(unsigned long size, unsigned long align);
/** Current end of the heap (first unused byte). */
extern unsigned long heap_pos;

/*
 * Command line: a NUL-terminated string at image offset 0x1000, filled in
 * by `jailhouse cell load -s "..." -a 0x1000` or at build time. Options are
 * blank separated "name=value" or bare "name" tokens.
 */

/** Size of the default command line buffer (an inmate may provide its own). */
#define CMDLINE_BUFFER_SIZE	256
/** Reserve a command line buffer of @size bytes instead of the default. */
#define CMDLINE_BUFFER(size) \
	char cmdline[size] __attribute__((section(".cmdline")))
/** Provide a command line at build time (still overridable at load time). */
#define CMDLINE_DEFAULT(string) \
	char cmdline[CMDLINE_BUFFER_SIZE] __attribute__((section(".cmdline"))) \
		= string
extern char cmdline[];

/**
 * Value of option @param as a string, copied into @buf (at most @size - 1
 * characters, always terminated). Returns @buf, or @defval if the option is
 * missing.
 */
const char *cmdline_parse_str(const char *param, char *buf,
			      unsigned long size, const char *defval);
/** Integer option: decimal, 0x hex, 0 octal, optional '-'. */
long long cmdline_parse_int(const char *param, long long defval);
/** Boolean option: "name", "name=1|true|on|yes" or "name=0|false|off|no". */
bool cmdline_parse_bool(const char *param, bool defval);

/*
 * Test helpers: one line per check, then a summary that pytest parses:
 *   "Testing finished (N passed, M failed)"
 *   "JAILHOUSE-TEST-RESULT: PASS|FAIL passed=N failed=M"
 */
#define EXPECT_EQUAL(a, b) \
	test_expect_equal((u64)(a), (u64)(b), #a, #b, __FILE__, __LINE__)
#define EXPECT_TRUE(cond) \
	test_expect_equal(!!(cond), 1, #cond, "true", __FILE__, __LINE__)
#define EXPECT_STR_EQUAL(a, b) \
	test_expect_equal(strcmp((a), (b)), 0, #a, #b, __FILE__, __LINE__)

/** Record one check; returns whether it passed. */
bool test_expect_equal(u64 a, u64 b, const char *a_str, const char *b_str,
		       const char *file, int line);
/** Print the summary lines; returns true if every check passed. */
bool test_summary(void);
/** True while no check has failed. */
extern bool all_passed;

/*
 * Memory-mapped I/O
 */
static inline u8 mmio_read8(unsigned long addr)
{
	return *(volatile u8 *)addr;
}

static inline u16 mmio_read16(unsigned long addr)
{
	return *(volatile u16 *)addr;
}

static inline u32 mmio_read32(unsigned long addr)
{
	return *(volatile u32 *)addr;
}

static inline void mmio_write8(unsigned long addr, u8 value)
{
	*(volatile u8 *)addr = value;
}

static inline void mmio_write16(unsigned long addr, u16 value)
{
	*(volatile u16 *)addr = value;
}

static inline void mmio_write32(unsigned long addr, u32 value)
{
	*(volatile u32 *)addr = value;
}

#if defined(__arm__) || defined(__aarch64__)
/*
 * ARM and ARM64 only
 */

/* Default devices of QEMU virt, used when neither comm region nor command
 * line say otherwise. */
#define QEMU_VIRT_PL011_BASE	0x09000000UL
#define QEMU_VIRT_GICD_BASE	0x08000000UL
#define QEMU_VIRT_GICC_BASE	0x08010000UL
#define QEMU_VIRT_GICR_BASE	0x080a0000UL

/**
 * The cell's communication region at JAILHOUSE_COMM_REGION_ADDR_ARM, or
 * NULL when the inmate runs without the hypervisor (no "JHCOMM" there).
 */
extern struct jailhouse_comm_region *comm_region;

/** Set cell_state in the comm region (JAILHOUSE_CELL_RUNNING[_LOCKED]). */
void comm_region_set_state(u32 state);
/** Pending message (JAILHOUSE_MSG_*), JAILHOUSE_MSG_NONE if none. */
u32 comm_region_poll(void);
/** Answer the pending message (JAILHOUSE_MSG_REQUEST_APPROVED, ...). */
void comm_region_reply(u32 reply);
/**
 * Poll once and answer what is pending: a shutdown request is approved if
 * @allow_shutdown, else denied; reconfiguration notices are acknowledged,
 * anything else is answered "unknown".
 * @return the message that was handled, JAILHOUSE_MSG_NONE if none.
 */
u32 comm_region_service(bool allow_shutdown);

/** Issue a Jailhouse hypercall (hvc #0x4a48). */
unsigned long hypercall(unsigned long code, unsigned long arg1,
			unsigned long arg2);

/*
 * Console. Command line options (upstream names): con-type=PL011|8250|
 * JAILHOUSE|NONE, con-base=<address>, con-divider=<n> (0: keep the
 * hardware's setting), con-regdist-1 (8250: byte-spaced registers),
 * con-virtual (print through the hypervisor's debug console hypercall).
 * Defaults come from the comm region's console descriptor, bare: PL011 at
 * 0x09000000.
 */
void console_init(void);
/** Console driver in use: "PL011", "8250", "JAILHOUSE" or "NONE". */
const char *console_type(void);

/*
 * Interrupts (GICv2 or GICv3, chosen from the comm region, else probed).
 * Without the hypervisor, the distributor is set up by the library too.
 */
typedef void (*irq_handler_t)(unsigned int irq);

/** Set up the interrupt controller for this CPU, install @handler as the
 * default handler and unmask interrupts at the CPU. */
void irq_init(irq_handler_t handler);
/** Route @irq to a handler of its own instead of the default one. */
void irq_register(unsigned int irq, irq_handler_t handler);
/** Enable delivery of SGI/PPI/SPI @irq to this CPU. */
void irq_enable(unsigned int irq);
/** Disable delivery of @irq. */
void irq_disable(unsigned int irq);
/** Send software-generated interrupt @sgi (0..15) to the CPU @mpidr
 * (GICv2: CPU interface number taken from Aff0). */
void irq_send_sgi(unsigned long mpidr, unsigned int sgi);
/** GIC architecture version in use (2 or 3). */
unsigned int gic_version(void);
/** Counter value sampled at entry to the last IRQ taken on this CPU. */
u64 irq_entry_ticks(void);

/* Unmask / mask IRQs at this CPU. */
void arch_irq_enable(void);
void arch_irq_disable(void);

/*
 * ARM generic timer, virtual view (CNTV_*), interrupt TIMER_IRQ (PPI 27).
 */
#define TIMER_IRQ	27

/** Counter frequency in Hz (CNTFRQ). */
unsigned long timer_get_frequency(void);
/** Current counter value (CNTVCT). */
u64 timer_get_ticks(void);
/** Convert counter ticks to nanoseconds. */
u64 timer_ticks_to_ns(u64 ticks);
/** Fire TIMER_IRQ @ticks from now. */
void timer_start(u64 ticks);
/** Fire TIMER_IRQ when the counter reaches @deadline (absolute). */
void timer_start_at(u64 deadline);
/** Disable the timer (and its interrupt). */
void timer_stop(void);
/** Busy-wait for @us microseconds. */
void delay_us(unsigned long us);

/*
 * PSCI and secondary CPUs. The conduit is smc in a cell (the hypervisor
 * traps it); without the hypervisor it is smc if EL3 exists, else hvc (as
 * QEMU virt without virtualization=on). Option psci-conduit=smc|hvc wins.
 */
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)

/** Raw PSCI call through the selected conduit. */
long psci_call(unsigned long fn, unsigned long a1, unsigned long a2,
	       unsigned long a3);
/** PSCI_VERSION: major << 16 | minor. */
long psci_version(void);
/** Start the CPU @target_mpidr at physical address @entry, x0/r0 = @ctx. */
long psci_cpu_on(unsigned long target_mpidr, unsigned long entry,
		 unsigned long ctx);
/** Turn the calling CPU off; returns only on failure. */
long psci_cpu_off(void);
/** Power the system off (QEMU exits); returns only on failure. */
long psci_system_off(void);
/** Conduit in use: "smc" or "hvc". */
const char *psci_conduit(void);

/** MPIDR affinity bits of the calling CPU (Aff3..Aff0). */
unsigned long cpu_mpidr(void);
/**
 * Start the CPU @mpidr with its own stack (@stack_size bytes from the heap)
 * and run @entry(@arg) on it. Exceptions vectors are installed; call
 * irq_init() there if the CPU wants interrupts.
 * @return PSCI_SUCCESS or a negative PSCI error.
 */
long smp_start_cpu(unsigned long mpidr, void (*entry)(void *arg), void *arg,
		   unsigned long stack_size);

/**
 * Read the 32-bit word at @addr, surviving an external abort.
 * @return true and *@value if it could be read, false if the access faulted.
 */
bool probe_read32(unsigned long addr, u32 *value);

/** Leave: PSCI SYSTEM_OFF without the hypervisor, else stop(). */
void __noreturn inmate_exit(void);
#endif /* __arm__ || __aarch64__ */

#endif /* !_INMATE_H */
