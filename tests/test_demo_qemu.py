# SPDX-License-Identifier: GPL-2.0-only
# The README's demo (scripts/demo-linux, as ./quickstart demo runs it),
# the bare-metal demo (scripts/demo-arm64) and the bare-metal hello that
# proves the toolchain and QEMU set-up.

import os
import subprocess
import sys

import pytest

import machines
import rig
from conftest import REPO


@pytest.mark.qemu
def test_bare_metal_hello_boots_at_el2(built):
    elf = os.path.join(built("arm64"), "testprogs/arm64/hello.elf")
    r = rig.boot(machines.get("arm64"), elf, timeout=60)
    assert r.status == 0, r
    r.expect("Hello from bare-metal ARM64 at EL2")


@pytest.mark.qemu
def test_readme_demo_runs_cells_under_the_hypervisor(built):
    result = subprocess.run([os.path.join(REPO, "scripts/demo-arm64"),
                             built("arm64")], capture_output=True, text=True,
                            timeout=180, stdin=subprocess.DEVNULL)
    log = "console log:\n" + result.stdout + result.stderr
    assert result.returncode == 0, log
    for line in ("Activating hypervisor", 'Started cell "probe-a"',
                 "INMATE: hello from a cell", "ROOT: cells destroyed",
                 "Shutting down hypervisor", "ROOT: RESULT PASS (0 failures)"):
        assert line in result.stdout, line + " missing\n" + log


@pytest.mark.qemu
@pytest.mark.slow
def test_readme_demo_runs_the_walkthrough_under_linux(tmp_path):
    result = subprocess.run([sys.executable,
                             os.path.join(REPO, "scripts/demo-linux"),
                             str(tmp_path / "build")], capture_output=True,
                            text=True, timeout=900, stdin=subprocess.DEVNULL)
    log = "demo output:\n" + result.stdout + result.stderr
    assert result.returncode == 0, log
    for line in ("# jailhouse enable /etc/jailhouse/qemu-arm64.cell",
                 "Activating hypervisor", 'Started cell "inmate-demo"',
                 "gic-demo: 10 ticks done", "Shutting down hypervisor",
                 "demo-linux-arm64: walkthrough done"):
        assert line in result.stdout, line + " missing\n" + log
    assert "(failed: exit status" not in result.stdout, log


@pytest.mark.qemu
@pytest.mark.slow
def test_readme_demo_runs_the_x86_walkthrough_under_linux(tmp_path):
    """./quickstart demo x86: the README's x86 demonstration under
    Debian's stock amd64 kernel."""
    result = subprocess.run([sys.executable,
                             os.path.join(REPO, "scripts/demo-linux"), "x86",
                             str(tmp_path / "build")], capture_output=True,
                            text=True, timeout=1200, stdin=subprocess.DEVNULL)
    log = "demo output:\n" + result.stdout + result.stderr
    assert result.returncode == 0, log
    for line in ("# jailhouse enable /etc/jailhouse/qemu-x86.cell",
                 "Activating hypervisor", 'Started cell "apic-demo"',
                 "apic-demo: shutdown request denied",
                 "Shutting down hypervisor",
                 "demo-linux-x86: walkthrough done"):
        assert line in result.stdout, line + " missing\n" + log
    assert "(failed: exit status" not in result.stdout, log
    assert "(succeeded, but" not in result.stdout, log
