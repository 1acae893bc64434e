# SPDX-License-Identifier: GPL-2.0-only
# End to end under Linux: the README walkthrough as written, lock-demo, a failing cell, cycles, bad input.

"""Three boots of Debian's stock arm64 kernel (see tests/fullstack/) with our
jailhouse.ko, hypervisor, configs, demos and the Python `jailhouse` command:

  test_readme_walkthrough    the commands between the walkthrough markers of
                             README.md, run one by one exactly as written
  test_locking_failing_cycles  lock-demo's denied first shutdown, a cell
                             that faults shows "failed" and can be destroyed,
                             10 enable/create/destroy/disable cycles with the
                             pool back at its start
  test_bad_input             clean one-line errors and a healthy kernel for
                             bad commands, configs, images, names, IDs and
                             garbage handed straight to the ioctls

Every command runs through the guest's `run` helper, which records the
command, its output and its exit status; the records are printed at the end
and checked here. dmesg is checked for oopses, warnings and BUGs after each
scenario ("check_dmesg NAME quiet": and for the driver's error-level lines,
which ordinary use, refusals included, does not cause), and the whole
console log for kernel trouble.
"""

import os
import re
import struct

import pytest

from conftest import REPO
from fullstack import records, walkthrough
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

# On the tests that boot a guest (test_readme_has_the_walkthrough does not).
def slow_qemu(test):
    return pytest.mark.qemu(pytest.mark.slow(test))


CELLS = "/etc/jailhouse"
DEMOS = "/usr/libexec/jailhouse/demos"

# The guest side: the jailhouse.ko where modules_install puts it, the run
# helper and the dmesg check.
PRELUDE = r"""
fail() { echo "GUEST-FAIL: $*"; exit 1; }
mkdir -p /lib/modules/$(uname -r)/extra
cp /jailhouse.ko /lib/modules/$(uname -r)/extra/ || fail "copy module"
depmod || fail depmod
: > /tmp/rec
""" + records.RUN_HELPER + r"""
check_dmesg() {
    trouble=$(dmesg | grep -E 'Oops|WARNING|BUG[: ]|Internal error|Call trace')
    if [ "$2" = quiet ]; then
        errors=$(dmesg -r | grep -E '^<[0-3]>.*jailhouse')
        trouble=$(printf '%s\n%s' "$trouble" "$errors" | grep .)
    fi
    { echo "=== DMESG $1"; echo "${trouble:-clean}"; echo "=== END"; } >> /tmp/rec
}
"""

# The driver's notices of refused operations (a cell that denies its
# shutdown or holds the configuration lock), in the guest's kernel log.
REFUSALS = 'dmesg | grep -a "jailhouse: .* refused: "'


def refusals(records, nth=0):
    """The driver's refusal notices the nth REFUSALS command printed,
    without their time stamps."""
    return [line[line.index("jailhouse: "):]
            for line in records.output(REFUSALS, nth).splitlines()
            if "jailhouse: " in line]

EPILOGUE = r"""
dmesg -n 1
echo JH-RECORDS-BEGIN
cat /tmp/rec
echo JH-RECORDS-END
"""


class Records:
    """The commands the guest ran: [(command, output, status)], and the
    dmesg verdict per scenario."""

    def __init__(self, result):
        self.result = result
        log = result.output.replace("\r", "")
        start = log.rfind("JH-RECORDS-BEGIN")
        end = log.rfind("JH-RECORDS-END")
        text = log[start:end] if 0 <= start < end else ""
        self.runs = records.parse(text)
        self.dmesg = records.dmesg(text)

    def find(self, command, nth=0):
        """(output, status) of the nth run of command."""
        found = [(out, status) for cmd, out, status in self.runs
                 if cmd == command]
        assert len(found) > nth, "%r did not run (%d times)\n%s" % (
            command, nth + 1, self.result.describe())
        return found[nth]

    def output(self, command, nth=0):
        return self.find(command, nth)[0]


