/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: comm region state, messages, replies. */

#include <inmate.h>

/* The message words are accessed as aligned 32-bit words: the packed
 * struct would otherwise be read byte by byte. */
#define COMM_WORD(field)	((unsigned long)&comm_region->field)

void comm_region_set_state(u32 state)
{
	if (!comm_region)
		return;
	mmio_write32(COMM_WORD(cell_state), state);
}

u32 comm_region_poll(void)
{
	if (!comm_region)
		return JAILHOUSE_MSG_NONE;
	return mmio_read32(COMM_WORD(msg_to_cell));
}

void comm_region_reply(u32 reply)
{
	if (!comm_region)
		return;
	/* Clear the message before the reply becomes visible. */
	mmio_write32(COMM_WORD(msg_to_cell), JAILHOUSE_MSG_NONE);
	asm volatile(__JAILHOUSE_STORE_FENCE : : : "memory");
	mmio_write32(COMM_WORD(reply_from_cell), reply);
}

u32 comm_region_service(bool allow_shutdown)
{
	u32 msg = comm_region_poll();

	switch (msg) {
	case JAILHOUSE_MSG_NONE:
		break;
	case JAILHOUSE_MSG_SHUTDOWN_REQUEST:
		comm_region_reply(allow_shutdown ?
				  JAILHOUSE_MSG_REQUEST_APPROVED :
				  JAILHOUSE_MSG_REQUEST_DENIED);
		break;
	case JAILHOUSE_MSG_RECONFIG_COMPLETED:
		comm_region_reply(JAILHOUSE_MSG_RECEIVED);
		break;
	default:
		comm_region_reply(JAILHOUSE_MSG_UNKNOWN);
		break;
	}
	return msg;
}
