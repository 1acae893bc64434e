# SPDX-License-Identifier: GPL-2.0-only
# `jailhouse cell linux` without a machine: argument errors, ARM/ARM64 image placement, device tree amendment, -w output, unwinding on failure.

import gzip
import os
import shlex
import struct
import subprocess

import pytest

from conftest import REPO
import fake_jailhouse
from abi_helpers import COMPILERS, INCLUDE, have
from pyjailhouse import cell_linux, cell_linux_arm, cli, commands
from pyjailhouse import config as jhconfig
from pyjailhouse import config_parser
from pyjailhouse.cell_linux_common import BootPlan, CellLinuxError, Image
from pyjailhouse.fdt import Fdt, FdtError

DEMO_SOURCE = os.path.join(REPO, 'configs', 'arm64',
                           'qemu-arm64-linux-demo.c')
DTS = os.path.join(REPO, 'configs', 'arm64', 'dts', 'inmate-qemu-arm64.dts')
RWX = 0x1 | 0x2 | 0x4
DMA, LOADABLE, COMM = 0x8, 0x40, 0x20


def arm64_image(size=0x300000, text_offset=0, image_size=None):
    """A minimal arm64 Image: header with magic, zeros after it."""
    header = struct.pack('<II QQQ QQQ 4s I', 0x14000000, 0, text_offset,
                         image_size if image_size is not None else size,
                         0xa, 0, 0, 0, b'ARM\x64', 0)
    return header + b'\0' * (size - len(header))


def zimage(size=0x200000):
    data = bytearray(size)
    struct.pack_into('<I', data, 0x24, 0x016f2818)
    return bytes(data)


@pytest.fixture(scope='module')
def demo_cell(tmp_path_factory):
    """qemu-arm64-linux-demo.cell, built from our source."""
    from pyjailhouse import cellblob
    if not have(COMPILERS['arm64']):
        pytest.skip('%s is not installed' % COMPILERS['arm64'])
    path = str(tmp_path_factory.mktemp('cell') / 'linux-demo.cell')
    cellblob.build_cell(COMPILERS['arm64'], DEMO_SOURCE, [INCLUDE], 'arm64',
                        path)
    return path


@pytest.fixture(scope='module')
def demo_dtb(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('dtb') / 'inmate-qemu-arm64.dtb')
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', path, DTS],
                   check=True)
    return path


def parsed(path):
    with open(path, 'rb') as fileobj:
        return config_parser.CellConfig(fileobj.read())


def arm64_config(regions, reset=0, name='linux'):
    """A config_parser.CellConfig of an arm64 cell with these (virt, size,
    flags) regions and a comm region."""
    mems = [jhconfig.MemRegion(phys_start=0x70000000 + n * 0x1000000,
                               virt_start=virt, size=size, flags=flags)
            for n, (virt, size, flags) in enumerate(regions)]
    mems.append(jhconfig.MemRegion(phys_start=0, virt_start=0x80000000,
                                   size=0x1000, flags=0x1 | 0x2 | COMM))
    cell = jhconfig.CellConfig(name=name, arch='arm64', cpus={1},
                               memory_regions=mems, cpu_reset_address=reset)
    return config_parser.CellConfig(cell.to_bytes())


def run(argv, capsys):
    status = cell_linux.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


# --- command line --------------------------------------------------------

def test_help_names_upstream_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        cell_linux.main(['--help'])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ('-d DTB', '--dtb', '-i INITRD', '-c "CMDLINE"',
                   '-w PARAMS_FILE', '--write-params', '-a ARCH',
                   '-k FACTOR', '--kernel-decomp-factor', 'CELLCONFIG',
                   'KERNEL'):
        assert option in out, option


