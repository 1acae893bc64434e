/* SPDX-License-Identifier: GPL-2.0-only */
#define JAILHOUSE_VERSION "host-test"