def ok(result):
    """The guest ran to its end and the kernel stayed sane.

    With JH_FULLSTACK_LOGS=DIR the console log is kept in DIR/<test>.log
    (to refresh the README's sample output, or to read what ran)."""
    keep = os.environ.get("JH_FULLSTACK_LOGS")
    if keep:
        test = os.environ.get("PYTEST_CURRENT_TEST", "guest").split(":")[-1]
        with open(os.path.join(keep, test.split()[0] + ".log"), "w") as f:
            f.write(result.log)
    assert not result.timed_out, "timed out\n" + result.describe()
    assert result.exit_status == 0, result.describe()
    assert not result.kernel_trouble, (
        "kernel trouble: %s\n%s" % (result.kernel_trouble, result.describe()))
    assert "GUEST-FAIL" not in result.output, result.describe()
    records = Records(result)
    assert records.runs, "no records\n" + result.describe()
    for scenario, verdict in records.dmesg.items():
        assert verdict == "clean", "dmesg after %s:\n%s\n%s" % (
            scenario, verdict, result.describe())
    return records


def need(guest, cells=(), inmates=()):
    build = guest.build
    if not build.firmware or not build.tools:
        pytest.skip("hypervisor or tools not built:\n%s" % build.notes)
    for name in cells:
        if name not in build.cells:
            pytest.skip("%s not built" % name)
    for name in inmates:
        if name not in build.inmates:
            pytest.skip("%s not built" % name)


def run_lines(commands):
    """Shell lines that run each command through the run helper."""
    return "".join("run %s\n" % shell_quote(cmd) for cmd in commands)


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def assert_clean_error(records, command, status=1, nth=0):
    """The nth run of command failed with status and said why in one line
    of its own."""
    out, got = records.find(command, nth)
    described = records.result.describe()
    assert got == status, "%r: status %d, not %d:\n%s\n%s" % (
        command, got, status, out, described)
    lines = [line for line in out.splitlines() if line.strip()]
    assert "Traceback" not in out, "%r:\n%s\n%s" % (command, out, described)
    words = command.split()
    prefix = " ".join(words[:3] if words[1] == "cell" else words[:2]) + ": "
    assert len(lines) == 1 and lines[0].startswith(prefix), \
        "%r:\n%s\n%s" % (command, out, described)
    return lines[0]


# ---------------------------------------------------------------------------
# The README walkthrough
# ---------------------------------------------------------------------------

# What the issue asks the walkthrough to show, in this order.
WALKTHROUGH_STEPS = [
    r"(insmod|modprobe) .*jailhouse", r"jailhouse enable \S*/qemu-arm64\.cell",
    r"jailhouse cell create \S*/qemu-arm64-inmate-demo\.cell",
    r"jailhouse cell load inmate-demo \S*/gic-demo\.bin", r"jailhouse cell start",
    r"jailhouse cell list", r"jailhouse console", r"jailhouse cell stats",
    r"jailhouse cell shutdown", r"jailhouse cell destroy",
    r"jailhouse disable", r"rmmod jailhouse"]


def test_readme_has_the_walkthrough():
    walkthrough.check_steps(walkthrough.DEFAULT, WALKTHROUGH_STEPS)


@slow_qemu
def test_readme_walkthrough(guest):
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell"],
         inmates=["gic-demo.bin"])
    session = walkthrough.file_session()
    commands = [command for command, _shown in session]
    result = guest(PRELUDE + run_lines(commands) + r"""
check_dmesg walkthrough quiet
run 'cat /sys/devices/system/cpu/online'
run 'grep -c jailhouse /proc/modules'
""" + EPILOGUE, tools=True, timeout=150)
    records = ok(result)
    check_session(records, session, "README.md")
    for command in commands:
        out, status = records.find(command)
        assert status == 0, "%r failed with %d:\n%s\n%s" % (
            command, status, out, result.describe())
    console = "".join(out for cmd, out, _ in records.runs
                      if cmd.startswith("jailhouse console"))
    assert "Initializing the GIC (v3)..." in console, result.describe()
    assert console.count("Timer fired, jitter:") >= 3, result.describe()
    assert re.search(r"gic-demo: \d+ ticks done", console), result.describe()
    lists = [out for cmd, out, _ in records.runs
             if cmd == "jailhouse cell list"]
    assert any(re.search(r"^1\s+inmate-demo\s+running\s+3\s*$", out, re.M)
               for out in lists), result.describe()
    assert any(re.search(r"^0\s+qemu-arm64\s+running\s+0-2\s*$", out, re.M)
               for out in lists), result.describe()
    stats = "".join(out for cmd, out, _ in records.runs
                    if cmd.startswith("jailhouse cell stats"))
    assert re.search(r"^vmexits_total\s+[1-9]\d*\s*$", stats, re.M), \
        result.describe()
    # Everything given back: all CPUs with Linux, the module unloaded.
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-3", result.describe()
    assert records.output("grep -c jailhouse /proc/modules").strip() == "0", \
        result.describe()


