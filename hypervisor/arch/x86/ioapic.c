/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86: the IOAPICs, emulated for every cell.
 *
 * The IOAPICs of the root cell's config (irqchips) belong to the
 * hypervisor; every cell that lists one gets an emulated register window
 * (IOREGSEL/IOWIN, EOI) on its page.  A cell owns the redirection entries
 * of its irqchip pin bitmap; the root owns what its config lists minus the
 * pins of the other cells.  A cell reads a pin it does not own as masked,
 * and its writes to it are ignored and counted.  An entry it owns may only
 * route to its own CPUs (physical destination, fixed or lowest-priority
 * delivery; the root may also use logical destinations, matched against
 * the CPUs' logical IDs, and ExtINT; nobody NMI, SMI or INIT): a non-root
 * cell that tries otherwise is stopped, the root's write is ignored.  Pins
 * given to a cell, and given back, are masked on the way, and so are the
 * root's entries that a new cell's CPUs would receive.
 * Written from the 82093AA IOAPIC data sheet.
 */

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/unit.h>
#include <asm/apic.h>
#include <asm/processor.h>

#define IOAPIC_MAX_CHIPS	8
#define IOAPIC_PAGE		0x1000
#define IOREGSEL		0x00
#define IOWIN			0x10
#define IOEOI			0x40
#define IOAPIC_VER		0x01
#define IOAPIC_REDIR		0x10
#define IOAPIC_MAX_PINS		32	/* one word of the pin bitmap used */

#define RTE_VECTOR(lo)		((lo) & 0xff)
#define RTE_DELIVERY(lo)	(((lo) >> 8) & 7)
# define DELIVERY_FIXED		0
# define DELIVERY_LOWEST	1
# define DELIVERY_EXTINT	7
#define RTE_LOGICAL		(1U << 11)
#define RTE_MASKED		(1U << 16)
#define RTE_DEST(hi)		((hi) >> 24)

/* One IOAPIC of the system, mapped for the hypervisor. */
struct ioapic_chip {
	u64 address;
	volatile u32 *regs;
	unsigned int pins;
	spinlock_t lock;
};

/* A cell's view of one IOAPIC: the MMIO handler's argument. */
struct ioapic_view {
	struct ioapic_chip *chip;
	struct cell *cell;
	u32 pins;		/* owned redirection entries */
	u32 index;		/* the cell's IOREGSEL */
	unsigned int ignored;	/* writes to pins not owned */
};

static struct ioapic_chip chips[IOAPIC_MAX_CHIPS];
static unsigned int num_chips;

/*
 * The hardware's register window, with the chip's lock held.  The lock
 * also makes each decision on an entry one step with its write: which
 * cell owns a pin (the views' pins) changes under it, and a write is
 * checked against the entry as it is while the lock is held.
 */
static u32 hw_read_locked(struct ioapic_chip *chip, u32 index)
{
	chip->regs[IOREGSEL / 4] = index;
	return chip->regs[IOWIN / 4];
}

static void hw_write_locked(struct ioapic_chip *chip, u32 index, u32 val)
{
	chip->regs[IOREGSEL / 4] = index;
	chip->regs[IOWIN / 4] = val;
}

static u32 hw_read(struct ioapic_chip *chip, u32 index)
{
	u32 val;

	spin_lock(&chip->lock);
	val = hw_read_locked(chip, index);
	spin_unlock(&chip->lock);
	return val;
}

/* With the chip's lock held. */
static void mask_pins_locked(struct ioapic_chip *chip, u32 pins)
{
	unsigned int pin;
	u32 index;

	for (pin = 0; pin < chip->pins; pin++)
		if (pins & BIT(pin)) {
			index = IOAPIC_REDIR + pin * 2;
			hw_write_locked(chip, index,
					hw_read_locked(chip, index) |
					RTE_MASKED);
		}
}

static struct ioapic_chip *chip_at(u64 address)
{
	unsigned int n;

	for (n = 0; n < num_chips; n++)
		if (chips[n].address == address)
			return &chips[n];
	return NULL;
}

static struct ioapic_view *views_of(struct cell *cell)
{
	return cell->arch.ioapic_views;
}

static struct ioapic_view *view_of(struct cell *cell, struct ioapic_chip *chip)
{
	struct ioapic_view *v = views_of(cell);
	unsigned int n;

	for (n = 0; v && n < cell->config->num_irqchips; n++, v++)
		if (v->chip == chip)
			return v;
	return NULL;
}

/*
 * Whether an entry of @cell delivers only to the CPUs @cpus: fixed or
 * lowest-priority delivery (the root also ExtINT, for its PIC; NMI, SMI
 * and INIT are the hypervisor's), a physical destination (the root also a
 * logical one, matched against the CPUs' logical IDs as they are now).
 */
static bool entry_allowed(struct cell *cell, const struct cpu_set *cpus,
			  u32 lo, u32 hi)
{
	unsigned int delivery = RTE_DELIVERY(lo);
	bool root = cell == &root_cell;

	if (lo & RTE_MASKED)
		return true;
	if (delivery != DELIVERY_FIXED && delivery != DELIVERY_LOWEST &&
	    !(root && delivery == DELIVERY_EXTINT))
		return false;
	if (lo & RTE_LOGICAL && !root)
		return false;
	return apic_dest_only(cpus, RTE_DEST(hi), lo & RTE_LOGICAL);
}

/*
 * The CPUs the root's entries may reach: the root's, less those of a cell
 * being created, which leave this set before the root's entries reaching
 * them are masked (root_cell.cpus follows only later).
 */
static struct cpu_set root_cpus;

static const struct cpu_set *cpus_of(const struct ioapic_view *v)
{
	return v->cell == &root_cell ? &root_cpus : &v->cell->cpus;
}

/*
 * A new cell takes its CPUs from the root: the root's entries that would
 * now reach one of them are masked.  A write of the root that races with
 * this is either seen here or checked without those CPUs (chip lock).
 */
static void root_entries_leave(struct cell *cell)
{
	struct ioapic_view *root = views_of(&root_cell);
	unsigned int cpu, pin, n;
	u32 lo, hi, masked;

	for_each_cpu(cpu, &cell->cpus)
		cpu_set_del(&root_cpus, cpu);
	for (n = 0; root && n < root_cell.config->num_irqchips; n++, root++) {
		masked = 0;
		spin_lock(&root->chip->lock);
		for (pin = 0; pin < root->chip->pins; pin++) {
			if (!(root->pins & BIT(pin)))
				continue;
			lo = hw_read_locked(root->chip,
					    IOAPIC_REDIR + pin * 2);
			hi = hw_read_locked(root->chip,
					    IOAPIC_REDIR + pin * 2 + 1);
			if (entry_allowed(&root_cell, &root_cpus, lo, hi))
				continue;
			mask_pins_locked(root->chip, BIT(pin));
			masked |= BIT(pin);
		}
		spin_unlock(&root->chip->lock);
		for (pin = 0; pin < root->chip->pins; pin++)
			if (masked & BIT(pin))
				printk("IOAPIC: pin %u of the root reached a CPU "
				       "of cell \"%s\", masked\n", pin,
				       cell->config->name);
	}
}

/*
 * A window access of redirection register @index: the cell's IOREGSEL as
 * it was when the access began (another CPU of the cell may select
 * elsewhere meanwhile; what is checked is what is written).
 */
static enum mmio_result redir_access(struct ioapic_view *v, u32 index,
				     struct mmio_access *a)
{
	unsigned int pin = (index - IOAPIC_REDIR) / 2;
	bool high = index & 1, owned, allowed = false;
	struct ioapic_chip *chip = v->chip;
	u32 lo = 0, hi = 0, index_lo = IOAPIC_REDIR + pin * 2;

	spin_lock(&chip->lock);
	owned = v->pins & BIT(pin);
	if (owned && !a->is_write) {
		a->value = hw_read_locked(chip, index);
	} else if (owned) {
		lo = high ? hw_read_locked(chip, index_lo) : a->value;
		hi = high ? a->value : hw_read_locked(chip, index_lo + 1);
		allowed = entry_allowed(v->cell, cpus_of(v), lo, hi);
		if (allowed)
			hw_write_locked(chip, index, a->value);
	}
	spin_unlock(&chip->lock);

	if (!owned) {
		if (!a->is_write) {
			a->value = high ? 0 : RTE_MASKED;
			return MMIO_HANDLED;
		}
		if (!v->ignored++)
			printk("IOAPIC: cell \"%s\" wrote pin %u it does not "
			       "own, ignored\n", v->cell->config->name, pin);
		return MMIO_HANDLED;
	}
	if (a->is_write && !allowed) {
		printk("IOAPIC: cell \"%s\" may not route pin %u to "
		       "%08x:%08x, refused\n", v->cell->config->name, pin,
		       hi, lo);
		return v->cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
	}
	return MMIO_HANDLED;
}

static enum mmio_result ioapic_handler(void *arg, struct mmio_access *a)
{
	struct ioapic_view *v = arg;
	unsigned long offs = a->address - v->chip->address;
	unsigned int pin;
	u32 index;

	if (a->size != 4)
		return MMIO_ERROR;
	switch (offs) {
	case IOREGSEL:
		if (a->is_write)
			v->index = a->value & 0xff;
		else
			a->value = v->index;
		return MMIO_HANDLED;
	case IOWIN:
		index = READ_ONCE(v->index);
		if (index >= IOAPIC_REDIR &&
		    index < IOAPIC_REDIR + v->chip->pins * 2)
			return redir_access(v, index, a);
		/* ID, version, arbitration: read-only for cells */
		if (!a->is_write)
			a->value = hw_read(v->chip, index);
		return MMIO_HANDLED;
	case IOEOI:
		/* the EOI of a level-triggered vector of an owned pin */
		if (!a->is_write)
			return MMIO_ERROR;
		for (pin = 0; pin < v->chip->pins; pin++)
			if (v->pins & BIT(pin) &&
			    RTE_VECTOR(hw_read(v->chip, IOAPIC_REDIR + pin * 2)) ==
			    (a->value & 0xff)) {
				spin_lock(&v->chip->lock);
				v->chip->regs[IOEOI / 4] = a->value & 0xff;
				spin_unlock(&v->chip->lock);
				break;
			}
		return MMIO_HANDLED;
	default:
		/* other offsets of the page: nothing there */
		if (!a->is_write)
			a->value = 0;
		return MMIO_HANDLED;
	}
}

static int ioapic_init(void)
{
	const struct jailhouse_irqchip *ic =
		jailhouse_cell_irqchips(&system_config->root_cell);
	struct ioapic_chip *chip;
	unsigned int n;

	num_chips = 0;
	for (n = 0; n < system_config->root_cell.num_irqchips; n++, ic++) {
		if (num_chips >= IOAPIC_MAX_CHIPS || chip_at(ic->address) ||
		    ic->address & (IOAPIC_PAGE - 1))
			return trace_error(-EINVAL);
		chip = &chips[num_chips];
		chip->address = ic->address;
		chip->regs = paging_remap(ic->address, IOAPIC_PAGE,
					  PAGE_DEFAULT | PAGE_DEVICE);
		if (!chip->regs)
			return -ENOMEM;
		num_chips++;
		chip->pins = ((hw_read(chip, IOAPIC_VER) >> 16) & 0xff) + 1;
		if (chip->pins > IOAPIC_MAX_PINS)
			chip->pins = IOAPIC_MAX_PINS;
	}
	return 0;
}

static void ioapic_shutdown(void)
{
	while (num_chips)
		paging_unmap((void *)chips[--num_chips].regs, IOAPIC_PAGE);
}

static unsigned int ioapic_mmio_count(struct cell *cell)
{
	return cell->config->num_irqchips;
}

static void ioapic_cell_exit(struct cell *cell)
{
	struct ioapic_view *v = views_of(cell), *root;
	unsigned int n, cpu;

	for (n = 0; v && n < cell->config->num_irqchips; n++, v++) {
		if (cell == &root_cell || !v->chip)
			continue;
		/* the root gets the pins back, masked */
		root = view_of(&root_cell, v->chip);
		spin_lock(&v->chip->lock);
		mask_pins_locked(v->chip, v->pins);
		if (root)
			root->pins |= v->pins;
		spin_unlock(&v->chip->lock);
	}
	if (cell != &root_cell)
		for_each_cpu(cpu, &cell->cpus)
			cpu_set_add(&root_cpus, cpu);
	page_free(&mem_pool, cell->arch.ioapic_views, 1);
	cell->arch.ioapic_views = NULL;
}

static int ioapic_cell_init(struct cell *cell)
{
	const struct jailhouse_irqchip *ic = jailhouse_cell_irqchips(cell->config);
	struct ioapic_view *v, *root;
	unsigned int n, m;
	int err;

	if (cell == &root_cell)
		root_cpus = root_cell.cpus;
	if (!cell->config->num_irqchips) {
		if (cell != &root_cell)
			root_entries_leave(cell);
		return 0;
	}
	if (cell->config->num_irqchips * sizeof(*v) > PAGE_SIZE)
		return trace_error(-EINVAL);
	v = cell->arch.ioapic_views = page_alloc(&mem_pool, 1);
	if (!v)
		return -ENOMEM;
	memset(v, 0, PAGE_SIZE);

	/* check everything before taking anything from the root */
	for (n = 0; n < cell->config->num_irqchips; n++, ic++, v++) {
		v->chip = chip_at(ic->address);
		v->cell = cell;
		v->pins = ic->pin_bitmap[0];
		/*
		 * The root may name pins its chip does not have (upstream's
		 * config generator gives it all 128): they are ignored, as
		 * upstream does.  A non-root cell must name existing pins.
		 */
		if (cell == &root_cell && v->chip)
			v->pins &= (u32)(BIT_ULL(v->chip->pins) - 1);
		for (m = 1; m < ARRAY_SIZE(ic->pin_bitmap); m++)
			if (ic->pin_bitmap[m] && cell != &root_cell)
				v->chip = NULL;
		if (!v->chip || view_of(cell, v->chip) != v ||
		    v->pins & ~(u32)(BIT_ULL(v->chip->pins) - 1)) {
			err = trace_error(-EINVAL);
			goto error;
		}
		if (cell == &root_cell)
			continue;
		root = view_of(&root_cell, v->chip);
		if (!root || v->pins & ~root->pins) {
			err = trace_error(-EBUSY);
			goto error;
		}
	}

	for (n = 0, v = views_of(cell); n < cell->config->num_irqchips;
	     n++, v++) {
		err = mmio_region_register(cell, v->chip->address, IOAPIC_PAGE,
					   ioapic_handler, v);
		if (err)
			goto error;
	}
	if (cell == &root_cell)
		return 0;
	for (n = 0, v = views_of(cell); n < cell->config->num_irqchips;
	     n++, v++) {
		root = view_of(&root_cell, v->chip);
		spin_lock(&v->chip->lock);
		root->pins &= ~v->pins;
		mask_pins_locked(v->chip, v->pins);
		spin_unlock(&v->chip->lock);
	}
	root_entries_leave(cell);
	return 0;

error:
	/* nothing was taken from the root yet */
	page_free(&mem_pool, cell->arch.ioapic_views, 1);
	cell->arch.ioapic_views = NULL;
	return err;
}

DEFINE_UNIT(ioapic, "IOAPIC");
