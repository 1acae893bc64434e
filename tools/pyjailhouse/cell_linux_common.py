# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: what the arch modules of `jailhouse cell linux` return (boot plan, images, errors)
"""The contract between `jailhouse cell linux` (pyjailhouse.cell_linux) and
its arch modules (cell_linux_x86, cell_linux_arm): each provides

    plan(config, kernel, initrd=None, cmdline=None, dtb=None,
         decomp_factor=None, arch=...) -> BootPlan

config is a pyjailhouse.config_parser.CellConfig, kernel/initrd/dtb are the
files' bytes, cmdline a str.  plan() is pure (no files, no device, no
output) and raises CellLinuxError with a one-line message on bad input.
"""

from .config_parser import JAILHOUSE_MEM


class CellLinuxError(Exception):
    """Bad input for `cell linux`; str() is the one-line message."""


class Image:
    """One image to copy into the cell.

    role: 'kernel', 'initrd', 'dtb' or 'params'.  string: the image is a
    NUL-terminated string the printed `cell load` command passes with -s.
    """

    def __init__(self, role, data, address, string=False):
        if string and not bytes(data).endswith(b'\0'):
            raise ValueError('string image without its NUL')
        self.role = role
        self.data = bytes(data)
        self.address = address
        self.string = string

    def __repr__(self):
        return 'Image(%s, %d bytes at %#x%s)' % (
            self.role, len(self.data), self.address,
            ', string' if self.string else '')


class BootPlan:
    """Where the loader and each image go.

    loader_address: cell address of linux-loader.bin.  images: Image list in
    load order, the loader excluded.  written: the role of the image that
    -w PARAMS_FILE receives.  kernel_unzipped: the kernel image is the
    decompressed KERNEL file (-w then names it KERNEL-unzipped)."""

    def __init__(self, loader_address, images, written,
                 kernel_unzipped=False):
        self.loader_address = loader_address
        self.images = list(images)
        self.written = written
        self.kernel_unzipped = kernel_unzipped
        if written not in [image.role for image in self.images]:
            raise ValueError('no %s image to write' % written)

    def image(self, role):
        """The image of this role, or None."""
        for image in self.images:
            if image.role == role:
                return image
        return None


def page_align(value, alignment=0x1000):
    """value rounded up to a multiple of alignment (a power of two)."""
    return (value + alignment - 1) & ~(alignment - 1)


def ram_regions(config):
    """The cell's RAM regions (readable, writable, executable, DMA-able,
    neither I/O nor shared nor comm region, as upstream counts RAM)."""
    return [region for region in config.memory_regions if region.is_ram()]


def loadable(region):
    """Whether `jailhouse cell load` may write into the region."""
    return bool(region.flags & JAILHOUSE_MEM.LOADABLE)


def check_fits(config, what, address, size):
    """CellLinuxError unless [address, address+size) lies inside one
    loadable region of the cell (what `cell load` needs)."""
    for region in config.memory_regions:
        if loadable(region) and region.virt_start <= address and \
                address + size <= region.virt_start + region.size:
            return
    raise CellLinuxError('%s (%#x bytes at %#x) does not fit in a loadable '
                         'region of cell "%s"' % (what, size, address,
                                                  config.name))