# ---------------------------------------------------------------------------
# lock-demo, a failing cell, enable/create/destroy/disable cycles
# ---------------------------------------------------------------------------

SYS = "/sys/devices/jailhouse"
CYCLES = 10

LOCKING = r"""
modprobe jailhouse || fail modprobe
run 'jailhouse enable {cells}/qemu-arm64.cell'
start_used=$(cat {sys}/mem_pool_used)
run 'jailhouse cell create {cells}/qemu-arm64-lock-demo.cell'
run 'jailhouse cell load lock-demo {demos}/lock-demo.bin -s con-virtual -a 0x1000'
run 'jailhouse cell start lock-demo'
sleep 1
run 'jailhouse cell list'
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse cell shutdown lock-demo'
run 'jailhouse cell list'
run 'jailhouse cell shutdown lock-demo'
run 'jailhouse cell list'
run 'jailhouse cell destroy lock-demo'
run 'jailhouse console'
check_dmesg lock-demo quiet
run 'REFUSALS'
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse cell load inmate-demo {demos}/fault-demo.bin -s con-virtual -a 0x1000'
run 'jailhouse cell start inmate-demo'
sleep 1
run 'jailhouse cell list'
run 'cat {sys}/cells/1/state {sys}/cells/1/cpus_failed_list'
run 'jailhouse cell destroy inmate-demo'
run 'jailhouse cell list'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse console'
end_used=$(cat {sys}/mem_pool_used)
echo "pool: $start_used $end_used" >> /tmp/rec
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse disable'
run 'cat /sys/devices/system/cpu/online'
check_dmesg failed-cell
for cycle in $(seq {cycles}); do
    run 'jailhouse enable {cells}/qemu-arm64.cell'
    before=$(cat {sys}/mem_pool_used)
    run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
    during=$(cat {sys}/mem_pool_used)
    run 'jailhouse cell destroy inmate-demo'
    after=$(cat {sys}/mem_pool_used)
    echo "cycle $cycle: $before $during $after" >> /tmp/rec
    run 'jailhouse disable'
done
run 'cat /sys/devices/system/cpu/online'
run 'rmmod jailhouse'
check_dmesg cycles
""".replace("REFUSALS", REFUSALS)


DOCS = os.path.join(REPO, "docs", "walkthrough.md")


def locking_commands():
    """The commands the locking boot runs through `run`, in order."""
    script = LOCKING.format(cells=CELLS, demos=DEMOS, sys=SYS, cycles=CYCLES)
    return re.findall(r"^\s*run '(.*)'$", script, re.M)


def docs_session():
    return [(command, shown) for command, shown in
            walkthrough.file_session(DOCS)
            if not command.startswith("sleep ")]


def test_docs_walkthrough_is_tested():
    """docs/walkthrough.md's commands are run, in order, by the locking
    boot (test_locking_failing_cycles compares what they print)."""
    ran = iter(locking_commands())
    for command, _shown in docs_session():
        assert command in ran, "%r is not run (in this order) by the " \
            "locking test" % command


def check_session(records, session, source):
    """What a walkthrough shows matches what ran: the same exit status (an
    error line shown means failure), the same error lines, the same cell
    tables."""
    runs = iter(records.runs)
    for command, shown in session:
        for cmd, out, status in runs:
            if cmd == command:
                break
        else:
            pytest.fail("%s: %r did not run\n%s" % (
                source, command, records.result.describe()))
        lines = [line.rstrip() for line in out.splitlines()]
        error = walkthrough.error_lines(shown)
        where = "%s: %r\n%s" % (source, command, records.result.describe())
        assert (status != 0) == bool(error), where
        if error:
            assert [line for line in lines if line] == error, where
        if command == "jailhouse cell list":
            assert lines == shown, where


