/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86: debug exceptions reach the cell exactly as
 * on a bare CPU while the hypervisor intercepts them.  Both vendors make
 * #DB and #AC exit (a guest could otherwise keep a real CPU in an endless
 * microcode loop delivering them, CVE-2015-5307 and CVE-2015-8104) and
 * inject them back.  Here: single-stepping with RFLAGS.TF raises one #DB
 * per instruction until the handler clears TF; the DR6 it prints must
 * have BS set (checked by the test, which knows where the emulator falls
 * short); the root checks that the cell's CPU counted them as exception
 * exits.  64-bit.
 */

#include <inmate.h>
#include <arch.h>

#define EXC_DB		1
#define STEPS		10	/* as the handler's cmpq has it */

/* Counted by the #DB handler, which clears TF after STEPS of them. */
volatile unsigned long single_step_count, single_step_dr6;

asm(".pushsection .text\n"
    "single_step_db:\n\t"
    "push %rax\n\t"
    "mov %dr6, %rax\n\t"
    "or %rax, single_step_dr6(%rip)\n\t"
    "incq single_step_count(%rip)\n\t"
    "cmpq $10, single_step_count(%rip)\n\t"
    "jb 1f\n\t"
    "andq $~0x100, 24(%rsp)\n"		/* RFLAGS above RAX, RIP, CS */
    "1:\tpop %rax\n\t"
    "iretq\n"
    ".popsection");
extern const char single_step_db[];

void inmate_main(void)
{
	int_set_gate(EXC_DB, single_step_db);
	asm volatile("pushf\n\t"
		     "orq $0x100, (%%rsp)\n\t"
		     "popf\n\t"
		     ".rept 20\n\t"
		     "nop\n\t"
		     ".endr" : : : "memory");
	printk("single-step: %lu debug exceptions, DR6 0x%lx\n",
	       single_step_count, single_step_dr6);
	EXPECT_EQUAL(single_step_count, STEPS);
	printk("single-step: done\n");
	test_summary();
}
