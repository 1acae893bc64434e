# SPDX-License-Identifier: GPL-2.0-only
# Upstream Jailhouse's own Python tools (at tests/upstream_inmates.py's
# UPSTREAM_COMMIT) against our configurations and command line.

"""Upstream's jailhouse-config-check reads every group of our shipped
configurations (abi_helpers.CONFIG_GROUPS) and finds nothing to report;
upstream's jailhouse-cell-linux, given upstream's linux-x86-demo config
compiled against our headers, writes boot parameters and prints `jailhouse
cell` commands our command line parses.  Upstream's tree comes from the
cache of tests/upstream_inmates.py (or its download); without it the tests
fail with the reason."""

import fcntl
import os
import pty
import re
import select
import shlex
import struct
import subprocess
import sys
import termios
import time

import pytest

import upstream_inmates
from abi_helpers import COMPILERS, CONFIG_GROUPS, INCLUDE, have
from pyjailhouse import cellblob, cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """A copy of upstream's tree whose tools run."""
    return upstream_inmates.for_test(
        "upstream's tools", upstream_inmates.tools_tree,
        str(tmp_path_factory.mktemp("upstream") / "tree"))


def run_tool(upstream, name, *args, cwd=None):
    return subprocess.run([sys.executable, os.path.join(upstream, "tools",
                                                        name)] + list(args),
                          capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def build(arch, source, directory):
    if not have(COMPILERS[arch]):
        pytest.skip("%s is not installed" % COMPILERS[arch])
    path = os.path.join(str(directory), os.path.basename(source)[:-2] +
                        ".cell")
    if not os.path.exists(path):
        cellblob.build_cell(COMPILERS[arch], source, [INCLUDE], arch, path)
    return path


@pytest.mark.parametrize("arch", sorted(CONFIG_GROUPS))
def test_upstream_config_check_accepts_our_configs(upstream, arch, tmp_path):
    configs = os.path.join(os.path.dirname(INCLUDE), "configs", arch)
    for system, cells in CONFIG_GROUPS[arch]:
        files = [build(arch, os.path.join(configs, name + ".c"), tmp_path)
                 for name in [system] + cells]
        result = run_tool(upstream, "jailhouse-config-check", *files)
        report = result.stdout + result.stderr
        assert result.returncode == 0, report
        assert "Architecture:  %s" % arch in report, report
        findings = [line for line in report.splitlines()
                    if ": " in line and line.split(": ", 1)[0] in (
                        "Overlapping memory regions inside cell",
                        "Overlapping memory regions with hypervisor",
                        "Missing PCI MMCONFIG interceptions",
                        "Missing resource interceptions for architecture "
                        + arch)]
        assert len(findings) >= 3, report
        assert all(line.endswith(": None") for line in findings), report


def test_upstream_cell_linux_commands_parse(upstream, tmp_path):
    """x86: upstream's linux-x86-demo (its own config source, our headers)
    and Debian's kernel: the parameters file and the printed commands."""
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    try:
        kernel = debian.kernel(arch="x86")["vmlinuz"]
    except debian.FetchError as err:
        pytest.fail("Debian's amd64 kernel unavailable: %s" % err)
    config = build("x86", os.path.join(upstream, "configs", "x86",
                                       "linux-x86-demo.c"), tmp_path)
    initrd = tmp_path / "initrd"
    initrd.write_bytes(b"\0" * 4096)
    params = str(tmp_path / "params.bin")
    result = run_tool(upstream, "jailhouse-cell-linux", "-w", params, config,
                      kernel, "-i", str(initrd), "-c", "console=ttyS0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.path.getsize(params) > 0x1000
    commands = [shlex.split(line) for line in result.stdout.splitlines()
                if line.startswith("jailhouse cell ")]
    assert [c[:3] for c in commands] == [["jailhouse", "cell", "create"],
                                         ["jailhouse", "cell", "load"],
                                         ["jailhouse", "cell", "start"]], \
        result.stdout
    assert commands[0][3] == config
    ref, items = cli.parse_load(commands[1][3:])
    assert [(kind, value) for kind, value, _addr in items] == [
        ("file", "linux-loader.bin"), ("file", kernel),
        ("file", str(initrd)), ("file", params)], result.stdout
    assert items[0][2] == 0 and items[3][2] == 0x1000, items
    assert commands[2][3] == "linux-x86-demo"
    assert ref.name == "linux-x86-demo" and ref.id is None


def test_our_cell_linux_takes_upstreams_arm64_linux_demo(upstream, tmp_path,
                                                        capsys):
    """Upstream's qemu-arm64-linux-demo.c (compiled against our headers)
    and its inmate-qemu-arm64.dts, with Debian's arm64 kernel: our `cell
    linux -w` accepts them and prints the `cell load` command upstream's
    tool prints (same images at the same addresses), and both write the
    same /memory and /chosen into the device tree."""
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    from pyjailhouse import cell_linux  # pylint: disable=import-outside-toplevel
    from pyjailhouse.fdt import Fdt  # pylint: disable=import-outside-toplevel
    try:
        kernel = debian.kernel(arch="arm64")["vmlinuz"]
    except debian.FetchError as err:
        pytest.fail("Debian's arm64 kernel unavailable: %s" % err)
    config = build("arm64", os.path.join(upstream, "configs", "arm64",
                                         "qemu-arm64-linux-demo.c"), tmp_path)
    # Upstream's dts includes a kernel header for its GIC_* names: the
    # numbers instead, so that dtc alone compiles it.
    with open(os.path.join(upstream, "configs", "arm64", "dts",
                           "inmate-qemu-arm64.dts")) as fileobj:
        source = fileobj.read()
    for name, value in (("GIC_SPI", "0"), ("GIC_PPI", "1"),
                        ("IRQ_TYPE_LEVEL_HIGH", "4"),
                        ("IRQ_TYPE_EDGE_RISING", "1")):
        source = source.replace(name, value)
    source = re.sub(r"#include .*", "", source)
    dts = tmp_path / "inmate-qemu-arm64.dts"
    dts.write_text(source)
    dtb = str(tmp_path / "inmate-qemu-arm64.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                    str(dts)], check=True)
    initrd = tmp_path / "initrd"
    initrd.write_bytes(b"\0" * 8192)
    args = [config, kernel, "-d", dtb, "-i", str(initrd), "-c",
            "console=ttyAMA0"]
    theirs = run_tool(upstream, "jailhouse-cell-linux", "-a", "arm64",
                      "-w", str(tmp_path / "theirs.dtb"), *args)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    status = cell_linux.main(["-w", str(tmp_path / "ours.dtb")] + args)
    ours = capsys.readouterr()
    assert status == 0, ours.out + ours.err

    def load_line(output, params):
        line = [shlex.split(l) for l in output.splitlines()
                if l.startswith("jailhouse cell load ")]
        assert len(line) == 1, output
        return [w.replace(params, "PARAMS") for w in line[0]]
    assert load_line(ours.out, str(tmp_path / "ours.dtb")) == \
        load_line(theirs.stdout, str(tmp_path / "theirs.dtb"))
    trees = [Fdt.parse((tmp_path / name).read_bytes())
             for name in ("ours.dtb", "theirs.dtb")]
    for path, prop in (("/memory", "reg"), ("/memory", "device_type"),
                       ("/chosen", "bootargs"),
                       ("/chosen", "linux,initrd-start"),
                       ("/chosen", "linux,initrd-end")):
        assert trees[0].get(path, prop) == trees[1].get(path, prop), \
            (path, prop)
    assert trees[0].get("/chosen", "bootargs") == b"console=ttyAMA0\0"


def test_upstream_config_create_on_q35_with_amd_iommu(upstream, tmp_path):
    """Upstream's jailhouse-config-create on our recording of q35 with
    QEMU's amd-iommu (tests/data/README.md): the system configuration it
    writes compiles against our headers, passes our `jailhouse config
    check`, and describes the machine as our own `config create` does
    (hypervisor memory, MMCONFIG, the IOMMU unit, the root's PCI
    devices).  Enabling it: tests/test_fullstack_upstream_tools.py."""
    from confgen_data import unpack  # pylint: disable=import-outside-toplevel
    from pyjailhouse import config as jhconfig, config_check, config_create
    root = unpack("x86/qemu-q35-iommu.tar.gz", tmp_path / "root")
    theirs = str(tmp_path / "upstream-q35-iommu.c")
    result = run_tool(upstream, "jailhouse-config-create", "-r", root, theirs)
    assert result.returncode == 0, result.stdout + result.stderr
    ours = str(tmp_path / "ours-q35-iommu.c")
    assert config_create.main(["-r", root, ours]) == 0
    theirs_cell = build("x86", theirs, tmp_path)
    assert config_check.main([theirs_cell]) == 0
    systems = [jhconfig.load(path, kind="system")
               for path in (theirs_cell, build("x86", ours, tmp_path))]

    def facts(system):
        info = system.platform_info
        units = [(u.type, u.base, u.amd.bdf, u.amd.base_cap)
                 for u in system.iommu_units if u.type]
        return (system.hypervisor_memory.phys_start,
                system.hypervisor_memory.size, info.pci_mmconfig_base,
                info.pci_mmconfig_end_bus, info.x86.pm_timer_address, units,
                sorted(d.bdf for d in system.root_cell.pci_devices),
                sorted(system.root_cell.cpus))
    assert facts(systems[0]) == facts(systems[1])
    assert facts(systems[0])[5] == [(jhconfig.C.JAILHOUSE_IOMMU_AMD,
                                     0xfed80000, 0x18, 0x40)]
    # Where the two differ, ours is right (test_config_create.py's
    # test_x86_q35_amd_iommu_msi_cap_and_features): upstream's takes QEMU's
    # placeholder MSI capability and sets XTSup as its "given" marker.
    assert [(s.iommu_units[0].amd.msi_cap, s.iommu_units[0].amd.features)
            for s in systems] == [(0x58, 0x45), (0x60, 0x44)]


# Upstream's jailhouse-cell-stats is a curses screen over
# /sys/devices/jailhouse/cells/: it runs here in a pseudo-terminal, with
# that one path pointed at a tree laid out as our driver's sysfs.
CELLS_DIR = '"/sys/devices/jailhouse/cells/"'
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|[()][0-9A-B]|[=>])")


def cell_stats_screen(upstream, sysfs, args, keys=(), tmp_path=None):
    """(exit status, text) of upstream's jailhouse-cell-stats on the
    driver tree sysfs (the directory holding cells/), after typing keys
    (each once the screen shows its expected text) and then 'q'."""
    with open(os.path.join(upstream, "tools", "jailhouse-cell-stats")) as f:
        script = f.read()
    assert script.count(CELLS_DIR) == 1, "upstream's cells_dir changed"
    path = str(tmp_path / "jailhouse-cell-stats")
    with open(path, "w") as f:
        f.write(script.replace(CELLS_DIR, repr(os.path.join(sysfs, "cells")
                                               + "/")))
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm", LINES="40", COLUMNS="100")
        os.execv(sys.executable, [sys.executable, path] + list(args))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    output = b""
    pending = list(keys) + [("q", None)]
    deadline = time.monotonic() + 60
    expect = "Q - Quit"
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if expect is not None and pending and \
                expect in ANSI.sub("", output.decode("utf-8", "replace")):
            key, expect = pending.pop(0)
            os.write(fd, key.encode())
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), \
        ANSI.sub("", output.decode("utf-8", "replace"))


def test_upstream_cell_stats_on_our_sysfs_layout(upstream, tmp_path):
    """Our driver's sysfs as the fake driver of the tool tests lays it out
    (tests/test_fullstack_upstream_tools.py checks the real one): upstream's
    screen finds the cell by ID and by name, shows every x86 counter with
    its sum, and per CPU after 'c'."""
    import fake_jailhouse  # pylint: disable=import-outside-toplevel
    sysfs = str(tmp_path / "jailhouse")
    tree = fake_jailhouse.FakeSysfs(sysfs)
    tree.add_cell(0, "RootCell", [0, 1, 2])
    tree.add_cell(1, "apic-demo", [3], state="running",
                  stats={"vmexits_total": 4242424, "vmexits_xapic": 777},
                  cpu_stats={3: {"vmexits_total": 4242424}})
    for args in (["1"], ["apic-demo"], ["--name", "apic-demo"]):
        status, screen = cell_stats_screen(upstream, sysfs, args,
                                           [("c", "CPU 3)")], tmp_path)
        assert status == 0, screen
        assert "Statistics for apic-demo cell" in screen, screen
        assert "(All CPUs)" in screen and "CPU 3)" in screen, screen
        for name in fake_jailhouse.X86_STATS:
            assert name in screen, (name, screen)
        assert "4242424" in screen and "777" in screen, screen
    status, screen = cell_stats_screen(upstream, sysfs, ["nosuchcell"],
                                       (), tmp_path)
    assert status == 1 and "reading stats" in screen, screen
