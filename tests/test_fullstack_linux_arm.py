# SPDX-License-Identifier: GPL-2.0-only
# Full stack on ARMv7: Debian's armmp-lpae kernel as root boots the same zImage in a non-root cell with `jailhouse cell linux`.

"""qemu-arm.cell as root (QEMU virt, Cortex-A15, GICv2), Debian's
armmp-lpae zImage in qemu-arm-linux-demo (CPUs 2-3, 128 MiB) with
inmate-qemu-arm.dtb: PSCI CPU_ON for its second CPU, the GICv2 virtual CPU
interface, the virtual timer, the shared PL011 with its SPI, the virtual
PCI host with two ivshmem devices.  The scenario and its checks are
fullstack/linux_cell.py's."""

import pytest

from fullstack import linux_cell
from fullstack.fixtures import arm_build, arm_guest, debian_arm  # noqa: F401

pytestmark = [pytest.mark.qemu, pytest.mark.slow]


def test_linux_boots_in_an_armv7_cell(arm_guest):
    arch = linux_cell.ARCHES["arm"]
    print(linux_cell.check(linux_cell.boot(arm_guest, arch), arch))
