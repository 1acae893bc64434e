# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: shared helpers of the ABI, config format and config check tests
"""Paths, toolchains and cached builds of the shipped configurations."""

import functools
import glob
import os
import shutil
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = os.path.join(REPO, 'include')
TOOLS = os.path.join(REPO, 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

# Target compilers per architecture (the host gcc builds x86).
COMPILERS = {
    'x86': 'gcc',
    'arm': 'arm-linux-gnueabihf-gcc',
    'arm64': 'aarch64-linux-gnu-gcc',
}

# Shipped configurations meant to run together, per architecture:
# (system config, [cell configs]) -- every shipped file appears at least once.
CONFIG_GROUPS = {
    'arm64': [('qemu-arm64', ['qemu-arm64-gic-demo', 'qemu-arm64-uart-demo',
                              'qemu-arm64-ivshmem-demo']),
              # lock-demo takes uart-demo's CPU 2
              ('qemu-arm64', ['qemu-arm64-gic-demo', 'qemu-arm64-lock-demo',
                              'qemu-arm64-ivshmem-demo']),
              # the same cells on the GICv2 machine
              ('qemu-arm64-gicv2', ['qemu-arm64-gic-demo',
                                    'qemu-arm64-uart-demo',
                                    'qemu-arm64-ivshmem-demo'])],
    'arm': [('qemu-arm', ['qemu-arm-gic-demo', 'qemu-arm-uart-demo',
                          'qemu-arm-ivshmem-demo'])],
    'x86': [('qemu-x86', ['apic-demo', 'tiny-demo', 'ivshmem-demo']),
            ('qemu-x86', ['apic-demo', 'tiny-demo', 'pci-demo'])],
}


def have(compiler):
    return shutil.which(compiler) is not None


def config_sources(arch):
    return sorted(glob.glob(os.path.join(REPO, 'configs', arch, '*.c')))


@functools.lru_cache(maxsize=None)
def _build_dir():
    return tempfile.mkdtemp(prefix='jh-test-cells-')


@functools.lru_cache(maxsize=None)
def shipped_cells(arch):
    """{name: path of the .cell} for every shipped config of arch, built
    once per test session with the target compiler into a temp dir."""
    from pyjailhouse import cellblob
    out_dir = os.path.join(_build_dir(), arch)
    os.makedirs(out_dir, exist_ok=True)
    result = {}
    for src in config_sources(arch):
        name = os.path.basename(src)[:-2]
        path = os.path.join(out_dir, name + '.cell')
        cellblob.build_cell(COMPILERS[arch], src, [INCLUDE], arch, path)
        result[name] = path
    return result


def read(path):
    with open(path, 'rb') as fileobj:
        return fileobj.read()
