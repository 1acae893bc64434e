# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock x86 kernel and an initramfs as one multiboot program that Bochs can boot (PVH entry).

"""Bochs has no -kernel: its runs boot multiboot programs (tests/bochs.py).
Linux's vmlinux carries a PVH entry point (Xen ELF note 18): 32-bit
protected mode, paging off, %ebx pointing at an hvm_start_info that names
the command line, the memory map and the initramfs.  program() writes one
ELF32 file that holds, at LOAD (above the floppy loader's reach, below the
kernel):

  LOAD + 0       a multiboot v1 header (a.out kludge: load the whole file
                 flat at LOAD, enter at LOAD + STUB)
  LOAD + STUB    mov $START_INFO, %ebx; mov $pvh_entry, %eax; jmp *%eax
  START_INFO     hvm_start_info (version 1), then the memory map, the
                 module list (the initramfs) and the command line
  vmlinux        its PT_LOAD segments at their physical addresses
  initramfs      at the next MiB boundary after the kernel's memory end

so tests/bochs.py loads it with optramimage and its boot sector enters it.
"""

import lzma
import struct

LOAD = 0x800000
STUB = 48
START_INFO, MEMMAP, MODULES, CMDLINE = (LOAD + 0x1000, LOAD + 0x1100,
                                        LOAD + 0x1200, LOAD + 0x1400)
CMDLINE_MAX = 0xc00
HVM_START_MAGIC = 0x336ec578
XEN_ELFNOTE_PHYS32_ENTRY = 18
MB_MAGIC, MB_AOUT_KLUDGE = 0x1BADB002, 1 << 16
E820_RAM, E820_RESERVED, E820_ACPI = 1, 2, 3
# Bochs's BIOS keeps its ACPI tables in the top 64 KiB of RAM.
ACPI_SIZE = 0x10000


class PvhError(Exception):
    """A kernel without a PVH entry, or one that does not fit."""


def vmlinux(vmlinuz):
    """The ELF image inside a bzImage (Debian's is xz-compressed)."""
    with open(vmlinuz, "rb") as f:
        data = f.read()
    start = data.find(b"\xfd7zXZ\x00")
    if start < 0:
        raise PvhError("%s: no xz-compressed kernel inside" % vmlinuz)
    elf = lzma.LZMADecompressor().decompress(data[start:])
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        raise PvhError("%s: the compressed kernel is no ELF64" % vmlinuz)
    return elf


def segments_and_entry(elf):
    """([(physical address, bytes, memory size)], PVH entry) of vmlinux."""
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    segments, entry = [], None
    for n in range(phnum):
        ptype, _flags, offset, _vaddr, paddr, filesz, memsz, _align = \
            struct.unpack_from("<IIQQQQQQ", elf, phoff + n * phentsize)
        if ptype == 1:
            segments.append((paddr, elf[offset:offset + filesz], memsz))
        elif ptype == 4:
            entry = _pvh_note(elf[offset:offset + filesz]) or entry
    if entry is None:
        raise PvhError("the kernel has no PVH entry note (CONFIG_PVH)")
    return segments, entry


def _pvh_note(notes):
    pos = 0
    while pos + 12 <= len(notes):
        namesz, descsz, ntype = struct.unpack_from("<III", notes, pos)
        desc = pos + 12 + ((namesz + 3) & ~3)
        if notes[pos + 12:pos + 12 + namesz].rstrip(b"\0") == b"Xen" and \
                ntype == XEN_ELFNOTE_PHYS32_ENTRY:
            return struct.unpack_from("<I", notes, desc)[0]
        pos = desc + ((descsz + 3) & ~3)
    return None


def memory_map(megs):
    """The e820 map of Bochs with megs MiB: low RAM, the BIOS areas, RAM
    from 1 MiB up to the BIOS's ACPI tables."""
    top = megs << 20
    return [(0, 0x9fc00, E820_RAM), (0x9fc00, 0x400, E820_RESERVED),
            (0xe8000, 0x18000, E820_RESERVED),
            (0x100000, top - ACPI_SIZE - 0x100000, E820_RAM),
            (top - ACPI_SIZE, ACPI_SIZE, E820_ACPI)]


def program(vmlinuz, initrd, cmdline, megs, path):
    """Write the multiboot program booting vmlinuz with the initramfs
    bytes initrd and cmdline on a machine with megs MiB to path."""
    segments, entry = segments_and_entry(vmlinux(vmlinuz))
    if min(p for p, _, _ in segments) < CMDLINE + CMDLINE_MAX:
        raise PvhError("the kernel loads below %#x" % (CMDLINE + CMDLINE_MAX))
    kernel_end = max(p + m for p, _, m in segments)
    initrd_at = (kernel_end + 0xfffff) & ~0xfffff
    end = initrd_at + len(initrd)
    if end > (megs << 20) // 2:
        raise PvhError("kernel and initramfs end at %#x: too big for %d MiB"
                       % (end, megs))
    image = bytearray(end - LOAD)

    def put(address, data):
        image[address - LOAD:address - LOAD + len(data)] = data
    for paddr, content, _memsz in segments:
        put(paddr, content)
    put(initrd_at, initrd)
    put(LOAD, struct.pack("<8I", MB_MAGIC, MB_AOUT_KLUDGE,
                          -(MB_MAGIC + MB_AOUT_KLUDGE) & 0xffffffff,
                          LOAD, LOAD, 0, 0, LOAD + STUB))
    put(LOAD + STUB, b"\xbb" + struct.pack("<I", START_INFO) +
        b"\xb8" + struct.pack("<I", entry) + b"\xff\xe0")
    entries = memory_map(megs)
    put(MEMMAP, b"".join(struct.pack("<QQII", a, s, t, 0)
                         for a, s, t in entries))
    put(MODULES, struct.pack("<QQQQ", initrd_at, len(initrd), 0, 0))
    command = cmdline.encode() + b"\0"
    if len(command) > CMDLINE_MAX:
        raise PvhError("command line longer than %d bytes" % CMDLINE_MAX)
    put(CMDLINE, command)
    put(START_INFO, struct.pack("<IIIIQQQQII", HVM_START_MAGIC, 1, 0, 1,
                                MODULES, CMDLINE, 0, MEMMAP, len(entries), 0))
    # One ELF32 PT_LOAD segment of it all (tests/bochs.py reads ELF files).
    header = bytearray(0x1000)
    header[0:16] = b"\x7fELF\x01\x01\x01" + b"\0" * 9
    struct.pack_into("<HHIIIIIHHHHHH", header, 16, 2, 3, 1, LOAD + STUB, 52,
                     0, 0, 52, 32, 1, 40, 0, 0)
    struct.pack_into("<8I", header, 52, 1, len(header), LOAD, LOAD,
                     len(image), len(image), 7, 0x1000)
    with open(path, "wb") as f:
        f.write(bytes(header))
        f.write(bytes(image))
    return path
