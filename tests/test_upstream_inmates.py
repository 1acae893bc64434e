# SPDX-License-Identifier: GPL-2.0-only
# Upstream Jailhouse's own inmates, built by upstream's Kbuild
# (tests/upstream_inmates.py), run in our cells by the bare-metal root.

"""x86: the root program's "image" scenario (tests/baremetal/x86/
prog-jailhouse.c) creates one of our cells, loads upstream's image (a
multiboot module, its command line after the file name) and waits for a
line of the image's output; the test then checks what upstream's inmate
printed and that its cell still ran.  Without upstream's inmates (no
network for the download, no Debian headers) the tests fail with the
reason: they are part of the compatibility contract."""

import pytest

import hvroot
import machines
import rig
import upstream_inmates
from conftest import run_scons

TIMEOUT = 120


def upstream_image(arch, relpath):
    try:
        return upstream_inmates.image(arch, relpath)
    except upstream_inmates.Unavailable as err:
        pytest.fail("upstream's inmates: %s" % err)


@pytest.fixture(scope="module")
def x86_build(tmp_path_factory):
    build_dir = str(tmp_path_factory.mktemp("hv-x86"))
    run_scons("ARCH=x86", "BUILD_DIR=" + build_dir, "hypervisor",
              "testprogs", "configs")
    return build_dir


def run_x86_image(build_dir, relpath, cell, text, cmdline=""):
    """Upstream's x86 image relpath in our cell until it prints text."""
    image = upstream_image("x86", relpath)
    machine = rig.require(machines.get("x86-q35"))
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
