/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root-program library, ARM roots: the "serror" scenario, one copy for
 * ARMv7 and ARM64, for a hypervisor built with CONFIG_ARM_TEST_SERROR.
 * QEMU raises no physical SError; that hypervisor takes a guest's
 * HVC #0x5e55 for an SError the guest caused.  This checks what follows:
 * a cell's stops it while the root runs on, the root's comes back to it
 * as a virtual SError (a virtual abort on ARMv7), pending while it masks
 * them and taken when it unmasks them, and one the root leaves pending on
 * a CPU does not reach the CPU's next cell.  Not the routing itself
 * (HCR.AMO) nor the drain of a physical SError at a hand-over, which QEMU
 * cannot show.
 */

#include <root.h>

#define HANDOVER_CPU	1

static volatile unsigned long handover_pending;

void root_serror_cmd(void)
{
	handover_pending = root_masked_serror();
}

/* The heir of a CPU, started in mode 'A' (unmask SErrors, then beat). */
static void heir_starts_clean(void)
{
	unsigned long end = now_ms() + WAIT_MS;
	long id = probe_run(probe_cell(HANDOVER_CPU, "heir", NULL, NULL), 'A');

	if (id < 0) {
		CHECK(0, "heir: create %d", id);
		return;
	}
	while (now_ms() < end && probe_heartbeat() < 1000)
		;
	CHECK(probe_heartbeat() >= 1000, "the next owner of CPU %d does not "
	      "run", (long)HANDOVER_CPU);
	EXPECT(probe_boots(), 1);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
}

void scenario_serror(void)
{
	unsigned long before;
	long id;

	EXPECT(enable(), 0);
	cpu_off(PROBE_CPU);
	id = probe_run(probe_cell(PROBE_CPU, "serror", NULL, NULL), 'E');
	EXPECT(wait_state(id, JAILHOUSE_CELL_FAILED), JAILHOUSE_CELL_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CPU_GET_INFO, PROBE_CPU,
		  JAILHOUSE_CPU_INFO_STATE), JAILHOUSE_CPU_FAILED);
	EXPECT(hc(JAILHOUSE_HC_CELL_DESTROY, id, 0), 0);
	printf("ROOT: a cell's SError stopped it, the root runs on\n");

	before = root_serrors;
	CHECK(root_masked_serror(), "no SError pending for the root");
	EXPECT(root_serrors, before);
	root_take_serror();
	EXPECT(root_serrors, before + 1);
	printf("ROOT: the root's SError came back to it as a virtual one\n");

	cmd[HANDOVER_CPU] = CMD_SERROR;
	while (cmd[HANDOVER_CPU] != CMD_DONE)
		;
	CHECK(handover_pending, "CPU %d: no SError pending",
	      (long)HANDOVER_CPU);
	cpu_off(HANDOVER_CPU);
	heir_starts_clean();
	printf("ROOT: an SError pending on a CPU does not reach its next "
	       "owner\n");
	root_cpu_back(HANDOVER_CPU);
	root_cpu_back(PROBE_CPU);
	EXPECT(disable(0xe), 0);
}
