# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: .cell generation, parse/write round trip and parse errors
"""Every shipped configuration builds with its target compiler, parses,
and writes back to the same bytes; configurations built from Python
objects equal compiled ones; bad input gives one clean ConfigError."""

import os
import struct

import pytest

from abi_helpers import COMPILERS, INCLUDE, REPO, config_sources, have, \
    read, shipped_cells
from pyjailhouse import cellblob, config, config_show
from pyjailhouse.abi import C, ffi

ALL = [(arch, os.path.basename(src)[:-2])
       for arch in sorted(COMPILERS) for src in config_sources(arch)]


def _cell(arch, name):
    if not have(COMPILERS[arch]):
        pytest.skip('%s is not installed' % COMPILERS[arch])
    return shipped_cells(arch)[name]


def test_every_architecture_ships_configs():
    names = {arch: {n for a, n in ALL if a == arch} for arch in COMPILERS}
    assert {'qemu-arm64', 'qemu-arm64-inmate-demo', 'qemu-arm64-uart-demo',
            'qemu-arm64-ivshmem-demo'} <= names['arm64']
    assert {'qemu-arm', 'qemu-arm-inmate-demo', 'qemu-arm-uart-demo',
            'qemu-arm-ivshmem-demo'} <= names['arm']
    assert {'qemu-x86', 'apic-demo', 'tiny-demo', 'pci-demo',
            'ivshmem-demo'} <= names['x86']


@pytest.mark.parametrize('arch,name', ALL, ids=['%s/%s' % a for a in ALL])
def test_round_trip(arch, name):
    data = read(_cell(arch, name))
    cfg = config.parse(data, name, arch=arch)
    assert cfg.to_bytes() == data
    assert cfg.architecture == config.ARCH_BY_NAME[arch]
    assert cfg.revision == C.JAILHOUSE_CONFIG_REVISION == 14
    assert cfg.problems() == []
    # and through the dump, which must not fail either
    dump = config_show.format_config(cfg, name)
    assert dump.startswith('%s: %s configuration, %s' % (
        name, 'system' if isinstance(cfg, config.SystemConfig) else 'cell',
        arch))


def test_qemu_arm64_values():
    cfg = config.parse(read(_cell('arm64', 'qemu-arm64')))
    assert isinstance(cfg, config.SystemConfig)
    assert cfg.signature == b'JHSYS'
    assert cfg.hypervisor_memory.phys_start == 0x7fc00000
    assert cfg.hypervisor_memory.size == 0x400000
    assert cfg.debug_console.type == C.JAILHOUSE_CON_TYPE_PL011
    assert cfg.platform_info.arm.gic_version == 3
    assert cfg.platform_info.arm.gicr_base == 0x080a0000
    assert cfg.platform_info.arm.maintenance_irq == 25
    assert cfg.root_cell.cpus == {0, 1, 2, 3}
    assert cfg.root_cell.name == 'qemu-arm64'
    ram = [r for r in cfg.root_cell.memory_regions
           if r.phys_start == 0x40000000]
    assert ram and ram[0].flags & C.JAILHOUSE_MEM_EXECUTE
    # net regions macro (after the demo's 5): state, placeholder, outputs
    assert cfg.root_cell.memory_regions[6].is_placeholder
    assert cfg.root_cell.memory_regions[7].flags & C.JAILHOUSE_MEM_WRITE
    assert not cfg.root_cell.memory_regions[8].flags & C.JAILHOUSE_MEM_WRITE


def test_qemu_arm_is_gicv2():
    cfg = config.parse(read(_cell('arm', 'qemu-arm')))
    arm = cfg.platform_info.arm
    assert (arm.gic_version, arm.gicc_base, arm.gich_base, arm.gicv_base) \
        == (2, 0x08010000, 0x08030000, 0x08040000)


