/* SPDX-License-Identifier: GPL-2.0-only */
/* The root-program library: reading the hypervisor console ring. */

#include <root.h>

/* Read-only for the root while the hypervisor runs. */
const struct jailhouse_console_ring *console(void)
{
	unsigned long size;
	const struct jailhouse_header *hdr =
		(const void *)root_hypervisor_image(&size);

	return (const void *)(HV_PHYS + (unsigned long)hdr->console_page);
}

bool ring_contains(const struct jailhouse_console_ring *ring,
		   const char *text)
{
	unsigned int n, i, len = ring->tail < ring->size ? ring->tail : ring->size;

	for (n = 0; n < len; n++) {
		for (i = 0; text[i]; i++)
			if (ring->content[(ring->tail - len + n + i) &
					  (ring->size - 1)] != text[i])
				break;
		if (!text[i])
			return true;
	}
	return false;
}

/* Whether the console shows @text at @pos and, later, the end of that line. */
static bool line_at(const struct jailhouse_console_ring *ring,
		    unsigned int pos, const char *text)
{
	unsigned int n;

	for (n = 0; text[n]; n++, pos++)
		if (pos >= ring->tail ||
		    ring->content[pos % JAILHOUSE_CONSOLE_SIZE] != text[n])
			return false;
	for (; pos < ring->tail; pos++)
		if (ring->content[pos % JAILHOUSE_CONSOLE_SIZE] == '\n')
			return true;
	return false;
}

unsigned int console_next(unsigned int since, const char *text)
{
	const struct jailhouse_console_ring *ring = console();
	unsigned long end = now_ms() + WAIT_MS;
	unsigned int pos, n;

	do {
		for (pos = since; pos < ring->tail; pos++)
			if (line_at(ring, pos, text)) {
				while (ring->busy)
					cpu_relax();
				for (n = 0; text[n]; n++)
					;
				return pos + n;
			}
	} while (now_ms() < end);
	return 0;
}

bool console_shows(unsigned int since, const char *text)
{
	return console_next(since, text) != 0;
}
