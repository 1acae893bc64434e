/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, ARM: PSCI and SMCCC emulation.  CPUs never really
 * go off while the hypervisor runs: CPU_OFF parks the CPU, CPU_ON of a CPU
 * of the same cell restarts it at the given entry.
 */

#include <hv/control.h>
#include <hv/printk.h>
#include <asm/traps.h>

#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_SMC64		0x40000000

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)


static long cpu_on(unsigned long mpidr, unsigned long entry, unsigned long arg)
{
	int cpu = cpu_by_phys_id(mpidr & MPIDR_AFF_MASK);
	struct per_cpu *t;
	long ret;

	if (cpu < 0 || !cpu_in_set(&this_cell()->cpus, cpu))
		return PSCI_INVALID_PARAMETERS;
	t = per_cpu(cpu);
	spin_lock(&t->control_lock);
	if (t->reset_requested)
		ret = PSCI_ON_PENDING;
	else if (!t->parked)
		ret = PSCI_ALREADY_ON;
	else if (t->failed || t->halted)
		ret = PSCI_DENIED;
	else {
		t->reset_address = entry;
		t->reset_arg = arg;
		t->reset_requested = true;
		ret = PSCI_SUCCESS;
	}
	spin_unlock(&t->control_lock);
	arch_send_event(t);
	return ret;
}

/* SYSTEM_RESET of a non-root cell: restart it on its first CPU. */
static void cell_reset(void)
{
	printk("Cell \"%s\" reset itself\n", this_cell()->config->name);
	cell_request_park(this_cell(), true);
}

static long psci(struct trap_context *ctx)
{
	unsigned long fn = ctx->regs[0] & ~(unsigned long)PSCI_SMC64;
	struct per_cpu *c = this_cpu();
	int cpu;

	if ((ctx->regs[0] & 0xffffff00) == SMCCC_VERSION) {
		c->stats[JAILHOUSE_CPU_STAT_VMEXITS_SMCCC]++;
		if (ctx->regs[0] == SMCCC_VERSION)
			return 0x10001;
		if (ctx->regs[0] == SMCCC_ARCH_FEATURES)
			return ctx->regs[1] == SMCCC_VERSION ||
				ctx->regs[1] == SMCCC_ARCH_FEATURES ?
				PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		return PSCI_NOT_SUPPORTED;
	}
	c->stats[JAILHOUSE_CPU_STAT_VMEXITS_PSCI]++;
	switch (ctx->regs[0] == PSCI_VERSION ? PSCI_VERSION : fn) {
	case PSCI_VERSION:
		return 0x10000;
	case PSCI_CPU_SUSPEND:
		return PSCI_SUCCESS;
	case PSCI_CPU_OFF:
		spin_lock(&c->control_lock);
		c->parked = true;
		spin_unlock(&c->control_lock);
		return PSCI_SUCCESS;
	case PSCI_CPU_ON:
		return cpu_on(ctx->regs[1], ctx->regs[2], ctx->regs[3]);
	case PSCI_AFFINITY_INFO:
		cpu = cpu_by_phys_id(ctx->regs[1] & MPIDR_AFF_MASK);
		if (cpu < 0 || !cpu_in_set(&this_cell()->cpus, cpu))
			return PSCI_INVALID_PARAMETERS;
		return per_cpu(cpu)->parked ? 1 : 0;
	case PSCI_MIGRATE_INFO_TYPE:
		return 2;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		/*
		 * The machine is the root's only while it runs alone: under
		 * running cells its power-off or reset fails (as upstream,
		 * NOT_SUPPORTED; Linux then halts or spins).
		 */
		if (this_cell() == &root_cell)
			return root_cell.next ? PSCI_NOT_SUPPORTED :
				arm_firmware_call(ctx);
		if (fn == PSCI_SYSTEM_RESET) {
			cell_reset();
			return PSCI_SUCCESS;
		}
		printk("Cell \"%s\" powered itself off\n",
		       this_cell()->config->name);
		this_cell()->comm_region->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
		c->parked = true;
		return PSCI_SUCCESS;
	case PSCI_FEATURES:
		if (ctx->regs[1] == SMCCC_VERSION)
			return PSCI_SUCCESS;
		switch (ctx->regs[1] & ~(unsigned long)PSCI_SMC64) {
		case PSCI_VERSION: case PSCI_CPU_SUSPEND: case PSCI_CPU_OFF:
		case PSCI_CPU_ON: case PSCI_AFFINITY_INFO:
		case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
			return PSCI_SUCCESS;
		}
		return PSCI_NOT_SUPPORTED;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

void psci_dispatch(struct trap_context *ctx)
{
	ctx->regs[0] = psci(ctx);
}
