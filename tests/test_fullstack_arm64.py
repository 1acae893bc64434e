# SPDX-License-Identifier: GPL-2.0-only
# Full stack on ARM64: Debian's stock 6.1 kernel in QEMU with our jailhouse.ko (and hypervisor).

"""Each test boots the stock Debian arm64 kernel once (about 3.5 s under
TCG) with an initramfs that runs a busybox script; see tests/fullstack/.
The Debian parts are fetched on first use into $JH_DEBIAN_CACHE (default
~/.cache/jailhouse-debian); `scripts/fetch-debian arm64` does the same.
"""

import re
import struct

import pytest

from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

# Linux errno values as the guest prints them.
EPERM, ENOENT, EFAULT, EBUSY, EEXIST, EINVAL, ENOTTY = 1, 2, 14, 16, 17, 22, 25

# The generic _IOC encoding on arm64: dir << 30 | size << 16 | type << 8 | nr.
IOCTLS = {"ENABLE": 0x40080000, "DISABLE": 0x1, "CELL_CREATE": 0x40100002,
          "CELL_LOAD": 0x40300003, "CELL_START": 0x40280004,
          "CELL_DESTROY": 0x40280005}

PRELUDE = """
fail() { echo "GUEST-FAIL: $*"; exit 1; }
insmod /jailhouse.ko || fail insmod
"""


def ok(result, status=0):
    """The guest ran to its end with status, and the kernel stayed sane."""
    assert not result.timed_out, "timed out\n" + result.describe()
    assert result.exit_status == status, result.describe()
    assert not result.kernel_trouble, (
        "kernel trouble: %s\n%s" % (result.kernel_trouble, result.describe()))
    assert "GUEST-FAIL" not in result.output, result.describe()


def jhctl_results(result):
    """[(what, value)] of the 'jhctl: what = value' lines, in order."""
    return [(m.group(1), int(m.group(2))) for m in
            re.finditer(r"jhctl: (\S+) = (-?\d+)", result.output)]


def test_stock_kernel_loads_and_unloads_the_module(guest):
    result = guest(PRELUDE + """
dmesg | grep -q "CPU: All CPU(s) started at EL2" || fail "not booted at EL2"
[ -c /dev/jailhouse ] || fail "no /dev/jailhouse"
echo "misc: $(grep jailhouse /proc/misc)"
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
for f in console mem_pool_size mem_pool_used remap_pool_size remap_pool_used; do
    [ -e /sys/devices/jailhouse/$f ] || fail "no $f"
done
[ -d /sys/devices/jailhouse/cells ] || fail "no cells directory"
echo "cells: [$(ls /sys/devices/jailhouse/cells)]"
cat /sys/devices/jailhouse/mem_pool_size 2>/dev/null && fail "pool size while disabled"
rmmod jailhouse || fail rmmod
[ -e /sys/devices/jailhouse ] && fail "sysfs left behind"
[ -e /dev/jailhouse ] && fail "device left behind"
insmod /jailhouse.ko || fail "second insmod"
rmmod jailhouse || fail "second rmmod"
python3 -c 'import os, sys, struct, fcntl, ctypes; print("python", sys.version.split()[0], struct.calcsize("P"))'
""", python=True)
    ok(result)
    assert "enabled: 0" in result.output, result.describe()
    assert "cells: []" in result.output, result.describe()
    assert re.search(r"misc: \d+ jailhouse", result.output), result.describe()
    assert "python 3.11" in result.output and " 8\n" in result.output, \
        result.describe()


