/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: the environment the hypervisor core expects (see host.h). */

#include <hv/control.h>
#include <hv/printk.h>
#include "host.h"

int vprintf(const char *fmt, __builtin_va_list ap);

unsigned long host_hv_base, host_remap_base;
struct per_cpu host_cpu;
unsigned int num_possible_cpus = 1;
unsigned int host_failures, host_checks;

void *host_init(unsigned long hv_size, unsigned long phys_base,
		unsigned long remap_pages)
{
	void *hv = aligned_alloc(0x200000, hv_size);
	void *remap = aligned_alloc(PAGE_SIZE, remap_pages * PAGE_SIZE);

	if (!hv || !remap) {
		printf("FAIL: out of host memory\n");
		exit(2);
	}
	host_hv_base = (unsigned long)hv;
	host_remap_base = (unsigned long)remap;
	host_cpu.phys_base = phys_base;
	return hv;
}

int host_done(const char *name)
{
	if (host_failures) {
		printf("FAIL %s: %u of %u checks failed (%u-bit)\n", name,
		       host_failures, host_checks, (unsigned int)BITS_PER_LONG);
		exit(1);
	}
	printf("PASS %s: %u checks (%u-bit)\n", name, host_checks,
	       (unsigned int)BITS_PER_LONG);
	return 0;
}
