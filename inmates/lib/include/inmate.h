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

/*
 * Every architecture: comm region, hypercalls, console, exit
 */

/**
 * The cell's communication region at COMM_REGION_ADDR (per arch), or NULL
 * when the inmate runs without the hypervisor (no "JHCOMM" there).
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

/** Issue a Jailhouse hypercall (ARM: hvc #0x4a48; x86: vmcall on Intel,
 * vmmcall on AMD). */
unsigned long hypercall(unsigned long code, unsigned long arg1,
			unsigned long arg2);

/*
 * Console. Command line options (upstream names): con-type=PL011|8250|
 * JAILHOUSE|NONE, con-base=<address or I/O port>, con-divider=<n> (0: keep
 * the hardware's setting), con-regdist-1 (8250: byte-spaced registers),
 * con-mmio (8250 on x86: MMIO instead of I/O ports), con-virtual (print
 * through the hypervisor's debug console hypercall).  Defaults come from
 * the comm region's console descriptor, bare from CONSOLE_DEFAULT_* (ARM:
 * PL011 at 0x09000000; x86: 8250 at I/O port 0x3f8).
 */
void console_init(void);
/** Console driver in use: "PL011", "8250", "JAILHOUSE" or "NONE". */
const char *console_type(void);

/** Busy-wait for @us microseconds. */
void delay_us(unsigned long us);

/*
 * Interrupts.  ARM: @irq is the GIC interrupt ID; x86: the vector
 * (32..255) delivered through the local APIC.
 */
typedef void (*irq_handler_t)(unsigned int irq);

/** Set up the interrupt controller for this CPU, install @handler as the
 * default handler and unmask interrupts at the CPU. */
void irq_init(irq_handler_t handler);
/** Route @irq to a handler of its own instead of the default one. */
void irq_register(unsigned int irq, irq_handler_t handler);
/* Unmask / mask IRQs at this CPU. */
void arch_irq_enable(void);
void arch_irq_disable(void);

/**
 * Leave: without the hypervisor, end the machine (ARM: PSCI SYSTEM_OFF;
 * x86: isa-debug-exit with status 0 if all test checks passed, else 1,
 * then ACPI power-off); in a cell, stop().
 */
void __noreturn inmate_exit(void);

/*
 * PCI configuration space (every architecture).  x86: ports 0xcf8/0xcfc;
 * ARM: the ECAM window at the comm region's pci_mmconfig_base (the
 * hypervisor's virtual PCI host, which carries ivshmem functions), none
 * without the hypervisor (reads all ones).  bdf = bus << 8 | device << 3 |
 * function.
 */
#define PCI_CFG_VENDOR_ID	0x000
#define PCI_CFG_DEVICE_ID	0x002
#define PCI_CFG_COMMAND		0x004
# define PCI_CMD_IO		(1 << 0)
# define PCI_CMD_MEM		(1 << 1)
# define PCI_CMD_MASTER		(1 << 2)
# define PCI_CMD_INTX_OFF	(1 << 10)
#define PCI_CFG_STATUS		0x006
# define PCI_STS_CAPS		(1 << 4)
#define PCI_CFG_BAR		0x010
#define PCI_CFG_CAP_PTR		0x034
#define PCI_CFG_INT		0x03c	/* line, then pin (1 = INTA) at 0x3d */

#define PCI_CAP_MSI		0x05
#define PCI_CAP_MSIX		0x11

#define PCI_ID_ANY		0xffff

/** Read @size (1, 2, 4) bytes at @addr (aligned to @size) of @bdf. */
u32 pci_read_config(u16 bdf, unsigned int addr, unsigned int size);
void pci_write_config(u16 bdf, unsigned int addr, u32 value,
		      unsigned int size);
/** First device from @start_bdf on with the IDs (PCI_ID_ANY matches any);
 * its bdf, or -1. */
int pci_find_device(u16 vendor, u16 device, u16 start_bdf);
/** Config space offset of capability @cap of @bdf, or -1. */
int pci_find_cap(u16 bdf, u16 cap);
/**
 * Find the first function with the IDs (as pci_find_device() from 0), put
 * the address of its memory BAR 0 in *@bar0 and turn on memory decoding
 * and bus mastering (INTx off): its bdf, or -1 (*@bar0 untouched).
 */
int pci_open_device(u16 vendor, u16 device, unsigned long *bar0);

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

#define COMM_REGION_ADDR	JAILHOUSE_COMM_REGION_ADDR_ARM
#define CONSOLE_DEFAULT_TYPE	"PL011"
#define CONSOLE_DEFAULT_BASE	QEMU_VIRT_PL011_BASE
#define CONSOLE_DEFAULT_FLAGS	(JAILHOUSE_CON_ACCESS_MMIO | \
				 JAILHOUSE_CON_REGDIST_4)

/*
 * Interrupts (GICv2 or GICv3, chosen from the comm region, else probed).
 * Without the hypervisor, the distributor is set up by the library too.
 */
/** Enable delivery of SGI/PPI/SPI @irq to this CPU. */
void irq_enable(unsigned int irq);
/** Disable delivery of @irq. */
void irq_disable(unsigned int irq);
/** Send software-generated interrupt @sgi (0..15) to the CPU @mpidr
 * (GICv2: CPU interface number taken from Aff0). */
