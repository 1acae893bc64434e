# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: x86 part of `jailhouse cell linux` (bzImage placement, zero page, Jailhouse setup_data)
"""Boot parameters of an x86 Linux kernel in a cell, as Linux's x86 boot
protocol (Documentation/arch/x86/boot.rst, zero-page.rst) and the
linux-loader inmate (inmates/tools/x86/linux-loader.c) want them, laid
out as upstream Jailhouse's tool lays them out, so that either tool works
with either loader:

  0x0000  linux-loader.bin, which keeps 0x1000-0x3fff free
  0x1000  the zero page: the kernel's setup header, filled in, and an
          e820 memory map of the cell's RAM (type 1) and comm region
          (type 2, reserved)
  0x2000  setup_data of type 6 (SETUP_JAILHOUSE, version 2): the standard
          IOAPIC flag and the platform UARTs the cell has; the loader adds
          what the running cell knows (PM timer, MMCONFIG, clock rates,
          the CPUs' APIC IDs)
  behind  the kernel command line, NUL-terminated

The whole bzImage goes where its protected-mode part starts at the kernel's
preferred address (setup header pref_address); the zero page's
kernel_alignment field tells the loader that address.  An initrd goes
behind the kernel's decompression room: the image's size times a factor
(-k, else from the payload's compression, as upstream guesses it), or
behind the room the kernel itself asks for (init_size) if that is more.
Whatever does not fit in the cell's loadable RAM is refused with a one-line
CellLinuxError.
"""

import struct

from .cell_linux_common import (BootPlan, CellLinuxError, Image, check_fits,
                                page_align)

LOADER_ADDRESS = 0
PARAMS_ADDRESS = 0x1000
# linux-loader.bin's own memory (image, page tables, stack): the kernel and
# the initrd stay above it.
LOADER_FOOTPRINT = 0x20000
# The loader leaves 0x1000-0x3fff to the parameters.
PARAMS_ROOM = 0x3000
ZERO_PAGE_SIZE = 0x1000

# Zero page (struct boot_params) and setup header offsets.
E820_COUNT = 0x1e8
HEADER_COPY_START = 0x1f0       # upstream copies from here
SETUP_SECTS = 0x1f1
BOOT_FLAG = 0x1fe
JUMP = 0x200
HEADER_MAGIC = 0x202
VERSION = 0x206
TYPE_OF_LOADER = 0x210
LOADFLAGS = 0x211
RAMDISK_IMAGE = 0x218
RAMDISK_SIZE = 0x21c
CMD_LINE_PTR = 0x228
INITRD_ADDR_MAX = 0x22c
KERNEL_ALIGNMENT = 0x230
XLOADFLAGS = 0x236
CMDLINE_SIZE = 0x238
PAYLOAD_OFFSET = 0x248
SETUP_DATA = 0x250
PREF_ADDRESS = 0x258
INIT_SIZE = 0x260
HEADER_NEEDED_END = 0x264       # through init_size
E820_TABLE = 0x2d0
E820_MAX = 128

BOOT_FLAG_VALUE = 0xaa55
HDRS = b'HdrS'
# 2.12: xloadflags, whose XLF_KERNEL_64 says the 64-bit entry (+0x200) is
# there; pref_address, init_size and setup_data are older.
MIN_VERSION = 0x020c
LOADED_HIGH = 0x01
XLF_KERNEL_64 = 0x0001
UNDEFINED_LOADER = 0xff

E820_RAM = 1
E820_RESERVED = 2

SETUP_TYPE_JAILHOUSE = 6
SETUP_VERSION = 2
SETUP_COMPAT_VERSION = 1
MAX_CPUS = 255
# Linux's struct jailhouse_setup_data behind the generic setup_data header:
# version, compatible version, PM timer port, CPU count, MMCONFIG base, TSC
# and APIC kHz (filled in by the loader), standard IOAPIC, APIC IDs (the
# loader), platform UART flags (version 2).
SETUP_HEADER_FORMAT = '<QII'
SETUP_BODY_FORMAT = '<HHHHQIIB%dsI' % MAX_CPUS
# Flag bit n: the cell has platform UART n (its 8 ports).
PLATFORM_UARTS = (0x3f8, 0x2f8, 0x3e8, 0x2e8)

# Decompression room per payload format, as upstream's tool estimates it.
DECOMP_FACTORS = (
    (b'\x1f\x8b', 'gzip', 7), (b'\x1f\x9e', 'gzip', 7),
    (b'BZ', 'bzip2', 4), (b'\x5d\x00', 'lzma', 8), (b'\xfd\x37', 'xz', 9),
    (b'\x02\x21', 'lz4', 6), (b'\x89\x4c', 'lzo', 6),
    (b'\x7fELF', 'uncompressed', 9))
