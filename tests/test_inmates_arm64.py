# SPDX-License-Identifier: GPL-2.0-only
# The ARM inmate library and demos without the hypervisor: the bare/
# images (linked at 0x40080000, built by `testprogs`) boot directly in QEMU virt at EL1 (SVC on
# ARMv7), exactly as an inmate starts in a cell, find no comm region and
# run on their own. Command lines are put into a copy of the image the way
# `jailhouse cell load -s ... -a 0x1000` does.

import os
import re
import shutil
import struct
import subprocess

import pytest
from elftools.elf.elffile import ELFFile

from conftest import run_scons

QEMU = {
    "arm64": ["qemu-system-aarch64", "-M", "virt,gic-version={gic}", "-cpu",
              "cortex-a57", "-smp", "2", "-m", "1G", "-nographic",
              "-no-reboot"],
    "arm": ["qemu-system-arm", "-M", "virt,gic-version={gic}", "-cpu",
            "cortex-a15", "-smp", "2", "-m", "1G", "-nographic", "-no-reboot"],
}
SUMMARY = re.compile(r"Testing finished \((\d+) passed, (\d+) failed\)")
MARKER = re.compile(r"JAILHOUSE-TEST-RESULT: (PASS|FAIL) passed=(\d+) "
                    r"failed=(\d+)")
TICK = re.compile(r"Timer fired, jitter: +(\d+) ns, min: +(\d+) ns, "
                  r"max: +(\d+) ns")
BARE_NOTE = "no comm region at 0x80000000, running without the hypervisor"
LIB_TESTS = ["test-lib", "test-cmdline", "test-smp", "test-comm-region"]


@pytest.fixture(scope="module")
def inmates(tmp_path_factory):
    """inmates(arch) -> build dir of `scons inmates` for arch (made once)."""
    cache = {}

    def build(arch):
        if arch not in cache:
            build_dir = str(tmp_path_factory.mktemp("inmates-" + arch))
            run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, "inmates",
                      "testprogs")
            cache[arch] = os.path.join(build_dir, "inmates")
        return cache[arch]
    return build


def image(inmates, arch, kind, name):
    """Path of bare/KIND/arm-common/NAME.elf (demos or tests)."""
    path = os.path.join(inmates(arch), "bare", kind, "arm-common",
                        name + ".elf")
    assert os.path.isfile(path), path
    return path


def with_cmdline(elf, cmdline, tmp_path):
    """Copy of elf whose .cmdline section holds cmdline (NUL-terminated)."""
    patched = str(tmp_path / (os.path.basename(elf)[:-4] + "-cmdline.elf"))
    shutil.copyfile(elf, patched)
    with open(patched, "r+b") as f:
        section = ELFFile(f).get_section_by_name(".cmdline")
        data = cmdline.encode() + b"\0"
        assert len(data) <= section["sh_size"], "command line too long"
        f.seek(section["sh_offset"])
        f.write(data)
    return patched


