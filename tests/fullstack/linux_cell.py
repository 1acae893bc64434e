# SPDX-License-Identifier: GPL-2.0-only
# Full stack, ARM and ARM64: the root boots Debian's stock kernel in a non-root cell with `jailhouse cell linux` and checks it got there.

"""One boot of the full-stack rig (fullstack/rig.py) per architecture:
the root enables the hypervisor with its QEMU root cell and runs

    jailhouse cell linux <arch's linux-demo>.cell <kernel> \\
        -d <its device tree>.dtb -i cell-initramfs -c "console=ttyAMA0 ..."

The cell's Linux (CPUs 2-3, 128 MiB) prints through the shared PL011; its
/init takes its second CPU offline and back online (PSCI), writes a marker
line to /dev/kmsg and a flag word into the ivshmem r/w section both cells
map (0x7faf1000); the root waits silently for the flag (so that the two
never print at once), then lists, shuts down and destroys the cell and
disables the hypervisor.  A second `cell linux` of the running cell fails
and leaves it running.

    result = boot(guest, ARCHES["arm"])   # skips if something is not built
    check(result, ARCHES["arm"])          # asserts, returns the timings
"""

import re
from collections import namedtuple

import pytest

from . import debian, initramfs

FLAG_ADDRESS = 0x7faf1000       # ivshmem demo r/w section, root and cell
FLAG = 0x4c494e58               # "LINX"
FLAG_TEXT = "0x%08X" % FLAG     # as busybox devmem prints it

# root: the root cell's config, cell: the linux-demo's name, kernel: the
# image's name in the guest, dtb: the cell's device tree, loaded: the
# loader's line for the kernel placed by the tool.
Arch = namedtuple("Arch", "name root cell kernel dtb loaded")
ARCHES = {
    "arm64": Arch("arm64", "qemu-arm64", "qemu-arm64-linux-demo", "Image",
                  "inmate-qemu-arm64.dtb",
                  "linux-loader: booting Image at 0x70200000, device tree "
                  "at 0x70000000"),
    "arm": Arch("arm", "qemu-arm", "qemu-arm-linux-demo", "zImage",
                "inmate-qemu-arm.dtb",
                "linux-loader: booting zImage at 0x70002000, device tree "
                "at 0x70000000"),
}

CELL_INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
cpus=$(/bin/busybox cat /sys/devices/system/cpu/online)
mem=$(/bin/busybox grep MemTotal /proc/meminfo | /bin/busybox tr -s ' ')
# CPU hotplug: PSCI CPU_OFF, AFFINITY_INFO, CPU_ON of a CPU that ran before
echo 0 > /sys/devices/system/cpu/cpu1/online
off=$(/bin/busybox cat /sys/devices/system/cpu/online)
echo 1 > /sys/devices/system/cpu/cpu1/online
echo "<2>JH-CELL-HOTPLUG: offline $off, online $(/bin/busybox cat /sys/devices/system/cpu/online)" > /dev/kmsg
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
jailhouse enable /etc/jailhouse/{root}.cell || fail enable
before=$(uptime)
jailhouse cell linux /etc/jailhouse/{cell}.cell /cell/{kernel} \\
    -d /cell/{dtb} -i /cell/initramfs \\
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
jailhouse cell linux /etc/jailhouse/{cell}.cell /cell/{kernel} \
    -d /cell/{dtb} -c "{cmdline}"; echo "again: $?"
jailhouse cell list
t0=$(uptime)
jailhouse cell shutdown {cell}; echo "shutdown: $? in $t0..$(uptime)"
jailhouse cell list
t0=$(uptime)
jailhouse cell destroy {cell}; echo "destroy: $? in $t0..$(uptime)"
echo "online: $(cat /sys/devices/system/cpu/online)"
jailhouse disable; echo "disable: $?"
rmmod jailhouse || fail rmmod
"""


def cell_initramfs(busybox):
    """The cell's root file system: busybox and CELL_INIT as /init."""
    cell_fs = initramfs.Archive()
    for name in ("bin", "dev", "proc", "sys"):
        cell_fs.directory(name)
    cell_fs.char_device("dev/console", 5, 1)
    cell_fs.char_device("dev/kmsg", 1, 11)
    cell_fs.host_file("bin/busybox", busybox, 0o755)
    cell_fs.file("init", CELL_INIT, 0o755)
    return cell_fs.bytes()