void irq_send_sgi(unsigned long mpidr, unsigned int sgi);
/** GIC architecture version in use (2 or 3). */
unsigned int gic_version(void);
/**
 * GIC interrupt ID that INTx of the PCI function @bdf raises in this cell
 * (the comm region's vpci_irq_base, the function's interrupt pin), or -1
 * if the function has no pin.
 */
int pci_intx_irq(u16 bdf);
/** Counter value sampled at entry to the last IRQ taken on this CPU. */
u64 irq_entry_ticks(void);


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
#endif /* __arm__ || __aarch64__ */

#if defined(__x86_64__) || defined(__i386__)
/*
 * x86 (64-bit, and 32-bit protected mode with INMATE_32BIT)
 *
 * An x86 inmate starts like a cell CPU: real mode at cpu_reset_address 0
 * (CS 0, IP 0), the image loaded at address 0, its command line at 0x1000,
 * the comm region at 0x100000.  The library switches to flat protected
 * mode and, for 64-bit inmates, to long mode with the first 4 GiB
 * identity-mapped (2 MiB pages; 3..4 GiB uncached for devices).
 */
#define COMM_REGION_ADDR	JAILHOUSE_COMM_REGION_ADDR_X86
#define CONSOLE_DEFAULT_TYPE	"8250"
#define CONSOLE_DEFAULT_BASE	0x3f8
#define CONSOLE_DEFAULT_FLAGS	(JAILHOUSE_CON_ACCESS_PIO | \
				 JAILHOUSE_CON_REGDIST_1)

/*
 * Timing.  The ACPI PM timer port comes from the comm region, else the
 * option pm-timer=<port>, else QEMU q35's 0x608.  TSC and APIC timer
 * frequencies come from the comm region, else they are measured against
 * the PM timer.
 */
#define PM_TIMER_HZ		3579545
#define PM_TIMER_DEFAULT_PORT	0x608

/** I/O port of the PM timer. */
u16 pm_timer_port(void);
/** PM timer in nanoseconds (wraps of the 24-bit counter accounted for if
 * read at least every 4 s). */
u64 pm_timer_read(void);
/** TSC frequency in kHz. */
unsigned long tsc_khz(void);
/** TSC in nanoseconds. */
u64 tsc_read_ns(void);

/*
 * Local APIC (xAPIC MMIO at 0xfee00000, or x2APIC MSRs if enabled).
 */
#define APIC_BASE		0xfee00000UL

/** APIC ID of the calling CPU. */
u32 cpu_apic_id(void);
/** Whether the calling CPU's APIC is in x2APIC mode (the library switches
 * to it where the CPU has it, unless option xapic is given). */
bool apic_x2apic_mode(void);
/** Set up the APIC timer (one-shot) to raise @vector; returns its
 * frequency in kHz. */
unsigned long apic_timer_init(unsigned int vector);
/** Fire the APIC timer once, @timeout_ns from now (0: stop it). */
void apic_timer_set(u64 timeout_ns);
/** Fire the APIC timer every @period_ns (0: stop it). */
void apic_timer_periodic(u64 period_ns);
/** APIC timer ticks since the periodic timer last expired (read first
 * thing in its handler: the interrupt latency, exactly). */
u32 apic_timer_since_expiry(void);
/** Send fixed interrupt @vector to the CPU with APIC ID @apic_id. */
void apic_send_ipi(u32 apic_id, unsigned int vector);
/** Signal end of interrupt (done by the library after each handler). */
void apic_eoi(void);

/*
 * IOAPIC at 0xfec00000: pins routed to the calling CPU.
 */
#define IOAPIC_BASE		0xfec00000UL

enum ioapic_trigger_mode {
	TRIGGER_EDGE = 0,
	TRIGGER_LEVEL_ACTIVE_HIGH = 1 << 15,
	TRIGGER_LEVEL_ACTIVE_LOW = (1 << 15) | (1 << 13),
};

void ioapic_init(void);
/** Deliver @pin as @vector to the calling CPU (and unmask it). */
void ioapic_pin_set_vector(unsigned int pin,
			   enum ioapic_trigger_mode trigger_mode,
			   unsigned int vector);

/*
 * MSI and MSI-X of PCI functions (configuration space: see above).
 */
/** Program and enable MSI of @bdf: @vector to the calling CPU. */
void pci_msi_set_vector(u16 bdf, unsigned int vector);
/** Program and unmask MSI-X entry @index of @bdf (the table's BAR must be
 * mapped and enabled): @vector to the calling CPU. */
void pci_msix_set_vector(u16 bdf, unsigned int vector, u32 index);

/*
 * Other CPUs of the cell, started with INIT-SIPI-SIPI at the reset entry.
 */

/**
 * Start the CPU @apic_id with its own stack (@stack_size bytes from the
 * heap) and run @entry(@arg) there (interrupt table loaded, interrupts
 * off).  @return 0, or -1 if the CPU did not come up within 100 ms.
 */
long smp_start_cpu(u32 apic_id, void (*entry)(void *arg), void *arg,
		   unsigned long stack_size);

/** CPUs of the cell: from the comm region, else option num-cpus=, else 1. */
unsigned int cell_num_cpus(void);

/*
 * Bare runs: the library ends the machine in inmate_exit() through QEMU's
 * isa-debug-exit device at this port (status = value << 1 | 1).
 */
#define DEBUG_EXIT_PORT		0xf4
#endif /* __x86_64__ || __i386__ */

#endif /* !_INMATE_H */
