/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library test, every architecture: comm region helpers. */

/*
 * The comm region helpers against a region in RAM written the way the
 * hypervisor writes the real one. Under the hypervisor the real region is
 * checked for its signature too.
 */

#include <inmate.h>

static struct jailhouse_comm_region fake __aligned(8);

static void post(u32 msg)
{
	fake.reply_from_cell = JAILHOUSE_MSG_NONE;
	fake.msg_to_cell = msg;
}

void inmate_main(void)
{
	struct jailhouse_comm_region *real = comm_region;

	if (real) {
		EXPECT_EQUAL(memcmp(real->signature, COMM_REGION_MAGIC, 6), 0);
		EXPECT_EQUAL(real->revision, COMM_REGION_ABI_REVISION);
		EXPECT_EQUAL(real->cell_state, JAILHOUSE_CELL_RUNNING);
	}

	memcpy(fake.signature, COMM_REGION_MAGIC, 6);
	fake.revision = COMM_REGION_ABI_REVISION;
	comm_region = &fake;

	EXPECT_EQUAL(comm_region_poll(), JAILHOUSE_MSG_NONE);
	EXPECT_EQUAL(comm_region_service(false), JAILHOUSE_MSG_NONE);
	EXPECT_EQUAL(fake.reply_from_cell, JAILHOUSE_MSG_NONE);

	comm_region_set_state(JAILHOUSE_CELL_RUNNING_LOCKED);
	EXPECT_EQUAL(fake.cell_state, JAILHOUSE_CELL_RUNNING_LOCKED);

	post(JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	EXPECT_EQUAL(comm_region_poll(), JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	EXPECT_EQUAL(comm_region_service(false), JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	EXPECT_EQUAL(fake.reply_from_cell, JAILHOUSE_MSG_REQUEST_DENIED);
	EXPECT_EQUAL(fake.msg_to_cell, JAILHOUSE_MSG_NONE);

	post(JAILHOUSE_MSG_RECONFIG_COMPLETED);
	EXPECT_EQUAL(comm_region_service(false),
		     JAILHOUSE_MSG_RECONFIG_COMPLETED);
	EXPECT_EQUAL(fake.reply_from_cell, JAILHOUSE_MSG_RECEIVED);

	post(77);
	EXPECT_EQUAL(comm_region_service(true), 77);
	EXPECT_EQUAL(fake.reply_from_cell, JAILHOUSE_MSG_UNKNOWN);

	comm_region_set_state(JAILHOUSE_CELL_RUNNING);
	post(JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	EXPECT_EQUAL(comm_region_service(true), JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	EXPECT_EQUAL(fake.reply_from_cell, JAILHOUSE_MSG_REQUEST_APPROVED);
	EXPECT_EQUAL(fake.cell_state, JAILHOUSE_CELL_RUNNING);

	comm_region = real;
	test_summary();
}
