# SPDX-License-Identifier: GPL-2.0-only
# What a full-stack guest recorded: the commands it ran, their output and exit status, the dmesg verdicts.

"""The guest's run() helper (RUN_HELPER, a shell function) appends to
/tmp/rec, per command:

    === CMD <command>
    <output, as printed>
    [=== NOEOL]           (only when the output did not end in a newline:
                           the newline before it is not part of the output)
    === STATUS <exit status>

parse() turns that back into [(command, output, status)]; output that
does not end in a newline (`jailhouse console` often) stays exactly as
printed and cannot swallow the STATUS line.
"""

import re

RUN_HELPER = r"""
run() {
    echo "+ $1"
    eval "$1" > /tmp/out 2>&1
    status=$?
    cat /tmp/out
    last=$(tail -c 1 /tmp/out)
    [ -n "$last" ] && echo
    echo "+ status $status"
    { echo "=== CMD $1"; cat /tmp/out
      [ -n "$last" ] && printf '\n=== NOEOL\n'
      echo "=== STATUS $status"; } >> /tmp/rec
}
"""

NOEOL = "=== NOEOL\n"
_CMD = re.compile(r"^=== CMD (.*)$", re.M)
_STATUS = re.compile(r"=== STATUS (\d+)$", re.M)
_DMESG = re.compile(r"^=== DMESG (\S+)\n(.*?)^=== END$", re.M | re.S)


def parse(text):
    """[(command, output, status)] of the records in text; an unfinished
    last record (no STATUS line) is left out."""
    runs = []
    starts = list(_CMD.finditer(text))
    for n, match in enumerate(starts):
        body_start = match.end() + 1
        body_end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        body = text[body_start:body_end]
        # The last STATUS marker of the record ends it (even if output
        # from an older guest glued it to its last line).
        status = None
        for status in _STATUS.finditer(body):
            pass
        if status is None:
            continue
        output = body[:status.start()]
        if output.endswith("\n" + NOEOL):
            output = output[:-len("\n" + NOEOL)]
        elif output == NOEOL:
            output = ""
        runs.append((match.group(1), output, int(status.group(1))))
    return runs


def dmesg(text):
    """{scenario: verdict} of the DMESG records in text."""
    return {m.group(1): m.group(2).strip() for m in _DMESG.finditer(text)}
