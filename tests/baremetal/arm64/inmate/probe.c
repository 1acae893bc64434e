/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe inmate for the hypervisor tests.  The root program puts a mode
 * letter into the first word of the shared page (guest-physical
 * SHARED_PAGE) before it starts the cell; the inmate reports progress in
 * the words after it:
 *
 *   'r'  run: print, answer messages, count heartbeats
 *   'f'  fault: touch memory outside the cell's regions
 *   'k'  run, holding the reconfiguration lock while shared[2] is non-zero
 *   'd'  run, deny shutdown requests while shared[2] is non-zero
 *   's'  silent: never answer messages
 *   'm'  start the CPU whose MPIDR is in shared[TARGET] through PSCI; it
 *        counts in shared[SECOND]
 *   'F'  like 'm', then fault once the second CPU runs
 */

#include <jailhouse/hypercall.h>

#define UART		0x09000000UL
#define SHARED_PAGE	0x00200000UL
#define FORBIDDEN	0x40000000UL
#define COMM		((struct jailhouse_comm_region *)0x80000000UL)

enum { MODE, HEARTBEAT, HOLD, EPERM_SEEN, MESSAGES, PUTC_RESULT, BOOTS,
       TARGET, SECOND, PSCI_RESULT, GREETED };

void inmate_main(void);
void secondary_main(void);
void secondary_start(void);

static unsigned long second_stack[512] __attribute__((aligned(16)));

static volatile unsigned int *const shared = (void *)SHARED_PAGE;

static void putc(char c)
{
	volatile unsigned int *uart = (void *)UART;

	while (uart[0x18 / 4] & (1 << 5))
		;
	uart[0] = c;
}

static void puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc('\r');
		putc(*s);
	}
}

static void puthex(unsigned long v)
{
	int n;

	for (n = 60; n >= 0; n -= 4)
		putc("0123456789abcdef"[(v >> n) & 0xf]);
}

static long psci(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn, x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2, x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "memory");
	return x0;
}

void secondary_main(void)
{
	while (1)
		shared[SECOND]++;
}

static void start_second_cpu(void)
{
	unsigned long target = shared[TARGET];

	shared[PSCI_RESULT] = psci(0xc4000003, target,
				   (unsigned long)secondary_start,
				   (unsigned long)(second_stack + 512));
	while (psci(0xc4000004, target, 0, 0) != 0)	/* AFFINITY_INFO */
		;
	while (shared[SECOND] < 100)
		;
	puts("INMATE: second CPU running\n");
}

void inmate_main(void)
{
	struct jailhouse_comm_region *comm = COMM;
	unsigned int mode = shared[MODE];
	const char *s;
	long ret;
	__u32 msg;

	shared[BOOTS]++;
	puts("INMATE: hello from a cell, mode ");
	putc(mode);
	puts(", comm region ");
	puts(comm->signature[0] == 'J' && comm->revision == 2 ?
	     "ok\n" : "BAD\n");

	/* The virtual debug console, and a refused management call. */
	for (s = "INMATE: via hypercall\n", ret = 0; *s && !ret; s++)
		ret = jailhouse_call_arg1(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, *s);
	shared[PUTC_RESULT] = ret;
	ret = jailhouse_call_arg1(JAILHOUSE_HC_CELL_GET_STATE, 0);
	shared[EPERM_SEEN] = ret;
	puts("INMATE: management call returned ");
	puthex(ret);
	puts("\n");

	if (mode == 'm' || mode == 'F')
		start_second_cpu();
	/* The console is shared: the root waits for this before it prints. */
	shared[GREETED] = 1;
	if (mode == 'f' || mode == 'F') {
		puts("INMATE: touching memory outside my regions\n");
		*(volatile unsigned int *)FORBIDDEN = 0xdead;
		puts("INMATE: ERROR still running after the fault\n");
	}

	while (1) {
		shared[HEARTBEAT]++;
		if (mode == 'k')
			comm->cell_state = shared[HOLD] ?
				JAILHOUSE_CELL_RUNNING_LOCKED :
				JAILHOUSE_CELL_RUNNING;
		msg = comm->msg_to_cell;
		if (mode == 's' || msg == JAILHOUSE_MSG_NONE)
			continue;
		shared[MESSAGES]++;
		if (msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST) {
			if (mode == 'd' && shared[HOLD]) {
				puts("INMATE: denying shutdown\n");
				jailhouse_send_reply_from_cell(comm,
					JAILHOUSE_MSG_REQUEST_DENIED);
			} else {
				puts("INMATE: shutdown approved\n");
				jailhouse_send_reply_from_cell(comm,
					JAILHOUSE_MSG_REQUEST_APPROVED);
			}
		} else if (msg == JAILHOUSE_MSG_RECONFIG_COMPLETED) {
			jailhouse_send_reply_from_cell(comm,
				JAILHOUSE_MSG_RECEIVED);
		} else {
			jailhouse_send_reply_from_cell(comm,
				JAILHOUSE_MSG_UNKNOWN);
		}
	}
}
