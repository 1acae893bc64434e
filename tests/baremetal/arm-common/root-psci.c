/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library, ARM roots (ARMv7 and ARM64): exit through
 * semihosting, the secondary CPUs' commands, CPUs off and on through the
 * firmware's PSCI, and probing the root's stage 2 by reads that may abort
 * (the hyp stub's handler counts them in root_aborts).
 */

#include <root.h>

bool root_can_read(unsigned long addr)
{
	unsigned long before = root_aborts;

	(void)*(volatile unsigned int *)addr;
	return root_aborts == before;
}

void root_exit(unsigned int status)
{
	semihosting_exit(status);
}

/* The hyp stub's handler of exceptions it does not expect: @syndrome is
 * the ESR (ARM64) or FSR/HSR (ARMv7) of the exception. */
void root_unexpected(unsigned long kind, unsigned long syndrome);

void root_unexpected(unsigned long kind, unsigned long syndrome)
{
	printf("ROOT: FAIL unexpected exception %d, syndrome %x\n", kind,
	       syndrome);
	semihosting_exit(3);
}

long disable(unsigned int mask)
{
	return disable_cpus(mask);
}

/* The hyp stub starts secondary CPUs here (its weak reference). */
void secondary_main(unsigned long cpu);

void secondary_main(unsigned long cpu)
{
	secondary_loop(cpu);
}

/* A program's own commands (CMD_PROGRAM and up), on CPU @cpu. */
void __attribute__((weak)) root_program_cmd(unsigned int cpu,
					     unsigned long c)
{
}

void arch_cmd(unsigned int cpu, unsigned long c)
{
	if (c == CMD_OFF)
		psci_cpu_off_self(cpu);
	else if (c == CMD_SERROR)
		root_serror_cmd();
	else
		root_program_cmd(cpu, c);
}

void psci_cpu_off_self(unsigned int cpu)
{
	cmd[cpu] = CMD_DONE;
	smc(PSCI_CPU_OFF, 0, 0, 0);
	printf("ROOT: FAIL CPU %d returned from CPU_OFF\n", (long)cpu);
}

void cpu_off(unsigned long cpu)
{
	cmd[cpu] = CMD_OFF;
	while (cmd[cpu] != CMD_DONE)
		;
	while (smc(PSCI_AFFINITY_INFO, cpu, 0, 0) != 1)
		;
}

void cpu_on(unsigned long cpu, void (*entry)(void))
{
	unsigned long before = alive[cpu];

	cmd[cpu] = CMD_NONE;
	EXPECT(smc(PSCI_CPU_ON, cpu, (unsigned long)entry, cpu), 0);
	while (alive[cpu] == before)
		;
}