def test_bad_ioctls_fail_cleanly(guest):
    result = guest(PRELUDE + """
head -c 4096 /dev/zero > /tmp/zero.bin
{ printf 'JHCLL\002\016\000'; head -c 4096 /dev/zero; } > /tmp/cell.bin
jhctl cmds
jhctl disable
jhctl create /tmp/cell.bin
jhctl load 1
jhctl start inmate-demo
jhctl destroy 1
jhctl raw 0x1234
jhctl raw 0xdeadbeef 0x10
jhctl raw 0x40080000 0
jhctl raw 0x40100002 0
jhctl raw 0x40300003 0
jhctl raw 0x40280004 0
jhctl raw 0x40280005 0
jhctl raw 0x40080000 0xffffffffffff0000
jhctl enable /tmp/zero.bin
jhctl enable /tmp/cell.bin
jhctl console
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
rmmod jailhouse || fail rmmod
""", firmware=False)
    ok(result)
    numbers = re.search(r"ENABLE (\S+) DISABLE (\S+) CELL_CREATE (\S+) "
                        r"CELL_LOAD (\S+) CELL_START (\S+) CELL_DESTROY (\S+)",
                        result.output)
    assert numbers, result.describe()
    assert [int(n, 16) for n in numbers.groups()] == list(IOCTLS.values())
    assert jhctl_results(result) == [
        ("disable", -EINVAL), ("create", -EINVAL), ("load", -EINVAL),
        ("start", -EINVAL), ("destroy", -EINVAL),
        ("raw", -ENOTTY), ("raw", -ENOTTY),
        ("raw", -EFAULT), ("raw", -EFAULT), ("raw", -EFAULT),
        ("raw", -EFAULT), ("raw", -EFAULT), ("raw", -EFAULT),
        ("enable", -EINVAL), ("enable", -EINVAL), ("console", 0),
    ], result.describe()
    # Never enabled: EAGAIN, as upstream's driver answers.
    assert "jhctl: console read ended with -11\n" in result.output, \
        result.describe()
    assert "not a system configuration" in result.log, result.describe()
    assert "enabled: 0" in result.output, result.describe()


def test_enable_without_a_valid_image_fails_cleanly(guest):
    """No firmware, a file that is no image, an image of another revision."""
    system = "/etc/jailhouse/qemu-arm64.cell"
    if system[len("/etc/jailhouse/"):] not in guest.build.cells:
        pytest.skip("qemu-arm64.cell not built: %s" % guest.build.notes)
    result = guest(PRELUDE + """
jhctl enable {system}
head -c 8192 /dev/urandom > /lib/firmware/jailhouse.bin
jhctl enable {system}
{{ printf 'JHIMAGE\\0\\x63\\0\\0\\0\\x02\\0\\0\\0'; head -c 8192 /dev/zero; }} \\
    > /lib/firmware/jailhouse.bin
jhctl enable {system}
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
grep -i jailhouse /proc/iomem && fail "hypervisor memory still claimed"
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || fail "CPUs lost"
rmmod jailhouse || fail rmmod
""".format(system=system), firmware=False)
    ok(result)
    assert jhctl_results(result) == [("enable", -ENOENT), ("enable", -EINVAL),
                                     ("enable", -EINVAL)], result.describe()
    assert "cannot load /lib/firmware/jailhouse.bin" in result.log
    assert "jailhouse.bin is not a Jailhouse hypervisor image" in result.log
    assert "header revision 99" in result.log, result.describe()
    assert "enabled: 0" in result.output


def test_enable_refused_while_kvm_owns_el2(guest):
    if "qemu-arm64.cell" not in guest.build.cells:
        pytest.skip("qemu-arm64.cell not built: %s" % guest.build.notes)
    result = guest(PRELUDE + """
jhctl enable /etc/jailhouse/qemu-arm64.cell
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
rmmod jailhouse || fail rmmod
""", kvm_off=False)
    ok(result)
    assert jhctl_results(result) == [("enable", -EBUSY)], result.describe()
    assert "boot with kvm-arm.mode=none" in result.log, result.describe()
    assert "enabled: 0" in result.output


def _need_hypervisor(guest):
    if not guest.build.firmware or "qemu-arm64.cell" not in guest.build.cells:
        pytest.skip("hypervisor image or qemu-arm64.cell not built:\n%s"
                    % guest.build.notes)


