# SPDX-License-Identifier: GPL-2.0-only
# Full stack on ARM64: Debian's stock kernel as root boots the same kernel in a non-root cell with `jailhouse cell linux`.

"""The root (tests/fullstack/rig.py) enables the hypervisor with
qemu-arm64.cell and runs

    jailhouse cell linux qemu-arm64-linux-demo.cell Image \\
        -d inmate-qemu-arm64.dtb -i cell-initramfs -c "console=ttyAMA0 ..."

The cell's Linux (CPUs 2-3, 128 MiB) prints through the shared PL011 by
polling, as printk does, and its /init writes a marker line to /dev/kmsg and
a flag word into the ivshmem r/w section both cells map (0x7faf1000); the
root waits silently for the flag (so that the two never print at once),
then lists, shuts down and destroys the cell and disables the hypervisor.
A second `cell linux` of the running cell fails and leaves it running.
"""

import re

import pytest

from fullstack import initramfs
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

FLAG_ADDRESS = 0x7faf1000       # ivshmem demo r/w section, root and cell
FLAG = 0x4c494e58               # "LINX"
FLAG_TEXT = "0x%08X" % FLAG     # as busybox devmem prints it

CELL_INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
cpus=$(/bin/busybox cat /sys/devices/system/cpu/online)
mem=$(/bin/busybox grep MemTotal /proc/meminfo | /bin/busybox tr -s ' ')
echo "<2>JH-CELL-INIT: uptime $(/bin/busybox cut -d' ' -f1 /proc/uptime) cpus $cpus $mem" > /dev/kmsg
# The root prints from now on: no more kernel messages of ours in between.
echo 1 > /proc/sys/kernel/printk
/bin/busybox devmem {flag_address:#x} 32 {flag:#x}
while true; do /bin/busybox sleep 1000; done
""".format(flag_address=FLAG_ADDRESS, flag=FLAG)

CELL_CMDLINE = "console=ttyAMA0 earlycon panic=-1"

SCRIPT = """
fail() {{ echo "GUEST-FAIL: $*"; exit 1; }}
uptime() {{ cut -d' ' -f1 /proc/uptime; }}
insmod /jailhouse.ko || fail insmod
devmem {flag_address:#x} 32 0
jailhouse enable /etc/jailhouse/qemu-arm64.cell || fail enable
before=$(uptime)
jailhouse cell linux /etc/jailhouse/qemu-arm64-linux-demo.cell /cell/Image \\
    -d /cell/inmate-qemu-arm64.dtb -i /cell/initramfs \\
    -c "{cmdline}" > /tmp/cell-linux.out 2>&1
status=$?
# Silent until the cell's /init has run: the console is shared.
waited=0
while [ $status = 0 ] && [ "$(devmem {flag_address:#x} 32)" != "{flag_text}" ] \\
        && [ $waited -lt {wait} ]; do
    sleep 1; waited=$((waited + 1))
done
after=$(uptime)
sleep 1
echo
echo "cell linux: status $status"
cat /tmp/cell-linux.out
echo "flag: $(devmem {flag_address:#x} 32) after $before..$after"
# A second `cell linux` of the same cell fails and leaves the first alone.
jailhouse cell linux /etc/jailhouse/qemu-arm64-linux-demo.cell /cell/Image \
    -d /cell/inmate-qemu-arm64.dtb -c "{cmdline}"; echo "again: $?"
jailhouse cell list
t0=$(uptime)
jailhouse cell shutdown qemu-arm64-linux-demo; echo "shutdown: $? in $t0..$(uptime)"
jailhouse cell list
t0=$(uptime)
jailhouse cell destroy qemu-arm64-linux-demo; echo "destroy: $? in $t0..$(uptime)"
echo "online: $(cat /sys/devices/system/cpu/online)"
jailhouse disable; echo "disable: $?"
rmmod jailhouse || fail rmmod
"""


def test_linux_boots_in_a_cell(guest, tmp_path):
    build = guest.build
    needed = {"firmware": build.firmware, "tools": build.tools,
              "qemu-arm64-linux-demo.cell":
                  build.cells.get("qemu-arm64-linux-demo.cell"),
              "linux-loader.bin": build.inmates.get("linux-loader.bin")}
    missing = [name for name, there in needed.items() if not there]
    if missing:
        pytest.skip("not built: %s\n%s" % (", ".join(missing), build.notes))
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    kernel = debian.kernel(arch="arm64")["vmlinuz"]
    userland = debian.userland(arch="arm64")
    cell_fs = initramfs.Archive()
    for name in ("bin", "dev", "proc", "sys"):
        cell_fs.directory(name)
    cell_fs.char_device("dev/console", 5, 1)
    cell_fs.char_device("dev/kmsg", 1, 11)
    cell_fs.host_file("bin/busybox", userland["busybox"], 0o755)
    cell_fs.file("init", CELL_INIT, 0o755)
    dtb = "%s/configs/arm64/dts/inmate-qemu-arm64.dtb" % build.build_dir
    result = guest(SCRIPT.format(flag_address=FLAG_ADDRESS, flag_text=FLAG_TEXT,
                                 cmdline=CELL_CMDLINE, wait=240),
                   files={"/cell/Image": kernel, "/cell/initramfs":
                          cell_fs.bytes(), "/cell/inmate-qemu-arm64.dtb": dtb},
                   tools=True, timeout=600,
                   # Destroying the cell keeps a root CPU in one
                   # hypercall for seconds under TCG (scrub and cache
                   # flush of 128 MiB); a loaded host stretches that.
                   append="watchdog_thresh=60")
    report = result.describe()
    assert not result.timed_out, "timed out\n" + report
    assert result.exit_status == 0, report
    assert "GUEST-FAIL" not in result.output, report
    assert "cell linux: status 0" in result.output, report
    assert "linux-loader: booting Image at 0x70200000, device tree at " \
        "0x70000000" in result.log, report
    init = re.search(r"JH-CELL-INIT: uptime ([\d.]+) cpus (\S+) MemTotal: "
                     r"(\d+) kB", result.log)
    assert init, report
    assert init.group(2) == "0-1", report           # both CPUs came up
    assert 100000 < int(init.group(3)) < 131072, report
    assert "flag: " + FLAG_TEXT in result.output, report
    assert "again: 1" in result.output and "jailhouse cell linux: a cell " \
        "named 'qemu-arm64-linux-demo' already exists\n" in result.output, \
        report
    assert re.search(r"^\d+\s+qemu-arm64-linux-demo\s+running\s+2-3\s*$",
                     result.output, re.M), report
    assert re.search(r"^\d+\s+qemu-arm64-linux-demo\s+shut down\s+2-3\s*$",
                     result.output, re.M), report
    for line in ("shutdown: 0 in", "destroy: 0 in", "online: 0-3",
                 "disable: 0"):
        assert line in result.output, report
    # Nothing went wrong in either kernel.
    assert not result.kernel_trouble, (
        "kernel trouble: %s\n%s" % (result.kernel_trouble, report))
    boot = re.search(r"after ([\d.]+)\.\.([\d.]+)", result.output)
    seconds = {what: float(m.group(2)) - float(m.group(1)) for what in
               ("shutdown", "destroy") for m in [re.search(
                   what + r": 0 in ([\d.]+)\.\.([\d.]+)", result.output)]}
    print("cell Linux: /init at %s s of its uptime, %.1f s from `cell "
          "linux` to the flag, shutdown %.1f s, destroy %.1f s (root "
          "uptime), whole run %.1f s" % (
              init.group(1), float(boot.group(2)) - float(boot.group(1)),
              seconds["shutdown"], seconds["destroy"], result.seconds))
