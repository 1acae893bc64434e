# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: bzImage-shaped test kernels (a setup header of Linux's x86 boot protocol before a protected-mode part)
"""make(protected) puts a boot sector with a setup header (offsets of
Linux's Documentation/arch/x86/boot.rst, written out independently of
pyjailhouse.cell_linux_x86) before the protected-mode part of a kernel:
what `jailhouse cell linux` reads.  The unit tests vary the header's
fields; the Linux cell system test wraps its stand-in kernel
(tests/fullstack/fakelinux-x86.c) this way."""

import os
import subprocess
import struct

PREF = 0x1000000
HEADER_END = 0x26c      # through kernel_info_offset (protocol 2.15)
STAND_IN = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "fullstack", "fakelinux-x86")
# the stand-in's bss and stack lie within its first MiB
STAND_IN_INIT_SIZE = 0x100000


class BuildError(Exception):
    """The stand-in kernel did not build; str() says why."""


def make(protected, setup_sects=3, version=0x020f, pref=PREF,
         init_size=0x400000, payload_offset=0x100, payload=None,
         loadflags=0x01, xloadflags=0x0003, cmdline_size=0x7ff,
         header_end=HEADER_END, filler=None):
    """The bzImage: setup_sects + 1 sectors of real-mode part (zero but
    for the header, or filler's bytes), then @protected.  With @payload,
    those bytes are written at payload_offset into the protected-mode
    part (its compression magic)."""
    setup = (setup_sects or 4) + 1
    real_mode = bytearray(filler(setup * 512) if filler else setup * 512)
    real_mode[0x1f0:HEADER_END] = bytes(HEADER_END - 0x1f0)
    protected = bytearray(protected)
    if payload is not None:
        protected[payload_offset:payload_offset + len(payload)] = payload
    real_mode[0x1f1] = setup_sects
    struct.pack_into('<I', real_mode, 0x1f4, (len(protected) + 15) // 16)
    struct.pack_into('<H', real_mode, 0x1fe, 0xaa55)
    real_mode[0x200:0x202] = bytes([0xeb, header_end - 0x202])
    real_mode[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', real_mode, 0x206, version)
    real_mode[0x211] = loadflags
    struct.pack_into('<I', real_mode, 0x214, 0x100000)    # code32_start
    struct.pack_into('<I', real_mode, 0x22c, 0x7fffffff)  # initrd_addr_max
    struct.pack_into('<I', real_mode, 0x230, 0x200000)    # kernel_alignment
    real_mode[0x234] = 1                                  # relocatable
    real_mode[0x235] = 21                                 # min_alignment
    struct.pack_into('<H', real_mode, 0x236, xloadflags)
    struct.pack_into('<I', real_mode, 0x238, cmdline_size)
    struct.pack_into('<II', real_mode, 0x248, payload_offset,
                     len(payload or b''))
    struct.pack_into('<Q', real_mode, 0x258, pref)
    struct.pack_into('<I', real_mode, 0x260, init_size)
    return bytes(real_mode + protected)


def stand_in(directory):
    """Build the Linux cell test's stand-in kernel
    (tests/fullstack/fakelinux-x86.c) into directory; the bzImage's
    path."""
    elf = os.path.join(directory, "fakelinux.elf")
    raw = os.path.join(directory, "fakelinux.bin")
    for argv in (["gcc", "-m64", "-O2", "-Wall", "-Wextra", "-Werror",
                  "-ffreestanding", "-fno-pic", "-fno-pie", "-no-pie",
                  "-fno-stack-protector", "-mno-red-zone",
                  "-mgeneral-regs-only", "-fno-asynchronous-unwind-tables",
                  "-nostdlib", "-static", "-Wl,--build-id=none",
                  "-Wl,--no-warn-rwx-segments", "-T", STAND_IN + ".lds",
                  "-o", elf, STAND_IN + ".c"],
                 ["objcopy", "-O", "binary", elf, raw]):
        result = subprocess.run(argv, capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            raise BuildError("building the stand-in kernel failed:\n%s%s"
                             % (result.stdout, result.stderr))
    with open(raw, "rb") as fileobj:
        protected = fileobj.read()
    path = os.path.join(directory, "fake-bzImage")
    with open(path, "wb") as fileobj:
        fileobj.write(make(protected, init_size=STAND_IN_INIT_SIZE,
                           payload_offset=0))
    return path
