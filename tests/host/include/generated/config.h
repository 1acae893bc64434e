/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests: the build options the core reads. */
#define CONFIG_MAX_CPUS 70