def boot(arch, elf, gic=3, timeout=30, extra=()):
    """Run elf in QEMU until it powers off; returns (exit code, log)."""
    if not shutil.which(QEMU[arch][0]):
        pytest.skip(QEMU[arch][0] + " not installed")
    cmd = [a.format(gic=gic) for a in QEMU[arch]] + list(extra) + \
        ["-kernel", elf]
    try:
        result = subprocess.run(cmd, capture_output=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
        code, out, err = result.returncode, result.stdout, result.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
    log = out.decode(errors="replace").replace("\r", "") + \
        err.decode(errors="replace")
    return code, "QEMU: %s\nexit: %s\nconsole log:\n%s" % (" ".join(cmd),
                                                           code, log)


def comm_region(tmp_path, revision=2, console_type=3, flags=0):
    """A comm region as the hypervisor fills it for the demo cells (ABI 2,
    ARM part), as a file for QEMU's -device loader at 0x80000000."""
    console = struct.pack("<QIHHIIQ", 0x09000000, 0x1000, console_type,
                          0x3, 0, 0, 0)
    data = b"JHCOMM" + struct.pack("<HIIII", revision, 0, 0, 0, flags) + \
        console + struct.pack("<Q", 0)
    data += struct.pack("<B7xQQQI", 3, 0x08000000, 0, 0x080a0000, 0)
    assert len(data) == 100
    path = tmp_path / "comm-region.bin"
    path.write_bytes(data)
    # RAM must reach 0x80000000 (1 GiB at 0x40000000 does not).
    return ["-m", "2G", "-device",
            "loader,file=%s,addr=0x80000000,force-raw=on" % path]


def check_summary(log):
    summary, marker = SUMMARY.search(log), MARKER.search(log)
    assert summary and marker, log
    passed, failed = int(summary.group(1)), int(summary.group(2))
    assert marker.group(1) == "PASS" and failed == 0 and passed > 0, log
    assert (int(marker.group(2)), int(marker.group(3))) == (passed, failed), log
    assert "FAIL:" not in log, log
    return passed


# Layout (no QEMU)

@pytest.mark.parametrize("arch", ["arm64", "arm"])
def test_cmdline_section_at_image_offset_0x1000(inmates, arch):
    build = inmates(arch)
    images = [os.path.join(root, name) for root, _dirs, files in os.walk(build)
              for name in files if name.endswith(".elf")]
    assert len(images) >= 10, images
    for path in images:
        with open(path, "rb") as f:
            elf = ELFFile(f)
            base = 0x40080000 if "/bare/" in path else 0
            assert elf.header["e_entry"] == base, path
            assert elf.get_section_by_name(".cmdline")["sh_addr"] == \
                base + 0x1000, path
    binary = os.path.join(build, "tests/arm-common/test-cmdline.bin")
    with open(binary, "rb") as f:
        assert f.read()[0x1000:].startswith(b"builtin int=42 ")


# Library tests

@pytest.mark.qemu
@pytest.mark.parametrize("gic", [3, 2])
@pytest.mark.parametrize("name", LIB_TESTS)
def test_library_arm64(inmates, name, gic):
    code, log = boot("arm64", image(inmates, "arm64", "tests", name), gic)
    assert code == 0, log
    assert BARE_NOTE in log, log
    check_summary(log)
    if name == "test-lib":
        assert "GIC v%d, timer IRQ" % gic in log, log
        assert "printk: [  -42] [ab  ] [00be] [-1234567890123] " \
            "[123456789abc] [J] [4000000000]" in log, log
        assert "PSCI via hvc, bare" in log, log


@pytest.mark.qemu
@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("name", LIB_TESTS)
def test_library_armv7(inmates, name, gic):
    code, log = boot("arm", image(inmates, "arm", "tests", name), gic)
    assert code == 0, log
    check_summary(log)
    if name == "test-lib":
        assert "GIC v%d, timer IRQ" % gic in log, log


@pytest.mark.qemu
def test_psci_cpu_on_starts_second_cpu(inmates):
    code, log = boot("arm64", image(inmates, "arm64", "tests", "test-smp"))
    assert code == 0, log
    assert re.search(r"test-smp: PSCI 1\.\d+ via hvc on CPU 0", log), log
    assert "test-smp: CPU 1 up" in log, log
    assert check_summary(log) >= 10


@pytest.mark.qemu
def test_cmdline_given_at_load_time(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "arm64", "tests", "test-cmdline"),
                       "int=5 hex=0x10 neg=-1 flag  str=abc off=no", tmp_path)
    code, log = boot("arm64", elf)
    assert code == 0, log
    assert "parsed: int=5 hex=16 neg=-1 flag=1 off=0 str=abc missing=-1" \
        in log, log
    assert "Testing finished" not in log, log


@pytest.mark.qemu
def test_psci_conduit_from_cmdline(inmates, tmp_path):
    # smc has no taker at EL1 without EL3 or a hypervisor: the call faults,
    # which proves the option switched the conduit.
    elf = with_cmdline(image(inmates, "arm64", "tests", "test-smp"),
                       "psci-conduit=smc", tmp_path)
    code, log = boot("arm64", elf, timeout=10)
    assert "Unhandled synchronous exception" in log, log


# With a comm region (as in a cell; the inmate stops instead of powering off)

