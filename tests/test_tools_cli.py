# SPDX-License-Identifier: GPL-2.0-only
# The jailhouse command's front door: help, version, unknown commands, and
# commands whose implementation has not landed yet failing cleanly.

import os
import subprocess
import sys

import pytest

from conftest import REPO

JAILHOUSE = os.path.join(REPO, "tools", "jailhouse")


def jailhouse(*args):
    return subprocess.run([sys.executable, JAILHOUSE] + list(args),
                          capture_output=True, text=True, timeout=60)


def test_help_lists_every_command():
    result = jailhouse("--help")
    assert result.returncode == 0
    for words in ("enable SYSCONFIG", "disable", "console", "cell create",
                  "cell list", "cell load", "cell start", "cell shutdown",
                  "cell destroy", "cell stats", "config check", "config show",
                  "hardware check"):
        assert words in result.stdout, words


def test_no_arguments_prints_usage_and_fails():
    result = jailhouse()
    assert result.returncode == 1 and "Usage: jailhouse" in result.stdout


def test_version():
    result = jailhouse("--version")
    with open(os.path.join(REPO, "VERSION")) as f:
        assert f.read().strip() in result.stdout
    assert result.returncode == 0


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "jailhouse: unknown command 'frobnicate'"),
    (["cell", "frobnicate"], "jailhouse: unknown command 'cell frobnicate'"),
])
def test_unknown_commands(args, message):
    result = jailhouse(*args)
    assert result.returncode == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_built_tool_reports_the_build_version(built):
    tool = os.path.join(built("x86"), "tools", "jailhouse")
    result = subprocess.run([sys.executable, tool, "--version"],
                            capture_output=True, text=True)
    with open(os.path.join(built("x86"), "tools/pyjailhouse/_version.py")) as f:
        assert result.stdout.split()[-1].strip("()") in f.read()


def test_quickstart_script_parses_and_explains_itself():
    script = os.path.join(REPO, "quickstart")
    assert subprocess.run(["bash", "-n", script]).returncode == 0
    result = subprocess.run([script, "frobnicate"], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "demo" in result.stderr
