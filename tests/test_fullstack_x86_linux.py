# SPDX-License-Identifier: GPL-2.0-only
# x86 Linux cell: linux-loader, boot parameters and linux-x86-demo under the Debian root, with a stand-in kernel.

"""Debian's stock amd64 kernel lacks CONFIG_JAILHOUSE_GUEST, so it cannot
run in a cell.  A stand-in (tests/fullstack/fakelinux-x86.c in a bzImage,
tests/bzimage.py) takes its place: booted in linux-x86-demo under the
Debian root (tests/test_fullstack_x86.py) by linux-loader from the boot
parameters of pyjailhouse.cell_linux_x86, it reports on the hypervisor's
console what it got (entry state, command line, initrd checksum, e820 map,
Jailhouse setup_data) and starts the cell's other CPU with INIT-SIPI, as
Linux would; the test compares that with what it handed over.  Booted
once by `jailhouse cell linux`, once with the commands its -w prints.
"""

import os

import pytest

import bzimage
from abi_helpers import read
from fullstack.fixtures import debian_x86, x86_build, x86_guest  # noqa: F401
from pyjailhouse import config_parser
from pyjailhouse.cell_linux_x86 import plan
from test_fullstack_walkthrough import EPILOGUE, PRELUDE, need, ok

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

CELLS = "/etc/jailhouse"
LOADER = "/usr/libexec/jailhouse/linux-loader.bin"
CMDLINE = "console=ttyS1 fake.test=yes"


def fnv1a(data):
    value = 0x811c9dc5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xffffffff
    return value


@pytest.fixture(scope="module")
def fake_kernel(tmp_path_factory):
    """The stand-in kernel as a bzImage (path)."""
    try:
        return bzimage.stand_in(str(tmp_path_factory.mktemp("fakelinux")))
    except bzimage.BuildError as err:
        pytest.fail(str(err))


def expected_lines(cmdline, initrd, initrd_at):
    """What the loader and the stand-in print when all is well."""
    return [
        "linux-loader: starting the kernel at 0x1000000 on 2 CPUs",
        "FAKE-LINUX: 64-bit entry, rsi 0x1000 rdi 0x0 cs 0x10 ds 0x18 "
        "ss 0x18 interrupts off",
        "FAKE-LINUX: loader type 0xff, kernel at 0x1000000",
        'FAKE-LINUX: cmdline "%s"' % cmdline,
        "FAKE-LINUX: initrd %#x bytes at %#x, fnv1a %#x"
        % (len(initrd), initrd_at, fnv1a(initrd)),
        "FAKE-LINUX: e820 0x0 size 0x100000 type 1",
        "FAKE-LINUX: e820 0x100000 size 0x1000 type 2",
        "FAKE-LINUX: e820 0x200000 size 0x4700000 type 1",
        "FAKE-LINUX: setup_data type 6, 284 bytes",
        # the loader's part from the comm region: q35's PM timer and
        # MMCONFIG, the clock rates the hypervisor measured
        "FAKE-LINUX: jailhouse setup_data version 2 compatible 1, "
        "pm_timer 0x608, mmconfig 0xb0000000, tsc_khz ",
        ", standard_ioapic 1, uart flags 0x2\n",
        "FAKE-LINUX: 2 CPUs: 2 3, this one 2",
        "FAKE-LINUX: CPU 3 answered INIT-SIPI",
        "FAKE-LINUX: done"]


# Wait until the stand-in said "done" after the line with $1 (the ring
# holds the last 2 KiB of the hypervisor's console).
WAIT_DONE = r"""
wait_done() {
    for n in $(seq 90); do
        jhctl console 2>/dev/null | sed -n "/$1/,\$p" | \
            grep -q 'FAKE-LINUX: done' && return
        sleep 1
    done
}
"""


def test_fake_kernel_in_linux_x86_demo(x86_guest, fake_kernel):
    """`jailhouse cell linux` boots the stand-in in linux-x86-demo, then
    the commands its -w prints boot it again with another command line;
    each time it reports what it was handed; the root gets its CPUs
    back."""
    need(x86_guest, cells=["qemu-x86.cell", "linux-x86-demo.cell"],
         inmates=["linux-loader.bin"])
    cell = "%s/linux-x86-demo.cell" % CELLS
    initrd = os.urandom(0x5432)
    boot = plan(config_parser.CellConfig(
        read(x86_guest.build.cells["linux-x86-demo.cell"])),
        read(fake_kernel), initrd=initrd, cmdline=CMDLINE)
    initrd_at = boot.image("initrd").address
    files = {"/boot/fake-bzImage": fake_kernel, "/boot/initrd": initrd,
             LOADER: x86_guest.build.inmates["linux-loader.bin"]}
    linux = "jailhouse cell linux %s /boot/fake-bzImage -i /boot/initrd " \
        "-c \"%s\"" % (cell, CMDLINE)
    write = "jailhouse cell linux -w /tmp/params %s /boot/fake-bzImage " \
        "-i /boot/initrd -c \"%s again\"" % (cell, CMDLINE)
    script = WAIT_DONE + r"""
modprobe jailhouse || fail modprobe
run 'jailhouse enable {cells}/qemu-x86.cell'
run '{linux}'
wait_done 'fake.test=yes"'
run 'jailhouse cell list'
run 'jailhouse cell destroy linux-x86-demo'
run '{write}'
grep '^jailhouse cell ' /tmp/out > /tmp/printed
cd /usr/libexec/jailhouse
while read -r line; do run "$line"; done < /tmp/printed
wait_done 'again"'
run 'jailhouse cell destroy linux-x86-demo'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse disable'
check_dmesg linux-cell quiet
""".format(cells=CELLS, linux=linux, write=write)
    result = x86_guest(PRELUDE + script + EPILOGUE, files=files, tools=True,
                       timeout=600)
    records = ok(result)
    described = result.describe()
    printed = records.output(write).splitlines()
    load = [line for line in printed if line.startswith("jailhouse cell load")]
    assert load == [
        "jailhouse cell load linux-x86-demo linux-loader.bin -a 0x0 "
        "/boot/fake-bzImage -a %#x /boot/initrd -a %#x /tmp/params "
        "-a 0x1000" % (boot.image("kernel").address, initrd_at)], described
    commands = [cmd for cmd, _out, _status in records.runs]
    for command, _out, status in records.runs:
        assert status == 0, "%s failed\n%s" % (command, described)
    assert commands.count("jailhouse cell start linux-x86-demo") == 1, \
        described
    assert "linux-x86-demo          running           2-3" in \
        records.output("jailhouse cell list"), described
    # The hypervisor prints the cell's lines on the debug UART too, the
    # root's console (its ring keeps only the last 2 KiB).
    console = result.output.replace("\r", "")
    for cmdline in (CMDLINE, CMDLINE + " again"):
        for line in expected_lines(cmdline, initrd, initrd_at):
            assert line in console, "missing %r\n%s" % (line, described)
    assert console.count("FAKE-LINUX: CPU 3 answered INIT-SIPI") == 2, \
        described
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-3", described
