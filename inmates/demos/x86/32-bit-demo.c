/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse demo, x86: an inmate in 32-bit protected mode (the library's
 * 32-bit build: 32-bit-demo.bin).  Reports its mode, the comm region
 * and the TSC frequency, and waits a little by the PM timer.
 */

#include <inmate.h>

void inmate_main(void)
{
	u64 start, waited;

	printk("32-bit-demo: running in %s mode (long is %u bytes)\n",
	       sizeof(long) == 4 ? "32-bit protected" : "64-bit long",
	       (unsigned int)sizeof(long));
	if (comm_region)
		printk("32-bit-demo: comm region revision %u, %u CPUs, "
		       "TSC %u kHz\n", comm_region->revision,
		       comm_region->num_cpus, comm_region->tsc_khz);
	printk("32-bit-demo: TSC at %lu kHz\n", tsc_khz());
	start = pm_timer_read();
	delay_us(5000);
	waited = pm_timer_read() - start;
	printk("32-bit-demo: waited %llu us by the PM timer\n",
	       udiv64(waited, 1000, NULL));
	printk("32-bit-demo: done\n");
}
