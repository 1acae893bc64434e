/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library test, every architecture: command line parsing. */

/*
 * The build puts a command line into the image (CMDLINE_DEFAULT); a load-
 * time one (pytest patches the image as `jailhouse cell load -s` would)
 * replaces it, then only the "parsed:" line is of interest.
 */

#include <inmate.h>

CMDLINE_DEFAULT("builtin int=42 hex=0x1f oct=017 neg=-7 flag off=off "
		"on=yes str=hello-world long=0123456789abcdef bad=12z "
		"int=43");

/* Start of the image (linker script entry). */
extern char __reset_entry[];

static void print_parsed(void)
{
	char buf[16];

	printk("parsed: int=%lld hex=%lld neg=%lld flag=%d off=%d str=%s "
	       "missing=%lld\n",
	       cmdline_parse_int("int", -1), cmdline_parse_int("hex", -1),
	       cmdline_parse_int("neg", -1), cmdline_parse_bool("flag", false),
	       cmdline_parse_bool("off", true),
	       cmdline_parse_str("str", buf, sizeof(buf), "(none)"),
	       cmdline_parse_int("missing", -1));
}

void inmate_main(void)
{
	char buf[8], big[32];

	printk("cmdline at %p: \"%s\"\n", cmdline, cmdline);
	print_parsed();
	if (!cmdline_parse_bool("builtin", false))
		return;

	EXPECT_EQUAL((unsigned long)cmdline - (unsigned long)__reset_entry,
		     0x1000);
	EXPECT_EQUAL(cmdline_parse_int("int", 0), 43);	/* last one wins */
	EXPECT_EQUAL(cmdline_parse_int("hex", 0), 0x1f);
	EXPECT_EQUAL(cmdline_parse_int("oct", 0), 15);
	EXPECT_EQUAL(cmdline_parse_int("neg", 0), -7);
	EXPECT_EQUAL(cmdline_parse_int("bad", 99), 99);
	EXPECT_EQUAL(cmdline_parse_int("missing", 5), 5);
	EXPECT_EQUAL(cmdline_parse_int("in", 5), 5);	/* no prefix match */
	EXPECT_EQUAL(cmdline_parse_bool("flag", false), true);
	EXPECT_EQUAL(cmdline_parse_bool("off", true), false);
	EXPECT_EQUAL(cmdline_parse_bool("on", false), true);
	EXPECT_EQUAL(cmdline_parse_bool("missing", true), true);
	EXPECT_STR_EQUAL(cmdline_parse_str("str", big, sizeof(big), "x"),
			 "hello-world");
	EXPECT_STR_EQUAL(cmdline_parse_str("long", buf, sizeof(buf), "x"),
			 "0123456");			/* truncated */
	EXPECT_STR_EQUAL(cmdline_parse_str("nope", buf, sizeof(buf), "dflt"),
			 "dflt");
	EXPECT_STR_EQUAL(cmdline_parse_str("flag", buf, sizeof(buf), "x"), "");
	test_summary();
}