def boot(guest, arch):
    """Run the scenario on guest (the arch's full-stack runner, see
    fullstack.fixtures) with the same Debian kernel in the cell."""
    build = guest.build
    needed = {"firmware": build.firmware, "tools": build.tools,
              arch.cell + ".cell": build.cells.get(arch.cell + ".cell"),
              "linux-loader.bin": build.inmates.get("linux-loader.bin")}
    missing = [name for name, there in needed.items() if not there]
    if missing:
        pytest.skip("not built: %s\n%s" % (", ".join(missing), build.notes))
    kernel = debian.kernel(arch=arch.name)["vmlinuz"]
    busybox = debian.userland(arch=arch.name)["busybox"]
    dtb = "%s/configs/%s/dts/%s" % (build.build_dir, arch.name, arch.dtb)
    script = SCRIPT.format(flag_address=FLAG_ADDRESS, flag_text=FLAG_TEXT,
                           cmdline=CELL_CMDLINE, wait=240, root=arch.root,
                           cell=arch.cell, kernel=arch.kernel, dtb=arch.dtb)
    return guest(script,
                 files={"/cell/" + arch.kernel: kernel,
                        "/cell/initramfs": cell_initramfs(busybox),
                        "/cell/" + arch.dtb: dtb},
                 tools=True, timeout=600,
                 # Destroying the cell keeps a root CPU in one hypercall
                 # for seconds under TCG (scrub and cache flush of its
                 # RAM); a loaded host stretches that.
                 append="watchdog_thresh=60")


def check(result, arch):
    """Assert that the cell's Linux reached /init on both CPUs and that the
    cell went away cleanly; returns the timings as a printable line."""
    report = result.describe()
    assert not result.timed_out, "timed out\n" + report
    assert result.exit_status == 0, report
    assert "GUEST-FAIL" not in result.output, report
    assert "cell linux: status 0" in result.output, report
    assert arch.loaded in result.log, report
    init = re.search(r"JH-CELL-INIT: uptime ([\d.]+) cpus (\S+) MemTotal: "
                     r"(\d+) kB", result.log)
    assert init, report
    assert init.group(2) == "0-1", report           # both CPUs came up
    assert "JH-CELL-HOTPLUG: offline 0, online 0-1" in result.log, report
    assert 100000 < int(init.group(3)) < 131072, report
    assert "flag: " + FLAG_TEXT in result.output, report
    assert "again: 1" in result.output and "jailhouse cell linux: a cell " \
        "named '%s' already exists\n" % arch.cell in result.output, report
    assert re.search(r"^\d+\s+%s\s+running\s+2-3\s*$" % arch.cell,
                     result.output, re.M), report
    assert re.search(r"^\d+\s+%s\s+shut down\s+2-3\s*$" % arch.cell,
                     result.output, re.M), report
    for line in ("shutdown: 0 in", "destroy: 0 in", "online: 0-3",
                 "disable: 0"):
        assert line in result.output, report
    # Nothing went wrong in either kernel.
    assert not result.kernel_trouble, (
        "kernel trouble: %s\n%s" % (result.kernel_trouble, report))
    boot_times = re.search(r"after ([\d.]+)\.\.([\d.]+)", result.output)
    seconds = {what: float(m.group(2)) - float(m.group(1)) for what in
               ("shutdown", "destroy") for m in [re.search(
                   what + r": 0 in ([\d.]+)\.\.([\d.]+)", result.output)]}
    return ("cell Linux (%s): /init at %s s of its uptime, %.1f s from "
            "`cell linux` to the flag, shutdown %.1f s, destroy %.1f s (root "
            "uptime), whole run %.1f s" % (
                arch.name, init.group(1),
                float(boot_times.group(2)) - float(boot_times.group(1)),
                seconds["shutdown"], seconds["destroy"], result.seconds))
