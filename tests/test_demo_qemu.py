# SPDX-License-Identifier: GPL-2.0-only
# The README's demo: the bare-metal hello boots at EL2 on QEMU virt (ARM64).

import os
import subprocess

import pytest

QEMU_ARM64 = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
              "-cpu", "cortex-a57", "-smp", "4", "-m", "1G", "-nographic",
              "-no-reboot"]


@pytest.mark.qemu
def test_bare_metal_hello_boots_at_el2(built):
    elf = os.path.join(built("arm64"), "testprogs/arm64/hello.elf")
    result = subprocess.run(QEMU_ARM64 + ["-kernel", elf], capture_output=True,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    log = "console log:\n" + result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Hello from bare-metal ARM64 at EL2" in result.stdout, log
