/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: EXPECT_* checks and the summary pytest parses. */

#include <inmate.h>

bool all_passed = true;
static unsigned int passed, failed;

bool test_expect_equal(u64 a, u64 b, const char *a_str, const char *b_str,
		       const char *file, int line)
{
	if (a == b) {
		passed++;
		printk("PASS: %s:%d: %s == %s\n", file, line, a_str, b_str);
		return true;
	}
	failed++;
	all_passed = false;
	printk("FAIL: %s:%d: %s == %s (0x%llx != 0x%llx)\n", file, line,
	       a_str, b_str, a, b);
	return false;
}

bool test_summary(void)
{
	printk("Testing finished (%u passed, %u failed)\n", passed, failed);
	printk("JAILHOUSE-TEST-RESULT: %s passed=%u failed=%u\n",
	       failed || !passed ? "FAIL" : "PASS", passed, failed);
	return failed == 0;
}
