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

import os
import shlex
import shutil
import subprocess
import sys

import pytest

import upstream_inmates
from abi_helpers import COMPILERS, CONFIG_GROUPS, INCLUDE, have
from pyjailhouse import cellblob, cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """A copy of upstream's tree whose tools run: pyjailhouse/pci_defs.py
    generated as its build does."""
    source = upstream_inmates.for_test("upstream's tools",
                                       upstream_inmates.source)
    tree = str(tmp_path_factory.mktemp("upstream") / "tree")
    shutil.copytree(source, tree)
    with open(os.path.join(tree, "pyjailhouse", "pci_defs.py"), "w") as f:
        subprocess.run(["bash", "scripts/gen_pci_defs.sh",
                        "include/jailhouse/pci_defs.h"], cwd=tree, stdout=f,
                       check=True)
    return tree


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
