/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: the default, empty command line buffer. */

/* Linked only when the inmate does not define `cmdline` itself. */

#include <inmate.h>

CMDLINE_BUFFER(CMDLINE_BUFFER_SIZE);
