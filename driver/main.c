// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver: module entry, /dev/jailhouse and the CPU hotplug guard. */

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/cpuhotplug.h>
#include <linux/device.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "main.h"

/* JAILHOUSE_ENABLE as a 32-bit process encodes it (4-byte pointer). */
#define JAILHOUSE_ENABLE_COMPAT	_IOW(0, 0, u32)

DEFINE_MUTEX(jh_ioctl_lock);
DEFINE_MUTEX(jh_state_lock);
bool jh_enabled;
struct device *jh_dev;

static enum cpuhp_state hotplug_state;

/* One reader position per open file. */
struct reader {
	struct mutex lock;
	u32 pos;
	u32 generation;
	bool started;
};

static int jh_open(struct inode *inode, struct file *file)
{
	struct reader *reader = kzalloc(sizeof(*reader), GFP_KERNEL);

	if (!reader)
		return -ENOMEM;
	mutex_init(&reader->lock);
	file->private_data = reader;
	return 0;
}

static int jh_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/*
 * The hypervisor console, from the oldest byte still in the ring (after a
 * disable: the copy saved then).  At the end, as upstream's driver does:
 * with O_NONBLOCK 0 (end of file) while the hypervisor runs and -EAGAIN
 * while it does not; without O_NONBLOCK wait for more (`console -f`),
 * also across disable and enable, until a signal.
 */
static ssize_t jh_read(struct file *file, char __user *out, size_t count,
		       loff_t *ppos)
{
	struct reader *reader = file->private_data;
	ssize_t len;
	u32 generation;
	char *buf;

	count = min_t(size_t, count, JAILHOUSE_CONSOLE_SIZE);
	if (!count)
		return 0;
	buf = kmalloc(count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (mutex_lock_interruptible(&reader->lock)) {
		kfree(buf);
		return -EINTR;
	}
	for (;;) {
		generation = jh_console_generation();
		len = jh_console_copy(buf, count, &reader->pos,
				      !reader->started ||
				      generation != reader->generation);
		reader->started = true;
		reader->generation = generation;
		if (len)
			break;
		if (file->f_flags & O_NONBLOCK) {
			len = READ_ONCE(jh_enabled) ? 0 : -EAGAIN;
			break;
		}
		if (msleep_interruptible(100) || signal_pending(current)) {
			len = -ERESTARTSYS;
			break;
		}
	}
	mutex_unlock(&reader->lock);
	if (len > 0 && copy_to_user(out, buf, len))
		len = -EFAULT;
	kfree(buf);
	return len;
}

static long jh_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case JAILHOUSE_ENABLE:
		return jh_cmd_enable(uarg);
	case JAILHOUSE_DISABLE:
		return jh_cmd_disable();
	case JAILHOUSE_CELL_CREATE:
		return jh_cmd_cell_create(uarg);
	case JAILHOUSE_CELL_LOAD:
		return jh_cmd_cell_load(uarg);
	case JAILHOUSE_CELL_START:
		return jh_cmd_cell_start(uarg);
	case JAILHOUSE_CELL_DESTROY:
		return jh_cmd_cell_destroy(uarg);
	default:
		return -ENOTTY;
	}
}

#ifdef CONFIG_COMPAT
static long jh_compat_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	/* The argument structures have one layout for 32 and 64 bit. */
	if (cmd == JAILHOUSE_ENABLE_COMPAT)
		cmd = JAILHOUSE_ENABLE;
	else if (cmd == JAILHOUSE_ENABLE)
		return -ENOTTY;
	return jh_ioctl(file, cmd, (unsigned long)compat_ptr(arg));
}
#endif

static const struct file_operations jh_fops = {
	.owner = THIS_MODULE,
	.open = jh_open,
	.release = jh_release,
	.read = jh_read,
	.unlocked_ioctl = jh_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = jh_compat_ioctl,
#endif
	.llseek = noop_llseek,
};

static struct miscdevice jh_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "jailhouse",
	.fops = &jh_fops,
};

/* Linux may not bring up a CPU that a cell owns (e.g. through sysfs). */
static int jh_cpu_prepare(unsigned int cpu)
{
	int err = 0;

	mutex_lock(&jh_state_lock);
	if (cpumask_test_cpu(cpu, &jh_claimed_cpus))
		err = -EBUSY;
	mutex_unlock(&jh_state_lock);
	return err;
}

static int __init jailhouse_init(void)
{
	int err;

	jh_dev = root_device_register("jailhouse");
	if (IS_ERR(jh_dev))
		return PTR_ERR(jh_dev);
	err = jh_sysfs_init(jh_dev);
	if (err)
		goto err_unregister_root;
	err = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "jailhouse:cell",
					jh_cpu_prepare, NULL);
	if (err < 0)
		goto err_sysfs;
	hotplug_state = err;
	err = misc_register(&jh_misc);
	if (err)
		goto err_hotplug;
	return 0;

err_hotplug:
	cpuhp_remove_state_nocalls(hotplug_state);
err_sysfs:
	jh_sysfs_exit(jh_dev);
err_unregister_root:
	root_device_unregister(jh_dev);
	return err;
}

static void __exit jailhouse_exit(void)
{
	misc_deregister(&jh_misc);
	cpuhp_remove_state_nocalls(hotplug_state);
	jh_sysfs_exit(jh_dev);
	root_device_unregister(jh_dev);
	jh_hypervisor_exit();
}

module_init(jailhouse_init);
module_exit(jailhouse_exit);

MODULE_DESCRIPTION("Jailhouse partitioning hypervisor driver");
MODULE_LICENSE("GPL");
MODULE_FIRMWARE("jailhouse.bin");
MODULE_FIRMWARE("jailhouse-intel.bin");
MODULE_FIRMWARE("jailhouse-amd.bin");
