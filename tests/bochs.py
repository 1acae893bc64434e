# SPDX-License-Identifier: GPL-2.0-only
# The files of one Bochs run: bochsrc, boot floppy, program image, debugger
# script.  Used by the Bochs rows of tests/machines.py.

"""Bochs (Debian's 2.7, built with its debugger) has no -kernel and no
"exit with this status" device, so a run is prepared in a directory:

  image.bin   the program's loadable bytes (ELF PT_LOAD segments) at their
              load address, put into RAM by `optramimage1`
  boot.img    a 1.44 MB floppy whose boot sector
              (tests/baremetal/bochs-boot-x86.S) enters the program as a
              multiboot loader does: entry, bss and command line come from
              the program's multiboot header and the run
  bochsrc     headless (rfb display that never waits for a client), time
              from the instruction count (clock sync=none, fixed time0:
              runs repeat exactly), COM1 to stdout, magic_break on
  cmds        the debugger's script: touch each 128 KiB of the image in
              ascending order (Bochs 2.7 scatters larger optramimage files
              over unallocated host memory blocks otherwise), continue, and
              quit at the next stop

Multiboot modules (QEMU's -initrd "file args,file2") follow the
program's bss in image.bin, with a multiboot information structure that
names them and a stub that enters the program with it (with_modules()).

The program ends the run with `xchg %bx,%bx` (the magic break: the
debugger quits, exit code 0) for status 0, or by writing "Shutdown" to port
0x8900 (exit code 1, "shutdown requested" in bochs.log) for status 1.
"""

import os
import struct
import subprocess

BOOT_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "baremetal", "bochs-boot-x86.S")
BOOT_PARAMS = 0x100
BOOT_MAGIC = b"JHBOOT01"
CMDLINE_MAX = 0x1fe - BOOT_PARAMS - len(BOOT_MAGIC) - 16 - 1
FLOPPY_SIZE = 1474560
BLOCK = 128 * 1024
MB_MAGIC = 0x1BADB002
MB_BOOT_MAGIC = 0x2BADB002
MBI_MEM, MBI_CMDLINE, MBI_MODS = 1 << 0, 1 << 2, 1 << 3
MBI_SIZE, MOD_SIZE = 88, 16
PT_LOAD = 1
SHUTDOWN_MESSAGE = "shutdown requested"


class BochsError(Exception):
    """A program Bochs cannot boot, or a run option it does not have."""


def load_segments(path):
    """(load address, bytes, memory end, entry) of an ELF32/ELF64 file's
    PT_LOAD segments, laid out flat from the lowest address."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise BochsError("%s: not an ELF file" % path)
    if data[4] == 2:
        entry, phoff = struct.unpack_from("<QQ", data, 0x18)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        phdr = "<IIQQQQQQ"
    else:
        entry, phoff = struct.unpack_from("<II", data, 0x18)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2a)
        phdr = "<IIIIIIII"
    segments = []
    for n in range(phnum):
        fields = struct.unpack_from(phdr, data, phoff + n * phentsize)
        if data[4] == 2:
            ptype, _flags, offset, _vaddr, paddr, filesz, memsz, _ = fields
        else:
            ptype, offset, _vaddr, paddr, filesz, memsz, _flags, _ = fields
        if ptype == PT_LOAD and memsz:
            segments.append((paddr, data[offset:offset + filesz], memsz))
    if not segments:
        raise BochsError("%s: no loadable segment" % path)
    base = min(s[0] for s in segments)
    end = max(s[0] + len(s[1]) for s in segments)
    image = bytearray(end - base)
    for paddr, content, _ in segments:
        image[paddr - base:paddr - base + len(content)] = content
    mem_end = max(s[0] + s[2] for s in segments)
    return base, bytes(image), mem_end, entry


def multiboot_layout(path):
    """(load address, image bytes, bss start, bss end, entry) of a
    multiboot v1 program; the header's addresses win (a.out kludge)."""
    base, image, mem_end, entry = load_segments(path)
    for offset in range(0, min(len(image), 8192) - 11, 4):
        magic, flags, checksum = struct.unpack_from("<III", image, offset)
        if magic == MB_MAGIC and (magic + flags + checksum) & 0xffffffff == 0:
            break
    else:
        raise BochsError("%s: no multiboot header in the first 8 KiB" % path)
    if flags & (1 << 16):
        header, load, load_end, bss_end, entry = struct.unpack_from(
            "<IIIII", image, offset + 12)
        start = offset - (header - load)
        length = (load_end - load) if load_end else len(image) - start
        image = image[start:start + length]
        base = load
        return base, image, load + len(image), max(bss_end, load +
                                                   len(image)), entry
    return base, image, base + len(image), mem_end, entry


def boot_sector(workdir, cc="gcc"):
    """Assemble the boot sector into workdir; its 512 bytes."""
    out = os.path.join(workdir, "boot.bin")
    result = subprocess.run(
        [cc, "-m32", "-nostdlib", "-static", "-no-pie",
         "-Wl,--build-id=none", "-Wl,-Ttext=0x7c00", "-Wl,--oformat=binary",
         "-o", out, BOOT_SOURCE], capture_output=True, text=True)
    if result.returncode:
        raise BochsError("assembling %s failed: %s" % (BOOT_SOURCE,
                                                        result.stderr))
    with open(out, "rb") as f:
        sector = f.read()
    assert len(sector) == 512 and sector[BOOT_PARAMS:].startswith(BOOT_MAGIC)
    return sector