def test_qemu_x86_values():
    cfg = config.parse(read(_cell('x86', 'qemu-x86')))
    assert cfg.hypervisor_memory.phys_start == 0x3a000000
    assert cfg.hypervisor_memory.size == 0x600000
    assert cfg.debug_console.address == 0x3f8
    assert cfg.debug_console.type == C.JAILHOUSE_CON_TYPE_8250
    assert cfg.platform_info.x86.pm_timer_address == 0x608
    # QEMU's amd-iommu (00:03.0), then unused slots
    unit = cfg.iommu_units[0]
    assert (unit.type, unit.base, unit.size, unit._c.amd.bdf) == \
        (C.JAILHOUSE_IOMMU_AMD, 0xfed80000, 0x4000, 0x18)
    assert all(u.type == 0 for u in cfg.iommu_units[1:])
    # memmap=82M$0x3a000000: all of it used by hypervisor, inmates, ivshmem
    covered = sorted((r.phys_start, r.phys_end)
                     for r in cfg.root_cell.memory_regions if r.size)
    assert (0x3a600000, 0x3f0f0000) in covered


def test_python_built_cell_equals_compiled():
    compiled = read(_cell('arm64', 'qemu-arm64-inmate-demo'))
    cell = config.CellConfig(
        name='inmate-demo', arch='arm64', cpus={3},
        flags=C.JAILHOUSE_CELL_PASSIVE_COMMREG |
        C.JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED,
        console=config.Console(address=0x09000000,
                               type=C.JAILHOUSE_CON_TYPE_PL011,
                               flags=C.JAILHOUSE_CON_ACCESS_MMIO |
                               C.JAILHOUSE_CON_REGDIST_4),
        memory_regions=[
            config.MemRegion(phys_start=0x09000000, virt_start=0x09000000,
                             size=0x1000, flags=C.JAILHOUSE_MEM_READ |
                             C.JAILHOUSE_MEM_WRITE | C.JAILHOUSE_MEM_IO |
                             C.JAILHOUSE_MEM_ROOTSHARED),
            config.MemRegion(phys_start=0x7f000000, virt_start=0,
                             size=0x10000, flags=C.JAILHOUSE_MEM_READ |
                             C.JAILHOUSE_MEM_WRITE |
                             C.JAILHOUSE_MEM_EXECUTE |
                             C.JAILHOUSE_MEM_LOADABLE),
            config.MemRegion(virt_start=0x80000000, size=0x1000,
                             flags=C.JAILHOUSE_MEM_READ |
                             C.JAILHOUSE_MEM_WRITE |
                             C.JAILHOUSE_MEM_COMM_REGION),
        ])
    assert cell.to_bytes() == compiled


def test_edit_and_write_back(tmp_path):
    cfg = config.parse(read(_cell('x86', 'apic-demo')))
    cfg.cpus = {2}
    cfg.memory_regions[0].size = 0x200000
    cfg.pio_regions.append(config.PioRegion(base=0x2f8, length=8))
    again = config.parse(cfg.to_bytes())
    assert again.cpus == {2}
    assert again.memory_regions[0].size == 0x200000
    assert [(p.base, p.length) for p in again.pio_regions] == [(0x2f8, 8)]
    assert again.desc.num_pio_regions == 1


# ---------------------------------------------------------------- errors

def _blob():
    return read(_cell('arm64', 'qemu-arm64-ivshmem-demo'))


def _set(data, ctype, field, fmt, value, base=0):
    data = bytearray(data)
    struct.pack_into(fmt, data, base + ffi.offsetof(ctype, field), value)
    return bytes(data)


CELL = 'struct jailhouse_cell_desc'


def test_trailing_data_is_kept_and_noted():
    data = _blob() + b'\xa5' * 4
    cfg = config.parse(data)
    assert cfg.trailing == b'\xa5' * 4
    assert cfg.to_bytes() == data
    notes = [f for f in cfg.findings() if 'trailing' in f]
    assert [f.severity for f in notes] == ['note'], cfg.findings()
    assert cfg.problems() == []