ROUND_TRIP = PRELUDE + """
cfg=/etc/jailhouse/qemu-arm64.cell
sys=/sys/devices/jailhouse
for round in 1 2; do
    jhctl enable $cfg || fail "enable $round"
    echo "round $round: enabled=$(cat $sys/enabled) used=$(cat $sys/mem_pool_used) size=$(cat $sys/mem_pool_size) remap=$(cat $sys/remap_pool_used)/$(cat $sys/remap_pool_size)"
    echo "root: name=$(cat $sys/cells/0/name) state=$(cat $sys/cells/0/state) cpus=$(cat $sys/cells/0/cpus_assigned_list) mask=$(cat $sys/cells/0/cpus_assigned) failed=[$(cat $sys/cells/0/cpus_failed_list)]"
    echo "stats: $(cat $sys/cells/0/statistics/vmexits_total) $(cat $sys/cells/0/statistics/cpu0/vmexits_hypercall)"
    [ -s $sys/console ] || fail "empty console attribute"
    jhctl console > /tmp/console.txt
    [ "$(wc -l < /tmp/console.txt)" -gt 1 ] || fail "empty console read"
    echo "round $round: $(grep 'console read ended' /tmp/console.txt)"
    jhctl enable $cfg
    if [ $round = 1 ]; then
        # Cell commands that fail before any CPU is taken from Linux.
        head -c 4096 /dev/zero > /tmp/zero.bin
        jhctl create /tmp/zero.bin
        jhctl create /cpu7.cell
        jhctl start nosuch
        jhctl destroy 5
        jhctl destroy 0
        jhctl load 0
        echo "root after: $(cat $sys/cells/0/cpus_assigned_list) cells=[$(ls $sys/cells | tr '\n' ' ')] online=$(cat /sys/devices/system/cpu/online)"
    fi
    rmmod jailhouse 2>/dev/null && fail "rmmod while enabled"
    grep -q "Jailhouse hypervisor" /proc/iomem || fail "hypervisor memory not claimed"
    jhctl disable || fail "disable $round"
    echo "round $round: enabled=$(cat $sys/enabled) cells=[$(ls $sys/cells)]"
    grep -q "Jailhouse hypervisor" /proc/iomem && fail "hypervisor memory still claimed"
done
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || fail "CPUs lost"
jhctl console > /tmp/console.txt
grep -q "jhctl: console = 0" /tmp/console.txt || fail "console after disable"
echo "after disable: $(grep 'console read ended' /tmp/console.txt)"
jhctl disable
# Enable/disable cycles while sysfs and the console are read all the time.
( while true; do cat $sys/cells/0/state $sys/cells/0/statistics/cpu1/vmexits_total \
      $sys/cells/0/cpus_failed_list $sys/mem_pool_used $sys/console; done ) \
    > /dev/null 2>&1 & sysfs_reader=$!
( while true; do jhctl console; done ) > /dev/null 2>&1 & console_reader=$!
for cycle in 1 2 3 4; do
    jhctl enable $cfg > /dev/null || fail "enable in cycle $cycle"
    jhctl disable > /dev/null || fail "disable in cycle $cycle"
done
kill $sysfs_reader $console_reader; wait
echo "cycles with readers: done"
# Two enables race: one wins, one gets EBUSY.  A blocking read waits for
# the console and ends on a signal.
jhctl enable $cfg > /tmp/a & jhctl enable $cfg > /tmp/b; wait
echo "race: $(cat /tmp/a /tmp/b | sort | tr '\n' ' ')"
cat /dev/jailhouse > /tmp/blocking & reader=$!
sleep 1
kill $reader; wait $reader
[ -s /tmp/blocking ] || fail "blocking read got nothing"
jhctl disable > /dev/null || fail "disable after race"
rmmod jailhouse || fail rmmod
echo done
"""