@pytest.mark.qemu
def test_comm_region_found(inmates, tmp_path):
    code, log = boot("arm64", image(inmates, "arm64", "tests",
                                    "test-comm-region"),
                     timeout=5, extra=comm_region(tmp_path))
    assert code == "timeout", log
    assert BARE_NOTE not in log, log
    assert "real->signature" in log and check_summary(log) == 18, log


@pytest.mark.qemu
def test_comm_region_abi_mismatch_stops_the_inmate(inmates, tmp_path):
    code, log = boot("arm64", image(inmates, "arm64", "tests", "test-lib"),
                     timeout=5, extra=comm_region(tmp_path, revision=1))
    assert "Comm region ABI revision 1, this inmate speaks 2" in log, log
    assert "test-lib:" not in log, log


@pytest.mark.qemu
@pytest.mark.parametrize("console_type, printed", [(3, True), (0, False)])
def test_console_from_comm_region(inmates, tmp_path, console_type, printed):
    elf = with_cmdline(image(inmates, "arm64", "demos", "uart-demo"),
                       "count=2 interval-ms=1", tmp_path)
    code, log = boot("arm64", elf, timeout=5,
                     extra=comm_region(tmp_path, console_type=console_type))
    assert ("uart-demo: console PL011" in log) == printed, log
    assert ("uart-demo: done after 2 lines" in log) == printed, log


# Demos

@pytest.mark.qemu
@pytest.mark.parametrize("gic", [3, 2])
def test_gic_demo_ticks_with_jitter(inmates, tmp_path, gic):
    elf = with_cmdline(image(inmates, "arm64", "demos", "gic-demo"),
                       "ticks=6", tmp_path)
    code, log = boot("arm64", elf, gic)
    assert code == 0, log
    assert "Initializing the GIC (v%d)" % gic in log, log
    ticks = [tuple(int(v) for v in m.groups()) for m in TICK.finditer(log)]
    assert len(ticks) >= 5, log
    low, high = None, 0
    for jitter, minimum, maximum in ticks:
        low = jitter if low is None else min(low, jitter)
        high = max(high, jitter)
        assert (minimum, maximum) == (low, high), log
    assert "gic-demo: 6 ticks done" in log, log


@pytest.mark.qemu
def test_gic_demo_runs_forever_by_default(inmates):
    code, log = boot("arm64", image(inmates, "arm64", "demos", "gic-demo"),
                     timeout=3)
    assert code == "timeout", log
    assert len(TICK.findall(log)) >= 5, log


@pytest.mark.qemu
def test_gic_demo_armv7(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "arm", "demos", "gic-demo"),
                       "ticks=5 hz=50", tmp_path)
    code, log = boot("arm", elf, gic=2)
    assert code == 0, log
    assert len(TICK.findall(log)) == 5, log


@pytest.mark.qemu
def test_uart_demo_prints(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "arm64", "demos", "uart-demo"),
                       "count=3 interval-ms=10", tmp_path)
    code, log = boot("arm64", elf)
    assert code == 0, log
    assert "uart-demo: console PL011, one line every 10 ms" in log, log
    for n in (1, 2, 3):
        assert "uart-demo: hello #%d from the cell" % n in log, log
    assert "uart-demo: done after 3 lines" in log, log


@pytest.mark.qemu
def test_uart_demo_console_none_is_silent(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "arm64", "demos", "uart-demo"),
                       "con-type=NONE count=2 interval-ms=1", tmp_path)
    code, log = boot("arm64", elf)
    assert code == 0, log
    assert log.endswith("console log:\n"), log


@pytest.mark.qemu
def test_lock_demo_denies_then_approves(inmates):
    code, log = boot("arm64", image(inmates, "arm64", "demos", "lock-demo"))
    assert code == 0, log
    expected = [
        "lock-demo: no hypervisor, CPU 1 simulates it",
        "lock-demo: cell is running/locked, the first shutdown request "
        "will be denied",
        "lock-demo: shutdown request denied, ask again to stop the cell",
        "lock-demo: second shutdown request: unlocking and approving",
        "lock-demo: simulated request 1: denied, cell state running/locked",
        "lock-demo: simulated request 2: approved, cell state running",
    ]
    positions = [log.find(line) for line in expected]
    assert -1 not in positions and positions == sorted(positions), log
