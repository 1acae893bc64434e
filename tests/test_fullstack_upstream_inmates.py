# SPDX-License-Identifier: GPL-2.0-only
# Full stack, ARM64: upstream Jailhouse's own gic-demo and uart-demo (built
# by upstream's Kbuild, tests/upstream_inmates.py) loaded by our jailhouse
# command through our driver into our cells, under Debian's stock kernel.

"""What a user with upstream's demo binaries types, on our stack: the two
upstream images run side by side in our inmate-demo and uart-demo cells
and print on the UART they share with Linux."""

import pytest

import upstream_inmates
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401
from test_fullstack_walkthrough import EPILOGUE, PRELUDE, need, ok, run_lines

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

COMMANDS = [
    "jailhouse enable /etc/jailhouse/qemu-arm64.cell",
    "jailhouse cell create /etc/jailhouse/qemu-arm64-inmate-demo.cell",
    "jailhouse cell load inmate-demo /upstream/gic-demo.bin",
    "jailhouse cell start inmate-demo",
    "jailhouse cell create /etc/jailhouse/qemu-arm64-uart-demo.cell",
    "jailhouse cell load uart-demo /upstream/uart-demo.bin",
    "jailhouse cell start uart-demo",
]
CLOSE = ["jailhouse cell list", "jailhouse cell destroy uart-demo",
         "jailhouse cell destroy inmate-demo", "jailhouse disable"]


def test_upstream_arm64_demos_through_our_driver(guest):
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell",
                       "qemu-arm64-uart-demo.cell"])
    files = {"/upstream/%s" % name: upstream_inmates.for_test(
        "upstream's inmates", upstream_inmates.image,
        "arm64", "demos/arm64/" + name)
        for name in ("gic-demo.bin", "uart-demo.bin")}
    result = guest(PRELUDE + "modprobe jailhouse\n" + run_lines(COMMANDS) +
                   "sleep 3\n" + run_lines(CLOSE) +
                   "check_dmesg upstream-inmates\n" + EPILOGUE,
                   files=files, tools=True, timeout=300)
    records = ok(result)
    described = result.describe()
    for command in COMMANDS + CLOSE:
        out, status = records.find(command)
        assert status == 0, "%r: %d\n%s\n%s" % (command, status, out,
                                                described)
    listing = records.output("jailhouse cell list")
    for cell in ("inmate-demo", "uart-demo"):
        assert any(line.split()[1:3] == [cell, "running"]
                   for line in listing.splitlines()[1:]), described
    assert "Timer fired, jitter:" in result.output, described
    assert "Hello 2 from cell!" in result.output, described
    assert "FATAL" not in result.output, described
