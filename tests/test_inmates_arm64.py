# SPDX-License-Identifier: GPL-2.0-only
# The ARM inmate library and demos on ARM64 without the hypervisor: the
# bare/ images boot in QEMU virt (cortex-a57) at EL1, as an inmate starts
# in a cell, find no comm region and run on their own (see
# tests/inmate_images.py).  The ARMv7 runs are in test_inmates_armv7.py.

import re
import struct

import pytest

from inmate_images import arm_bare, boot_arm, check_arm_layout, \
    check_summary, with_cmdline

TICK = re.compile(r"Timer fired, jitter: +(\d+) ns, min: +(\d+) ns, "
                  r"max: +(\d+) ns")
BARE_NOTE = "no comm region at 0x80000000, running without the hypervisor"
LIB_TESTS = ["test-lib", "test-cmdline", "test-smp", "test-comm-region"]


def image(inmates, kind, name):
    """Path of bare/KIND/[arm-common/]NAME.elf."""
    return arm_bare(inmates("arm64"), kind, name)


def boot(elf, gic=3, **options):
    return boot_arm("arm64", elf, gic, **options)


def comm_region(tmp_path, revision=2, console_type=3, flags=0):
    """A comm region as the hypervisor fills it for the demo cells (ABI 2,
    ARM part), loaded at 0x80000000: boot() options."""
    console = struct.pack("<QIHHIIQ", 0x09000000, 0x1000, console_type,
                          0x3, 0, 0, 0)
    data = b"JHCOMM" + struct.pack("<HIIII", revision, 0, 0, 0, flags) + \
        console + struct.pack("<Q", 0)
    data += struct.pack("<B7xQQQI", 3, 0x08000000, 0, 0x080a0000, 0)
    assert len(data) == 100
    blob = tmp_path / "comm-region.bin"
    blob.write_bytes(data)
    # RAM must reach 0x80000000 (1 GiB at 0x40000000 does not).
    return {"memory": "2G", "loaders": [(blob, 0x80000000)]}


# Layout (no QEMU)

def test_cmdline_section_at_image_offset_0x1000(inmates):
    check_arm_layout(inmates("arm64"))


# Library tests

@pytest.mark.qemu
@pytest.mark.parametrize("gic", [3, 2])
@pytest.mark.parametrize("name", LIB_TESTS)
def test_library_arm64(inmates, name, gic):
    r = boot(image(inmates, "tests", name), gic)
    assert r.status == 0, r
    assert BARE_NOTE in r.log, r
    check_summary(r)
    if name == "test-lib":
        assert "GIC v%d, timer IRQ" % gic in r.log, r
        assert "printk: [  -42] [ab  ] [00be] [-1234567890123] " \
            "[123456789abc] [J] [4000000000]" in r.log, r
        assert "PSCI via hvc, bare" in r.log, r


@pytest.mark.qemu
def test_psci_cpu_on_starts_second_cpu(inmates):
    r = boot(image(inmates, "tests", "test-smp"))
    assert r.status == 0, r
    assert re.search(r"test-smp: PSCI 1\.\d+ via hvc on CPU 0", r.log), r
    assert "test-smp: CPU 1 up" in r.log, r
    assert check_summary(r) >= 10


@pytest.mark.qemu
def test_cmdline_given_at_load_time(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "tests", "test-cmdline"),
                       "int=5 hex=0x10 neg=-1 flag  str=abc off=no", tmp_path)
    r = boot(elf)
    assert r.status == 0, r
    assert "parsed: int=5 hex=16 neg=-1 flag=1 off=0 str=abc missing=-1" \
        in r.log, r
    assert "Testing finished" not in r.log, r


@pytest.mark.qemu
def test_psci_conduit_from_cmdline(inmates, tmp_path):
    # smc has no taker at EL1 without EL3 or a hypervisor: the call faults,
    # which proves the option switched the conduit.
    elf = with_cmdline(image(inmates, "tests", "test-smp"),
                       "psci-conduit=smc", tmp_path)
    r = boot(elf, timeout=10)
    assert "Unhandled synchronous exception" in r.log, r


