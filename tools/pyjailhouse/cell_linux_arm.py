# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse cell linux` on ARMv7 and ARM64 (image placement, device tree amendment)
"""Where linux-loader, the kernel, initrd and device tree go in an ARM or
ARM64 cell, and the device tree the kernel gets (plan(), the contract of
cell_linux_common).  Layout, as upstream's tool makes it:

    cpu_reset_address            linux-loader.bin
    cpu_reset_address + 0x1000   "kernel=0x... dtb=0x..." (loader parameters)
    first RAM region big enough: device tree (+ one page to grow), then the
        kernel at the next KERNEL_ALIGN boundary + text_offset, then
        (factor + 1) * kernel size later the initrd (ARMv7: further up if
        the zImage's size table says its decompression writes beyond).

The device tree gets /memory (the cell's RAM regions but a small one at 0
that holds the loader), /chosen bootargs and linux,initrd-start/-end.
"""

import gzip
import struct
import zlib

from .cell_linux_common import BootPlan, CellLinuxError, Image, \
    check_fits, loadable, page_align, ram_regions
from .fdt import Fdt, FdtError

PARAMS_OFFSET = 0x1000      # loader parameters: the inmate's command line
LOADER_WINDOW = 0x10000     # room kept for the loader, its stack and data
SMALL_LOADER_REGION = 0x10000


class ArmKernel:
    """ARMv7 zImage: position independent, decompresses itself."""
    arch = 'arm'
    alignment = 0x1000
    default_factor = 4
    ZIMAGE_MAGIC_OFFSET, ZIMAGE_MAGIC = 0x24, 0x016f2818
    # Words 0x34 and 0x38 of the header: this magic, then the offset of
    # the decompressor's size table (Linux 4.x and later).
    TABLE_MAGIC_OFFSET, TABLE_MAGIC = 0x34, 0x45454545
    TABLE_TAG = 0x5a534c4b          # "KLSZ"
    TEXT_OFFSET = 0x8000            # where tables without it put the kernel
    # The decompressor's stack and rounding when it moves itself.
    SLACK = 0x100000

    def __init__(self, data):
        self.unzipped = False
        if len(data) < 0x30 or struct.unpack_from(
                '<I', data, self.ZIMAGE_MAGIC_OFFSET)[0] != self.ZIMAGE_MAGIC:
            raise CellLinuxError('KERNEL is not an ARM zImage (no magic '
                                 '0x016f2818 at offset 0x24)')
        self.data = data
        self.text_offset = 0
        self.footprint = page_align(max(len(data), self._writes_up_to(data)))

    @classmethod
    def _writes_up_to(cls, data):
        """How far past the start of its RAM the zImage writes, 0 if it
        does not say.  The decompressor puts the kernel at TEXT_OFFSET above
        the 128 MiB boundary below itself and, if that would overwrite it,
        first moves itself above the kernel's end (its BSS included): the
        initrd must start above that copy.  Counted from the boundary, this
        is more than the room it needs above the zImage's own address."""
        words = struct.unpack_from('<3I', data, cls.TABLE_MAGIC_OFFSET) \
            if len(data) >= 0x40 else (0, 0, 0)
        magic, table = words[0], words[1]
        if magic != cls.TABLE_MAGIC or table + 16 > len(data):
            return 0
        count, tag, size_at, bss = struct.unpack_from('<4I', data, table)
        if tag != cls.TABLE_TAG or size_at + 4 > len(data):
            return 0
        text_offset, malloc = cls.TEXT_OFFSET, 0x10000
        if count >= 6 and table + 24 <= len(data):
            text_offset, malloc = struct.unpack_from('<2I', data, table + 16)
        (inflated,) = struct.unpack_from('<I', data, size_at)
        return text_offset + inflated + bss + len(data) + malloc + cls.SLACK


class Arm64Kernel:
    """ARM64 Image (Documentation/arch/arm64/booting.rst), or Image.gz,
    which the tool decompresses (the kernel cannot)."""
    arch = 'arm64'
    alignment = 0x200000
    default_factor = 1
    MAGIC_OFFSET, MAGIC = 56, b'ARM\x64'

    def __init__(self, data):
        self.unzipped = data[:2] == b'\x1f\x8b'
        if self.unzipped:
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as err:
                raise CellLinuxError('KERNEL is gzip-compressed but does not '
                                     'decompress: %s' % err) from None
        if len(data) < 64 or \
                data[self.MAGIC_OFFSET:self.MAGIC_OFFSET + 4] != self.MAGIC:
            raise CellLinuxError('KERNEL is not an arm64 Image (no "ARM\\x64" '
                                 'magic at offset 56)')
        self.data = data
        self.text_offset, image_size = struct.unpack_from('<QQ', data, 8)
        # image_size (0 before Linux 3.17) includes the BSS.
        self.footprint = page_align(max(len(data), image_size))


