# SPDX-License-Identifier: GPL-2.0-only
# Hostile tests of the ARM hypervisors (ARM64 on GICv3 and GICv2, ARMv7 on
# GICv2): the "attacks" scenario the bare-metal root programs
# (tests/baremetal/{arm64,arm}/prog-jailhouse.c) share
# (tests/baremetal/arm-common/root-attacks.c) hands the hypervisor
# configurations and cells built to break isolation.  Each section prints
# "ROOT: <what>" only if every check in it held; a failed check prints
# "ROOT: FAIL ..." and the program exits non-zero.

import pytest

import hvroot
import machines
from conftest import build_hv

TIMEOUT = 240

ATTACKS = [
    "ROOT: physical addresses beyond the CPU's range refused",
    "ROOT: irqchip pin numbers checked without wrap-around",
    "ROOT: the GIC's block (GICv2m MSI frame) is no cell's",
    "ROOT: private interrupt priorities and configuration do not pass to "
    "the next cell",
    # byte/halfword/doubleword accesses to word registers of the
    # distributor (and GICv3 redistributors) stop the cell; allowed sizes
    # go on
    "ROOT: GIC accesses of sizes the architecture does not allow stop the "
    "cell",
    # STP/STRD, LDXR/LDREX and post-indexed LDR on GICD_IPRIORITYR0: the
    # abort syndrome does not describe them (ISV = 0), the cell is stopped
    "ROOT: pair, exclusive and writeback accesses to emulated registers "
    "stop the cell",
]


@pytest.fixture(scope="module")
def arm64_build(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm64")


@pytest.fixture(scope="module")
def arm_build(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm")


def attack(build_dir, machine, tmp_path):
    return hvroot.boot(build_dir, "attacks", machine=machines.get(machine),
                       directory=tmp_path, timeout=TIMEOUT)


@pytest.mark.qemu
@pytest.mark.parametrize("machine", ["arm64-virt-gicv3", "arm64-virt-gicv2"])
def test_arm64_attacks_refused(arm64_build, machine, tmp_path):
    attack(arm64_build, machine, tmp_path).check(*ATTACKS)


@pytest.mark.qemu
def test_armv7_attacks_refused(arm_build, tmp_path):
    attack(arm_build, "arm-virt-gicv2", tmp_path).check(*ATTACKS)
