# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: what scripts written for upstream's tool observe (exit statuses, numbers, helpers, version, pyjailhouse module names)
"""The command line and the pyjailhouse module names as scripts written
for upstream Jailhouse use them."""

import os
import subprocess
import sys
import textwrap

import pytest

from abi_helpers import REPO, TOOLS
from pyjailhouse import cli, config, config_parser
from pyjailhouse.cellref import parse_strtoull


def jailhouse(*args, env=None):
    return subprocess.run([sys.executable, os.path.join(TOOLS, 'jailhouse')] +
                          list(args), capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.parametrize('args,status', [
    ((), 1), (('-h',), 1), (('help',), 1), (('--help',), 0),
    (('cell',), 1), (('config',), 1), (('frobnicate',), 1),
    (('enable',), 1), (('cell', 'start'), 1), (('cell', 'list', 'x'), 1),
    (('cell', 'load', 'x', 'img', '-a', '12k'), 1),
    (('console', '-x'), 1),
])
def test_exit_statuses_as_upstream(args, status):
    result = jailhouse(*args)
    assert result.returncode == status, result
    assert 'Traceback' not in result.stderr
    if args in ((), ('-h',), ('help',), ('--help',)):
        assert result.stdout.startswith('Usage: jailhouse'), result


def test_version_in_upstream_form():
    first = jailhouse('--version').stdout.splitlines()[0]
    with open(os.path.join(REPO, 'VERSION')) as fileobj:
        version = fileobj.read().strip()
    assert first.startswith('Jailhouse management tool v%s' % version), first


@pytest.mark.parametrize('text,value', [
    ('0', 0), ('4096', 4096), ('0x1000', 0x1000), ('010', 8),
    ('-1', (1 << 64) - 1), ('-0x1000', (1 << 64) - 0x1000),
    ('  0x10', 0x10), ('+7', 7), ('0xffffffffffffffff', (1 << 64) - 1),
    ('0x10000000000000000', None), ('12k', None), ('', None), ('0x', None),
    ('08', None), ('1 ', None),
])
def test_strtoull_numbers(text, value):
    assert parse_strtoull(text) == value


def test_load_address_minus_one():
    assert cli.parse_load(['demo', 'img', '-a', '-1'])[1] == \
        [('file', 'img', (1 << 64) - 1)]


def test_upstream_named_helper_found_on_path(tmp_path):
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    helper = bindir / 'jailhouse-config-collect'
    helper.write_text('#!/bin/sh\necho "collect: $* PATH=$PATH"\n')
    helper.chmod(0o755)
    empty = tmp_path / 'empty'
    empty.mkdir()
    calls = []

    def execv(path, argv):
        calls.append((path, argv, os.environ['PATH']))
        return 0

    old_path = os.environ['PATH']
    os.environ['PATH'] = str(bindir) + os.pathsep + old_path
    try:
        assert cli.main(['config', 'collect', 'out.tar'],
                        script_dir=str(empty), execv=execv) == 1
    finally:
        os.environ['PATH'] = old_path
    assert calls[0][0] == str(helper)
    assert calls[0][1] == [str(helper), 'out.tar']
    # The helper sees the jailhouse script's directory first, as upstream.
    assert calls[0][2].split(os.pathsep)[0] == str(empty)


@pytest.mark.parametrize('extra', [[], ['--help'], ['x.tar']])
def test_missing_helper_is_one_line(tmp_path, capsys, monkeypatch, extra):
    # A helper-backed command whose helper is not installed says which
    # helper it looked for (exit status 1); hide the real one to see it.
    monkeypatch.setattr(cli, 'find_helper', lambda name, script_dir=None: None)
    monkeypatch.setenv('PATH', str(tmp_path))
    assert cli.main(['config', 'collect'] + extra,
                    script_dir=str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert err.startswith('jailhouse config collect: helper '
                          'jailhouse-config-collect not found '), err
    assert err.count('\n') == 1 and 'not implemented' not in err, err


# An upstream-style helper script, written against the documented module
# API of upstream's pyjailhouse (config_parser, cell, sysfs_parser).
UPSTREAM_STYLE_SCRIPT = textwrap.dedent('''
    import sys
    from pyjailhouse import config_parser, sysfs_parser
    from pyjailhouse.cell import JailhouseCell

    with open(sys.argv[1], 'rb') as f:
        system = config_parser.SystemConfig(f.read())
    with open(sys.argv[2], 'rb') as f:
        cell = config_parser.CellConfig(f.read())
    print('system', system.arch, hex(system.hypervisor_memory.phys_start),
          system.root_cell.name, len(system.root_cell.memory_regions))
    print('gic', system.arm_gic_version, hex(system.arm_gicd_base))
    print('cell', cell.name, cell.arch, cell.num_memory_regions)
    ram = [r for r in cell.memory_regions
           if r.flags & config_parser.JAILHOUSE_MEM.LOADABLE]
    print('loadable', hex(ram[0].phys_start), hex(ram[0].size),
          config_parser.flag_str(config_parser.JAILHOUSE_MEM, ram[0].flags))
    root_ram = [r for r in system.root_cell.memory_regions
                if r.phys_overlaps(ram[0])]
    print('inside root', len(root_ram))
    try:
        config_parser.CellConfig(b'JHSYS' + bytes(200))
    except RuntimeError as e:
        print('refused:', e)
    sysfs_parser.set_root_dir(sys.argv[3])
    tree = sysfs_parser.IORegionTree.parse_io_file('/proc/iomem',
                                                   sysfs_parser.MemRegion)
    for r in tree.find_regions_by_name('System RAM'):
        print('ram', hex(r.start), r.size_str(), r.is_ram())
    print('leaves', len(tree.get_leaves()))
    print('cell class', JailhouseCell.__name__)
''')


def test_upstream_style_script_runs(tmp_path):
    from abi_helpers import shipped_cells
    try:
        cells = shipped_cells('arm64')
    except Exception as err:  # pylint: disable=broad-except
        pytest.skip('arm64 configs not built: %s' % err)
    system = cells.get('qemu-arm64')
    demo = cells['qemu-arm64-inmate-demo']
    proc_dir = tmp_path / 'root' / 'proc'
    proc_dir.mkdir(parents=True)
    (proc_dir / 'iomem').write_text(
        '09000000-09000fff : pl011@9000000\n'
        '40000000-7fffffff : System RAM\n'
        '  40210000-4144ffff : Kernel code\n'
        '  41450000-4178ffff : Kernel data\n')
    script = tmp_path / 'helper.py'
    script.write_text(UPSTREAM_STYLE_SCRIPT)
    env = dict(os.environ, PYTHONPATH=TOOLS)
    result = subprocess.run([sys.executable, str(script), system, demo,
                             str(tmp_path / 'root')], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'system arm64 0x7fc00000 ' in out, out
    assert 'gic 3 0x8000000' in out, out
    assert 'loadable 0x7f000000 0x10000 READ | WRITE | EXECUTE | LOADABLE' \
        in out, out
    assert 'inside root 1' in out, out
    assert 'refused: ' in out, out
    assert 'ram 0x40000000 0x40000000 True' in out, out
    assert 'leaves 3' in out, out


def test_config_parser_matches_pyjailhouse_config():
    region = config.MemRegion(phys_start=0x1000, virt_start=0, size=0x2000,
                              flags=config.C.JAILHOUSE_MEM_READ |
                              config.C.JAILHOUSE_MEM_IO_8 |
                              config.C.JAILHOUSE_MEM_IO_32)
    compat = config_parser.MemRegion(bytes(region))
    assert (compat.phys_start, compat.size) == (0x1000, 0x2000)
    assert config_parser.flag_str(config_parser.JAILHOUSE_MEM,
                                  compat.flags) == 'READ | IO_8 | IO_32'


# Upstream's README names files and cells: `jailhouse cell load inmate-demo`
# after creating qemu-arm64-inmate-demo.cell, `cell load apic-demo` ...
UPSTREAM_NAMES = {
    'arm64': {'qemu-arm64': None, 'qemu-arm64-inmate-demo': 'inmate-demo',
              'qemu-arm64-ivshmem-demo': 'ivshmem-demo',
              'qemu-arm64-linux-demo': 'qemu-arm64-linux-demo'},
    'arm': {'qemu-arm': None, 'qemu-arm-inmate-demo': 'inmate-demo',
            'qemu-arm-ivshmem-demo': 'ivshmem-demo'},
    'x86': {'qemu-x86': None, 'apic-demo': 'apic-demo',
            'tiny-demo': 'tiny-demo', 'pci-demo': 'pci-demo',
            'ivshmem-demo': 'ivshmem-demo'},
}


@pytest.mark.parametrize('arch', sorted(UPSTREAM_NAMES))
def test_configs_under_upstream_file_and_cell_names(arch):
    from abi_helpers import COMPILERS, have, shipped_cells
    if not have(COMPILERS[arch]):
        pytest.skip('%s is not installed' % COMPILERS[arch])
    cells = shipped_cells(arch)
    for name, cell_name in UPSTREAM_NAMES[arch].items():
        assert name in cells, (arch, name, sorted(cells))
        with open(cells[name], 'rb') as fileobj:
            parsed = config.parse(fileobj.read())
        if cell_name is None:
            assert isinstance(parsed, config.SystemConfig), name
        else:
            assert parsed.name == cell_name, (name, parsed.name)


def test_stub_commands_documented_as_not_implemented():
    """A helper that is still a placeholder says so, and so do the man
    page and the README (`cell linux` and upstream's Linux cells)."""
    stubs = []
    for words in cli.HELPER_COMMANDS:
        path = os.path.join(TOOLS, 'jailhouse-' + '-'.join(words))
        with open(path) as fileobj:
            if 'not implemented yet' in fileobj.read():
                stubs.append(words)
    for words in stubs:
        result = jailhouse(*words, '--help')
        assert result.returncode == 1, result
        assert result.stderr == 'jailhouse %s: not implemented yet\n' % \
            ' '.join(words), result
    with open(os.path.join(REPO, 'tools', 'man', 'jailhouse-cell.8.in')) \
            as fileobj:
        man = fileobj.read()
    with open(os.path.join(REPO, 'README.md')) as fileobj:
        readme = ' '.join(fileobj.read().split())
    if ('cell', 'linux') in stubs:
        paragraph = man.split('\n.B linux\n', 1)[1].split('\n.SH', 1)[0]
        assert 'not implemented yet' in ' '.join(paragraph.split()), \
            paragraph
        assert 'Not there yet: upstream\'s Linux cells' in readme
        assert '`jailhouse cell linux`, which says "not implemented yet"' \
            in readme
        for name in ('qemu-arm64-linux-demo', 'linux-x86-demo'):
            assert not os.path.exists(os.path.join(
                REPO, 'configs', 'arm64' if 'arm64' in name else 'x86',
                name + '.c')), name + ' exists: update the README'