@slow_qemu
def test_locking_failing_cycles(guest):
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell",
                       "qemu-arm64-lock-demo.cell"],
         inmates=["lock-demo.bin", "fault-demo.bin"])
    result = guest(PRELUDE + LOCKING.format(cells=CELLS, demos=DEMOS, sys=SYS,
                                            cycles=CYCLES) + EPILOGUE,
                   # ~70 Python commands under TCG: 170 s ran out on a
                   # loaded 2-core host (also before the compat changes).
                   tools=True, timeout=300)
    records = ok(result)
    described = result.describe()
    check_session(records, docs_session(), "docs/walkthrough.md")

    def status(command, nth=0):
        return records.find(command, nth)[1]

    # lock-demo: locked, so no new cell; the first shutdown
    # is denied, the second approved.
    assert status("jailhouse enable %s/qemu-arm64.cell" % CELLS) == 0, \
        described
    assert status("jailhouse cell create %s/qemu-arm64-lock-demo.cell"
                  % CELLS) == 0, described
    assert status("jailhouse cell start lock-demo") == 0, described
    assert re.search(r"^1\s+lock-demo\s+running/locked\s+2\s*$",
                     records.output("jailhouse cell list"), re.M), described
    line = assert_clean_error(
        records, "jailhouse cell create %s/qemu-arm64-inmate-demo.cell" % CELLS)
    assert "locked" in line, described
    assert records.output("cat /sys/devices/system/cpu/online").strip() == \
        "0-1,3", described
    line = assert_clean_error(records, "jailhouse cell shutdown lock-demo")
    assert "refused" in line, described
    assert re.search(r"^1\s+lock-demo\s+running/locked\s+2\s*$",
                     records.output("jailhouse cell list", 1), re.M), described
    assert status("jailhouse cell shutdown lock-demo", 1) == 0, described
    # The driver's notices say why, naming the cell.
    assert refusals(records) == [
        'jailhouse: cell create refused: cell "lock-demo" holds the '
        'configuration lock',
        'jailhouse: cell shutdown refused: cell "lock-demo" denied the '
        'shutdown request'], described
    assert re.search(r"^1\s+lock-demo\s+shut down\s+2\s*$",
                     records.output("jailhouse cell list", 2), re.M), described
    assert status("jailhouse cell destroy lock-demo") == 0, described
    console = records.output("jailhouse console")
    for text in ("lock-demo: cell is running/locked",
                 "lock-demo: shutdown request denied",
                 "lock-demo: second shutdown request: unlocking and "
                 "approving"):
        assert text in console, described

    # The faulting cell: failed, its CPU listed as failed, destroyable.
    assert status("jailhouse cell start inmate-demo") == 0, described
    assert re.search(r"^1\s+inmate-demo\s+failed\s+3\s+3\s*$",
                     records.output("jailhouse cell list", 3), re.M), described
    assert records.output(
        "cat %s/cells/1/state %s/cells/1/cpus_failed_list" % (SYS, SYS)) \
        .split() == ["failed", "3"], described
    assert status("jailhouse cell destroy inmate-demo") == 0, described
    assert not re.search(r"^1\s", records.output("jailhouse cell list", 4),
                         re.M), described
    assert records.output("cat /sys/devices/system/cpu/online", 1).strip() \
        == "0-3", described
    console = records.output("jailhouse console", 1)
    assert "fault-demo: reading 0x40000000, outside this cell" in console, \
        described
    assert "nothing stopped this cell" not in console, described
    assert re.search(r'stopping cell "inmate-demo"', console), described
    pool = re.search(r"^pool: (\d+) (\d+)$", result.output, re.M)
    assert pool and pool.group(1) == pool.group(2), described

    # Disabling with a cell still there destroys it and returns its CPU.
    creates = [s for cmd, _o, s in records.runs
               if cmd == "jailhouse cell create %s/qemu-arm64-inmate-demo.cell"
               % CELLS]
    assert creates[:4] == [1, 0, 0, 0], described   # locked, fault, kept, cycle
    assert records.find("jailhouse disable", 0)[1] == 0, described
    assert records.output("cat /sys/devices/system/cpu/online", 2).strip() \
        == "0-3", described

    # The cycles: every command works, the pool is back where it started.
    cycles = re.findall(r"^cycle (\d+): (\d+) (\d+) (\d+)$", result.output,
                        re.M)
    assert len(cycles) == CYCLES, described
    for _n, before, during, after in cycles:
        assert before == after == cycles[0][1], described
        assert int(during) > int(before), described
    for command in ("jailhouse enable %s/qemu-arm64.cell" % CELLS,
                    "jailhouse cell create %s/qemu-arm64-inmate-demo.cell"
                    % CELLS, "jailhouse cell destroy inmate-demo"):
        statuses = [s for cmd, _o, s in records.runs if cmd == command]
        assert statuses[-CYCLES:] == [0] * CYCLES, (command, described)
    disables = [s for cmd, _o, s in records.runs if cmd == "jailhouse disable"]
    assert disables[-CYCLES:] == [0] * CYCLES, described
    assert records.output("cat /sys/devices/system/cpu/online", 3).strip() \
        == "0-3", described
    assert status("rmmod jailhouse") == 0, described


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

