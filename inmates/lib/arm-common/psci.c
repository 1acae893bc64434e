/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, ARM: PSCI calls and secondary CPU start-up. */

#include <arch.h>
#include <arm-common.h>

#define PSCI_FN_VERSION		0x84000000UL
#define PSCI_FN_CPU_OFF		0x84000002UL
#define PSCI_FN_SYSTEM_OFF	0x84000008UL

#define DEFAULT_STACK_SIZE	4096

static enum { CONDUIT_UNKNOWN, CONDUIT_SMC, CONDUIT_HVC } conduit;

void __psci_init(void)
{
	const char *fallback;
	char buf[8];

	if (conduit != CONDUIT_UNKNOWN)
		return;
	/* In a cell the hypervisor traps smc; bare, EL3 answers smc and,
	 * without EL3, whatever runs above EL1 (or QEMU) answers hvc. */
	fallback = comm_region || arch_has_el3() ? "smc" : "hvc";
	conduit = strcmp(cmdline_parse_str("psci-conduit", buf, sizeof(buf),
					   fallback), "hvc") == 0 ?
		CONDUIT_HVC : CONDUIT_SMC;
}

const char *psci_conduit(void)
{
	__psci_init();
	return conduit == CONDUIT_HVC ? "hvc" : "smc";
}

long psci_call(unsigned long fn, unsigned long a1, unsigned long a2,
	       unsigned long a3)
{
	long ret;

	__psci_init();
	if (conduit == CONDUIT_HVC)
		ret = arch_hvc(fn, a1, a2, a3);
	else
		ret = arch_smc(fn, a1, a2, a3);
	/* PSCI results are 32-bit signed values. */
	return (s32)ret;
}

long psci_version(void)
{
	return psci_call(PSCI_FN_VERSION, 0, 0, 0);
}

long psci_cpu_on(unsigned long target_mpidr, unsigned long entry,
		 unsigned long ctx)
{
	return psci_call(PSCI_FN_CPU_ON, target_mpidr, entry, ctx);
}

long psci_cpu_off(void)
{
	return psci_call(PSCI_FN_CPU_OFF, 0, 0, 0);
}

long psci_system_off(void)
{
	return psci_call(PSCI_FN_SYSTEM_OFF, 0, 0, 0);
}

long smp_start_cpu(unsigned long mpidr, void (*entry)(void *arg), void *arg,
		   unsigned long stack_size)
{
	struct boot_ctx *ctx = alloc(sizeof(*ctx), 16);
	char *stack;

	if (!stack_size)
		stack_size = DEFAULT_STACK_SIZE;
	stack = alloc(stack_size, 16);
	if (!ctx || !stack)
		return PSCI_INVALID_PARAMETERS;
	ctx->stack_top = (unsigned long)stack + stack_size;
	ctx->entry = entry;
	ctx->arg = arg;
	/* The new CPU starts with its MMU off: make the context visible. */
	dsb();
	return psci_cpu_on(mpidr, (unsigned long)__secondary_entry,
			   (unsigned long)ctx);
}

void __secondary_start(struct boot_ctx *ctx)
{
	ctx->entry(ctx->arg);
	psci_cpu_off();
}
