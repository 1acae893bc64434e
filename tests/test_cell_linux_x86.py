# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: x86 boot parameters of `jailhouse cell linux` on hand-made bzImage headers
"""pyjailhouse.cell_linux_x86.plan() against the shipped linux-x86-demo
cell and bzImage-shaped blobs whose setup header each test writes itself
(tests/bzimage.py):
where the kernel, initrd and parameters go, the zero page's fields, the
e820 map, the Jailhouse setup_data, and a one-line error for each kind of
bad input.  Offsets are the boot protocol's (Linux's
Documentation/arch/x86/boot.rst), written out here independently of the
module."""

import struct

import pytest

from abi_helpers import COMPILERS, have, read, shipped_cells
from bzimage import PREF, make as make_bzimage, stand_in
from pyjailhouse import cell_linux, config, config_parser
from pyjailhouse.abi import C
from pyjailhouse.cell_linux_common import CellLinuxError
from pyjailhouse.cell_linux_x86 import plan

RAM = (C.JAILHOUSE_MEM_READ | C.JAILHOUSE_MEM_WRITE |
       C.JAILHOUSE_MEM_EXECUTE | C.JAILHOUSE_MEM_DMA |
       C.JAILHOUSE_MEM_LOADABLE)


def pattern(size):
    return bytes((n * 7 + 3) & 0xff for n in range(size))


def bzimage(size=0x6000, setup_sects=3, payload=b'\x1f\x8b\x08\x00',
            **header):
    """A bzImage-shaped blob of size bytes (tests/bzimage.py), a byte
    pattern but for the header and the payload's magic."""
    setup = ((setup_sects or 4) + 1) * 512
    return make_bzimage(pattern(size - setup), setup_sects=setup_sects,
                        payload=payload, filler=pattern, **header)


@pytest.fixture(scope='module')
def demo():
    if not have(COMPILERS['x86']):
        pytest.skip('%s is not installed' % COMPILERS['x86'])
    return config_parser.CellConfig(
        read(shipped_cells('x86')['linux-x86-demo']))


def cell(regions, reset=0, irqchips=(), pios=()):
    desc = config.CellConfig(
        name='t', arch='x86', cpus={1}, cpu_reset_address=reset,
        memory_regions=[config.MemRegion(phys_start=0x10000000 + virt,
                                         virt_start=virt, size=size,
                                         flags=flags)
                        for virt, size, flags in regions],
        irqchips=list(irqchips), pio_regions=list(pios))
    return config_parser.CellConfig(desc.to_bytes())


def u32(data, offset):
    return struct.unpack_from('<I', data, offset)[0]


def u64(data, offset):
    return struct.unpack_from('<Q', data, offset)[0]


def test_demo_layout_and_zero_page(demo):
    kernel = bzimage(init_size=0x10000)
    initrd = bytes(range(256)) * 20
    boot = plan(demo, kernel, initrd=initrd, cmdline='console=ttyS1 quiet')
    assert boot.loader_address == 0 and boot.written == 'params'
    assert [(i.role, i.address) for i in boot.images] == [
        ('kernel', PREF - 4 * 512),
        # gzip payload: 7 times the image behind the kernel's start
        ('initrd', (PREF - 4 * 512 + 7 * len(kernel) + 0xfff) & ~0xfff),
        ('params', 0x1000)]
    assert boot.image('kernel').data == kernel
    assert boot.image('initrd').data == initrd
    params = boot.image('params').data
    page = params[:0x1000]
    # the setup header as the kernel has it, but for what the tool sets
    changed = {0x210, *range(0x218, 0x220), *range(0x228, 0x22c),
               *range(0x230, 0x238), *range(0x250, 0x258)}
    for offset in range(0x1f0, 0x26c):
        if offset not in changed:
            assert page[offset] == kernel[offset], hex(offset)
    assert page[0x210] == 0xff                              # type_of_loader
    assert u32(page, 0x218) == boot.image('initrd').address
    assert u32(page, 0x21c) == len(initrd)
    assert u64(page, 0x230) == PREF         # the loader's kernel start
    assert u64(page, 0x250) == 0x2000                       # setup_data
    assert not any(page[:0x1e8]) and not any(page[0x26c:0x2d0])
    # e820: low RAM, comm region (reserved), high RAM
    assert page[0x1e8] == 3
    entries = [struct.unpack_from('<QQI', page, 0x2d0 + 20 * n)
               for n in range(3)]
    assert entries == [(0, 0x100000, 1), (0x100000, 0x1000, 2),
                       (0x200000, 0x4700000, 1)]
    assert not any(page[0x2d0 + 60:])
    # setup_data: type 6, version 2 (1 compatible), standard IOAPIC, COM2
    data = params[0x1000:]
    assert struct.unpack_from('<QII', data) == (0, 6, 284)
    version, compat, pm_timer, cpus, mmconfig, tsc, apic, ioapic = \
        struct.unpack_from('<HHHHQIIB', data, 16)
    assert (version, compat, ioapic) == (2, 1, 1)
    assert (pm_timer, cpus, mmconfig, tsc, apic) == (0, 0, 0, 0, 0)
    assert not any(data[16 + 25:16 + 25 + 255])             # cpu_ids
    assert u32(data, 16 + 280) == 1 << 1                    # COM2 only
    # the command line behind it, where cmd_line_ptr points
    assert u32(page, 0x228) == 0x2000 + 300
    assert params[0x1000 + 300:] == b'console=ttyS1 quiet\0'