# Offsets in a cell configuration (with an 8-byte CPU set): architecture,
# name, CPU set, memory regions (32 bytes each, physical start first).
ARCH, NAME, CPUS, MEM_REGIONS, MEM_REGION_SIZE = 5, 8, 132, 140, 32


def patched_cell(path, name, cpus=None, ram_phys=None, ram_region=1,
                 arch=None):
    """The cell configuration at path renamed to name and, if given, with
    another CPU set, physical start of memory region ram_region (the RAM
    of the arm64 demo cells is region 1) or architecture byte."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    struct.pack_into("32s", data, NAME, name.encode())
    if cpus is not None:
        struct.pack_into("<Q", data, CPUS, cpus)
    if ram_phys is not None:
        struct.pack_into("<Q", data, MEM_REGIONS +
                         MEM_REGION_SIZE * ram_region, ram_phys)
    if arch is not None:
        struct.pack_into("<B", data, ARCH, arch)
    return bytes(data)


# Handed straight to /dev/jailhouse while the hypervisor runs with gic-demo
# (ID 1) created: every call must fail, the state must stay as it was.
IOCTL_GARBAGE = r'''
import ctypes, os, random, struct, sys

ENABLE, DISABLE, CREATE, LOAD, START, DESTROY = (
    0x40080000, 0x1, 0x40100002, 0x40300003, 0x40280004, 0x40280005)
fd = os.open("/dev/jailhouse", os.O_RDWR)
keep = []
results = []


def buffer(data):
    buf = ctypes.create_string_buffer(bytes(data), max(len(data), 1))
    keep.append(buf)
    return ctypes.addressof(buf)


libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
libc.ioctl.restype = ctypes.c_int


def call(what, request, arg):
    """ioctl(fd, request, arg); arg: bytes (passed by address) or a
    number (passed as it is, any 64-bit value)."""
    if isinstance(arg, (bytes, bytearray)):
        arg = buffer(arg)
    code = libc.ioctl(fd, request, arg)
    if code < 0:
        code = -ctypes.get_errno()
    results.append(code)
    if what:
        print("ioctl %s = %d" % (what, code))
    sys.stdout.flush()


def cell_id(number, name=b""):
    return struct.pack("<iI32s", number, 0, name)


def create(address, size):
    return struct.pack("<QII", address, size, 0)


def load(number, count, images=b"", name=b""):
    return cell_id(number, name) + struct.pack("<II", count, 0) + images


def image(source, size, target):
    return struct.pack("<QQQQ", source, size, target, 0)


cell = open(sys.argv[1], "rb").read()
system = open(sys.argv[2], "rb").read()
many_regions = bytearray(cell)       # named apart from gic-demo
struct.pack_into("<32sI", many_regions, 8, b"many-regions", 0)
struct.pack_into("<I", many_regions, 52, 0xffffffff)     # num_memory_regions
huge_cpu_set = bytearray(cell)
struct.pack_into("<32sI", huge_cpu_set, 8, b"huge-cpu-set", 0)
struct.pack_into("<I", huge_cpu_set, 48, 0x7fffffff)     # cpu_set_size
data = buffer(b"\x5a" * 4096)

call("enable NULL", ENABLE, 0)
call("enable bad pointer", ENABLE, 0xdead0000)
call("enable garbage", ENABLE, data)
call("create NULL", CREATE, 0)
call("create config NULL", CREATE, create(0, 4096))
call("create config bad pointer", CREATE, create(0xdead0000, 4096))
call("create size 0", CREATE, create(buffer(cell), 0))
call("create size 4G-1", CREATE, create(buffer(cell), 0xffffffff))
call("create truncated", CREATE, create(buffer(cell), 100))
call("create garbage", CREATE, create(data, 4096))
call("create system config", CREATE, create(buffer(system), len(system)))
call("create 4G regions", CREATE, create(buffer(many_regions),
                                         len(many_regions)))
call("create huge CPU set", CREATE, create(buffer(huge_cpu_set),
                                           len(huge_cpu_set)))
call("load NULL", LOAD, 0)
call("load root", LOAD, load(0, 0))
call("load unknown ID", LOAD, load(4711, 0))
call("load unterminated name", LOAD, load(-1, 0, name=b"A" * 32))
call("load 4G images", LOAD, load(1, 0xffffffff))
call("load 64K images", LOAD, load(1, 0x10000))
call("load image NULL", LOAD, load(1, 1, image(0, 4096, 0)))
call("load image bad pointer", LOAD, load(1, 1, image(0xdead0000, 4096, 0)))
call("load image huge", LOAD, load(1, 1, image(data, 1 << 62, 0)))
call("load image wraps", LOAD, load(1, 1, image(data, 0x2000,
                                               0xfffffffffffff000)))
call("load image past the region", LOAD, load(1, 1, image(data, 4096,
                                                         0xf001)))
call("start NULL", START, 0)
call("start root", START, cell_id(0))
call("start unknown ID", START, cell_id(4711))
call("start negative ID", START, cell_id(-7))
call("start empty name", START, cell_id(-1))
call("start unterminated name", START, cell_id(-1, b"B" * 32))
call("destroy NULL", DESTROY, 0)
call("destroy root", DESTROY, cell_id(0))
call("destroy root by name", DESTROY, cell_id(-1, b"qemu-arm64"))
call("destroy unknown ID", DESTROY, cell_id(4711))
call("destroy unterminated name", DESTROY, cell_id(-1, b"C" * 32))
for request in (0x40084a00, 0xc0080000, 0x80080000, 0x40080006, 0x7,
                0x40080002, 0x40080003, 0x40080004, 0x40080005, 0x4a48):
    call("request %#x" % request, request, data)

rng = random.Random(0x4a48)
requests = [ENABLE, CREATE, LOAD, START, DESTROY]
before = len(results)
for n in range(400):
    request = rng.choice(requests)
    if rng.random() < 0.3:
        arg = rng.getrandbits(64) & ~0xfff
    else:
        arg = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 160)))
        if request in (START, DESTROY, LOAD) and arg[:4] in (
                b"\x01\x00\x00\x00", b"\xff\xff\xff\xff"):
            arg = b"\x00\x00\x01\x00" + arg[4:]   # never gic-demo itself
    call("", request, arg)
fuzz = results[before:]
print("fuzz: %d calls, %d succeeded" % (len(fuzz), fuzz.count(0)))
print("garbage: %d calls, %d succeeded" % (len(results), results.count(0)))
'''

BAD_INPUT = r"""
modprobe jailhouse || fail modprobe
head -c 8192 /dev/urandom > /tmp/garbage.cell
head -c 100 {cells}/qemu-arm64-inmate-demo.cell > /tmp/truncated.cell
head -c 65537 /dev/zero > /tmp/big.bin
run 'jailhouse disable'
run 'jailhouse console'
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse cell destroy 1'
run 'jailhouse enable {cells}/qemu-arm64.cell'
run 'jailhouse enable {cells}/qemu-arm64.cell'
run 'jailhouse enable {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse enable /tmp/garbage.cell'
run 'jailhouse cell create {cells}/qemu-arm64.cell'
run 'jailhouse cell create /tmp/garbage.cell'
run 'jailhouse cell create /tmp/truncated.cell'
run 'jailhouse cell create /nonexistent.cell'
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell'
run 'jailhouse cell create /overlap-cpu.cell'
run 'jailhouse cell create /overlap-ram.cell'
run 'jailhouse cell create /overlap-hypervisor.cell'
run 'jailhouse cell create /overlap-root-only.cell'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse cell list'
run 'jailhouse cell load inmate-demo /tmp/big.bin'
run 'jailhouse cell load inmate-demo {demos}/gic-demo.bin -a 0x10000'
run 'jailhouse cell load inmate-demo -s hello-world -a 0xfffc'
run 'jailhouse cell load inmate-demo {demos}/gic-demo.bin -a 0x80000000'
run 'jailhouse cell load inmate-demo {demos}/gic-demo.bin -a 0xffffffffffffff00'
run 'jailhouse cell load inmate-demo /nonexistent.bin'
run 'jailhouse cell destroy 0'
run 'jailhouse cell destroy qemu-arm64'
run 'jailhouse cell shutdown 0'
run 'jailhouse cell start qemu-arm64'
run 'jailhouse cell load 0 {demos}/gic-demo.bin'
run 'jailhouse cell start nosuch'
run 'jailhouse cell destroy 42'
run 'jailhouse cell shutdown 7'
run 'jailhouse cell load nosuch {demos}/gic-demo.bin'
run 'jailhouse cell stats nosuch --once'
run 'jailhouse cell destroy --name 1'
run 'jailhouse cell start 99999999999999999999'
check_dmesg bad-commands
run 'python3 /ioctl-garbage.py {cells}/qemu-arm64-inmate-demo.cell {cells}/qemu-arm64.cell'
check_dmesg ioctl-garbage
run 'jailhouse cell list'
run 'cat /sys/devices/system/cpu/online'
run 'jailhouse cell load inmate-demo {demos}/gic-demo.bin -s con-virtual -a 0x1000'
run 'jailhouse cell start inmate-demo'
sleep 1
run 'jailhouse cell list'
run 'jailhouse cell destroy inmate-demo'
run 'jailhouse console'
run 'jailhouse disable'
run 'jailhouse disable'
run 'cat /sys/devices/system/cpu/online'
run 'rmmod jailhouse'
check_dmesg after
"""

# Commands expected to fail: (command, which run of it, exit status, words
# its message contains); status None: a usage error or an error, no crash.
BAD_COMMANDS = [
    ("jailhouse disable", 0, 1, "not enabled"),
    ("jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell", 0, 1,
     "not enabled"),
    ("jailhouse cell destroy 1", 0, 1, "not enabled"),
    ("jailhouse enable {cells}/qemu-arm64.cell", 1, 1, "already enabled"),
    ("jailhouse enable {cells}/qemu-arm64-inmate-demo.cell", 0, 1, ""),
    ("jailhouse enable /tmp/garbage.cell", 0, 1, ""),
    ("jailhouse cell create {cells}/qemu-arm64.cell", 0, 1, ""),
    ("jailhouse cell create /tmp/garbage.cell", 0, 1, ""),
    ("jailhouse cell create /tmp/truncated.cell", 0, 1, ""),
    ("jailhouse cell create /nonexistent.cell", 0, 1, "nonexistent.cell"),
    ("jailhouse cell create {cells}/qemu-arm64-inmate-demo.cell", 2, 1,
     "already exists"),
    ("jailhouse cell create /overlap-cpu.cell", 0, 1, ""),
    ("jailhouse cell create /overlap-ram.cell", 0, 1, ""),
    ("jailhouse cell create /overlap-hypervisor.cell", 0, 1, ""),
    ("jailhouse cell create /overlap-root-only.cell", 0, 1, ""),
    ("jailhouse cell load inmate-demo /tmp/big.bin", 0, 1, ""),
    ("jailhouse cell load inmate-demo {demos}/gic-demo.bin -a 0x10000", 0, 1,
     ""),
    ("jailhouse cell load inmate-demo -s hello-world -a 0xfffc", 0, 1, ""),
    ("jailhouse cell load inmate-demo {demos}/gic-demo.bin -a 0x80000000", 0, 1,
     ""),
    ("jailhouse cell load inmate-demo {demos}/gic-demo.bin "
     "-a 0xffffffffffffff00", 0, 1, ""),
    ("jailhouse cell load inmate-demo /nonexistent.bin", 0, 1,
     "nonexistent.bin"),
    ("jailhouse cell destroy 0", 0, 1, "root"),
    ("jailhouse cell destroy qemu-arm64", 0, 1, "root"),
    ("jailhouse cell shutdown 0", 0, 1, "root"),
    ("jailhouse cell start qemu-arm64", 0, 1, "root"),
    ("jailhouse cell load 0 {demos}/gic-demo.bin", 0, 1, "root"),
    ("jailhouse cell start nosuch", 0, 1, "nosuch"),
    ("jailhouse cell destroy 42", 0, 1, "42"),
    ("jailhouse cell shutdown 7", 0, 1, "7"),
    ("jailhouse cell load nosuch {demos}/gic-demo.bin", 0, 1, "nosuch"),
    ("jailhouse cell stats nosuch --once", 0, 1, "nosuch"),
    ("jailhouse cell destroy --name 1", 0, 1, "1"),
    ("jailhouse cell start 99999999999999999999", 0, None, ""),
    ("jailhouse disable", 2, 1, "not enabled"),
]


@slow_qemu
def test_bad_input(guest):
    need(guest, cells=["qemu-arm64.cell", "qemu-arm64-inmate-demo.cell",
                       "qemu-arm64-lock-demo.cell"],
         inmates=["gic-demo.bin"])
    lock = guest.build.cells["qemu-arm64-lock-demo.cell"]
    files = {
        "/ioctl-garbage.py": IOCTL_GARBAGE.encode(),
        # gic-demo's CPU 3
        "/overlap-cpu.cell": patched_cell(lock, "overlap-cpu", cpus=0x8),
        # gic-demo's RAM
        "/overlap-ram.cell": patched_cell(lock, "overlap-ram",
                                          ram_phys=0x7f008000),
        # the hypervisor's own memory
        "/overlap-hypervisor.cell": patched_cell(lock, "overlap-hypervisor",
                                                 ram_phys=0x7fc00000),
        # memory the root cell does not have, where the hypervisor
        # emulates the GIC distributor (memory outside the root as such is
        # accepted, as upstream accepts it: see config check)
        "/overlap-root-only.cell": patched_cell(lock, "overlap-root-only",
                                                ram_phys=0x08000000),
    }
    result = guest(PRELUDE + BAD_INPUT.format(cells=CELLS, demos=DEMOS)
                   + EPILOGUE, files=files, tools=True, timeout=170)
    records = ok(result)
    described = result.describe()
    # Before the first enable there is no console to show: empty or an
    # error, but no crash.
    out, status = records.find("jailhouse console")
    assert status in (0, 1) and "Traceback" not in out, (out, described)
    for command, nth, status, words in BAD_COMMANDS:
        command = command.format(cells=CELLS, demos=DEMOS)
        if status is None:
            out, got = records.find(command, nth)
            assert got in (1, 2) and "Traceback" not in out, (command, out)
            continue
        line = assert_clean_error(records, command, status, nth)
        assert words in line, "%r: %r lacks %r\n%s" % (command, line, words,
                                                        described)
    # The good commands worked, the failed ones changed nothing.
    assert records.find("jailhouse enable %s/qemu-arm64.cell" % CELLS)[1] \
        == 0, described
    assert records.find("jailhouse cell create %s/qemu-arm64-inmate-demo.cell"
                        % CELLS, 1)[1] == 0, described
    for nth in (0, 1):
        assert records.output("cat /sys/devices/system/cpu/online",
                              nth).strip() == "0-2", described
    for nth in (0, 1):
        listing = records.output("jailhouse cell list", nth)
        assert re.search(r"^0\s+qemu-arm64\s+running\s+0-2\s*$", listing,
                         re.M), described
        assert re.search(r"^1\s+inmate-demo\s+shut down\s+3\s*$", listing,
                         re.M), described
        assert len(listing.strip().splitlines()) == 3, described
    garbage, status = records.find(
        "python3 /ioctl-garbage.py %s/qemu-arm64-inmate-demo.cell "
        "%s/qemu-arm64.cell" % (CELLS, CELLS))
    assert status == 0, (garbage, described)
    assert re.search(r"^garbage: \d+ calls, 0 succeeded$", garbage, re.M), \
        (garbage, described)
    # Healthy afterwards: the demo runs, is destroyed, the hypervisor goes.
    assert records.find("jailhouse cell start inmate-demo")[1] == 0, described
    assert re.search(r"^1\s+inmate-demo\s+running\s+3\s*$",
                     records.output("jailhouse cell list", 2), re.M), described
    assert "Timer fired" in records.output("jailhouse console", 1), described
    assert records.find("jailhouse cell destroy inmate-demo")[1] == 0, described
    assert records.find("jailhouse disable", 1)[1] == 0, described
    assert records.output("cat /sys/devices/system/cpu/online", 2).strip() \
        == "0-3", described
    assert records.find("rmmod jailhouse")[1] == 0, described