KERNELS = {'arm': ArmKernel, 'arm64': Arm64Kernel}


def _pack(value, cells):
    if value >> (32 * cells):
        raise CellLinuxError('%#x does not fit in %d device tree cells'
                             % (value, cells))
    return b''.join(struct.pack('>I', (value >> (32 * n)) & 0xffffffff)
                    for n in reversed(range(cells)))


def memory_reg(config):
    """(virt_start, size) of the RAM the kernel gets: the cell's RAM
    regions but a small one at address 0 (the loader's)."""
    return [(r.virt_start, r.size) for r in ram_regions(config)
            if r.virt_start or r.size > SMALL_LOADER_REGION]


def amend_dtb(dtb, config, cmdline, initrd_range):
    """The cell's device tree with its memory, command line and initrd."""
    try:
        tree = Fdt.parse(dtb)
        address_cells, size_cells = tree.cells('/')
    except FdtError as err:
        raise CellLinuxError('DTB: %s' % err) from None
    for node in list(tree.root.children):
        if node.name.startswith('memory@') and \
                node.props.get('device_type') == b'memory\0':
            tree.root.children.remove(node)     # /memory says it all
    reg = b''.join(_pack(start, address_cells) + _pack(size, size_cells)
                   for start, size in memory_reg(config))
    if not reg:
        raise CellLinuxError('cell "%s" has no RAM region for the kernel'
                             % config.name)
    tree.set('/memory', 'device_type', b'memory\0')
    tree.set('/memory', 'reg', reg)
    if cmdline is not None:
        tree.set('/chosen', 'bootargs', cmdline.encode() + b'\0')
    if initrd_range:
        start, end = initrd_range
        tree.set('/chosen', 'linux,initrd-start', _pack(start, address_cells))
        tree.set('/chosen', 'linux,initrd-end', _pack(end, address_cells))
    return tree.to_bytes()


def _loader_overlaps(region, reset):
    return region.virt_start < reset + LOADER_WINDOW and \
        reset < region.virt_start + region.size


def place(config, kernel, initrd_size, dtb_size, factor):
    """(dtb, kernel, initrd) addresses in the first RAM region that holds
    them all."""
    dtb_room = page_align(dtb_size) + 0x1000    # room to grow when amended
    kernel_room = kernel.footprint
    if initrd_size:
        kernel_room = max(kernel_room,
                          page_align(len(kernel.data)) * (factor + 1))
    need = dtb_room + kernel.alignment + kernel.text_offset + kernel_room + \
        page_align(initrd_size)
    reset = config.cpu_reset_address
    for region in filter(loadable, ram_regions(config)):
        start = region.virt_start
        if _loader_overlaps(region, reset):
            start = max(start, reset + LOADER_WINDOW)
        dtb_addr = start
        kernel_addr = page_align(dtb_addr + dtb_room, kernel.alignment) + \
            kernel.text_offset
        initrd_addr = kernel_addr + kernel_room
        if initrd_addr + initrd_size <= region.virt_start + region.size:
            return dtb_addr, kernel_addr, initrd_addr
    largest = max([r.size for r in ram_regions(config)] or [0])
    raise CellLinuxError('kernel, initrd and device tree need %#x bytes of '
                         'RAM in one region, the largest RAM region of cell '
                         '"%s" has %#x' % (need, config.name, largest))


def plan(config, kernel, initrd=None, cmdline=None, dtb=None,
         decomp_factor=None, arch='arm64'):
    if arch not in KERNELS:
        raise CellLinuxError('cell_linux_arm does not boot %s' % arch)
    if dtb is None:
        raise CellLinuxError('%s needs a device tree: -d DTB' % arch)
    image = KERNELS[arch](kernel)
    factor = decomp_factor or image.default_factor
    initrd_size = len(initrd) if initrd is not None else 0
    dtb_addr, kernel_addr, initrd_addr = place(
        config, image, initrd_size, len(dtb), factor)
    initrd_range = (initrd_addr, initrd_addr + initrd_size) \
        if initrd is not None else None
    amended = amend_dtb(dtb, config, cmdline, initrd_range)
    if len(amended) > page_align(len(dtb)) + 0x1000:
        raise CellLinuxError('the amended device tree grew by more than a '
                             'page (command line too long?)')
    reset = config.cpu_reset_address
    params = ('kernel=%#x dtb=%#x' % (kernel_addr, dtb_addr)).encode() + b'\0'
    images = [Image('params', params, reset + PARAMS_OFFSET, string=True),
              Image('kernel', image.data, kernel_addr)]
    if initrd is not None:
        images.append(Image('initrd', initrd, initrd_addr))
    images.append(Image('dtb', amended, dtb_addr))
    for item in images:
        check_fits(config, item.role, item.address, len(item.data))
    return BootPlan(reset, images, 'dtb', kernel_unzipped=image.unzipped)