def test_no_initrd_no_cmdline(demo):
    boot = plan(demo, bzimage())
    assert [i.role for i in boot.images] == ['kernel', 'params']
    page = boot.image('params').data
    assert u32(page, 0x218) == 0 and u32(page, 0x21c) == 0
    assert page[0x1000 + 300:] == b'\0'


@pytest.mark.parametrize('magic,factor', [
    (b'\xfd7zXZ', 9), (b'BZh9', 4), (b'\x5d\x00\x00\x80', 8),
    (b'\x02\x21\x4c\x18', 6), (b'\x89LZO', 6), (b'\x7fELF', 9),
    (b'\x28\xb5\x2f\xfd', 9)])
def test_initrd_behind_the_decompression_room(demo, magic, factor):
    kernel = bzimage(payload=magic, init_size=0x10000)
    load = PREF - 4 * 512
    boot = plan(demo, kernel, initrd=b'x')
    assert boot.image('initrd').address == \
        (load + factor * len(kernel) + 0xfff) & ~0xfff
    # -k wins over the guess
    boot = plan(demo, kernel, initrd=b'x', decomp_factor=3)
    assert boot.image('initrd').address == \
        (load + 3 * len(kernel) + 0xfff) & ~0xfff
    # but never into the room the kernel asks for itself
    boot = plan(demo, kernel, initrd=b'x', decomp_factor=1)
    assert boot.image('initrd').address == PREF + 0x10000


def test_setup_sects_zero_means_four(demo):
    boot = plan(demo, bzimage(setup_sects=0, size=0x4000))
    assert boot.image('kernel').address == PREF - 5 * 512


def error(config_, kernel, **kwargs):
    with pytest.raises(CellLinuxError) as info:
        plan(config_, kernel, **kwargs)
    message = str(info.value)
    assert '\n' not in message
    return message


def test_not_a_bzimage(demo):
    assert 'not an x86 bzImage' in error(demo, b'\x7fELF' + bytes(0x1000))
    assert 'not an x86 bzImage' in error(demo, bzimage()[:0x200])
    broken = bytearray(bzimage())
    broken[0x202:0x206] = b'HdrT'
    assert 'not an x86 bzImage' in error(demo, bytes(broken))
    assert 'zImage, not a bzImage' in error(demo, bzimage(loadflags=0))
    assert 'cut short' in error(demo, bzimage()[:0x700])


def test_boot_protocol_too_old(demo):
    message = error(demo, bzimage(version=0x020a))
    assert 'boot protocol 2.10, at least 2.12' in message
    assert 'no 64-bit entry' in error(demo, bzimage(xloadflags=0))
    assert 'header ends at 0x250' in error(demo, bzimage(header_end=0x250))


