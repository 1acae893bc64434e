/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A stand-in for an x86-64 Linux kernel in the Linux cell test
 * (tests/test_fullstack_x86_linux.py): the protected-mode part of a bzImage,
 * linked at 0x1000000 (fakelinux-x86.lds) with its 64-bit entry 0x200 into
 * it, where Linux's is; tests/bzimage.py puts the setup header before it.
 * Stock kernels without CONFIG_JAILHOUSE_GUEST cannot run in a cell, this
 * one reports what a kernel gets, on the hypervisor's console (lines
 * "FAKE-LINUX: ..."): the CPU state at entry, the zero page's command line,
 * initrd (with a checksum of its bytes), e820 map and the Jailhouse
 * setup_data, then starts each other CPU the setup_data names with INIT and
 * SIPI at a real-mode trampoline, as Linux would, and halts.
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define HYPERCALL_PUTC		8
#define SETUP_JAILHOUSE		6
#define APIC_ICR_LOW		0xfee00300UL
#define APIC_ICR_HIGH		0xfee00310UL
#define ICR_INIT		0x00004500
#define ICR_SIPI		0x00004600
#define ICR_PENDING		(1 << 12)
#define TRAMPOLINE		0x90000UL	/* SIPI vector 0x90 */
#define PM_TIMER_KHZ		3580		/* ticks per ms, rounded */

struct boot_params {
	u8	pad0[0x1e8];
	u8	e820_entries;		/* 0x1e8 */
	u8	pad1[0x202 - 0x1e9];
	u32	magic;			/* 0x202 "HdrS" */
	u8	pad2[0x210 - 0x206];
	u8	type_of_loader;		/* 0x210 */
	u8	pad3[0x218 - 0x211];
	u32	ramdisk_image;		/* 0x218 */
	u32	ramdisk_size;		/* 0x21c */
	u8	pad4[0x228 - 0x220];
	u32	cmd_line_ptr;		/* 0x228 */
	u8	pad5[0x230 - 0x22c];
	u32	kernel_alignment;	/* 0x230 */
	u8	pad6[0x250 - 0x234];
	u64	setup_data;		/* 0x250 */
	u8	pad7[0x2d0 - 0x258];
	struct {
		u64 addr;
		u64 size;
		u32 type;
	} __attribute__((packed)) e820[128];	/* 0x2d0 */
} __attribute__((packed));

struct setup_data {
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
	u8	cpu_ids[255];
	u32	flags;
} __attribute__((packed));

/* What the entry code saw (fakelinux-x86.lds places this file's .head
 * first). */
u64 entry_rsi, entry_rdi, entry_flags;
u16 entry_cs, entry_ds, entry_ss;
static int use_vmcall;
static u16 pm_timer_port;

asm(".section .head, \"ax\"\n"
    ".code64\n"
    "startup_32:\n"			/* not taken: 64-bit boot only */
    "1:	cli\n"
    "	hlt\n"
    "	jmp 1b\n"
    ".org 0x200\n"
    ".globl startup_64\n"
    "startup_64:\n"
    "	mov %rsi, entry_rsi\n"
    "	mov %rdi, entry_rdi\n"
    "	mov %cs, entry_cs\n"
    "	mov %ds, entry_ds\n"
    "	mov %ss, entry_ss\n"
    "	pushfq\n"
    "	popq entry_flags\n"
    "	mov $stack_top, %rsp\n"
    "	call fake_main\n"
    "2:	cli\n"
    "	hlt\n"
    "	jmp 2b\n"
    /* An AP's start: real mode at TRAMPOLINE, counts itself, halts. */
    ".globl trampoline, trampoline_end\n"
    "trampoline:\n"
    ".code16\n"
    "	cli\n"
    "	mov %cs, %ax\n"
    "	mov %ax, %ds\n"
    "	lock incw (trampoline_end - trampoline)\n"
    "3:	hlt\n"
    "	jmp 3b\n"
    "trampoline_end:\n"
    ".code64\n"
    ".text\n");

extern const u8 trampoline[], trampoline_end[];

static void putc(char c)
{
	unsigned long code = HYPERCALL_PUTC;	/* the result comes back */

	if (use_vmcall)
		asm volatile("vmcall" : "+a" (code) : "D" ((u64)c) : "memory");
	else
		asm volatile("vmmcall" : "+a" (code) : "D" ((u64)c) : "memory");
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void put_hex(u64 value)
{
	char buf[17];
	int n = 16;

	buf[n] = 0;
	do {
		buf[--n] = "0123456789abcdef"[value & 0xf];
		value >>= 4;
	} while (value);
	puts("0x");
	puts(buf + n);
}

static void put_dec(u64 value)
{
	char buf[21];
	int n = 20;

	buf[n] = 0;
	do {
		buf[--n] = '0' + value % 10;
		value /= 10;
	} while (value);
	puts(buf + n);
}

/* print("text %x %u %s", ...): hex, decimal (64-bit arguments), string. */
static void print(const char *fmt, ...)
{
	__builtin_va_list args;

	__builtin_va_start(args, fmt);
	puts("FAKE-LINUX: ");
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'x':
			put_hex(__builtin_va_arg(args, u64));
			break;
		case 'u':
			put_dec(__builtin_va_arg(args, u64));
			break;
		case 's':
			puts(__builtin_va_arg(args, const char *));
			break;
		default:
			putc('?');
		}
	}
	__builtin_va_end(args);
}

