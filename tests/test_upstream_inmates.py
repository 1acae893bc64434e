# SPDX-License-Identifier: GPL-2.0-only
# Upstream Jailhouse's own inmates, built by upstream's Kbuild
# (tests/upstream_inmates.py), run in our cells by the bare-metal root.

"""x86: the root program's "image" scenario (tests/baremetal/x86/
prog-jailhouse.c) creates one of our cells, loads upstream's image (a
multiboot module, its command line after the file name) and waits for a
line of the image's output; the test then checks what upstream's inmate
printed and that its cell still ran.  ARMv7: the root program's "image"
scenario (tests/baremetal/arm/) starts the image QEMU's loader put at
IMAGE_ADDR in a cell and idles; upstream's inmate prints to the PL011
itself, the run ends at its line.  ARM64 and ARMv7: upstream's ivshmem-demo
in our ivshmem-demo cell with the root program as its peer (scenario
ivshmem-image, tests/baremetal/arm-common/ivshmem-root.c).  Upstream's
x2APIC-only x86 demos (apic-demo, smp-demo, ioapic-demo) run on the Bochs
Intel row.  Without upstream's inmates (no
network for the download, no Debian headers) the tests fail with the
reason: they are part of the compatibility contract."""

import os

import pytest

import hvroot
import machines
import rig
import upstream_inmates
from conftest import build_hv

TIMEOUT = 120


def upstream_image(arch, relpath):
    return upstream_inmates.for_test("upstream's inmates",
                                     upstream_inmates.image, arch, relpath)


@pytest.fixture(scope="module")
def x86_build(tmp_path_factory):
    # upstream's mmio-access test needs the test device
    return build_hv(tmp_path_factory, "x86", "CONFIG_TEST_DEVICE=y")


def run_x86_image(build_dir, relpath, cell, text, cmdline="",
                  machine="x86-q35"):
    """Upstream's x86 image relpath in our cell until it prints text."""
    image = upstream_image("x86", relpath)
    machine = rig.require(machines.get(machine))
    run = rig.boot(machine, hvroot.program(build_dir, "x86"),
                   timeout=TIMEOUT, append="image %s %s" % (cell, text),
                   initrd=(image + " " + cmdline).strip().replace(",", ",,"))
    return hvroot.Scenario("image", run).check(
        'Started cell "%s"' % cell,
        "ROOT: image in cell %s, cell state running" % cell)


# (upstream image, our cell, the line to wait for, what else it prints)
X86_CASES = {
    "tiny-demo": ("demos/x86/tiny-demo.bin", "tiny-demo", "PM Timer:",
                  ["Hello from this tiny cell!"]),
    "32-bit-demo": ("demos/x86/32-bit-demo.bin", "tiny-demo",
                    "This runs in 32-bit mode", ["(EFER: 0)"]),
    "sse-demo": ("tests/x86/sse-demo.bin", "tiny-demo", "Testing SSE2...",
                 ["Testing SSE...", "SSE: 1   SSE2: 1"]),
    "sse-demo-32": ("tests/x86/sse-demo-32.bin", "tiny-demo",
                    "Testing SSE2...", ["Testing SSE...", "SSE: 1   SSE2: 1"]),
    # every load and store form against the test device (tiny-demo sets
    # JAILHOUSE_CELL_TEST_DEVICE)
    "mmio-access": ("tests/x86/mmio-access.bin", "tiny-demo",
                    "MMIO write test passed", ["MMIO read test passed"]),
    "mmio-access-32": ("tests/x86/mmio-access-32.bin", "tiny-demo",
                       "MMIO write test passed", ["MMIO read test passed"]),
    # peer 1 of qemu-x86.c's ivshmem device 00:0e.0 (the root, peer 0,
    # leaves its function alone; no peer 2): IDs, registers and sections
    # found, the state written, doorbells rung.  Without x2APIC (q35's
    # qemu64) its MSI-X entries name APIC ID 0, the root's CPU: refused.
    "ivshmem-demo": ("demos/x86/ivshmem-demo.bin", "ivshmem-demo",
                     "IVSHMEM: sending IRQ",
                     ["IVSHMEM: Found device at 00:0e.0",
                      "IVSHMEM: ID is 1", "IVSHMEM: max. peers is 3",
                      "IVSHMEM: state table is at 0x000000003f0f0000",
                      "IVSHMEM: initialized device", "state[1] = 2"]),
}


@pytest.mark.qemu
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(X86_CASES))
def test_upstream_x86_inmate_in_our_cell(x86_build, name):
    relpath, cell, text, more = X86_CASES[name]
    r = run_x86_image(x86_build, relpath, cell, text)
    for line in more:
        assert line in r.output, r
    # upstream's test library says FAILED for a failing check
    assert "FAILED" not in r.output, r
    assert "Access violation" not in r.output, r


