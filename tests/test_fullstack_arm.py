# SPDX-License-Identifier: GPL-2.0-only
# Full stack on ARMv7: Debian's stock armmp-lpae kernel in QEMU with our jailhouse.ko, hypervisor and tools.

"""Three boots of Debian's stock armmp-lpae 6.1 kernel (QEMU virt, Cortex-A15,
4 CPUs, GICv2, started in HYP mode; see tests/fullstack/), about 15 s each
to the shell under TCG plus what runs:

  test_readme_walkthrough_arm  the commands between the walkthrough-arm
                               markers of README.md, as written
  test_bad_input_and_cycles_arm  clean one-line errors for bad commands and
                               configs, then 10 enable/create/destroy/disable
                               cycles with the pool and the CPUs back
  test_enable_refused_without_hyp_mode  a CPU without the virtualization
                               extensions: enable says why and changes
                               nothing

The records, the dmesg checks and the session comparison are the ARM64
walkthrough's (tests/test_fullstack_walkthrough.py).
"""

import re
import struct

import pytest

from fullstack import walkthrough
from fullstack.fixtures import arm_build, arm_guest, debian_arm  # noqa: F401
from test_fullstack_walkthrough import (CELLS, CYCLES, DEMOS, EPILOGUE,
                                        PRELUDE, SYS, assert_clean_error,
                                        check_session, need, ok, run_lines)

WALKTHROUGH = walkthrough.NAMES["arm"]
ROOT_CELL = "qemu-arm.cell"
DEMO_CELL = "qemu-arm-inmate-demo.cell"
HYP_BOOT = "CPU: All CPU(s) started in HYP mode"

# What the issue asks the ARMv7 walkthrough to show, in this order.
WALKTHROUGH_STEPS = [
    r"(insmod|modprobe) .*jailhouse", r"jailhouse enable \S*/qemu-arm\.cell",
    r"jailhouse cell create \S*/qemu-arm-inmate-demo\.cell",
    r"jailhouse cell load inmate-demo \S*/gic-demo\.bin",
    r"jailhouse cell start", r"jailhouse cell list", r"jailhouse console",
    r"jailhouse cell stats", r"jailhouse cell shutdown",
    r"jailhouse cell destroy", r"jailhouse disable", r"rmmod jailhouse"]


def slow_qemu(test):
    return pytest.mark.qemu(pytest.mark.slow(test))


def test_readme_has_the_arm_walkthrough():
    walkthrough.check_steps(WALKTHROUGH, WALKTHROUGH_STEPS)


@slow_qemu
def test_readme_walkthrough_arm(arm_guest):
    need(arm_guest, cells=[ROOT_CELL, DEMO_CELL], inmates=["gic-demo.bin"])
    session = walkthrough.file_session(name=WALKTHROUGH)
    commands = [command for command, _shown in session]
    result = arm_guest(PRELUDE + run_lines(commands) + r"""
check_dmesg walkthrough quiet
run 'cat /sys/devices/system/cpu/online'
run 'grep -c jailhouse /proc/modules'
""" + EPILOGUE, tools=True, timeout=240)
    records = ok(result)
    described = result.describe()
    assert HYP_BOOT in result.log, described
    check_session(records, session, "README.md (ARMv7)")
    for command in commands:
        out, status = records.find(command)
        assert status == 0, "%r failed with %d:\n%s\n%s" % (
            command, status, out, described)
    console = "".join(out for cmd, out, _ in records.runs
                      if cmd.startswith("jailhouse console"))
    assert "Initializing the GIC (v2)..." in console, described
    assert console.count("Timer fired, jitter:") >= 3, described
    assert re.search(r"gic-demo: \d+ ticks done", console), described
    lists = [out for cmd, out, _ in records.runs
             if cmd == "jailhouse cell list"]
    assert any(re.search(r"^1\s+inmate-demo\s+running\s+3\s*$", out, re.M)
               for out in lists), described
    assert any(re.search(r"^0\s+qemu-arm\s+running\s+0-2\s*$", out, re.M)
               for out in lists), described
    stats = "".join(out for cmd, out, _ in records.runs
                    if cmd.startswith("jailhouse cell stats"))
    # The timer ticks arrive as virtual interrupts; ARMv7 counts CP15 traps.
    assert re.search(r"^vmexits_total\s+[1-9]\d*\s*$", stats, re.M), described
    assert re.search(r"^vmexits_virt_irq\s+[1-9]\d*\s*$", stats, re.M), \
        described
    assert re.search(r"^vmexits_cp15\s+\d+\s*$", stats, re.M), described
    # Everything given back: all CPUs with Linux, the module unloaded.
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-3", described
    assert records.output("grep -c jailhouse /proc/modules").strip() == "0", \
        described


def _patched(path, offset, fmt, value):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


