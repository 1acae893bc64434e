# SPDX-License-Identifier: GPL-2.0-only
# The build runs plain command lines without sh (site_scons/site_tools/execspawn.py): only lines sh would just split; the rest, and errors, as sh would

import os
import sys

import pytest

from conftest import REPO

sys.path.insert(0, os.path.join(REPO, "site_scons", "site_tools"))
import execspawn  # noqa: E402 pylint: disable=wrong-import-position

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def test_plain_words_are_the_argv():
    line = ["gcc", "-o", "out/a.o", "-c", "-DBASE=0x0",
            "-ffile-prefix-map=/src/=", "a.c"]
    assert execspawn._words(line) == line


def test_file_names_quoted_by_scons_lose_their_quotes():
    assert execspawn._words(['gcc', '-o', '"/b/a.o"', '"/s/my dir/*.c"',
                             '""']) == ["gcc", "-o", "/b/a.o",
                                        "/s/my dir/*.c", ""]


@pytest.mark.parametrize("line", [
    ["echo", "$HOME"], ["a", "&&", "b"], ["a", ">", "f"],
    ["CC=gcc", "make"], ["ls", "*.c"], ["a;", "b"], ["echo", "`id`"],
    ["echo", "'x'"], ["a", "|", "b"], ["echo", "~"], ["a\\", "b"], [""],
    ['echo', '"$HOME"'], ['echo', '"a\\"b"'], ['echo', '"`id`"'],
    ['echo', '"a"b"'], ['echo', '"a'], [],
])
def test_shell_syntax_goes_to_sh(line):
    assert execspawn._words(line) is None


def test_exit_status_with_and_without_sh():
    assert execspawn.spawn("sh", None, "true", ["true"], ENV) == 0
    assert execspawn.spawn("sh", None, "false", ["false"], ENV) == 1
    assert execspawn.spawn("sh", None, "exit", ["exit", "3;"], ENV) == 3


def test_missing_program_is_127_as_with_sh(capfd):
    assert execspawn.spawn("sh", None, "no-such-tool-xyz",
                           ["no-such-tool-xyz", "-c"], ENV) == 127
    assert "no-such-tool-xyz" in capfd.readouterr().err
