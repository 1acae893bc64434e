# SPDX-License-Identifier: GPL-2.0-only
# The full-stack record parser: output with and without a final newline, through the real shell helper.

import subprocess

from fullstack import records


def _record(*commands):
    """Run commands through records.RUN_HELPER in sh; the /tmp/rec text."""
    script = ": > /tmp/rec.$$\n" + records.RUN_HELPER.replace(
        "/tmp/rec", "/tmp/rec.$$").replace("/tmp/out", "/tmp/out.$$")
    script += "".join("run %s\n" % _quote(c) for c in commands)
    script += "cat /tmp/rec.$$; rm -f /tmp/rec.$$ /tmp/out.$$\n"
    return subprocess.run(["sh", "-c", script], capture_output=True,
                          text=True, check=True).stdout


def _quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def test_output_without_final_newline_keeps_its_status():
    text = _record("printf 'Timer fired'", "echo two; (exit 3)",
                   "true", "echo a; printf b")
    assert records.parse(text) == [
        ("printf 'Timer fired'", "Timer fired", 0),
        ("echo two; (exit 3)", "two\n", 3),
        ("true", "", 0),
        ("echo a; printf b", "a\nb", 0),
    ]


def test_glued_status_of_an_older_guest():
    text = "=== CMD jailhouse console\nabcT=== STATUS 0\n" \
        "=== CMD next\nok\n=== STATUS 1\n"
    assert records.parse(text) == [("jailhouse console", "abcT", 0),
                                   ("next", "ok\n", 1)]


def test_unfinished_record_is_left_out():
    assert records.parse("=== CMD a\nx\n=== STATUS 0\n=== CMD b\ny\n") == \
        [("a", "x\n", 0)]
