/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: the local APICs, independent of the vendor.
 *
 * Every cell (the root too) sees the xAPIC page read-only: reads (IDs,
 * ISR/IRR, the timer's current count, ICR delivery status) go straight to
 * the CPU's own APIC without an exit; writes fault (nested page fault) and
 * are emulated here.  In x2APIC mode only writes of the ICR, the LVT
 * registers and IA32_APIC_BASE exit; EOI, TPR and the timer registers are
 * the guest's own, and so are all reads.  So the exits that remain on a cell's interrupt and timer
 * path are, in xAPIC mode, its EOI and timer-count writes (one exit each),
 * and none in x2APIC mode.  Interrupts themselves are never intercepted.
 *
 * Interrupts between CPUs (ICR writes) reach only CPUs of the sender's cell:
 * fixed and lowest-priority IPIs are sent on with a physical destination,
 * INIT and SIPI are emulated (INIT parks the target until a SIPI starts it
 * in real mode at the vector's page, which is how a cell starts its other
 * CPUs and how the root brings back CPUs a destroyed cell returned), NMI,
 * SMI and ExtINT are dropped (NMIs are the hypervisor's own kick between
 * CPUs).  A destination outside the cell is refused and counted, and so is
 * INIT or SIPI from the root to a CPU it gave to a cell.
 *
 * APIC mode.  Every CPU's APIC is its own hardware: a cell (the root too)
 * may move a CPU from xAPIC to x2APIC mode (IA32_APIC_BASE with EXTD set,
 * enable bit and base unchanged), which the hypervisor does on the
 * physical APIC.  Every other change of IA32_APIC_BASE (back to xAPIC,
 * disabling the APIC, moving its base) gets #GP: the hypervisor kicks CPUs
 * with NMIs through the APIC, and the xAPIC page is fixed in every cell.
 * When a CPU (re)starts in a cell (cell start, SIPI, the root taking back a
 * CPU of a destroyed cell), its APIC is cleared (LVT entries masked, timer
 * stopped, in-service interrupts ended, TPR 0) and put into the root's
 * mode: x2APIC once the root used x2APIC on any CPU, xAPIC otherwise.  So
 * a cell never inherits the timer or the interrupts of the CPU's previous
 * owner, and the root gets its CPUs back in the mode it runs in.
 *
 * The unit also measures the TSC and the APIC timer (divide by 1) against
 * the ACPI PM timer once per enable, for the comm region of every cell.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/unit.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SVR		0x0f0
#define APIC_ISR		0x100
#define APIC_LVT_CMCI		0x2f0
#define APIC_ICR		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_THERMAL	0x330
#define APIC_LVT_PERF		0x340
#define APIC_LVT_ERROR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

#define ICR_DELIVERY_PENDING	(1U << 12)
#define ICR_LOGICAL		(1U << 11)
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_MODE(lo)		(((lo) >> 8) & 7)
#define ICR_SHORTHAND(lo)	(((lo) >> 18) & 3)
#define ICR_FIXED		0
#define ICR_LOWEST		1
#define ICR_NMI			4
#define ICR_INIT		5
#define ICR_SIPI		6
#define SHORTHAND_NONE		0
#define SHORTHAND_SELF		1
#define SHORTHAND_ALL		2
#define SHORTHAND_OTHERS	3

#define LVT_MASKED		(1U << 16)
#define LVT_MODE_MASK		(7U << 8)
#define LVT_TIMER_PERIODIC	(1U << 17)
#define LVT_TIMER_DEADLINE	(2U << 17)
#define LVT_TIMER_MODE		(3U << 17)
#define TDCR_BY_1		0xb

#define MSR_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_BASE		0x800
#define MSR_X2APIC_ID		0x802
#define MSR_X2APIC_LDR		0x80d
#define MSR_X2APIC_ICR		0x830
#define MSR_X2APIC_LVT_CMCI	0x82f
#define MSR_X2APIC_LVT_FIRST	0x832
#define MSR_X2APIC_LVT_LAST	0x837
#define MSR_X2APIC_LAST		0x83f
#define APIC_BASE_ENABLE	(1ULL << 11)
#define APIC_BASE_BSP		(1ULL << 8)
#define SVR_ENABLE		0x100
#define SPURIOUS_VECTOR		0xff
#define MAX_LVT(version)	(((version) >> 16) & 0xff)

#define PM_TIMER_HZ		3579545U
#define PM_TIMER_MASK		0xffffffU
#define CALIBRATION_TICKS	(PM_TIMER_HZ / 50)	/* 20 ms */
#define REFUSALS_REPORTED	8

static volatile u32 *xapic;
static u32 measured_tsc_khz, measured_apic_khz;
static bool root_x2apic;

static bool x2apic_mode(void)
{
	return read_msr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
}

static u32 apic_read(unsigned int reg)
{
	if (x2apic_mode())
		return read_msr(MSR_X2APIC_BASE + (reg >> 4));
	return xapic[reg / 4];
}

static void apic_write(unsigned int reg, u32 val)
{
	if (x2apic_mode())
		write_msr(MSR_X2APIC_BASE + (reg >> 4), val);
	else
		xapic[reg / 4] = val;
}

/* Send @lo (vector, delivery mode) to the APIC with physical ID @dest. */
static void apic_send(u32 dest, u32 lo)
{
	unsigned int wait;

	if (x2apic_mode()) {
		write_msr(MSR_X2APIC_ICR, ((u64)dest << 32) | lo);
		return;
	}
	if (!xapic)
		return;
	for (wait = 0; xapic[APIC_ICR / 4] & ICR_DELIVERY_PENDING &&
	     wait < 1000000; wait++)
		cpu_relax();
	xapic[APIC_ICR_HI / 4] = dest << 24;
	xapic[APIC_ICR / 4] = lo;
}

void apic_send_nmi(struct per_cpu *target)
{
	apic_send(target->arch.phys_id, ICR_LEVEL_ASSERT | (ICR_NMI << 8));
}

u32 apic_tsc_khz(void)
{
	return measured_tsc_khz;
}

u32 apic_timer_khz(void)
{
	return measured_apic_khz;
}

static inline u32 inl(u16 port)
{
	u32 val;

	asm volatile("inl %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

u64 arch_timer_ticks(void)
{
	return rdtsc();
}

/* Before the calibration: the configuration's value, else 1 GHz. */
u64 arch_timer_hz(void)
{
	return (measured_tsc_khz ? measured_tsc_khz : 1000000) * 1000ULL;
}

/* PM timer ticks allowed between the reads around one sample (10 us). */
#define SAMPLE_SKEW_TICKS	36
#define SAMPLE_TRIES		1000

struct clock_sample {
	u32 pm;		/* PM timer, midpoint of the reads around the sample */
	u32 apic;	/* APIC timer current count */
	u64 tsc;
};

/*
 * The three clocks at (nearly) one moment.  An emulated CPU can be stopped
 * by its host between any two reads (for longer than the whole calibration
 * under load), so a sample counts only when the PM timer reads on both
 * sides of it are close together.
 */
static void clock_sample(u16 port, struct clock_sample *s)
{
	unsigned int tries = 0;
	u32 before, after, skew;

	do {
		before = inl(port) & PM_TIMER_MASK;
		s->tsc = rdtsc();
		s->apic = apic_read(APIC_TMCCT);
		after = inl(port) & PM_TIMER_MASK;
		skew = (after - before) & PM_TIMER_MASK;
	} while (skew > SAMPLE_SKEW_TICKS && ++tries < SAMPLE_TRIES);
	s->pm = (before + skew / 2) & PM_TIMER_MASK;
}

/*
 * Count TSC cycles and APIC timer ticks (divide by 1) over 20 ms of the PM
 * timer, between two samples of all three clocks.  The APIC timer is the caller's: its settings are saved and put
 * back, a running one-shot count continues with what was left of it (the
 * caller's next tick comes up to 20 ms late; one that ran out fires again),
 * a periodic one starts a new period, a TSC deadline is re-armed.
 */
static void calibrate(void)
{
	u16 port = system_config->platform_info.x86.pm_timer_address;
	u32 lvt, tdcr, tmict, tmcct, ticks, left, divider, elapsed;
	struct clock_sample first, last;
	u64 deadline = 0;

	measured_tsc_khz = system_config->platform_info.x86.tsc_khz;
	measured_apic_khz = system_config->platform_info.x86.apic_khz;
	if (!port)
		return;

	lvt = apic_read(APIC_LVT_TIMER);
	tdcr = apic_read(APIC_TDCR);
	tmict = apic_read(APIC_TMICT);
	tmcct = apic_read(APIC_TMCCT);
	if ((lvt & LVT_TIMER_MODE) == LVT_TIMER_DEADLINE)
		deadline = read_msr(MSR_TSC_DEADLINE);

	apic_write(APIC_LVT_TIMER, LVT_MASKED);
	apic_write(APIC_TDCR, TDCR_BY_1);
	apic_write(APIC_TMICT, 0xffffffff);
	clock_sample(port, &first);
	do
		ticks = ((inl(port) & PM_TIMER_MASK) - first.pm) &
			PM_TIMER_MASK;
	while (ticks < CALIBRATION_TICKS);
	clock_sample(port, &last);
	left = last.apic;
	apic_write(APIC_TMICT, 0);

	ticks = (last.pm - first.pm) & PM_TIMER_MASK;
	measured_tsc_khz = (last.tsc - first.tsc) * PM_TIMER_HZ /
		((u64)ticks * 1000);
	measured_apic_khz = (u64)(first.apic - last.apic) * PM_TIMER_HZ /
		((u64)ticks * 1000);

	/* the divider: TDCR bits 3, 1, 0 = n, divide by 2^(n+1), 7: by 1 */
	divider = ((tdcr & 8) >> 1) | (tdcr & 3);
	divider = divider == 7 ? 1 : 2U << divider;
	elapsed = (0xffffffff - left) / divider;
	apic_write(APIC_TDCR, tdcr);
	apic_write(APIC_LVT_TIMER, lvt);
	if ((lvt & LVT_TIMER_MODE) == LVT_TIMER_DEADLINE) {
		if (deadline)
			write_msr(MSR_TSC_DEADLINE, deadline);
	} else if (lvt & LVT_TIMER_PERIODIC) {
		apic_write(APIC_TMICT, tmict);
	} else if (tmict) {
		/*
		 * An armed one-shot count that reads as run out may not have
		 * raised its interrupt before the LVT was masked (emulators
		 * deliver it late): fire it again at once.  A spurious timer
		 * interrupt is harmless; a lost one stalls the caller's CPU.
		 */
		apic_write(APIC_TMICT, tmcct > elapsed ? tmcct - elapsed : 1);
	}
}

/* This CPU's APIC ID and logical destination, as the entry found them. */
void apic_cpu_init(struct per_cpu *c)
{
	unsigned int regs[4];

	if (x2apic_mode()) {
		c->arch.phys_id = read_msr(MSR_X2APIC_ID);
		c->arch.apic_ldr = read_msr(MSR_X2APIC_LDR);
		root_x2apic = true;
	} else {
		cpuid(1, 0, regs);
		c->arch.phys_id = regs[1] >> 24;
		c->arch.apic_ldr = xapic[APIC_LDR / 4];
		c->arch.apic_dfr = xapic[APIC_DFR / 4];
	}
	c->arch.wait_sipi = false;
}

/*
 * Whether the LVT entry at xAPIC offset @reg exists on this APIC: thermal
 * and performance counter entries and CMCI come with a higher LVT count
 * (an x2APIC MSR that is missing raises #GP, also in the hypervisor).
 */
static bool lvt_present(unsigned int reg)
{
	unsigned int maxlvt = MAX_LVT(apic_read(APIC_VERSION));

	if (reg == APIC_LVT_CMCI)
		return maxlvt >= 6;
	if (reg == APIC_LVT_THERMAL)
		return maxlvt >= 5;
	if (reg == APIC_LVT_PERF)
		return maxlvt >= 4;
	return true;
}

/* This CPU's APIC in xAPIC (from disabled) or x2APIC mode, enabled. */
static void apic_set_mode(bool x2)
{
	u64 base = read_msr(MSR_APIC_BASE);

	if (x2 == !!(base & APIC_BASE_X2APIC))
		return;
	if (!x2) {
		/* x2APIC -> xAPIC only through the disabled state */
		write_msr(MSR_APIC_BASE,
			  base & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
		write_msr(MSR_APIC_BASE, (base & ~APIC_BASE_X2APIC) |
			  APIC_BASE_ENABLE);
	} else {
		write_msr(MSR_APIC_BASE, base | APIC_BASE_ENABLE |
			  APIC_BASE_X2APIC);
	}
}

/*
 * This CPU starts anew in its cell: nothing of the previous owner's APIC
 * setup may reach it.  The mode becomes the root's (see the top).
 * Interrupts already requested (IRR) cannot be withdrawn; they arrive as
 * spurious ones once the new owner enables interrupts.
 */
void apic_reset_cpu(struct per_cpu *c)
{
	unsigned int reg, n;

	apic_set_mode(root_x2apic);
	/* the emulated upper ICR word: 0, as INIT leaves it (before, the
	 * next owner's IPIs went where the last owner's had gone) */
	c->arch.icr_hi = 0;
	for (reg = APIC_LVT_TIMER; reg <= APIC_LVT_ERROR; reg += 0x10)
		if (lvt_present(reg))
			apic_write(reg, LVT_MASKED);
	if (lvt_present(APIC_LVT_CMCI))
		apic_write(APIC_LVT_CMCI, LVT_MASKED);
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	/* one EOI ends the highest in-service interrupt */
	for (n = 0; n < 256; n++) {
		for (reg = 0; reg < 8; reg++)
			if (apic_read(APIC_ISR + reg * 0x10))
				break;
		if (reg == 8)
			break;
		apic_write(APIC_EOI, 0);
	}
	if (x2apic_mode()) {
		c->arch.apic_ldr = read_msr(MSR_X2APIC_LDR);
	} else {
		/* a non-root cell's logical ID never reaches the hardware */
		if (c->cell != &root_cell)
			apic_write(APIC_LDR, 0);
		c->arch.apic_ldr = xapic[APIC_LDR / 4];
		c->arch.apic_dfr = xapic[APIC_DFR / 4];
	}
}

/* ---- INIT and SIPI ---- */

/* INIT: @t stops running guest code and waits for a SIPI. */
static void cpu_init_request(struct per_cpu *t)
{
	spin_lock(&t->control_lock);
	if (!t->halted) {
		t->parked = true;
		t->reset_requested = false;
		t->arch.wait_sipi = true;
	}
	spin_unlock(&t->control_lock);
	arch_send_event(t);
}

/* SIPI: a CPU waiting after INIT starts in real mode at vector << 12. */
static void cpu_sipi(struct per_cpu *t, unsigned int vector)
{
	bool start;

	spin_lock(&t->control_lock);
	start = t->arch.wait_sipi && t->parked && !t->halted;
	if (start) {
		t->arch.wait_sipi = false;
		t->reset_address = (unsigned long)vector << PAGE_SHIFT;
		t->reset_arg = 0;
		t->reset_requested = true;
	}
	spin_unlock(&t->control_lock);
	if (start)
		arch_send_event(t);
}

/* ---- IPIs ---- */

static bool dest_matches(const struct per_cpu *t, u32 dest, bool logical,
			 bool x2)
{
	u32 ldr;

	if (dest == (x2 ? 0xffffffff : 0xff))
		return true;			/* broadcast */
	if (!logical)
		return dest == t->arch.phys_id;
	if (x2) {
		/* cluster (bits 31-16) and a bit of the member mask */
		ldr = ((t->arch.phys_id >> 4) << 16) |
			(1U << (t->arch.phys_id & 0xf));
		return dest >> 16 == ldr >> 16 && dest & ldr & 0xffff;
	}
	ldr = t->arch.apic_ldr >> 24;
	if (t->arch.apic_dfr >> 28 == 0xf)		/* flat model */
		return ldr & dest;
	return ldr >> 4 == dest >> 4 && ldr & dest & 0xf;	/* cluster */
}

bool apic_dest_only(const struct cpu_set *cpus, u32 dest, bool logical)
{
	bool x2 = x2apic_mode(), hit = false;
	unsigned int cpu;

	for (cpu = 0; cpu < num_possible_cpus; cpu++) {
		if (!per_cpu(cpu)->activated ||
		    (dest != 0xff &&
		     !dest_matches(per_cpu(cpu), dest, logical, x2)))
			continue;
		if (!cpu_in_set(cpus, cpu))
			return false;
		hit = true;
	}
	return hit;
}

void apic_send_to_cell(struct cell *cell, u32 dest, bool logical,
		       bool lowest, unsigned int vector)
{
	bool x2 = x2apic_mode();
	unsigned int cpu;
	struct per_cpu *t;

	if (vector < 16)
		return;
	for (cpu = 0; cpu < num_possible_cpus; cpu++) {
		t = per_cpu(cpu);
		if (!t->activated || t->cell != cell ||
		    !dest_matches(t, dest, logical, x2))
			continue;
		apic_send(t->arch.phys_id, vector);
		if (lowest)
			break;
	}
}

static void refuse(struct per_cpu *c, struct per_cpu *t, u32 lo)
{
	struct cell *cell = c->cell;

	if (cell->arch.refused_ipis++ < REFUSALS_REPORTED)
		printk("Cell \"%s\": IPI (mode %u, vector %u) from CPU %u to CPU "
		       "%u of cell \"%s\" refused\n", cell->config->name,
		       ICR_MODE(lo), lo & 0xff, c->cpu_id, t->cpu_id,
		       t->cell->config->name);
}

static void deliver(struct per_cpu *c, struct per_cpu *t, u32 lo)
{
	switch (ICR_MODE(lo)) {
	case ICR_FIXED:
	case ICR_LOWEST:
		if ((lo & 0xff) >= 16)
			apic_send(t->arch.phys_id, lo & 0xff);
		break;
	case ICR_INIT:
		/* the level de-assert form does nothing on current CPUs */
		if (lo & ICR_LEVEL_ASSERT && t != c)
			cpu_init_request(t);
		break;
	case ICR_SIPI:
		if (t != c)
			cpu_sipi(t, lo & 0xff);
		break;
	default:
		/* NMI (the hypervisor's own), SMI, ExtINT: dropped */
		break;
	}
}

/* An ICR write of the guest on @c: destination @dest, lower word @lo. */
static void send_ipi(struct per_cpu *c, u32 dest, u32 lo, bool x2)
{
	unsigned int shorthand = ICR_SHORTHAND(lo), cpu;
	struct per_cpu *t;
	bool hit;

	for (cpu = 0; cpu < num_possible_cpus; cpu++) {
		t = per_cpu(cpu);
		if (!t->activated)
			continue;
		if (shorthand == SHORTHAND_SELF)
			hit = t == c;
		else if (shorthand == SHORTHAND_ALL)
			hit = true;
		else if (shorthand == SHORTHAND_OTHERS)
			hit = t != c;
		else
			hit = dest_matches(t, dest, lo & ICR_LOGICAL, x2);
		if (!hit)
			continue;
		if (t->cell == c->cell)
			deliver(c, t, lo);
		else if (shorthand == SHORTHAND_NONE &&
			 dest != (x2 ? 0xffffffff : 0xff))
			refuse(c, t, lo);
		/* broadcasts end at the cell's border without a word */
	}
}

/* LVT entries of non-root cells: fixed delivery only (no ExtINT from the
 * root's PIC, no SMI, NMI or INIT to themselves). */
static u32 lvt_filter(struct per_cpu *c, u32 val)
{
	if (c->cell != &root_cell && val & LVT_MODE_MASK)
		return val | LVT_MASKED;
	return val;
}

static enum mmio_result xapic_access(void *arg, struct mmio_access *a)
{
	struct per_cpu *c = this_cpu();
	unsigned int reg = a->address - X86_XAPIC_BASE;
	u32 val = a->value;

	if (a->size != 4 || reg & 0xf || x2apic_mode())
		return MMIO_ERROR;
	if (!a->is_write) {
		a->value = xapic[reg / 4];
		return MMIO_HANDLED;
	}
	switch (reg) {
	case APIC_ICR:
		send_ipi(c, c->arch.icr_hi >> 24, val, false);
		break;
	case APIC_ICR_HI:
		c->arch.icr_hi = val;
		break;
	case APIC_ID:
		break;				/* the hypervisor relies on it */
	case APIC_LDR:
		/*
		 * The root routes interrupts by logical ID.  A non-root cell's
		 * logical ID stays the hypervisor's (its logical IPIs are sent
		 * by the hypervisor; its own routes must be physical): in the
		 * hardware it would join the root's logical destinations.
		 */
		c->arch.apic_ldr = val;
		if (c->cell == &root_cell)
			xapic[reg / 4] = val;
		break;
	case APIC_DFR:
		c->arch.apic_dfr = val;
		xapic[reg / 4] = val;
		break;
	case APIC_LVT_CMCI:
	case APIC_LVT_TIMER ... APIC_LVT_ERROR:
		xapic[reg / 4] = lvt_filter(c, val);
		break;
	default:
		/* EOI, TPR, SVR, ESR, timer counts and divider */
		xapic[reg / 4] = val;
	}
	return MMIO_HANDLED;
}

bool x86_apic_msr_owned(u32 msr)
{
	return msr == MSR_APIC_BASE || msr == MSR_X2APIC_ICR ||
		msr == MSR_X2APIC_LVT_CMCI || (msr >= MSR_X2APIC_LVT_FIRST && msr <= MSR_X2APIC_LVT_LAST);
}

/* Reads pass on; writes as for the xAPIC page. */
int x86_apic_msr(struct per_cpu *c, u32 msr, bool write, u64 *val)
{
	u64 now;

	c->stats[msr == MSR_X2APIC_ICR ?
		 JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR :
		 JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER]++;
	if (msr != MSR_APIC_BASE && (!x2apic_mode() ||
	    (msr != MSR_X2APIC_ICR && !lvt_present((msr - MSR_X2APIC_BASE) << 4))))
		return 0;		/* #GP, as the APIC would raise */
	if (!write) {
		*val = read_msr(msr);
		return 1;
	}
	if (msr == MSR_X2APIC_ICR) {
		send_ipi(c, *val >> 32, (u32)*val, true);
	} else if (msr != MSR_APIC_BASE) {
		write_msr(msr, lvt_filter(c, *val));
	} else {
		/* the same value, or xAPIC -> x2APIC; the rest: #GP */
		now = read_msr(MSR_APIC_BASE);
		if ((*val | APIC_BASE_X2APIC) != (now | APIC_BASE_X2APIC) ||
		    (now & APIC_BASE_X2APIC && !(*val & APIC_BASE_X2APIC)))
			return 0;
		if (*val != now) {
			apic_set_mode(true);
			c->arch.phys_id = read_msr(MSR_X2APIC_ID);
			c->arch.apic_ldr = read_msr(MSR_X2APIC_LDR);
			if (c->cell == &root_cell)
				root_x2apic = true;
		}
	}
	return 1;
}

/* ---- the unit ---- */

static int apic_init(void)
{
	xapic = paging_remap(X86_XAPIC_BASE, PAGE_SIZE,
			     PAGE_DEFAULT | PAGE_DEVICE);
	if (!xapic)
		return -ENOMEM;
	calibrate();
	printk("TSC %u kHz, APIC timer %u kHz\n", measured_tsc_khz,
	       measured_apic_khz);
	return 0;
}

static void apic_shutdown(void)
{
}

static unsigned int apic_mmio_count(struct cell *cell)
{
	return 1;
}

static int apic_cell_init(struct cell *cell)
{
	unsigned int msr;
	int err;

	err = paging_create(&cell->paging, X86_XAPIC_BASE, PAGE_SIZE,
			    X86_XAPIC_BASE, PAGE_READ | PAGE_DEVICE);
	if (!err)
		err = mmio_region_register(cell, X86_XAPIC_BASE, PAGE_SIZE,
					   xapic_access, NULL);
	if (err)
		return err;
	/* The other x2APIC registers are the CPU's own (EOI, TPR, timer,
	 * self IPI): they pass, for non-root cells too. */
	for (msr = MSR_X2APIC_BASE; msr <= MSR_X2APIC_LAST; msr++)
		if (!x86_apic_msr_owned(msr))
			vcpu_msr_pass(cell->arch.msr_bitmap, msr, true);
	/* only writes of the rest exit: reads are the CPU's answer (an
	 * inmate checking IA32_APIC_BASE before every access costs nothing) */
	for (msr = MSR_APIC_BASE; msr <= MSR_X2APIC_LVT_LAST; msr++)
		if (x86_apic_msr_owned(msr)) {
			vcpu_msr_intercept(cell->arch.msr_bitmap, msr);
			vcpu_msr_pass(cell->arch.msr_bitmap, msr, false);
		}
	cell->arch.refused_ipis = 0;
	return 0;
}

static void apic_cell_exit(struct cell *cell)
{
	if (cell->arch.refused_ipis)
		printk("Cell \"%s\": %lu IPIs to foreign CPUs refused\n",
		       cell->config->name, cell->arch.refused_ipis);
	paging_destroy(&cell->paging, X86_XAPIC_BASE, PAGE_SIZE);
}

DEFINE_UNIT(apic, "local APIC");
