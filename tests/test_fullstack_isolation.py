# SPDX-License-Identifier: GPL-2.0-only
# Isolation under Linux: a device abort during an access the hypervisor makes for a cell (issue #9, finding 1).

"""One boot of Debian's stock arm64 kernel (see tests/fullstack/) with our
jailhouse.ko, hypervisor and `jailhouse` command.  The inmate-demo cell
(qemu-arm64-inmate-demo.cell) gets, instead of its UART page, a 64-byte
sub-page region on an address where nothing answers on QEMU virt
(0x09100000, inside the root's device window); fault-demo reads it.  The hypervisor performs that read for the
cell at EL2, the bus aborts it: the cell - and only the cell - must fail,
`jailhouse cell destroy` must return, `jailhouse disable` must succeed,
and Linux must stay healthy (no RCU stalls, no oops).  Before the fix the
CPU panicked at EL2 and the destroy never returned.
"""

import os
import re
import struct

from test_fullstack_walkthrough import (CELLS, DEMOS, EPILOGUE, PRELUDE,
                                        SYS, need, ok, slow_qemu)
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

# JAILHOUSE_MEM_* of include/jailhouse/cell-config.h
READ, WRITE, IO, ROOTSHARED, IO_32 = 0x1, 0x2, 0x10, 0x80, 0x40000
HOLE = 0x09100000
UART = struct.pack("<QQQQ", 0x09000000, 0x09000000, 0x1000,
                   READ | WRITE | IO | ROOTSHARED)
SUBPAGE = struct.pack("<QQQQ", HOLE, HOLE, 0x40, READ | WRITE | IO | IO_32)

SCRIPT = r"""
run 'modprobe jailhouse'
run 'jailhouse enable {cells}/qemu-arm64.cell'
run 'jailhouse cell create /bus-fault.cell'
run 'jailhouse cell load inmate-demo {demos}/fault-demo.bin -s "con-virtual address={hole:#x}" -a 0x1000'
run 'jailhouse cell start inmate-demo'
sleep 1
run 'jailhouse cell list'
run 'cat {sys}/cells/1/state {sys}/cells/1/cpus_failed_list'
run 'jailhouse cell destroy inmate-demo'
run 'jailhouse console'
run 'jailhouse disable'
run 'cat /sys/devices/system/cpu/online'
run 'rmmod jailhouse'
check_dmesg bus-fault
"""


def bus_fault_cell(build, tmp_path):
    """inmate-demo's config with its UART page replaced by the sub-page hole."""
    with open(build.cells["qemu-arm64-inmate-demo.cell"], "rb") as f:
        blob = f.read()
    assert blob.count(UART) == 1, "inmate-demo's UART region not found"
    path = os.path.join(str(tmp_path), "bus-fault.cell")
    with open(path, "wb") as f:
        f.write(blob.replace(UART, SUBPAGE))
    return path


@slow_qemu
def test_device_abort_stops_only_the_cell_under_linux(guest, tmp_path):
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell"],
         inmates=["fault-demo.bin"])
    script = SCRIPT.format(cells=CELLS, demos=DEMOS, sys=SYS, hole=HOLE)
    result = guest(PRELUDE + script + EPILOGUE, tools=True, timeout=150,
                   files={"/bus-fault.cell":
                          bus_fault_cell(guest.build, tmp_path)})
    records = ok(result)
    described = result.describe()
    for command, _output, status in records.runs:
        assert status == 0, (command, described)
    assert re.search(r"^1\s+inmate-demo\s+failed\s+3\s+3\s*$",
                     records.output("jailhouse cell list"), re.M), described
    assert records.output("cat %s/cells/1/state %s/cells/1/cpus_failed_list"
                          % (SYS, SYS)).split() == ["failed", "3"], described
    console = records.output("jailhouse console")
    assert "fault-demo: reading 0x9100000" in console, described
    assert 'Device at 9100000 aborted a 4-byte access of cell "inmate-demo"' \
        in console, described
    assert 'stopping cell "inmate-demo"' in console, described
    assert "nothing stopped this cell" not in console, described
    assert "Exception in the hypervisor" not in console, described
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-3", described
