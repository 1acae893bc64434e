/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse demo, ARM and ARM64: a cell that locks itself. */

/*
 * A cell that protects itself. It sets its state to running/locked (so the
 * hypervisor refuses reconfigurations), denies the first shutdown request
 * and approves the second, unlocking first. Needs a cell without
 * JAILHOUSE_CELL_PASSIVE_COMMREG.
 *
 * Without the hypervisor (bare run) CPU 1 plays it: it sends the requests
 * through a comm region in RAM, and the results are printed at the end.
 */

#include <inmate.h>

#define REPLY_TIMEOUT_US	1000000

static struct jailhouse_comm_region sim_region __aligned(8);

static struct {
	u32 reply[2];
	u32 state_after[2];
	u32 state_seen;
	volatile bool done;
} sim;

#define SIM_WORD(field)	((unsigned long)&sim_region.field)

static u32 sim_request_shutdown(void)
{
	u64 end = timer_get_ticks() + timer_get_frequency();
	u32 reply;

	mmio_write32(SIM_WORD(reply_from_cell), JAILHOUSE_MSG_NONE);
	asm volatile("dmb ish" : : : "memory");
	mmio_write32(SIM_WORD(msg_to_cell), JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	do {
		reply = mmio_read32(SIM_WORD(reply_from_cell));
	} while (reply == JAILHOUSE_MSG_NONE && timer_get_ticks() < end);
	return reply;
}

/* CPU 1 in a bare run: what the hypervisor does on `cell shutdown`. */
static void simulated_hypervisor(void *arg)
{
	unsigned int n;

	while (mmio_read32(SIM_WORD(cell_state)) !=
	       JAILHOUSE_CELL_RUNNING_LOCKED)
		;
	sim.state_seen = JAILHOUSE_CELL_RUNNING_LOCKED;
	for (n = 0; n < 2; n++) {
		sim.reply[n] = sim_request_shutdown();
		sim.state_after[n] = mmio_read32(SIM_WORD(cell_state));
	}
	sim.done = true;
}

static const char *reply_name(u32 reply)
{
	switch (reply) {
	case JAILHOUSE_MSG_REQUEST_DENIED:
		return "denied";
	case JAILHOUSE_MSG_REQUEST_APPROVED:
		return "approved";
	case JAILHOUSE_MSG_NONE:
		return "no reply";
	default:
		return "unexpected";
	}
}

static const char *state_name(u32 state)
{
	return state == JAILHOUSE_CELL_RUNNING ? "running" :
		state == JAILHOUSE_CELL_RUNNING_LOCKED ? "running/locked" :
		"other";
}

void inmate_main(void)
{
	bool simulate = !comm_region, denied = false;
	unsigned int n;
	u32 msg;

	if (simulate) {
		memcpy(sim_region.signature, COMM_REGION_MAGIC, 6);
		sim_region.revision = COMM_REGION_ABI_REVISION;
		comm_region = &sim_region;
		if (smp_start_cpu(1, simulated_hypervisor, NULL, 0) !=
		    PSCI_SUCCESS) {
			printk("lock-demo: a bare run needs a second CPU\n");
			comm_region = NULL;
			return;
		}
		printk("lock-demo: no hypervisor, CPU 1 simulates it\n");
	}

	comm_region_set_state(JAILHOUSE_CELL_RUNNING_LOCKED);
	printk("lock-demo: cell is running/locked, the first shutdown "
	       "request will be denied\n");

	for (;;) {
		msg = comm_region_poll();
		if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST && !denied) {
			comm_region_reply(JAILHOUSE_MSG_REQUEST_DENIED);
			denied = true;
			printk("lock-demo: shutdown request denied, "
			       "ask again to stop the cell\n");
		} else if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST) {
			printk("lock-demo: second shutdown request: "
			       "unlocking and approving\n");
			comm_region_set_state(JAILHOUSE_CELL_RUNNING);
			comm_region_reply(JAILHOUSE_MSG_REQUEST_APPROVED);
			break;
		} else if (msg != JAILHOUSE_MSG_NONE) {
			comm_region_service(false);
		}
		delay_us(100);
	}

	if (simulate) {
		while (!sim.done)
			;
		for (n = 0; n < 2; n++)
			printk("lock-demo: simulated request %u: %s, cell state "
			       "%s\n", n + 1, reply_name(sim.reply[n]),
			       state_name(sim.state_after[n]));
		comm_region = NULL;
	}
}