@pytest.mark.parametrize('argv, message', [
    ([], 'the following arguments are required: CELLCONFIG, KERNEL'),
    (['a.cell'], 'the following arguments are required: KERNEL'),
    (['a.cell', 'Image', '-a', 'mips'], "invalid choice: 'mips'"),
    (['a.cell', 'Image', '-k', '0'], "invalid factor '0'"),
    (['a.cell', 'Image', '-k', 'x'], "invalid factor 'x'"),
    (['a.cell', 'Image', '--bogus'], 'unrecognized arguments: --bogus'),
])
def test_usage_errors_exit_1(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cell_linux.main(argv)
    assert exit_.value.code == 1
    assert message in capsys.readouterr().err


def test_unreadable_files_are_one_line(tmp_path, demo_cell, capsys):
    status, out, err = run([str(tmp_path / 'none.cell'), 'Image', '-w',
                            str(tmp_path / 'p')], capsys)
    assert (status, out) == (1, '')
    assert err == ('jailhouse cell linux: cannot read %s: No such file or '
                   'directory\n' % (tmp_path / 'none.cell'))
    status, out, err = run([demo_cell, str(tmp_path / 'Image'), '-d', 'x',
                            '-w', str(tmp_path / 'p')], capsys)
    assert status == 1 and err.count('\n') == 1
    assert 'cannot read %s' % (tmp_path / 'Image') in err
    assert not os.path.exists(str(tmp_path / 'p'))


def test_bad_input_is_refused_with_one_line(tmp_path, demo_cell, demo_dtb,
                                            capsys):
    image = tmp_path / 'Image'
    image.write_bytes(arm64_image())
    params = str(tmp_path / 'params')
    cases = [
        ([demo_cell, str(image), '-w', params],
         'arm64 needs a device tree: -d DTB'),
        ([demo_cell, demo_dtb, '-d', demo_dtb, '-w', params],
         'KERNEL is not an arm64 Image'),
        ([demo_cell, str(image), '-d', str(image), '-w', params],
         'DTB: no device tree magic'),
        ([demo_cell, str(image), '-d', demo_dtb, '-a', 'x86', '-w', params],
         'is a configuration for arm64, not x86'),
        ([demo_dtb, str(image), '-d', demo_dtb, '-w', params],
         'not a Jailhouse configuration'),
    ]
    for argv, message in cases:
        status, out, err = run(argv, capsys)
        assert (status, out) == (1, ''), argv
        assert err.startswith('jailhouse cell linux: ') and \
            err.count('\n') == 1, err
        assert message in err, (argv, err)
    assert not os.path.exists(params)


def test_kernel_too_big_for_the_cells_ram(tmp_path, demo_cell, demo_dtb,
                                          capsys):
    image = tmp_path / 'Image'
    image.write_bytes(arm64_image(size=0x1000, image_size=0x9000000))
    status, _, err = run([demo_cell, str(image), '-d', demo_dtb, '-w',
                          str(tmp_path / 'p')], capsys)
    assert status == 1
    assert 'the largest RAM region of cell "qemu-arm64-linux-demo" has ' \
        '0x8000000' in err, err


# --- placement and the device tree --------------------------------------

def test_write_params_arm64_demo(tmp_path, demo_cell, demo_dtb, capsys):
    """The layout upstream's tool makes for this config (same addresses),
    commands our `cell load` parses, and the amended device tree."""
    image = tmp_path / 'Image'
    image.write_bytes(arm64_image(size=0x1234567))
    initrd = tmp_path / 'initrd'
    initrd.write_bytes(b'\x07' * 0x3000)
    params = tmp_path / 'params.dtb'
    status, out, err = run([demo_cell, str(image), '-d', demo_dtb, '-i',
                            str(initrd), '-c', 'console=ttyAMA0 quiet', '-w',
                            str(params)], capsys)
    assert (status, err) == (0, '')
    lines = [shlex.split(l) for l in out.splitlines()
             if l.startswith('jailhouse cell ')]
    assert lines[0] == ['jailhouse', 'cell', 'create', demo_cell]
    assert lines[2] == ['jailhouse', 'cell', 'start',
                        'qemu-arm64-linux-demo']
    ref, items = cli.parse_load(lines[1][3:])
    assert ref.name == 'qemu-arm64-linux-demo'
    kernel_size = 0x1235000
    initrd_at = 0x70200000 + 2 * kernel_size
    assert items == [
        ('file', 'linux-loader.bin', 0),
        ('string', 'kernel=0x70200000 dtb=0x70000000', 0x1000),
        ('file', str(image), 0x70200000),
        ('file', str(initrd), initrd_at),
        ('file', str(params), 0x70000000)]
    tree = Fdt.parse(params.read_bytes())
    assert tree.get('/chosen', 'bootargs') == b'console=ttyAMA0 quiet\0'
    assert tree.get('/chosen', 'linux,initrd-start') == \
        struct.pack('>Q', initrd_at)
    assert tree.get('/chosen', 'linux,initrd-end') == \
        struct.pack('>Q', initrd_at + 0x3000)
    assert tree.get('/memory', 'device_type') == b'memory\0'
    # The loader's 64 KiB at 0 is no RAM of the kernel's.
    assert tree.get('/memory', 'reg') == struct.pack('>QQ', 0x70000000,
                                                     0x8000000)
    # Everything else as the source says.
    assert tree.get('/', 'model') == \
        b'Jailhouse cell qemu-arm64-linux-demo\0'
    assert tree.get('/chosen', 'stdout-path') == b'serial0:115200n8\0'


def test_gzipped_image_is_decompressed(tmp_path, demo_cell, demo_dtb, capsys):
    kernel = arm64_image()
    image = tmp_path / 'Image.gz'
    image.write_bytes(gzip.compress(kernel))
    config = parsed(demo_cell)
    with open(demo_dtb, 'rb') as fileobj:
        plan = cell_linux_arm.plan(config, image.read_bytes(),
                                   dtb=fileobj.read())
    assert plan.kernel_unzipped and plan.image('kernel').data == kernel
    status, out, _ = run([demo_cell, str(image), '-d', demo_dtb, '-w',
                          str(tmp_path / 'p')], capsys)
    assert status == 0
    assert ' %s-unzipped -a 0x70200000 ' % image in out
    assert 'decompress it to %s-unzipped first' % image in out


def test_no_initrd_no_cmdline_leaves_chosen_alone(demo_cell, demo_dtb):
    with open(demo_dtb, 'rb') as fileobj:
        plan = cell_linux_arm.plan(parsed(demo_cell), arm64_image(),
                                   dtb=fileobj.read())
    assert [i.role for i in plan.images] == ['params', 'kernel', 'dtb']
    tree = Fdt.parse(plan.image('dtb').data)
    assert sorted(tree.node('/chosen').props) == ['stdout-path']


def test_loader_in_the_kernels_region_is_kept_clear():
    """One RAM region holding the reset address: the device tree and the
    kernel start above the loader's 64 KiB, /memory is the whole region."""
    config = arm64_config([(0x40000000, 0x4000000, RWX | DMA | LOADABLE)],
                          reset=0x40000000)
    dtb = Fdt(Fdt.parse(_minimal_dtb()).root).to_bytes()
    plan = cell_linux_arm.plan(config, arm64_image(text_offset=0x80000),
                               dtb=dtb)
    assert plan.loader_address == 0x40000000
    assert plan.image('params').address == 0x40001000
    assert plan.image('dtb').address == 0x40010000
    assert plan.image('kernel').address == 0x40200000 + 0x80000
    tree = Fdt.parse(plan.image('dtb').data)
    assert tree.get('/memory', 'reg') == struct.pack('>QQ', 0x40000000,
                                                     0x4000000)


def test_not_loadable_ram_is_not_used():
    config = arm64_config([(0x40000000, 0x4000000, RWX | DMA),
                           (0x50000000, 0x4000000, RWX | DMA | LOADABLE)],
                          reset=0x50000000)
    plan = cell_linux_arm.plan(config, arm64_image(), dtb=_minimal_dtb())
    assert plan.image('dtb').address == 0x50010000
    with pytest.raises(CellLinuxError, match='does not fit in a loadable'):
        cell_linux_arm.plan(arm64_config(
            [(0x40000000, 0x4000000, RWX | DMA | LOADABLE)], reset=0x100000),
            arm64_image(), dtb=_minimal_dtb())


def test_armv7_zimage_placement():
    config = arm64_config([(0, 0x10000, RWX | LOADABLE),
                           (0x60000000, 0x4000000, RWX | DMA | LOADABLE)])
    plan = cell_linux_arm.plan(config, zimage(0x200000), initrd=b'x' * 10,
                               dtb=_minimal_dtb(1, 1), arch='arm')
    assert plan.image('dtb').address == 0x60000000
    assert plan.image('kernel').address == 0x60002000
    # default decompression factor 4: initrd after 5 times the zImage
    assert plan.image('initrd').address == 0x60002000 + 5 * 0x200000
    tree = Fdt.parse(plan.image('dtb').data)
    assert tree.get('/memory', 'reg') == struct.pack('>II', 0x60000000,
                                                     0x4000000)
    assert tree.get('/chosen', 'linux,initrd-start') == \
        struct.pack('>I', 0x60a02000)
    with pytest.raises(CellLinuxError, match='not an ARM zImage'):
        cell_linux_arm.plan(config, arm64_image(), dtb=_minimal_dtb(),
                            arch='arm')


def sized_zimage(size, inflated, bss, text_offset=0x208000, count=6):
    """A zImage whose decompressor table (header word 0x34: 0x45454545,
    0x38: its offset) says how big the kernel becomes, as Linux 4.x and
    later write it (count 4: before TEXT_OFFSET and the malloc size)."""
    data = bytearray(zimage(size))
    table, size_at = 0x1000, size - 0x100
    struct.pack_into('<II', data, 0x34, 0x45454545, table)
    struct.pack_into('<7I', data, table, count, 0x5a534c4b, size_at, bss,
                     text_offset, 0x10000, 0)
    struct.pack_into('<I', data, size_at, inflated)
    return bytes(data)


def test_armv7_initrd_clears_the_decompressed_kernel():
    """Debian's armmp-lpae zImage inflates 4.1 times to RAM + 0x208000 and
    moves itself above that first: the initrd goes above its copy, not
    (factor 4) into it.  -k still asks for more room."""
    config = arm64_config([(0, 0x10000, RWX | LOADABLE),
                           (0x70000000, 0x8000000, RWX | DMA | LOADABLE)])
    kernel = sized_zimage(0x545200, inflated=0x15a50c8, bss=0x601c0)
    plan = cell_linux_arm.plan(config, kernel, initrd=b'x' * 10,
                               dtb=_minimal_dtb(1, 1), arch='arm')
    kernel_addr = plan.image('kernel').address
    assert kernel_addr == 0x70002000
    kernel_end = 0x70000000 + 0x208000 + 0x15a50c8 + 0x601c0
    assert plan.image('initrd').address >= kernel_end + 0x545200 + 0x10000
    assert plan.image('initrd').address % 0x1000 == 0
    plan = cell_linux_arm.plan(config, kernel, initrd=b'x' * 10,
                               dtb=_minimal_dtb(1, 1), decomp_factor=7,
                               arch='arm')
    assert plan.image('initrd').address == kernel_addr + 8 * 0x546000
    # an older table (no TEXT_OFFSET): the kernel at RAM + 0x8000
    old = sized_zimage(0x200000, inflated=0x900000, bss=0x40000, count=4)
    plan = cell_linux_arm.plan(config, old, initrd=b'x' * 10,
                               dtb=_minimal_dtb(1, 1), arch='arm')
    assert plan.image('initrd').address >= \
        0x70000000 + 0x8000 + 0x900000 + 0x40000 + 0x200000 + 0x10000
    # a table that points outside the image is no table
    broken = bytearray(kernel)
    struct.pack_into('<I', broken, 0x38, len(kernel))
    plan = cell_linux_arm.plan(config, bytes(broken), initrd=b'x' * 10,
                               dtb=_minimal_dtb(1, 1), arch='arm')
    assert plan.image('initrd').address == kernel_addr + 5 * 0x546000


def _minimal_dtb(address_cells=2, size_cells=2):
    root = Fdt.parse(_EMPTY_DTB).root
    root.props['#address-cells'] = struct.pack('>I', address_cells)
    root.props['#size-cells'] = struct.pack('>I', size_cells)
    root.children.append(_node('memory@40000000', {
        'device_type': b'memory\0', 'reg': b'\0' * 16}))
    return Fdt(root).to_bytes()


def _node(name, props):
    from pyjailhouse.fdt import Node
    node = Node(name)
    node.props.update(props)
    return node


# An empty tree: header, empty reservation map, root node, no strings.
_EMPTY_DTB = struct.pack('>10I', 0xd00dfeed, 40 + 16 + 16, 56, 72, 40, 17,
                         16, 0, 0, 16) + b'\0' * 16 + \
    struct.pack('>4I', 1, 0, 2, 9)


def test_memory_at_nodes_are_replaced():
    config = arm64_config([(0x40000000, 0x4000000, RWX | DMA | LOADABLE)],
                          reset=0x40000000)
    plan = cell_linux_arm.plan(config, arm64_image(), dtb=_minimal_dtb())
    tree = Fdt.parse(plan.image('dtb').data)
    assert [n.name for n in tree.root.children] == ['memory']


# --- the device tree module ----------------------------------------------

def test_fdt_round_trip_matches_dtc(demo_dtb, tmp_path):
    with open(demo_dtb, 'rb') as fileobj:
        blob = fileobj.read()
    tree = Fdt.parse(blob)
    again = tmp_path / 'again.dtb'
    again.write_bytes(tree.to_bytes())

    def source(path):
        return subprocess.run(['dtc', '-q', '-I', 'dtb', '-O', 'dts', path],
                              capture_output=True, text=True,
                              check=True).stdout
    assert source(str(again)) == source(demo_dtb)
    assert tree.cells('/') == (2, 2)
    assert tree.cells('/pci@8e00000') == (3, 2)


@pytest.mark.parametrize('blob, message', [
    (b'', 'too short'),
    (b'\0' * 64, 'no device tree magic'),
    (_EMPTY_DTB[:60], 'blocks extend past the blob'),
    (_EMPTY_DTB[:-4] + struct.pack('>I', 7), 'unexpected token 0x7'),
], ids=['empty', 'no-magic', 'truncated', 'bad-token'])
def test_fdt_refuses_broken_blobs(blob, message):
    with pytest.raises(FdtError, match=message):
        Fdt.parse(blob)


# --- booting: create, load, start; unwinding -----------------------------

def _plan():
    return BootPlan(0, [Image('params', b'k=1\0', 0x1000, string=True),
                        Image('kernel', b'K' * 64, 0x2000)], 'params')


def _boot(tmp_path, fail=None):
    fake = fake_jailhouse.FakeJailhouse(tmp_path / 'fake')
    fake.sysfs.set_enabled(1)
    fake.sysfs.add_cell(0, 'RootCell', [0, 1, 2, 3], state='running')
    if fail:
        fake.fail(fail, 'EINVAL')
    arch = fake_jailhouse.host_arch()
    data = fake_jailhouse.cell_config(arch, name='linux')
    ctx = commands.Context(environ=dict(os.environ, **fake.env),
                           backend=fake.backend())
    config = config_parser.CellConfig(data)
    cell_linux.boot(ctx, data, config, _plan(), b'LOADER')
    return fake


def test_boot_creates_loads_all_at_once_and_starts(tmp_path):
    fake = _boot(tmp_path)
    calls = fake.calls()
    assert [c['op'] for c in calls] == ['cell create', 'cell load',
                                        'cell start']
    assert [(i['target'], i['data']) for i in calls[1]['images']] == \
        [(0, b'LOADER'), (0x1000, b'k=1\0'), (0x2000, b'K' * 64)]


@pytest.mark.parametrize('step', ['cell load', 'cell start'])
def test_failed_load_or_start_destroys_the_cell(tmp_path, step):
    with pytest.raises(cell_linux.JailhouseError,
                       match=r'\(cell destroyed again\)$'):
        _boot(tmp_path, fail=step)
    fake = fake_jailhouse.FakeJailhouse.__new__(fake_jailhouse.FakeJailhouse)
    fake.device_path = str(tmp_path / 'fake' / 'dev' / 'jailhouse')
    ops = [c['op'] for c in fake.calls()]
    assert ops == ['cell create', 'cell load'] + \
        (['cell start'] if step == 'cell start' else []) + ['cell destroy']


def test_failed_create_destroys_nothing(tmp_path):
    with pytest.raises(cell_linux.JailhouseError):
        _boot(tmp_path, fail='cell create')
    fake = fake_jailhouse.FakeJailhouse.__new__(fake_jailhouse.FakeJailhouse)
    fake.device_path = str(tmp_path / 'fake' / 'dev' / 'jailhouse')
    assert [c['op'] for c in fake.calls()] == ['cell create']
