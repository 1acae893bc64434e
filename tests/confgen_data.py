# SPDX-License-Identifier: GPL-2.0-only
# Recorded target trees for the config create and hardware check tests, and ways to spoil them

"""The recordings in tests/data/ (how each was made: tests/data/README.md):

    dt/qemu-virt-gicv2.dtb, dt/qemu-virt-gicv3.dtb   QEMU virt, dumpdtb
    arm64/qemu-virt-gicv3.tar.gz   `config collect` on the full-stack target
    x86/qemu-q35.tar.gz            the `config create -g` collector, q35
    x86/qemu-q35-iommu.tar.gz      `config collect`, q35 with amd-iommu (IVRS)

unpack(name, dest) gives a tree for -r; dtb_tree(name, dest, cmdline)
lays a .dtb out the way the kernel shows it in /proc/device-tree.
"""

import os
import tarfile

import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import devtree  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def data(*parts):
    return os.path.join(DATA, *parts)


def unpack(name, dest):
    with tarfile.open(data(name)) as tar:
        tar.extractall(str(dest))
    return str(dest)


def write_tree(node, directory):
    os.makedirs(directory, exist_ok=True)
    for prop, value in node.props.items():
        with open(os.path.join(directory, prop), 'wb') as fileobj:
            fileobj.write(value)
    for child in node.children:
        write_tree(child, os.path.join(directory, child.name))


def dtb_tree(name, dest, cmdline='console=ttyAMA0 mem=768M'):
    """A -r ROOT with /proc/device-tree from a .dtb and /proc/cmdline."""
    with open(data('dt', name), 'rb') as fileobj:
        tree = devtree.from_dtb(fileobj.read(), name)
    root = str(dest)
    write_tree(tree.root, os.path.join(root, 'proc', 'device-tree'))
    with open(os.path.join(root, 'proc', 'cmdline'), 'w') as fileobj:
        fileobj.write(cmdline + '\n')
    with open(os.path.join(root, 'proc', 'cpuinfo'), 'w') as fileobj:
        fileobj.write('processor\t: 0\nFeatures\t: fp asimd\n'
                      'CPU implementer\t: 0x41\n\nprocessor\t: 1\n')
    return root