DEFAULT_DECOMP_FACTOR = 9


class SetupHeader:
    """The setup header of a bzImage: the fields the placement needs and
    the bytes copied into the zero page."""

    def __init__(self, kernel):
        if len(kernel) < HEADER_NEEDED_END or \
                _u16(kernel, BOOT_FLAG) != BOOT_FLAG_VALUE or \
                kernel[HEADER_MAGIC:HEADER_MAGIC + 4] != HDRS:
            raise CellLinuxError('kernel is not an x86 bzImage (no boot '
                                 'sector signature and "HdrS" setup header)')
        self.version = _u16(kernel, VERSION)
        if self.version < MIN_VERSION:
            raise CellLinuxError(
                'kernel speaks boot protocol %d.%02d, at least %d.%02d '
                '(Linux 3.8) is needed for its 64-bit entry'
                % (self.version >> 8, self.version & 0xff,
                   MIN_VERSION >> 8, MIN_VERSION & 0xff))
        if not kernel[LOADFLAGS] & LOADED_HIGH:
            raise CellLinuxError('kernel is a zImage, not a bzImage (it '
                                 'does not load high)')
        if not _u16(kernel, XLOADFLAGS) & XLF_KERNEL_64:
            raise CellLinuxError('kernel has no 64-bit entry '
                                 '(XLF_KERNEL_64 not set: a 32-bit kernel?)')
        # The header ends where its leading jump lands.
        self.end = JUMP + 2 + kernel[JUMP + 1]
        if self.end < HEADER_NEEDED_END:
            raise CellLinuxError('kernel setup header ends at %#x, before '
                                 'its init_size field' % self.end)
        # 0 sectors means 4, a relic of the oldest kernels.
        self.setup_size = ((kernel[SETUP_SECTS] or 4) + 1) * 512
        if self.setup_size >= len(kernel):
            raise CellLinuxError('kernel is cut short: %d bytes, its setup '
                                 'part alone has %d' % (len(kernel),
                                                        self.setup_size))
        self.pref_address = _u64(kernel, PREF_ADDRESS)
        self.init_size = _u32(kernel, INIT_SIZE)
        self.cmdline_size = _u32(kernel, CMDLINE_SIZE)
        self.initrd_addr_max = _u32(kernel, INITRD_ADDR_MAX)
        self.payload_offset = _u32(kernel, PAYLOAD_OFFSET)
        self.data = bytearray(kernel[HEADER_COPY_START:self.end])

    def put(self, fmt, offset, value):
        struct.pack_into('<' + fmt, self.data, offset - HEADER_COPY_START,
                         value)


def _u16(data, offset):
    return struct.unpack_from('<H', data, offset)[0]


def _u32(data, offset):
    return struct.unpack_from('<I', data, offset)[0]


def _u64(data, offset):
    return struct.unpack_from('<Q', data, offset)[0]


def compression(kernel, header):
    """(name, upstream's decompression factor) of the kernel's payload."""
    start = header.setup_size + header.payload_offset
    magic = bytes(kernel[start:start + 4])
    for prefix, name, factor in DECOMP_FACTORS:
        if magic.startswith(prefix):
            return name, factor
    return 'unknown', DEFAULT_DECOMP_FACTOR


def e820_map(config):
    """(address, size, type) of the memory map: the cell's RAM and its
    comm region, in the configuration's order."""
    entries = [(region.virt_start, region.size,
                E820_RAM if region.is_ram() else E820_RESERVED)
               for region in config.memory_regions
               if region.is_ram() or region.is_comm_region()]
    if len(entries) > E820_MAX:
        raise CellLinuxError('cell "%s" has %d RAM and comm regions, the '
                             'zero page holds %d' % (config.name,
                                                     len(entries), E820_MAX))
    return entries


def setup_data(config):
    """The Jailhouse setup_data the tool knows: the standard IOAPIC and
    platform UART flags (the loader fills in the rest)."""
    standard_ioapic = int(any(chip.is_standard() for chip in config.irqchips))
    flags = 0
    for pio in config.pio_regions:
        if pio.base in PLATFORM_UARTS and pio.length == 8:
            flags |= 1 << PLATFORM_UARTS.index(pio.base)
    body = struct.pack(SETUP_BODY_FORMAT, SETUP_VERSION,
                       SETUP_COMPAT_VERSION, 0, 0, 0, 0, 0, standard_ioapic,
                       bytes(MAX_CPUS), flags)
    return struct.pack(SETUP_HEADER_FORMAT, 0, SETUP_TYPE_JAILHOUSE,
                       len(body)) + body


