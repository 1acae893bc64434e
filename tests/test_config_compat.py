# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: configs written as upstream board files are, in checker and build
"""Representative configurations of our own (tests/data/compat) for what
upstream's board files contain: each is accepted or refused by
`jailhouse config check` and the build exactly as the hypervisor does
(tests/test_fullstack_compat.py runs them on the hypervisor)."""

import os

import pytest

from abi_helpers import COMPILERS, INCLUDE, REPO, have
from pyjailhouse import cellblob, config, config_check

DATA = os.path.join(REPO, 'tests', 'data', 'compat', 'arm64')
PREFIX = 'jailhouse config check: '


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    """{name: (path or None, [build warnings], CellBlobError or None)}."""
    if not have(COMPILERS['arm64']):
        pytest.skip('%s is not installed' % COMPILERS['arm64'])
    out = tmp_path_factory.mktemp('compat')
    result = {}
    for source in sorted(os.listdir(DATA)):
        name = source[:-2]
        path = str(out / (name + '.cell'))
        warnings = []
        try:
            cellblob.build_cell(COMPILERS['arm64'], os.path.join(DATA, source),
                                [INCLUDE], 'arm64', path,
                                warn=warnings.append)
            error = None
        except cellblob.CellBlobError as err:
            error = err
            # Without the checks: the bytes, for the checker.
            cellblob.build_cell(COMPILERS['arm64'],
                                os.path.join(DATA, source), [INCLUDE],
                                'arm64', path, strict=False)
        result[name] = (path, warnings, error)
    return result


def _check(built, system, *cells, capsys):
    argv = [built[system][0]] + [built[c][0] for c in cells]
    rc = config_check.main(argv)
    out = capsys.readouterr()[0]
    return rc, out.splitlines()


def _severity(lines, *words):
    hits = [line for line in lines if all(w in line for w in words)]
    assert len(hits) == 1, (words, lines)
    for severity in ('warning', 'note'):
        if ': %s: ' % severity in hits[0]:
            return severity
    return 'error'


def test_quirks_accepted_with_notes(built, capsys):
    rc, lines = _check(built, 'root-loadable-trailing', 'cell-upstream-quirks',
                       capsys=capsys)
    assert rc == 0, lines
    assert lines[-1].startswith(PREFIX + 'OK'), lines
    assert _severity(lines, 'root-loadable-trailing.cell',
                     'LOADABLE means nothing for the root') == 'note'
    assert _severity(lines, 'root-loadable-trailing.cell',
                     '56 bytes of trailing data') == 'note'
    assert _severity(lines, 'cell-upstream-quirks.cell',
                     '56 bytes of trailing data') == 'note'
    assert _severity(lines, 'irqchip 1: address 0, an unused slot') == 'note'
    assert _severity(lines, 'shmem_dev_id 1 not below shmem_peers 1') == \
        'note'
    # The access-width mask (8 | 32 bit) is not a finding at all.
    assert not [l for l in lines if 'width' in l], lines


def test_quirks_build_with_warnings(built):
    for name in ('root-loadable-trailing', 'cell-upstream-quirks',
                 'root-overlap'):
        path, warnings, error = built[name]
        assert error is None, error
        assert warnings, name
        for line in warnings:
            assert line.startswith(os.path.join(DATA, name + '.c') + ': '), \
                line
    data = open(built['cell-upstream-quirks'][0], 'rb').read()
    cell = config.parse(data)
    assert len(cell.trailing) == 56 and cell.to_bytes() == data
    uart = cell.memory_regions[3]
    assert uart.io_width == 5


def test_shmem_dev_id_combination_that_cannot_work_warns(built, capsys,
                                                         tmp_path):
    """shmem_dev_id not below shmem_peers alone is a note (upstream's
    hypervisor accepts it); when no end of the link declares enough peers
    for it, that end cannot send: a warning, still exit status 0."""
    with open(built['root-loadable-trailing'][0], 'rb') as fileobj:
        system = config.parse(fileobj.read())
    demo = [dev for dev in system.root_cell.pci_devices if dev.bdf == 0]
    demo[0].shmem_peers = 1
    path = tmp_path / 'root-one-peer.cell'
    path.write_bytes(system.to_bytes())
    rc = config_check.main([str(path), built['cell-upstream-quirks'][0]])
    lines = capsys.readouterr()[0].splitlines()
    assert rc == 0, lines
    assert _severity(lines, '"quirks-demo"', 'has peer ID 1',
                     'it cannot send') == 'warning'
    assert _severity(lines, 'shmem_dev_id 1 not below shmem_peers 1') == \
        'note'


def test_overlapping_root_regions_fail_the_check_not_the_build(built,
                                                               capsys):
    """Upstream's checker reports overlapping root regions as an error;
    the hypervisor accepts them (the later region wins), so the build
    prints it and builds the file (test_quirks_build_with_warnings)."""
    rc, lines = _check(built, 'root-overlap', capsys=capsys)
    assert rc == 1, lines
    assert _severity(lines, 'memory region 9', 'memory region 12',
                     'the later region wins') == 'error'
    assert any('error: root cell' in line and 'later region wins' in line
               for line in built['root-overlap'][1]), built['root-overlap']
    with open(built['root-overlap'][0], 'rb') as fileobj:
        system = config.parse(fileobj.read())
    assert system.problems() == [], 'the hypervisor accepts it'


@pytest.mark.parametrize('system,cells,words', [
    ('root-over-hypervisor', (), 'overlaps hypervisor memory'),
    ('root-loadable-trailing', ('cell-aarch32',),
     'AArch32 cells are not supported'),
])
def test_real_problems_are_errors(built, capsys, system, cells, words):
    rc, lines = _check(built, system, *cells, capsys=capsys)
    assert rc == 1, lines
    assert _severity(lines, words) == 'error'
    name = (cells or (system,))[0]
    assert built[name][2] is not None, 'the build accepted ' + name
    assert words in str(built[name][2])


def test_access_width_is_a_mask():
    for width in range(16):
        region = config.MemRegion(
            phys_start=0x09000000, virt_start=0x09000000, size=0x40,
            flags=config.C.JAILHOUSE_MEM_READ | config.C.JAILHOUSE_MEM_IO |
            width << config.C.JAILHOUSE_MEM_IO_WIDTH_SHIFT)
        cell = config.CellConfig(name='w', arch='arm64', cpus={1},
                                 memory_regions=[region])
        assert not [f for f in cell.findings() if 'width' in f], width
