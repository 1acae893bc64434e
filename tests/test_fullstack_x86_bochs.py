# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock amd64 kernel as root cell under Bochs, Intel VT-x: jailhouse-intel.bin below Linux.

"""Bochs's corei7_skylake_x model (VT-x with EPT, unrestricted guest,
VPID; 4 CPUs, 1 GiB, i440FX) boots Debian's stock 6.1 amd64 kernel as a
multiboot program (tests/fullstack/pvh.py) with our jailhouse.ko, the
Intel hypervisor image and configs/x86/bochs-x86.c as root cell:

  test_linux_root_intel  enable below the running kernel, tiny-demo
                         created, loaded, started and destroyed (its CPU
                         leaves Linux and comes back), disable, rmmod;
                         Linux answers after each step, dmesg stays clean

Once the hypervisor is on, every xAPIC write of the root (EOI, timer) is
an emulated MMIO exit: about 1,400 instructions since the hypervisor keeps
its page walks' mappings in per-CPU slots (8,000-10,000 before, when Linux
ran about 6 times slower and spent whole runs in its timer interrupts;
scripts/bench-exits).  Most of the run is Linux's boot (about 125 s of
emulated time at 4 M instructions per second); enable to rmmod takes
about 30 s.  The README's x86 walkthrough (the Python `jailhouse`
command, apic-demo) is not run here.  Figures: README, "Benchmarks".
Bochs missing fails the test (one line).
"""

import re
import time

import pytest

import machines
import rig as machine_rig
from fullstack import fixtures
from fullstack.fixtures import debian_x86, x86_build  # noqa: F401
from test_fullstack_walkthrough import (CELLS, DEMOS, EPILOGUE, PRELUDE,
                                        need, ok)

MACHINE = "x86-bochs-skylake"
# Bochs on a loaded host: boot about 110 s of emulated time; a generous
# wall-clock limit, as for every emulator step.
TIMEOUT = 1500


@pytest.fixture(scope="module")
def bochs_guest(tmp_path_factory, request):
    # Before the build: Bochs missing is a one-line failure.
    machine = machine_rig.require(machines.get(MACHINE))
    return fixtures.runner(str(tmp_path_factory.mktemp("bochs-guest")),
                           request.getfixturevalue("debian_x86"),
                           request.getfixturevalue("x86_build"),
                           machine=machine)


SCRIPT = r"""
alive() {{
    taskset -c 0 sleep 0.1 &&
        echo "linux answers, online $(cat /sys/devices/system/cpu/online)"
}}
echo "uptime at start: $(cut -d' ' -f1 /proc/uptime)" >> /tmp/rec
modprobe jailhouse || fail modprobe
run 'jhctl enable {cells}/bochs-x86.cell'
run alive
run 'jhctl create {cells}/tiny-demo.cell'
run alive
run 'jhctl load tiny-demo {demos}/tiny-demo.bin 0'
run 'jhctl start tiny-demo'
sleep 1
run 'jhctl console'
run alive
run 'jhctl destroy tiny-demo'
run alive
run 'jhctl disable'
run alive
run 'rmmod jailhouse'
check_dmesg bochs
echo "uptime at end: $(cut -d' ' -f1 /proc/uptime)" >> /tmp/rec
"""


@pytest.mark.qemu
@pytest.mark.slow
def test_linux_root_intel(bochs_guest):
    need(bochs_guest, cells=["bochs-x86.cell", "tiny-demo.cell"],
         inmates=["tiny-demo.bin"])
    if "jailhouse-intel.bin" not in bochs_guest.build.firmware:
        pytest.fail("jailhouse-intel.bin not built:\n%s" %
                    bochs_guest.build.notes)
    started = time.monotonic()
    result = bochs_guest(PRELUDE + SCRIPT.format(cells=CELLS, demos=DEMOS) +
                         EPILOGUE, timeout=TIMEOUT)
    seconds = time.monotonic() - started
    records = ok(result)
    described = result.describe()
    uptimes = re.findall(r"^uptime at (start|end): ([\d.]+)$",
                         result.output, re.M)
    print("\nLinux root under Bochs (Intel): %.0f s of wall time, Linux "
          "uptime %s" % (seconds, ", ".join("%s %s s" % u for u in uptimes)))

    for command in ("jhctl enable %s/bochs-x86.cell" % CELLS,
                    "jhctl create %s/tiny-demo.cell" % CELLS,
                    "jhctl load tiny-demo %s/tiny-demo.bin 0" % DEMOS,
                    "jhctl start tiny-demo", "jhctl destroy tiny-demo",
                    "jhctl disable", "rmmod jailhouse"):
        out, status = records.find(command)
        assert status == 0, "%r failed with %d:\n%s\n%s" % (
            command, status, out, described)
    assert 'root cell "bochs-x86"' in result.log and \
        "Intel VT-x with EPT" in result.log, described
    console = records.output("jhctl console")
    assert "Hello from this tiny cell!" in console, described
    # tiny-demo's CPU 2 leaves Linux with the cell and comes back.
    answers = [out.strip() for cmd, out, _ in records.runs if cmd == "alive"]
    assert answers == ["linux answers, online 0-3",
                       "linux answers, online 0-1,3",
                       "linux answers, online 0-1,3",
                       "linux answers, online 0-3",
                       "linux answers, online 0-3"], described
