# SPDX-License-Identifier: GPL-2.0-only
# Full stack on ARM64: Debian's stock kernel as root boots the same kernel in a non-root cell with `jailhouse cell linux`.

"""qemu-arm64.cell as root, Debian's arm64 Image in qemu-arm64-linux-demo
(CPUs 2-3, 128 MiB) with inmate-qemu-arm64.dtb; the scenario and its checks
are fullstack/linux_cell.py's."""

import pytest

from fullstack import linux_cell
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

pytestmark = [pytest.mark.qemu, pytest.mark.slow]


def test_linux_boots_in_a_cell(guest):
    arch = linux_cell.ARCHES["arm64"]
    print(linux_cell.check(linux_cell.boot(guest, arch), arch))
