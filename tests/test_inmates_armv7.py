# SPDX-License-Identifier: GPL-2.0-only
# The ARM inmate library and demos on ARMv7 without the hypervisor: the
# bare/ images boot in QEMU virt (cortex-a15) in SVC mode, as an inmate
# starts in a cell (see tests/inmate_images.py).

import re

import pytest

from inmate_images import arm_bare, boot_arm, check_arm_layout, \
    check_summary, with_cmdline

LIB_TESTS = ["test-lib", "test-cmdline", "test-smp", "test-comm-region"]
TICK = re.compile(r"Timer fired, jitter: +(\d+) ns")


def image(inmates, kind, name):
    return arm_bare(inmates("arm"), kind, name)


def test_cmdline_section_at_image_offset_0x1000(inmates):
    check_arm_layout(inmates("arm"))


@pytest.mark.qemu
@pytest.mark.parametrize("gic", [2, 3])
@pytest.mark.parametrize("name", LIB_TESTS)
def test_library_armv7(inmates, name, gic):
    r = boot_arm("arm", image(inmates, "tests", name), gic)
    assert r.status == 0, r
    check_summary(r)
    if name == "test-lib":
        r.expect("GIC v%d, timer IRQ" % gic)


@pytest.mark.qemu
def test_gic_demo_armv7(inmates, tmp_path):
    elf = with_cmdline(image(inmates, "demos", "gic-demo"), "ticks=5 hz=50",
                       tmp_path)
    r = boot_arm("arm", elf, gic=2)
    assert r.status == 0, r
    assert len(TICK.findall(r.log)) == 5, r