@pytest.mark.parametrize('mutate,expected', [
    (lambda d: b'', 'empty file'),
    (lambda d: d[:3], 'too short'),
    (lambda d: d[:100], 'truncated'),
    (lambda d: b'XXXXX' + d[5:], 'not a Jailhouse configuration'),
    (lambda d: b'JHCELL' + d[6:], 'old format'),
    (lambda d: _set(d, CELL, 'revision', '<H', 13), 'revision 13'),
    (lambda d: _set(d, CELL, 'architecture', '<B', 9),
     'unknown architecture'),
    (lambda d: _set(d, CELL, 'num_memory_regions', '<I', 1000),
     'memory regions'),
    (lambda d: _set(d, CELL, 'num_pci_caps', '<I', 0xffffffff),
     'PCI capabilities'),
    (lambda d: _set(d, CELL, 'cpu_set_size', '<I', 0x7fffffff), 'CPU set'),
    (lambda d: d[:8] + b'x' * 32 + d[40:], 'NUL-terminated'),
])
def test_parse_errors(mutate, expected):
    bad = mutate(_blob())
    with pytest.raises(config.ConfigError) as info:
        config.parse(bad, 'bad.cell')
    assert expected in str(info.value)
    assert str(info.value).startswith('bad.cell: ')
    assert '\n' not in str(info.value)


def test_wrong_architecture():
    with pytest.raises(config.ConfigError) as info:
        config.parse(_blob(), 'x.cell', arch='x86')
    assert 'architecture arm64, expected x86' in str(info.value)


def test_wrong_kind():
    with pytest.raises(config.ConfigError) as info:
        config.parse(_blob(), 'x.cell', kind='system')
    assert 'expected a system configuration' in str(info.value)


def test_show_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / 'bad.cell'
    bad.write_bytes(_blob()[:200])
    assert config_show.main([str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ''
    assert err.count('\n') == 1
    assert err.startswith('jailhouse config show: %s: truncated' % bad) or \
        'run past the end' in err
    assert 'Traceback' not in err


def test_show_missing_file(capsys):
    assert config_show.main(['/nonexistent.cell']) == 1
    assert 'No such file' in capsys.readouterr()[1]


def test_show_output(capsys):
    assert config_show.main([_cell('x86', 'qemu-x86')]) == 0
    out = capsys.readouterr()[0]
    assert 'system configuration, x86, revision 14' in out
    assert '0x3a000000-0x3a5fffff' in out
    assert '0000:00:0e.0 IVSHMEM' in out


# ----------------------------------------------------------- the builder

def test_builder_rejects_pointers(tmp_path):
    src = tmp_path / 'ptr.c'
    src.write_text('#include <jailhouse/cell-config.h>\nstatic int x;\n'
                   'struct { struct jailhouse_cell_desc c; int *p; } '
                   '__attribute__((packed)) config = { .p = &x };\n')
    with pytest.raises(cellblob.CellBlobError) as info:
        cellblob.build_cell('gcc', str(src), [INCLUDE], 'x86',
                            str(tmp_path / 'ptr.cell'))
    assert 'relocations' in str(info.value)
    assert not (tmp_path / 'ptr.cell').exists()


def test_builder_rejects_wrong_arch(tmp_path):
    src = os.path.join(REPO, 'configs', 'x86', 'apic-demo.c')
    with pytest.raises(cellblob.CellBlobError) as info:
        cellblob.build_cell('gcc', src, [INCLUDE], 'arm64',
                            str(tmp_path / 'a.cell'))
    assert str(info.value).startswith(src + ': architecture x86, expected '
                                      'arm64')
    assert not (tmp_path / 'a.cell').exists()


def test_builder_ignores_extra_sections(tmp_path):
    """Notes such as .note.gnu.property must not end up in the blob."""
    src = os.path.join(REPO, 'configs', 'x86', 'tiny-demo.c')
    obj = tmp_path / 'tiny.o'
    cellblob.compile_config('gcc', src, str(obj), [INCLUDE],
                            ['-fcf-protection=full'])
    data = cellblob.blob_from_object(str(obj), 'x86')
    assert data == read(_cell('x86', 'tiny-demo'))
