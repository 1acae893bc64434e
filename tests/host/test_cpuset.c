/* SPDX-License-Identifier: GPL-2.0-only */
/* Host test of hv/cpuset.h (MAX_CPUS is 70 here: more than one word). */

#include <hv/cpuset.h>
#include "host.h"

int main(void)
{
	struct cpu_set set = { };
	unsigned int cpu, n = 0, sum = 0;

	CHECK(!cpu_in_set(&set, 0));
	cpu_set_add(&set, 0);
	cpu_set_add(&set, 31);
	cpu_set_add(&set, 32);
	cpu_set_add(&set, 63);
	cpu_set_add(&set, 64);
	cpu_set_add(&set, MAX_CPUS - 1);
	CHECK(cpu_in_set(&set, 0) && cpu_in_set(&set, 31));
	CHECK(cpu_in_set(&set, 32) && cpu_in_set(&set, 63));
	CHECK(cpu_in_set(&set, 64) && cpu_in_set(&set, MAX_CPUS - 1));
	CHECK(!cpu_in_set(&set, 1) && !cpu_in_set(&set, 33));
	CHECK(!cpu_in_set(&set, MAX_CPUS));
	CHECK(!cpu_in_set(&set, 0xffffffff));
	for_each_cpu_below(cpu, &set, MAX_CPUS) {
		n++;
		sum += cpu;
	}
	CHECK_EQ(n, 6);
	CHECK_EQ(sum, 0 + 31 + 32 + 63 + 64 + MAX_CPUS - 1);
	n = 0;
	for_each_cpu_below(cpu, &set, 33)
		n++;
	CHECK_EQ(n, 3);
	cpu_set_del(&set, 32);
	CHECK(!cpu_in_set(&set, 32) && cpu_in_set(&set, 31));
	cpu_set_del(&set, 64);
	CHECK(!cpu_in_set(&set, 64) && cpu_in_set(&set, 63));
	return host_done("cpuset");
}
