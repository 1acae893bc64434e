// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: module entry (placeholder until the driver lands). */

#include <linux/module.h>
#include <linux/printk.h>

static int __init jailhouse_init(void)
{
	pr_info("jailhouse: driver placeholder loaded\n");
	return 0;
}

static void __exit jailhouse_exit(void)
{
}

module_init(jailhouse_init);
module_exit(jailhouse_exit);

MODULE_DESCRIPTION("Jailhouse partitioning hypervisor driver");
MODULE_LICENSE("GPL");