# Upstream's x86 inmate library drives the local APIC through the x2APIC
# MSRs only: these run where the CPU has x2APIC, Bochs's Intel model (the
# root program moves itself, and so the cells' CPUs, to x2APIC mode as
# Linux does there).  (image, our cell, the line to wait for, what else
# it prints, the root's shutdown requests until the cell was destroyed)
BOCHS_X86_CASES = {
    # locks the configuration and denies the first shutdown request
    "apic-demo": ("demos/x86/apic-demo.bin", "apic-demo",
                  "Timer fired, jitter:",
                  ["Calibrated APIC frequency:",
                   "Rejecting first shutdown request - try again!",
                   "Stopped APIC demo"], 2),
    "smp-demo": ("demos/x86/smp-demo.bin", "smp-demo", "Hello from CPU 3!",
                 ["SMP demo, primary CPU: 1", "Found 2 other CPU(s)",
                  "Hello from CPU 2!", "ROOT: image ran on 3 CPUs"], 1),
    # takes GSI 9 (the root routes Bochs's SCI there) and the PM1 ports
    "ioapic-demo": ("demos/x86/ioapic-demo.bin", "ioapic-demo",
                    "ACPI IRQ received, status:",
                    ["Note: ACPI IRQs are broken for Linux now."], 1),
}


@pytest.mark.qemu
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BOCHS_X86_CASES))
def test_upstream_x2apic_inmate_in_our_cell_on_bochs_intel(x86_build, name):
    relpath, cell, text, more, requests = BOCHS_X86_CASES[name]
    r = run_x86_image(x86_build, relpath, cell, text,
                      machine="x86-bochs-skylake")
    assert "ROOT: root and cells in x2APIC mode" in r.output, r
    for line in more:
        assert line in r.output, r
    if name == "smp-demo":
        assert r.output.count("Received IPI on 1") == 2, r
    assert "ROOT: image cell destroyed after %d shutdown requests" % \
        requests in r.output, r
    assert "FAILED" not in r.output and "FATAL" not in r.output, r
    assert "Access violation" not in r.output, r


@pytest.fixture(scope="module")
def arm_build(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm")


# ARMv7: (upstream image, command line, the line that ends the run, what
# else it prints); the cell is the root program's make_cell() one (CPU 2,
# 1 MiB of RAM, the PL011 shared with the root, comm region at 0x80000000)
ARM_CASES = {
    "gic-demo": ("demos/arm/gic-demo.bin", "", "Timer fired, jitter:",
                 ["Initializing the GIC...", "Initializing the timer..."]),
    "uart-demo": ("demos/arm/uart-demo.bin", "", "Hello 3 from cell!",
                  ["Hello 1 from cell!", "Hello 2 from cell!"]),
}
ARM_IMAGE_ADDR = 0x4f000000     # IMAGE_ADDR of tests/baremetal/arm/


@pytest.mark.qemu
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ARM_CASES))
def test_upstream_armv7_inmate_in_our_cell(arm_build, tmp_path, name):
    relpath, cmdline, last, more = ARM_CASES[name]
    image = upstream_image("arm", relpath)
    r = hvroot.boot(arm_build, "image", "%d %s" % (os.path.getsize(image),
                                                   cmdline),
                    machine=rig.require(machines.get("arm")),
                    directory=tmp_path, timeout=TIMEOUT, until=[last],
                    loaders=[(image, ARM_IMAGE_ADDR)])
    assert "ROOT: FAIL" not in r.output, r
    assert r.run.marker == last, r
    assert 'Started cell "image"' in r.output, r
    for line in more:
        assert line in r.output, r
    assert "FATAL" not in r.output, r


@pytest.mark.qemu
@pytest.mark.slow
def test_upstream_x86_start_releases_every_cell_cpu(x86_build):
    """Upstream's x86 inmates expect every CPU of a cell to start at
    cpu_reset_address (the first to arrive runs the program, the others
    count themselves and halt until INIT/SIPI): upstream's tiny-demo in our
    3-CPU smp-demo cell runs its start code on all three."""
    r = run_x86_image(x86_build, "demos/x86/tiny-demo.bin", "smp-demo",
                      "PM Timer:")
    assert "ROOT: image ran on 3 CPUs" in r.output, r
    assert r.output.count("Hello from this tiny cell!") == 1, r


@pytest.fixture(scope="module")
def arm64_build(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm64")


IVSHMEM_IMAGE_ADDR = 0x4f000000  # IMAGE_ADDR of arm-common/ivshmem-root.c


@pytest.mark.qemu
@pytest.mark.slow
@pytest.mark.parametrize("arch", ["arm64", "arm"])
def test_upstream_ivshmem_demo_with_the_root_as_peer(request, tmp_path, arch):
    """Upstream's ivshmem-demo in our ivshmem-demo cell (configs/<arch>/
    qemu-<arch>-ivshmem-demo.c, 3 peers as upstream's) on the virtual PCI
    host, the bare-metal root as peer 0 (scenario ivshmem-image): the demo
    finds the function through ECAM, announces state 2 and rings the root
    through INTx; the root's doorbell reaches the demo, which counts it in
    the read/write section and writes ten times that to its output."""
    build_dir = request.getfixturevalue(
        "arm64_build" if arch == "arm64" else "arm_build")
    image = upstream_image(arch, "demos/%s/ivshmem-demo.bin" % arch)
    r = hvroot.boot(build_dir, "ivshmem-image",
                    "%d target=0" % os.path.getsize(image),
                    machine=rig.require(machines.get(arch)),
                    directory=tmp_path, timeout=TIMEOUT,
                    loaders=[(image, IVSHMEM_IMAGE_ADDR)])
    r.check("IVSHMEM: Found device at 00:00.0", "IVSHMEM: ID is 1",
            "IVSHMEM: max. peers is 3", "IVSHMEM: initialized device",
            "IVSHMEM: got interrupt 0 (#1)",
            "ROOT: the image rang the root 1, state 2; the root's doorbell "
            "counted 1, output 10")
    assert "FATAL" not in r.output, r