static u32 inl(u16 port)
{
	u32 value;

	asm volatile("inl %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

static void delay_ms(u32 ms)
{
	u32 last = inl(pm_timer_port) & 0xffffff, now;
	u64 left = (u64)ms * PM_TIMER_KHZ;

	while (left) {
		now = inl(pm_timer_port) & 0xffffff;
		left -= left < ((now - last) & 0xffffff) ? left :
			((now - last) & 0xffffff);
		last = now;
		asm volatile("pause");
	}
}

static void apic_send(u32 apic_id, u32 low)
{
	*(volatile u32 *)APIC_ICR_HIGH = apic_id << 24;
	*(volatile u32 *)APIC_ICR_LOW = low;
	while (*(volatile u32 *)APIC_ICR_LOW & ICR_PENDING)
		asm volatile("pause");
}

/* Linux's way: INIT, 10 ms, SIPI, and a second SIPI if needed. */
static int start_cpu(u32 apic_id, volatile u16 *counter)
{
	u16 before = *counter;
	int n;

	apic_send(apic_id, ICR_INIT);
	delay_ms(10);
	apic_send(apic_id, ICR_SIPI | (TRAMPOLINE >> 12));
	for (n = 0; n < 200 && *counter == before; n++) {
		if (n == 1)
			apic_send(apic_id, ICR_SIPI | (TRAMPOLINE >> 12));
		delay_ms(1);
	}
	return *counter != before;
}

static u32 own_apic_id(void)
{
	u32 eax = 1, ebx, ecx = 0, edx;

	asm volatile("cpuid" : "+a" (eax), "=b" (ebx), "+c" (ecx), "=d" (edx));
	return ebx >> 24;
}

static void report_jailhouse(const struct setup_data *data)
{
	volatile u16 *counter;
	u32 self = own_apic_id();
	u64 n;

	print("jailhouse setup_data version %u compatible %u, pm_timer %x, "
	      "mmconfig %x, tsc_khz %u, apic_khz %u, standard_ioapic %u, "
	      "uart flags %x\n", data->version, data->compatible_version,
	      data->pm_timer_address, data->pci_mmconfig_base, data->tsc_khz,
	      data->apic_khz, data->standard_ioapic,
	      data->len >= 284 ? data->flags : 0);
	print("%u CPUs:", data->num_cpus);
	for (n = 0; n < data->num_cpus && n < 255; n++) {
		puts(" ");
		put_dec(data->cpu_ids[n]);
	}
	puts(", this one ");
	put_dec(self);
	puts("\n");

	pm_timer_port = data->pm_timer_address;
	if (!pm_timer_port)
		return;
	counter = (volatile u16 *)(TRAMPOLINE + (trampoline_end - trampoline));
	for (n = 0; n < (u64)(trampoline_end - trampoline) + 2; n++)
		((u8 *)TRAMPOLINE)[n] = n < (u64)(trampoline_end - trampoline) ?
			trampoline[n] : 0;
	for (n = 0; n < data->num_cpus && n < 255; n++) {
		if (data->cpu_ids[n] == self)
			continue;
		print("CPU %u %s INIT-SIPI\n", data->cpu_ids[n],
		      start_cpu(data->cpu_ids[n], counter) ?
		      "answered" : "did not answer");
	}
}

/* FNV-1a, 32 bits: the test computes the same over the initrd file. */
static u32 fnv1a(const u8 *data, u64 size)
{
	u32 hash = 0x811c9dc5;

	while (size--)
		hash = (hash ^ *data++) * 0x01000193;
	return hash;
}

void fake_main(void)
{
	const struct boot_params *bp = (const void *)entry_rsi;
	const struct setup_data *data;
	u32 eax = 0, ebx, ecx = 0, edx;
	unsigned int n;

	asm volatile("cpuid" : "+a" (eax), "=b" (ebx), "+c" (ecx), "=d" (edx));
	use_vmcall = ebx == 0x756e6547;		/* "Genu"ineIntel */

	print("64-bit entry, rsi %x rdi %x cs %x ds %x ss %x interrupts %s\n",
	      entry_rsi, entry_rdi, entry_cs, entry_ds, entry_ss,
	      entry_flags & (1 << 9) ? "on" : "off");
	if (bp->magic != 0x53726448) {
		print("no setup header in the zero page\n");
		return;
	}
	print("loader type %x, kernel at %x\n", bp->type_of_loader,
	      bp->kernel_alignment);
	print("cmdline \"%s\"\n",
	      bp->cmd_line_ptr ? (const char *)(u64)bp->cmd_line_ptr : "");
	print("initrd %x bytes at %x, fnv1a %x\n", bp->ramdisk_size,
	      bp->ramdisk_image,
	      fnv1a((const u8 *)(u64)bp->ramdisk_image, bp->ramdisk_size));
	for (n = 0; n < bp->e820_entries && n < 128; n++)
		print("e820 %x size %x type %u\n", bp->e820[n].addr,
		      bp->e820[n].size, bp->e820[n].type);
	for (data = (const void *)bp->setup_data; data;
	     data = (const void *)data->next) {
		print("setup_data type %u, %u bytes\n", data->type, data->len);
		if (data->type == SETUP_JAILHOUSE)
			report_jailhouse(data);
	}
	print("done\n");
}