def test_enable_disable_round_trip(guest):
    _need_hypervisor(guest)
    demo = guest.build.cells.get("qemu-arm64-inmate-demo.cell")
    if not demo:
        pytest.skip("qemu-arm64-inmate-demo.cell not built")
    # The CPU set follows the 132-byte cell descriptor: ask for CPU 7.
    # Two enable rounds and cycles with readers: the margin of the
    # longest full-stack steps (60 s ran out once at load 17).
    result = guest(ROUND_TRIP,
                   files={"/cpu7.cell": patched(demo, 132, "<Q", 0x80)},
                   timeout=300)
    ok(result)
    rounds = re.findall(r"round (\d): enabled=1 used=(\d+) size=(\d+) "
                        r"remap=(\d+)/(\d+)", result.output)
    assert len(rounds) == 2, result.describe()
    # A second enable starts from the same pool usage as the first.
    assert rounds[0][1:] == rounds[1][1:], result.describe()
    assert int(rounds[0][1]) > 0 and int(rounds[0][2]) > int(rounds[0][1])
    assert result.output.count(
        "root: name=qemu-arm64 state=running cpus=0-3 mask=f failed=[]") == 2, \
        result.describe()
    assert re.search(r"stats: \d+ \d+", result.output), result.describe()
    assert result.output.count("enabled=0 cells=[]") == 2, result.describe()
    assert [r for r in jhctl_results(result) if r[0] != "console"][:13] == [
        ("enable", 0), ("enable", -EBUSY),
        ("create", -EINVAL), ("create", -EINVAL), ("start", -ENOENT),
        ("destroy", -ENOENT), ("destroy", -EINVAL), ("load", -EINVAL),
        ("disable", 0),
        ("enable", 0), ("enable", -EBUSY), ("disable", 0),
        ("disable", -EINVAL)], result.describe()
    # As upstream's driver: with O_NONBLOCK, end of file while enabled
    # (upstream's tool exits 0 there), EAGAIN while not.
    for round_ in (1, 2):
        assert "round %d: jhctl: console read ended with 0\n" % round_ \
            in result.output, result.describe()
    assert "after disable: jhctl: console read ended with -11\n" in \
        result.output, result.describe()
    assert "race: jhctl: enable = -16 jhctl: enable = 0 " in result.output, \
        result.describe()
    assert "cycles with readers: done" in result.output, result.describe()
    assert "root after: 0-3 cells=[0 ] online=0-3" in result.output, \
        result.describe()
    assert 'cell "inmate-demo" names CPU 7, this system has 4' in result.log
    assert "hypervisor enabled on 4 CPUs" in result.log, result.describe()


def patched(path, offset, fmt, value):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def test_failed_entry_unwinds_and_enable_works_afterwards(guest):
    """The hypervisor refuses a configuration on every CPU; the driver
    reports it, gives everything back, and a good enable still works (here
    without the virtual debug console, so without the console page)."""
    _need_hypervisor(guest)
    good = guest.build.cells["qemu-arm64.cell"]
    # hypervisor_memory.size (offset 28): page aligned for the driver, not
    # 2 MiB aligned as the hypervisor needs.
    bad_size = patched(good, 28, "<Q", 0x3ff000)
    # The root cell's CPU set (right after the 488-byte system header)
    # without CPU 3: the driver refuses before entering.
    no_cpu3 = patched(good, 488, "<Q", 0x7)
    # flags (offset 8) without the virtual debug console: the hypervisor
    # keeps its console page from the root, so the driver must not read it.
    no_console = patched(good, 8, "<I", 0)
    result = guest(PRELUDE + """
jhctl enable /bad-size.cell
jhctl enable /no-cpu3.cell
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
grep -q "Jailhouse hypervisor" /proc/iomem && fail "hypervisor memory still claimed"
jhctl enable /no-console.cell
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
echo "console: [$(cat /sys/devices/jailhouse/console)]"
jhctl console
jhctl disable
rmmod jailhouse || fail rmmod
""", files={"/bad-size.cell": bad_size, "/no-cpu3.cell": no_cpu3,
            "/no-console.cell": no_console})
    ok(result)
    assert jhctl_results(result) == [("enable", -EINVAL), ("enable", -EINVAL),
                                     ("enable", 0), ("console", 0),
                                     ("disable", 0)], result.describe()
    assert "console: []" in result.output, result.describe()
    # Enabled without a console page: nothing to read, end of file.
    assert "jhctl: console read ended with 0\n" in result.output, \
        result.describe()
    assert re.search(r"hypervisor entry failed: -22 \(status -22, 4 of 4 CPUs",
                     result.log), result.describe()
    assert "CPU 3 is online but not in the root cell's CPU set" in result.log
    assert result.output.count("enabled: 0") == 1
    assert result.output.count("enabled: 1") == 1


