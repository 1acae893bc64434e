/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARMv7: placeholders for the hooks the ARMv7 port
 * implements (entry, traps, CPU reset, the way back to SVC mode).  The
 * generic core and arm-common are built and linked already; arch_entry
 * refuses to start (entry.S), so none of these runs.
 */

#include <hv/control.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/mmio.h>
#include <asm/paging.h>
#include <asm/traps.h>

const char arch_name[] = "arm";

unsigned long arm_vtcr(void)
{
	return 0;
}

int arch_cpu_init(struct per_cpu *c)
{
	return -ENOSYS;
}

void arch_reset_self(struct per_cpu *c)
{
}

void arch_skip_instruction(void)
{
}

long arm_firmware_call(struct trap_context *ctx)
{
	return -1;	/* PSCI NOT_SUPPORTED */
}

static void __noreturn halt(void)
{
	while (1)
		asm volatile("wfi" : : : "memory");
}

void arch_panic_park(void)
{
	halt();
}

void arch_cpu_restore(struct per_cpu *c, int return_code)
{
	halt();
}

void arch_cpu_off(struct per_cpu *c)
{
	halt();
}

/* Guarded accesses (hv/mmio.h): the ARMv7 port adds the abort fixup. */
int arch_guarded_read(void *addr, unsigned int size, unsigned long *value)
{
	return -EFAULT;
}

int arch_guarded_write(void *addr, unsigned int size, unsigned long value)
{
	return -EFAULT;
}

int arch_guarded_copy(void *dst, const void *src, unsigned long size)
{
	return -EFAULT;
}

int arch_guarded_zero(void *addr, unsigned long size)
{
	return -EFAULT;
}
