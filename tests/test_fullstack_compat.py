# SPDX-License-Identifier: GPL-2.0-only
# Full stack: upstream's README commands verbatim, a 16-CPU root config on 4 CPUs, and configs written as upstream board files are, on the hypervisor.

"""Upstream compatibility under Debian's stock kernel in QEMU (see
tests/fullstack/): what upstream's README types, and what the hypervisor
accepts or refuses of tests/data/compat (test_config_compat.py checks the
same files in `config check` and the build)."""

import os

import pytest

from abi_helpers import INCLUDE, REPO
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401
from pyjailhouse import cellblob, config
from test_fullstack_walkthrough import EPILOGUE, PRELUDE, assert_clean_error, \
    need, ok, run_lines

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

COMPAT = os.path.join(REPO, "tests", "data", "compat", "arm64")

# Upstream's README, ARM64 in QEMU, word for word.
UPSTREAM_README = [
    "jailhouse enable /path/to/qemu-arm64.cell",
    "jailhouse cell create /path/to/qemu-arm64-inmate-demo.cell",
    "jailhouse cell load inmate-demo /path/to/gic-demo.bin",
    "jailhouse cell start inmate-demo",
]


# `jailhouse console -f` as upstream's: it prints the ring from its oldest
# byte, then waits (a blocking read) and prints what the hypervisor says
# later, here the destroy's "Closing cell" line.
FOLLOW_START = r"""
jailhouse console -f > /tmp/follow.txt 2>&1 &
follower=$!
wait_for() {
    n=0
    until grep -q "$1" /tmp/follow.txt; do
        n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.2
    done
}
wait_for 'Created cell "inmate-demo"'
grep -q 'Closing cell "inmate-demo"' /tmp/follow.txt && echo "follow: too late"
"""
FOLLOW_END = r"""
wait_for 'Closing cell "inmate-demo"'
kill -0 $follower 2>/dev/null && echo "follow: still following"
kill $follower
wait $follower
echo "follow saw: $(grep -c 'Created cell "inmate-demo"' /tmp/follow.txt) created, $(grep -c 'Closing cell "inmate-demo"' /tmp/follow.txt) closing"
"""


def test_upstream_readme_sequence_with_a_16_cpu_root(guest, tmp_path):
    """The README's commands as upstream writes them; the system config
    names 16 CPUs (upstream's recipe runs QEMU with -smp 16), the rig has
    4: enable ignores the CPUs that do not exist."""
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell"],
         inmates=["gic-demo.bin"])
    build = guest.build
    with open(build.cells["qemu-arm64.cell"], "rb") as fileobj:
        system = config.parse(fileobj.read())
    system.root_cell.cpus = set(range(16))
    sixteen = tmp_path / "qemu-arm64.cell"
    sixteen.write_bytes(system.to_bytes())
    files = {"/path/to/qemu-arm64.cell": str(sixteen),
             "/path/to/qemu-arm64-inmate-demo.cell":
             build.cells["qemu-arm64-inmate-demo.cell"],
             "/path/to/gic-demo.bin": build.inmates["gic-demo.bin"]}
    result = guest(PRELUDE + "modprobe jailhouse\n" +
                   run_lines(UPSTREAM_README) + r"""
sleep 2
run 'jailhouse cell list'
run 'cat /sys/devices/jailhouse/cells/0/cpus_assigned_list'
""" + FOLLOW_START + r"""
run 'jailhouse cell shutdown inmate-demo'
run 'jailhouse cell destroy inmate-demo'
""" + FOLLOW_END + r"""
run 'jailhouse disable'
check_dmesg upstream-readme
""" + EPILOGUE, files=files, tools=True, timeout=300)
    records = ok(result)
    described = result.describe()
    for command in UPSTREAM_README + ["jailhouse cell shutdown inmate-demo",
                                      "jailhouse cell destroy inmate-demo",
                                      "jailhouse disable"]:
        out, status = records.find(command)
        assert status == 0, "%r: %d\n%s\n%s" % (command, status, out,
                                                described)
    listing = records.output("jailhouse cell list")
    assert "inmate-demo" in listing and "running" in listing, described
    # The root got the CPUs that exist, then gave CPU 3 to the cell.
    assert records.output(
        "cat /sys/devices/jailhouse/cells/0/cpus_assigned_list").strip() == \
        "0-2", described
    # gic-demo without a command line ticks on the UART it shares.
    assert "Timer fired" in result.output, described
    # console -f kept reading past the end and printed the destroy.
    assert "follow: too late" not in result.output, described
    assert "follow: still following" in result.output, described
    assert "follow saw: 1 created, 1 closing" in result.output, described


def _build_compat(tmp_path):
    """{name: path} of tests/data/compat/arm64 built as they are (the
    files the build refuses too, for the hypervisor to refuse)."""
    cells = {}
    for source in sorted(os.listdir(COMPAT)):
        name = source[:-2]
        path = str(tmp_path / (name + ".cell"))
        cellblob.build_cell("aarch64-linux-gnu-gcc",
                            os.path.join(COMPAT, source), [INCLUDE], "arm64",
                            path, strict=False)
        cells[name] = path
    return cells


def test_upstream_quirks_on_the_hypervisor(guest, tmp_path):
    need(guest, inmates=["gic-demo.bin"])
    cells = _build_compat(tmp_path)
    files = {"/etc/jailhouse/compat/%s.cell" % name: path
             for name, path in cells.items()}
    c = "/etc/jailhouse/compat/"
    accepted = [
        "jailhouse config check %sroot-loadable-trailing.cell "
        "%scell-upstream-quirks.cell" % (c, c),
        "jailhouse enable %sroot-loadable-trailing.cell" % c,
        "jailhouse cell create %scell-upstream-quirks.cell" % c,
        "jailhouse cell load quirks-demo "
        "/usr/libexec/jailhouse/demos/gic-demo.bin",
        "jailhouse cell start quirks-demo",
    ]
    result = guest(PRELUDE + "modprobe jailhouse\n" + run_lines(accepted) +
                   r"""
sleep 2
run 'jailhouse cell list'
run 'jailhouse cell destroy quirks-demo'
run 'jhctl create /etc/jailhouse/compat/cell-aarch32.cell'
run 'jailhouse cell create /etc/jailhouse/compat/cell-aarch32.cell'
run 'jailhouse disable'
run 'jhctl enable /etc/jailhouse/compat/root-over-hypervisor.cell'
check_dmesg compat
""" + EPILOGUE, files=files, tools=True, timeout=300)
    records = ok(result)
    described = result.describe()
    for command in accepted + ["jailhouse cell destroy quirks-demo",
                               "jailhouse disable"]:
        out, status = records.find(command)
        assert status == 0, "%r: %d\n%s\n%s" % (command, status, out,
                                                described)
    listing = records.output("jailhouse cell list")
    assert "quirks-demo" in listing and "running" in listing, described
    # The sub-page UART with access widths 8|32 carries the demo's output.
    assert "Timer fired" in result.output, described
    # Refused by the hypervisor (straight ioctl) and by the tool.
    assert "jhctl: create = -22" in records.output(
        "jhctl create /etc/jailhouse/compat/cell-aarch32.cell"), described
    assert "AArch32" in assert_clean_error(
        records, "jailhouse cell create "
        "/etc/jailhouse/compat/cell-aarch32.cell"), described
    assert "jhctl: enable = -22" in records.output(
        "jhctl enable /etc/jailhouse/compat/root-over-hypervisor.cell"), \
        described
