/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: walking the units (see hv/unit.h). */

#include <hv/printk.h>
#include <hv/unit.h>

static bool units_up;

int units_init(void)
{
	const struct unit *u;
	int err;

	for_each_unit(u) {
		err = u->init();
		if (err) {
			printk("%s: initialisation failed: %d\n", u->name, err);
			goto err_unwind;
		}
	}
	units_up = true;
	return 0;

err_unwind:
	while (u-- != __units_start)
		u->shutdown();
	return err;
}

void units_shutdown(void)
{
	const struct unit *u;

	if (!units_up)
		return;
	units_up = false;
	for_each_unit_reverse(u)
		u->shutdown();
}

unsigned int units_mmio_count(struct cell *cell)
{
	const struct unit *u;
	unsigned int count = 0;

	for_each_unit(u)
		count += u->mmio_count(cell);
	return count;
}

int units_cell_init(struct cell *cell)
{
	const struct unit *u;
	int err;

	for_each_unit(u) {
		err = u->cell_init(cell);
		if (err)
			goto err_unwind;
	}
	return 0;

err_unwind:
	while (u-- != __units_start)
		u->cell_exit(cell);
	return err;
}

void units_cell_exit(struct cell *cell)
{
	const struct unit *u;

	for_each_unit_reverse(u)
		u->cell_exit(cell);
}
