# SPDX-License-Identifier: GPL-2.0-only
# System tests of the ARMv7 hypervisor in QEMU virt (cortex-a15 in HYP
# mode, GICv2, the first arm row of tests/machines.py).  The bare-metal
# root program tests/baremetal/arm/prog-jailhouse.c does what Linux and the
# driver do (hyp stub, firmware and config placement, entry through
# HVC_SOFT_RESTART on every CPU, hypercalls) and runs one scenario per boot,
# named as in its scenarios[] table; the cells run the inmates' gic-demo
# and fault-demo.  The root reports "ROOT: ..." lines and leaves QEMU
# through semihosting with status 0 on success.

import os
import re
import struct

import pytest

import hvroot
import machines
from conftest import run_scons

TIMEOUT = 120
ARMV7 = machines.get("arm")


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    build_dir = str(tmp_path_factory.mktemp("hv-arm"))
    run_scons("ARCH=arm", "BUILD_DIR=" + build_dir, "hypervisor", "testprogs",
              "configs", "inmates")
    return build_dir


@pytest.fixture(scope="module")
def run(build_dir, tmp_path_factory):
    """run(scenario) -> hvroot.Scenario, booted once per module."""
    return hvroot.runner(build_dir, ARMV7, tmp_path_factory, TIMEOUT)


@pytest.mark.qemu
def test_enable_disable_on_4_cpus(run):
    r = run("enable").check(
        "ROOT: in SVC mode, scenario enable",
        "ROOT: failed entries rolled back on all CPUs",
        "Jailhouse entry failed: -22", "Activating hypervisor",
        "ROOT: enabled on 4 CPUs", "ROOT: hello through DEBUG_CONSOLE_PUTC",
        "Shutting down hypervisor", "ROOT: disabled",
        "ROOT: offline CPU powered off by disable, back through PSCI")
    for cpu in range(4):
        assert r.output.count("CPU %d entered" % cpu) >= 3, r
    # the root's read of hypervisor memory is refused (and reported)
    assert re.search(r"Access violation on CPU 0 \(cell \"qemu-arm\"\).*"
                     r"IPA 7fc00000", r.output), r


@pytest.mark.qemu
def test_enable_disable_cycles_keep_pool_use(run):
    r = run("cycles").check("ROOT: 10 enable/disable cycles, pool use")
    assert r.output.count("Activating hypervisor") == 10, r


@pytest.mark.qemu
def test_gic_demo_cell_lifecycle(run):
    """gic-demo in a cell: its timer interrupts arrive through the virtual
    GICv2; the cell's RAM is visible to the root only while loadable; 10
    create/destroy cycles keep the pool use; the CPU returns to the root."""
    r = run("cells").check(
        'Created cell "gic-demo" (ID 1)', 'Started cell "gic-demo"',
        "Initializing the GIC (v2)...", "ROOT: gic-demo ran in cell 1",
        "ROOT: 10 create/destroy cycles, pool use",
        "ROOT: CPU 3 back in the root cell", "ROOT: disabled")
    # the demo shares the UART with the hypervisor: lines may interleave,
    # the root's counters (injected interrupts, destroy results) are exact
    assert "Timer fired, jitter:" in r.output, r


@pytest.mark.qemu
def test_faulting_cell_fails_others_run_on(run):
    run("fault").check(
        "fault-demo: reading 0x40000000, outside this cell",
        'FATAL: Access violation; stopping cell "faulty" (CPU 3 failed)',
        "ROOT: faulty cell failed, healthy cell and root run on")


REFUSED = {
    "signature": -22, "architecture": -22, "no CPU": -22,
    "calling CPU": -16, "online root CPU": -16, "hypervisor memory": -22,
    "beyond IPA space": -22, "GIC CPU interface": -22,
    "private interrupt": -22,
}


@pytest.mark.qemu
def test_malformed_or_conflicting_configs_refused(run):
    r = run("badconfig").check("ROOT: refused arguments")
    found = dict((what, int(err)) for what, err in
                 re.findall(r"ROOT: refused (.+): (-?\d+)\n", r.output))
    assert found == REFUSED, r


@pytest.mark.qemu
def test_interrupts_a_cell_owns_leave_the_root(run):
    run("gic").check(
        'Created cell "spi-owner" (ID 1)',
        "ROOT: foreign interrupts untouched, SPI 100 back in the root cell")


def test_image_header(build_dir):
    """jailhouse.bin starts with the header of include/jailhouse/header.h."""
    with open(os.path.join(build_dir, "hypervisor/jailhouse.bin"), "rb") as f:
        image = f.read()
    (signature, revision, arch, entry, core_size, percpu_size, console_page,
     max_cpus) = struct.unpack_from("<8sIIQQQQI", image)
    assert signature == b"JHIMAGE\0" and revision == 1 and arch == 1
    assert 0x80 <= entry < len(image)
    assert core_size % 4096 == 0 and core_size >= len(image)
    assert percpu_size % 4096 == 0 and percpu_size > 16384
    assert console_page % 4096 == 0 and len(image) <= console_page < core_size