def write_floppy(path, sector, entry, bss_start, bss_end, mem_kib, cmdline):
    cmd = cmdline.encode()
    if len(cmd) > CMDLINE_MAX:
        raise BochsError("command line longer than %d bytes: %r" %
                         (CMDLINE_MAX, cmdline))
    params = BOOT_MAGIC + struct.pack("<IIII", entry, bss_start, bss_end,
                                      mem_kib - 1024) + cmd + b"\0"
    sector = bytearray(sector)
    sector[BOOT_PARAMS:BOOT_PARAMS + len(params)] = params
    with open(path, "wb") as f:
        f.write(bytes(sector))
        f.truncate(FLOPPY_SIZE)


def parse_modules(initrd):
    """QEMU's multiboot -initrd syntax: "file args,file2" (",," is a
    comma) as [(file, whole string)]."""
    modules = initrd.replace(",,", "\0").split(",")
    return [(m.replace("\0", ",").split(" ", 1)[0], m.replace("\0", ","))
            for m in modules if m]


def with_modules(image, base, bss_end, entry, modules, mem_kib,
                 cmdline=""):
    """The image with multiboot modules [(file, string)] appended after
    the program's bss, page-aligned, a multiboot information structure
    naming them and the program's command line (the boot sector's own
    structure is not used then), and a stub that enters the program as a
    multiboot loader with modules would; (image, stub address)."""
    blob = bytearray(image)
    at = (max(bss_end, base + len(blob)) + 0xfff) & ~0xfff
    listed = []
    for path, string in modules:
        with open(path, "rb") as f:
            data = f.read()
        blob += bytes(at - base - len(blob)) + data
        listed.append((at, at + len(data), string.encode() + b"\0"))
        at = (at + len(data) + 0xfff) & ~0xfff
    blob += bytes(at - base - len(blob))
    strings = at + MBI_SIZE + MOD_SIZE * len(listed)
    mod_list = b""
    for start, end, string in listed:
        mod_list += struct.pack("<IIII", start, end, strings, 0)
        strings += len(string)
    mbi = struct.pack("<IIIII", MBI_MEM | MBI_CMDLINE | MBI_MODS, 640,
                      mem_kib - 1024, 0, strings)
    mbi += struct.pack("<II", len(listed), at + MBI_SIZE)
    mbi += bytes(MBI_SIZE - len(mbi))
    blob += mbi + mod_list + b"".join(s for _, _, s in listed) + \
        cmdline.encode() + b"\0"
    stub = base + len(blob)
    # mov $0x2badb002, %eax; mov $mbi, %ebx; mov $entry, %ecx; jmp *%ecx
    blob += (b"\xb8" + struct.pack("<I", MB_BOOT_MAGIC) + b"\xbb" +
             struct.pack("<I", at) + b"\xb9" + struct.pack("<I", entry) +
             b"\xff\xe1")
    return bytes(blob), stub


def prepare(workdir, kernel, cpu, cpus, megs, cmdline="", ips=4000000,
            modules=()):
    """Write a run's files into workdir; the argv that runs it.
    modules: [(file, string)] handed to the program as multiboot
    modules."""
    base, image, bss_start, bss_end, entry = multiboot_layout(kernel)
    if modules:
        image, entry = with_modules(image, base, bss_end, entry, modules,
                                    megs * 1024, cmdline)
    image_path = os.path.join(workdir, "image.bin")
    with open(image_path, "wb") as f:
        f.write(image)
    floppy = os.path.join(workdir, "boot.img")
    write_floppy(floppy, boot_sector(workdir), entry, bss_start, bss_end,
                 megs * 1024, cmdline)
    rc = os.path.join(workdir, "bochsrc")
    with open(rc, "w") as f:
        f.write("\n".join([
            'display_library: rfb, options="timeout=0"',
            "megs: %d" % megs,
            "cpu: model=%s, count=%d, ips=%d, quantum=16, "
            "reset_on_triple_fault=0" % (cpu, cpus, ips),
            "romimage: file=/usr/share/bochs/BIOS-bochs-latest, "
            "options=fastboot",
            "vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest",
            "optramimage1: file=%s, address=%#x" % (image_path, base),
            "floppya: 1_44=%s, status=inserted" % floppy,
            "boot: floppy",
            "clock: sync=none, time0=946681200",
            "speaker: enabled=0",
            "sound: driver=dummy",
            "com1: enabled=1, mode=file, dev=/dev/stdout",
            "port_e9_hack: enabled=1",
            "magic_break: enabled=1",
            "log: %s" % os.path.join(workdir, "bochs.log"),
            "panic: action=fatal",
            "error: action=report",
            "info: action=report",
            "debug: action=ignore",
            ""]))
    cmds = os.path.join(workdir, "cmds")
    with open(cmds, "w") as f:
        for address in range(base - base % BLOCK, base + len(image), BLOCK):
            f.write("xp /1wx %#x\n" % address)
        f.write("continue\nquit\n")
    return ["bochs", "-f", rc, "-rc", cmds]


def emulator_log(workdir):
    """bochs.log of the run in workdir ('' if none)."""
    try:
        with open(os.path.join(workdir, "bochs.log"),
                  errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def exit_status(returncode, log):
    """The status the program reported: 0 through the magic break, 1
    through the shutdown port; None for anything else (a triple fault of
    the whole machine also ends Bochs with 1, without that message)."""
    if returncode == 0:
        return 0
    if returncode == 1 and SHUTDOWN_MESSAGE in log:
        return 1
    return None