# With a comm region (as in a cell; the inmate stops instead of powering off)

@pytest.mark.qemu
def test_comm_region_found(inmates, tmp_path):
    r = boot(image(inmates, "tests", "test-comm-region"), timeout=5,
             **comm_region(tmp_path))
    assert r.timed_out, r
    assert BARE_NOTE not in r.log, r
    assert "real->signature" in r.log and check_summary(r) == 18, r


@pytest.mark.qemu
def test_comm_region_abi_mismatch_stops_the_inmate(inmates, tmp_path):
    r = boot(image(inmates, "tests", "test-lib"), timeout=5,
             **comm_region(tmp_path, revision=1))
    assert "Comm region ABI revision 1, this inmate speaks 2" in r.log, r
    assert "test-lib:" not in r.log, r


@pytest.mark.qemu
@pytest.mark.parametrize("console_type, printed", [(3, True), (0, False)])
def test_console_from_comm_region(inmates, tmp_path, console_type, printed):
    elf = with_cmdline(image(inmates, "demos", "uart-demo"),
                       "count=2 interval-ms=1", tmp_path)
    r = boot(elf, timeout=5,
             **comm_region(tmp_path, console_type=console_type))
    assert ("uart-demo: console PL011" in r.log) == printed, r
    assert ("uart-demo: done after 2 lines" in r.log) == printed, r


# Demos

@pytest.mark.qemu
@pytest.mark.parametrize("gic", [3, 2])
def test_gic_demo_ticks_with_jitter(inmates, tmp_path, gic):
    elf = with_cmdline(image(inmates, "demos", "gic-demo"),
                       "ticks=6", tmp_path)
    r = boot(elf, gic)
    assert r.status == 0, r
    assert "Initializing the GIC (v%d)" % gic in r.log, r
    ticks = [tuple(int(v) for v in m.groups()) for m in TICK.finditer(r.log)]
    assert len(ticks) >= 5, r
    low, high = None, 0
    for jitter, minimum, maximum in ticks:
        low = jitter if low is None else min(low, jitter)
        high = max(high, jitter)
        assert (minimum, maximum) == (low, high), r
    assert "gic-demo: 6 ticks done" in r.log, r


@pytest.mark.qemu
def test_gic_demo_runs_forever_by_default(inmates):
    r = boot(image(inmates, "demos", "gic-demo"),
                     timeout=3)
    assert r.timed_out, r
    assert len(TICK.findall(r.log)) >= 5, r


@pytest.mark.qemu
def test_uart_demo_prints(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "demos", "uart-demo"),
                       "count=3 interval-ms=10", tmp_path)
    r = boot(elf)
    assert r.status == 0, r
    assert "uart-demo: console PL011, one line every 10 ms" in r.log, r
    for n in (1, 2, 3):
        assert "uart-demo: hello #%d from the cell" % n in r.log, r
    assert "uart-demo: done after 3 lines" in r.log, r


@pytest.mark.qemu
def test_uart_demo_console_none_is_silent(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "demos", "uart-demo"),
                       "con-type=NONE count=2 interval-ms=1", tmp_path)
    r = boot(elf)
    assert r.status == 0, r
    assert r.log == "", r


@pytest.mark.qemu
def test_lock_demo_denies_then_approves(inmates):
    r = boot(image(inmates, "demos", "lock-demo"))
    assert r.status == 0, r
    expected = [
        "lock-demo: no hypervisor, CPU 1 simulates it",
        "lock-demo: cell is running/locked, the first shutdown request "
        "will be denied",
        "lock-demo: shutdown request denied, ask again to stop the cell",
        "lock-demo: second shutdown request: unlocking and approving",
        "lock-demo: simulated request 1: denied, cell state running/locked",
        "lock-demo: simulated request 2: approved, cell state running",
    ]
    positions = [r.log.find(line) for line in expected]
    assert -1 not in positions and positions == sorted(positions), r