def zero_page(header, e820):
    page = bytearray(ZERO_PAGE_SIZE)
    page[E820_COUNT] = len(e820)
    page[HEADER_COPY_START:header.end] = header.data
    for n, entry in enumerate(e820):
        struct.pack_into('<QQI', page, E820_TABLE + 20 * n, *entry)
    return bytes(page)


def _initrd_address(config, kernel, header, load, kernel_end, initrd,
                    decomp_factor):
    factor = compression(kernel, header)[1]
    if decomp_factor is not None:
        if decomp_factor < 1:
            raise CellLinuxError('kernel decompression factor must be at '
                                 'least 1, not %d' % decomp_factor)
        factor = decomp_factor
    # Upstream's place, unless the kernel's own figure for its room
    # (init_size) reaches further.
    address = page_align(max(load + factor * len(kernel), kernel_end))
    if address + len(initrd) - 1 > header.initrd_addr_max:
        raise CellLinuxError('initrd at %#x-%#x lies above the kernel\'s '
                             'limit %#x' % (address, address + len(initrd) - 1,
                                            header.initrd_addr_max))
    check_fits(config, 'initrd behind the kernel\'s decompression room '
               '(%d times its size, -k)' % factor, address, len(initrd))
    return address


def plan(config, kernel, initrd=None, cmdline=None, dtb=None,
         decomp_factor=None, arch='x86'):
    """The BootPlan of `jailhouse cell linux` for an x86 cell (see
    cell_linux_common); dtb is not used on x86."""
    if config.cpu_reset_address != 0:
        raise CellLinuxError('cell "%s": x86 Linux cells need '
                             'cpu_reset_address 0, not %#x'
                             % (config.name, config.cpu_reset_address))
    header = SetupHeader(kernel)
    load = header.pref_address - header.setup_size
    if header.pref_address < header.setup_size or load < LOADER_FOOTPRINT:
        raise CellLinuxError('kernel prefers %#x: its setup part would '
                             'overwrite linux-loader below %#x'
                             % (header.pref_address, LOADER_FOOTPRINT))
    # From the load address: the image, and the room the kernel says it
    # needs from its start while it decompresses and sets itself up.
    kernel_end = max(load + len(kernel),
                     header.pref_address + header.init_size)
    check_fits(config, 'kernel with its initialization room', load,
               kernel_end - load)

    cmdline_bytes = (cmdline or '').encode()
    if b'\0' in cmdline_bytes:
        raise CellLinuxError('kernel command line contains a NUL character')
    if header.cmdline_size and len(cmdline_bytes) > header.cmdline_size:
        raise CellLinuxError('kernel command line has %d bytes, the kernel '
                             'takes at most %d' % (len(cmdline_bytes),
                                                   header.cmdline_size))

    # The loader finds the kernel's start in kernel_alignment; written as
    # upstream's tool does, 8 bytes wide (the 3 fields behind it read 0).
    header.put('Q', KERNEL_ALIGNMENT, header.pref_address)
    header.put('B', TYPE_OF_LOADER, UNDEFINED_LOADER)
    initrd_address = 0
    if initrd is not None:
        initrd_address = _initrd_address(config, kernel, header, load,
                                         kernel_end, initrd, decomp_factor)
    header.put('I', RAMDISK_IMAGE, initrd_address)
    header.put('I', RAMDISK_SIZE, len(initrd) if initrd is not None else 0)

    jailhouse_data = setup_data(config)
    setup_address = PARAMS_ADDRESS + ZERO_PAGE_SIZE
    header.put('Q', SETUP_DATA, setup_address)
    header.put('I', CMD_LINE_PTR, setup_address + len(jailhouse_data))
    params = zero_page(header, e820_map(config)) + jailhouse_data + \
        cmdline_bytes + b'\0'
    if len(params) > PARAMS_ROOM:
        raise CellLinuxError('boot parameters take %d bytes, linux-loader '
                             'leaves room for %d (shorten the command line)'
                             % (len(params), PARAMS_ROOM))

    images = [Image('kernel', kernel, load)]
    if initrd is not None:
        images.append(Image('initrd', initrd, initrd_address))
    images.append(Image('params', params, PARAMS_ADDRESS))
    return BootPlan(LOADER_ADDRESS, images, 'params')
