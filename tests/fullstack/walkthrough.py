# SPDX-License-Identifier: GPL-2.0-only
# The README's walkthrough as data: parsed once here for the demo script and the tests.

"""A walkthrough is the code blocks between BEGIN and END markers of a
Markdown file; lines starting with the root prompt "# " are commands and
the lines after one are what it prints.  A file may hold several, each
with markers of its own name ("walkthrough-arm" for the ARMv7 one)."""

import os
import re

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "README.md")
DEFAULT = "walkthrough"
BEGIN, END = "<!-- walkthrough:begin -->", "<!-- walkthrough:end -->"
PROMPT = "# "
ERROR = re.compile(r"jailhouse [a-z ]+: ")

# Per architecture: the README walkthrough's name and the machine it runs
# on (the rig's default row of tests/machines.py plus EXTRA_QEMU).
NAMES = {"arm64": DEFAULT, "arm": "walkthrough-arm", "x86": "walkthrough-x86"}
MACHINES = {
    "arm64": "QEMU virt, EL2, GICv3, 4 CPUs",
    "arm": "QEMU virt, HYP mode, GICv2, 4 CPUs",
    "x86": "QEMU q35, AMD SVM with nested paging, 4 CPUs, AMD IOMMU, edu "
           "device at 00:10.0, COM2",
}


def extra_qemu(arch, com2_file):
    """QEMU arguments the walkthrough of arch needs beyond the rig's
    machine: on x86 QEMU's AMD IOMMU (first: only devices created after it
    are behind it), its edu device at 00:10.0 (qemu-x86.cell lends it to
    pci-demo) and a second serial port (COM2) written to com2_file."""
    if arch != "x86":
        return []
    # The first -serial is what -nographic alone gives (COM1 on stdio).
    return ["-device", "amd-iommu", "-device", "edu,addr=10",
            "-serial", "mon:stdio", "-serial", "file:%s" % com2_file]


def markers(name=DEFAULT):
    """The (begin, end) markers of the walkthrough called name."""
    return "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name


def session(text, name=DEFAULT):
    """[(command, [output lines shown])] of the walkthrough in text."""
    begin, end_marker = markers(name)
    start, end = text.find(begin), text.find(end_marker)
    if not 0 <= start < end:
        raise ValueError("no %s ... %s markers" % (begin, end_marker))
    result, in_code = [], False
    for line in text[start:end].splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and line.startswith(PROMPT):
            result.append((line[len(PROMPT):].strip(), []))
        elif in_code and result:
            result[-1][1].append(line.rstrip())
    return result


def commands(text, name=DEFAULT):
    return [command for command, _shown in session(text, name)]


def error_lines(shown):
    """The error lines of the jailhouse command among the lines a
    walkthrough shows for a command (if any, the command fails)."""
    return [line for line in shown if ERROR.match(line)]


def file_session(path=README, name=DEFAULT):
    """session() of the walkthrough called name in the file at path (the
    README by default), for tests: missing markers fail the test."""
    with open(path) as f:
        text = f.read()
    try:
        return session(text, name)
    except ValueError as err:
        import pytest  # only tests call this; the demo script has no pytest
        pytest.fail("%s: %s" % (os.path.relpath(path), err))


def check_steps(name, steps, path=README):
    """Assert that the walkthrough called name in path runs commands
    matching the regular expressions steps, in this order (other commands
    may come between them)."""
    commands = [command for command, _shown in file_session(path, name)]
    pending = iter(steps)
    step = next(pending, None)
    for command in commands:
        if step and re.match(step, command):
            step = next(pending, None)
    assert step is None, "%s (%s) lacks %r (in order): %s" % (
        os.path.basename(path), name, step, commands)