# Bad input through the jailhouse command, then cycles through jhctl (a
# Python command costs seconds under TCG, the ioctls themselves do not).
BAD_INPUT = r"""
modprobe jailhouse || fail modprobe
head -c 4096 /dev/zero > /tmp/zero.cell
run 'jailhouse enable /nonexistent.cell'
run 'jailhouse enable /tmp/zero.cell'
run 'jailhouse enable /arm64.cell'
run 'jailhouse cell create {cells}/{demo}'
run 'jailhouse enable {cells}/{root}'
run 'jailhouse enable {cells}/{root}'
run 'jailhouse cell create /cpu7.cell'
run 'jailhouse cell create {cells}/{root}'
run 'jailhouse cell start nosuch'
run 'jailhouse cell destroy 0'
run 'jailhouse cell create {cells}/{demo}'
run 'jailhouse cell load inmate-demo /nonexistent.bin'
run 'jailhouse cell destroy inmate-demo'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse disable'
check_dmesg bad-input
for cycle in $(seq {cycles}); do
    jhctl enable {cells}/{root} > /dev/null || fail "enable in cycle $cycle"
    before=$(cat {sys}/mem_pool_used)
    jhctl create {cells}/{demo} > /dev/null || fail "create in cycle $cycle"
    during=$(cat {sys}/mem_pool_used)
    online=$(cat /sys/devices/system/cpu/online)
    jhctl destroy inmate-demo > /dev/null || fail "destroy in cycle $cycle"
    after=$(cat {sys}/mem_pool_used)
    jhctl disable > /dev/null || fail "disable in cycle $cycle"
    echo "cycle $cycle: $before $during $after $online" >> /tmp/rec
done
run 'cat /sys/devices/system/cpu/online'
run 'cat {sys}/enabled'
run 'rmmod jailhouse'
check_dmesg cycles
"""


@slow_qemu
def test_bad_input_and_cycles_arm(arm_guest):
    need(arm_guest, cells=[ROOT_CELL, DEMO_CELL])
    root = arm_guest.build.cells[ROOT_CELL]
    demo = arm_guest.build.cells[DEMO_CELL]
    script = BAD_INPUT.format(cells=CELLS, root=ROOT_CELL, demo=DEMO_CELL,
                              sys=SYS, cycles=CYCLES)
    result = arm_guest(
        PRELUDE + script + EPILOGUE, tools=True, timeout=300,
        # the architecture byte (offset 5) says ARM64; the cell's CPU set
        # (after its 132-byte descriptor) names CPU 7 of 4
        files={"/arm64.cell": _patched(root, 5, "<B", 2),
               "/cpu7.cell": _patched(demo, 132, "<Q", 0x80)})
    records = ok(result)
    described = result.describe()

    for command in ("jailhouse enable /nonexistent.cell",
                    "jailhouse enable /tmp/zero.cell",
                    "jailhouse enable /arm64.cell",
                    "jailhouse cell create %s/%s" % (CELLS, DEMO_CELL),
                    "jailhouse cell create /cpu7.cell",
                    "jailhouse cell create %s/%s" % (CELLS, ROOT_CELL),
                    "jailhouse cell start nosuch",
                    "jailhouse cell destroy 0",
                    "jailhouse cell load inmate-demo /nonexistent.bin"):
        assert_clean_error(records, command)
    assert records.find("jailhouse enable %s/%s" % (CELLS, ROOT_CELL))[1] \
        == 0, described
    assert_clean_error(records, "jailhouse enable %s/%s" % (CELLS, ROOT_CELL),
                       nth=1)
    assert records.find("jailhouse cell create %s/%s" % (CELLS, DEMO_CELL),
                        1)[1] == 0, described
    assert records.find("jailhouse cell destroy inmate-demo")[1] == 0, \
        described
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-3", described
    assert records.find("jailhouse disable")[1] == 0, described

    cycles = re.findall(r"^cycle (\d+): (\d+) (\d+) (\d+) (\S+)$",
                        result.output, re.M)
    assert len(cycles) == CYCLES, described
    for _n, before, during, after, online in cycles:
        assert before == after == cycles[0][1], described
        assert int(during) > int(before), described
        assert online == "0-2", described
    assert records.output("cat /sys/devices/system/cpu/online", 1).strip() \
        == "0-3", described
    assert records.output("cat %s/enabled" % SYS).strip() == "0", described
    assert records.find("rmmod jailhouse")[1] == 0, described


@slow_qemu
def test_enable_refused_without_hyp_mode(arm_guest):
    """QEMU without virtualization=on: a Cortex-A15 without HYP mode, the
    kernel started in SVC mode; hvc would be undefined, so the driver must
    not try it."""
    need(arm_guest, cells=[ROOT_CELL])
    result = arm_guest(r"""
fail() { echo "GUEST-FAIL: $*"; exit 1; }
insmod /jailhouse.ko || fail insmod
jhctl enable /etc/jailhouse/qemu-arm.cell
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
grep -q "Jailhouse hypervisor" /proc/iomem && fail "hypervisor memory claimed"
rmmod jailhouse || fail rmmod
""", machine_options={"hyp": False}, timeout=120)
    described = result.describe()
    assert not result.timed_out and result.exit_status == 0, described
    assert not result.kernel_trouble, described
    assert "GUEST-FAIL" not in result.output, described
    assert "CPU: All CPU(s) started in SVC mode" in result.log, described
    assert "jhctl: enable = -19" in result.output, described
    assert "this CPU has no virtualization extensions" in result.log, \
        described
    assert "enabled: 0" in result.output, described