def test_kernel_or_initrd_does_not_fit(demo):
    # 16 MiB + 60 MiB of initialization room: beyond the high RAM's end
    message = error(demo, bzimage(init_size=0x3c00000))
    assert 'kernel with its initialization room' in message
    assert 'does not fit in a loadable region of cell "linux-x86-demo"' \
        in message
    message = error(demo, bzimage(), initrd=bytes(0x3600000))
    assert message.startswith('initrd behind the kernel\'s decompression '
                              'room (7 times its size, -k) (0x3600000 bytes '
                              'at 0x1400000) does not fit')
    message = error(demo, bzimage(size=0x100000), initrd=bytes(0x1000000),
                    decomp_factor=50)
    assert '(50 times its size, -k) (0x1000000 bytes at 0x4200000)' in message
    assert 'at least 1' in error(demo, bzimage(), initrd=b'x',
                                 decomp_factor=0)
    assert 'overwrite linux-loader' in error(demo, bzimage(pref=0x10000))


def test_command_line_limits(demo):
    assert 'takes at most 100' in error(demo, bzimage(cmdline_size=100),
                                        cmdline='x' * 101)
    plan(demo, bzimage(cmdline_size=100), cmdline='x' * 100)
    assert 'leaves room for 12288' in error(
        demo, bzimage(cmdline_size=0x10000), cmdline='x' * 0x2000)
    assert 'NUL' in error(demo, bzimage(), cmdline='a\0b')


def test_cell_requirements():
    ram = [(0, 0x100000, RAM), (0x200000, 0x2000000, RAM)]
    assert 'cpu_reset_address 0, not 0xf000' in error(
        cell(ram, reset=0xf000), bzimage())
    many = ram + [(0x10000000 + n * 0x10000, 0x10000, RAM)
                  for n in range(127)]
    assert 'has 129 RAM and comm regions, the zero page holds 128' in \
        error(cell(many), bzimage())
    plan(cell(many[:-1]), bzimage())


def test_uart_flags_and_ioapic_from_the_config():
    ram = [(0, 0x100000, RAM), (0x200000, 0x2000000, RAM)]
    pios = [config.PioRegion(base=base, length=length)
            for base, length in ((0x3f8, 8), (0x2e8, 8), (0x3e8, 4),
                                 (0x60, 1))]
    chips = [config.IrqChip(address=0xfec01000, id=0xff01)]
    data = plan(cell(ram, pios=pios, irqchips=chips),
                bzimage()).image('params').data[0x1000:]
    assert data[16 + 24] == 0                      # no standard IOAPIC
    assert u32(data, 16 + 280) == 0b1001           # COM1 and the 4th UART


def test_stand_in_kernel_is_a_bzimage_that_fits(demo, tmp_path):
    """The full-stack test's stand-in (tests/fullstack/fakelinux-x86.c)
    builds and is placed as a kernel: its room is 1 MiB, the initrd
    behind it."""
    kernel = read(stand_in(str(tmp_path)))
    boot = plan(demo, kernel, initrd=b'initrd')
    assert boot.image('kernel').address == PREF - 4 * 512
    assert boot.image('initrd').address == PREF + 0x100000
    # its 64-bit entry, where the loader jumps: not the 32-bit one's halt
    assert kernel[4 * 512 + 0x200] != kernel[4 * 512]


@pytest.mark.parametrize('kernel,message', [
    (b'\x7fELF' + bytes(0x2000), 'kernel is not an x86 bzImage'),
    (bzimage(version=0x0206), 'kernel speaks boot protocol 2.06'),
    (bzimage(init_size=0x8000000), 'does not fit in a loadable region')])
def test_command_line_says_it_in_one_line(demo, tmp_path, capsys, kernel,
                                          message):
    """`jailhouse cell linux` (-w and booting alike) with a bad kernel:
    status 1, one line on standard error, no parameters file."""
    path = tmp_path / 'kernel'
    path.write_bytes(kernel)
    params = tmp_path / 'params'
    cell = shipped_cells('x86')['linux-x86-demo']
    for argv in (['-w', str(params), cell, str(path)], [cell, str(path)]):
        assert cell_linux.main(argv) == 1
        out, err = capsys.readouterr()
        assert out == '' and err.count('\n') == 1, err
        assert err.startswith('jailhouse cell linux: ') and message in err, \
            err
        assert not params.exists()