CELL_LIFECYCLE = PRELUDE + """
sys=/sys/devices/jailhouse
demo=/usr/libexec/jailhouse/demos/gic-demo.bin
jhctl enable /etc/jailhouse/qemu-arm64.cell || fail enable
used=$(cat $sys/mem_pool_used)
jhctl create /etc/jailhouse/qemu-arm64-inmate-demo.cell || fail create
jhctl create /etc/jailhouse/qemu-arm64-inmate-demo.cell
echo "online: $(cat /sys/devices/system/cpu/online)"
echo "root: $(cat $sys/cells/0/cpus_assigned_list)"
echo "cell: $(cat $sys/cells/1/name) $(cat $sys/cells/1/state) $(cat $sys/cells/1/cpus_assigned_list)"
echo 1 > /sys/devices/system/cpu/cpu3/online 2>/dev/null && fail "onlined a cell's CPU"
rmmod jailhouse 2>/dev/null && fail "rmmod with a cell"
jhctl load inmate-demo $demo 0 || fail load
# The demo prints on the shared UART while it runs: keep our lines for later.
jhctl start inmate-demo > /tmp/start.out || fail start
sleep 1
started="started: $(cat $sys/cells/1/state) exits=$(cat $sys/cells/1/statistics/vmexits_total)"
jhctl load inmate-demo > /tmp/stop.out || fail shutdown
sleep 0.2
cat /tmp/start.out /tmp/stop.out
echo "$started"
echo "stopped: $(cat $sys/cells/1/state)"
jhctl destroy inmate-demo || fail destroy
jhctl destroy inmate-demo
echo "back: $(cat /sys/devices/system/cpu/online) root=$(cat $sys/cells/0/cpus_assigned_list) cells=[$(ls $sys/cells)]"
[ "$(cat $sys/mem_pool_used)" = "$used" ] || fail "pool not back at $used"
jhctl disable || fail disable
rmmod jailhouse || fail rmmod
"""


def test_cell_lifecycle(guest):
    """Linux offlines CPU 3 for gic-demo (its redistributor moves to the
    cell), the demo's timer interrupts arrive through the virtual GIC, and
    CPU 3 comes back to Linux after destroy."""
    _need_hypervisor(guest)
    if "gic-demo.bin" not in guest.build.inmates:
        pytest.skip("gic-demo.bin not built")
    result = guest(CELL_LIFECYCLE)
    ok(result)
    assert "online: 0-2" in result.output, result.describe()
    assert "root: 0-2" in result.output, result.describe()
    assert "cell: inmate-demo shut down 3" in result.output, result.describe()
    assert re.search(r"started: running exits=\d+", result.output), \
        result.describe()
    assert "stopped: shut down" in result.output, result.describe()
    assert "Initializing the GIC (v3)..." in result.output, result.describe()
    # 10 Hz for one second: the ticks reach the cell through list registers
    assert result.output.count("Timer fired, jitter:") >= 5, result.describe()
    assert "back: 0-3 root=0-3 cells=[0]" in result.output, result.describe()
    assert jhctl_results(result) == [
        ("enable", 0), ("create", 0), ("create", -EEXIST), ("load", 0), ("start", 0), ("load", 0), ("destroy", 0),
        ("destroy", -ENOENT), ("disable", 0)], result.describe()


def test_jailhouse_command_drives_the_module(guest):
    """The Python `jailhouse` command (built by scons tools) in the guest."""
    _need_hypervisor(guest)
    if not guest.build.tools:
        pytest.skip("tools not built:\n%s" % guest.build.notes)
    result = guest(PRELUDE + """
jailhouse enable /etc/jailhouse/qemu-arm64.cell; echo "enable: $?"
jailhouse cell list; echo "list: $?"
jailhouse console > /tmp/console; echo "console: $? $(wc -l < /tmp/console)"
jailhouse disable; echo "disable: $?"
jailhouse disable; echo "disable again: $?"
rmmod jailhouse || fail rmmod
""", tools=True)
    ok(result)
    for line in ("enable: 0", "list: 0", "disable: 0", "disable again: 1"):
        assert line in result.output, result.describe()
    assert re.search(r"console: 0 [1-9]", result.output), result.describe()
    assert re.search(r"^0\s+qemu-arm64\s+running\s+0-3\s*$", result.output,
                     re.M), result.describe()
