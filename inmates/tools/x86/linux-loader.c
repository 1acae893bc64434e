/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse tool inmate, x86: starts a Linux kernel inside a non-root cell
 * (`jailhouse cell linux`, tools/pyjailhouse/cell_linux_x86.py).
 *
 * The tool's contract, the same as upstream Jailhouse's: this image is
 * loaded at 0, the boot parameters over its first three pages behind the
 * start-up code (0x1000-0x3fff): the "zero page" (struct boot_params of
 * Linux's x86 boot protocol) at 0x1000, then the Jailhouse setup_data
 * (type 6) it links to and the kernel command line.  The whole bzImage is
 * loaded so that its protected-mode part starts where the zero page's
 * kernel_alignment field says (the tool puts the kernel's preferred load
 * address there).  The loader completes the setup_data with what only the
 * running cell knows (comm region: PM timer port, MMCONFIG base, TSC and
 * APIC timer frequencies; the APIC IDs of the cell's CPUs) and enters the
 * kernel's 64-bit entry, 0x200 into the protected-mode part, as the boot
 * protocol says: long mode, the kernel, the zero page and the command line
 * identity-mapped (the library maps the first 4 GiB), a GDT with flat code
 * at 0x10 and data at 0x18, interrupts off, %rsi = the zero page.  The
 * cell's other CPUs wait halted for the kernel's INIT and SIPI.
 *
 * Messages go to the hypervisor's console (the cell needs
 * JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED for them to show); on bad
 * parameters the cell's state becomes "failed".
 */

#include <inmate.h>

#define PARAMS_ADDR		0x1000
#define PARAMS_END		0x4000
#define KERNEL_64BIT_ENTRY	0x200
#define SETUP_TYPE_JAILHOUSE	6
#define SETUP_VERSION_REQUIRED	1
#define HDRS_MAGIC		0x53726448	/* "HdrS" */
/* The library maps 3..4 GiB uncached (devices): the kernel stays below. */
#define CACHED_LIMIT		0xc0000000UL
#define MAX_CPUS		255
#define BOOT_CS			0x10
#define BOOT_DS			0x18

/* The zero page's fields this loader uses (offsets of the boot protocol). */
struct boot_params {
	u8	before_header[0x202];
	u32	header_magic;		/* 0x202 */
	u8	gap1[0x230 - 0x206];
	u32	kernel_alignment;	/* 0x230: the kernel's start, here */
	u8	gap2[0x250 - 0x234];
	u64	setup_data;		/* 0x250 */
	u64	pref_address;		/* 0x258 */
	u32	init_size;		/* 0x260 */
} __attribute__((packed));

/* Linux's struct jailhouse_setup_data, versions 1 and 2. */
struct jailhouse_setup_data {
	u64	next;
	u32	type;
	u32	len;
	u16	version;
	u16	compatible_version;
	u16	pm_timer_address;
	u16	num_cpus;
	u64	pci_mmconfig_base;
	u32	tsc_khz;
	u32	apic_khz;
	u8	standard_ioapic;
	u8	cpu_ids[MAX_CPUS];
	u32	flags;			/* version 2: platform UARTs */
} __attribute__((packed));

/* The tool's parameters land here (the image keeps the room free). */
static union {
	struct boot_params params;
	u8 room[PARAMS_END - PARAMS_ADDR];
} boot __attribute__((section(".cmdline"), aligned(4096)));

/* The library's own options (not in .cmdline, which is the room): print
 * through the hypervisor, the cell's UARTs belong to the kernel. */
char cmdline[] = "con-virtual";

static const u64 boot_gdt[] __aligned(16) = {
	0,
	0,
	0x00af9b000000ffffULL,	/* BOOT_CS: 64-bit code */
	0x00cf93000000ffffULL,	/* BOOT_DS: flat data */
};

static void __noreturn fail(const char *reason)
{
	printk("linux-loader: %s\n", reason);
	comm_region_set_state(JAILHOUSE_CELL_FAILED);
	stop();
}

static struct jailhouse_setup_data *find_setup_data(void)
{
	unsigned long addr = boot.params.setup_data;
	struct jailhouse_setup_data *data;

	/* The tool puts it behind the zero page, inside the room. */
	if (addr < PARAMS_ADDR + sizeof(struct boot_params) ||
	    addr > PARAMS_END - sizeof(*data))
		fail("no Jailhouse setup_data behind the boot parameters");
	data = (struct jailhouse_setup_data *)addr;
	if (data->type != SETUP_TYPE_JAILHOUSE ||
	    data->len < sizeof(*data) - 16 - sizeof(data->flags) ||
	    data->compatible_version != SETUP_VERSION_REQUIRED)
		fail("setup_data is not Jailhouse's (type 6, version 1 "
		     "compatible)");
	return data;
}

static void __noreturn enter_kernel(unsigned long entry)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) gdtr = {
		.limit = sizeof(boot_gdt) - 1,
		.base = (unsigned long)boot_gdt,
	};

	asm volatile(
		"cli\n\t"
		"cld\n\t"
		"lgdt %0\n\t"
		"mov %[ds], %%eax\n\t"
		"mov %%eax, %%ds\n\t"
		"mov %%eax, %%es\n\t"
		"mov %%eax, %%ss\n\t"
		"xor %%edi, %%edi\n\t"
		/* far return: CS = BOOT_CS, RIP = the entry */
		"pushq %[cs]\n\t"
		"pushq %[entry]\n\t"
		"lretq"
		: : "m" (gdtr), [ds] "i" (BOOT_DS), [cs] "i" (BOOT_CS),
		    [entry] "d" (entry), "S" (&boot.params)
		: "rax", "rdi", "memory");
	__builtin_unreachable();
}

void inmate_main(void)
{
	struct jailhouse_setup_data *setup_data;
	unsigned long kernel;
	unsigned int cpus;

	if (!comm_region)
		fail("not in a cell (no comm region)");
	if (boot.params.header_magic != HDRS_MAGIC)
		fail("no boot parameters at 0x1000 (load them with "
		     "`jailhouse cell linux`)");
	kernel = boot.params.kernel_alignment;
	if (kernel == 0 || kernel + boot.params.init_size > CACHED_LIMIT)
		fail("kernel start (zero page's kernel_alignment) is 0 or the "
		     "kernel reaches above 3 GiB");
	setup_data = find_setup_data();

	setup_data->pm_timer_address = comm_region->pm_timer_address;
	setup_data->pci_mmconfig_base = comm_region->pci_mmconfig_base;
	setup_data->tsc_khz = comm_region->tsc_khz;
	setup_data->apic_khz = comm_region->apic_khz;
	memset(setup_data->cpu_ids, 0, sizeof(setup_data->cpu_ids));
	cpus = cell_cpu_apic_ids(setup_data->cpu_ids, MAX_CPUS);
	if (cpus > MAX_CPUS)
		cpus = MAX_CPUS;
	if (cpus != comm_region->num_cpus)
		printk("linux-loader: %u of the cell's %u CPUs came up\n",
		       cpus, comm_region->num_cpus);
	setup_data->num_cpus = cpus;

	printk("linux-loader: starting the kernel at 0x%lx on %u CPUs\n",
	       kernel, cpus);
	enter_kernel(kernel + KERNEL_64BIT_ENTRY);
}
