# SPDX-License-Identifier: GPL-2.0-only
# Pieces of the jailhouse command: cell references, load arguments, sysfs reading, statistics rates
"""Unit tests of cellref, cli.parse_load, sysfs and cell_stats."""

import os

import pytest

from fake_jailhouse import FakeSysfs
from pyjailhouse import cell_stats, cellref, cli
from pyjailhouse.cellref import CellRef
from pyjailhouse.errors import UsageError
from pyjailhouse.sysfs import Sysfs


@pytest.mark.parametrize('text, value', [
    ('0', 0), ('9', 9), ('42', 42), ('0x1f', 31), ('0X1F', 31), ('017', 15),
    ('+3', 3), ('08', None), ('-1', None), ('0x', None), ('1e3', None),
    ('demo', None), ('', None), ('１', None), ('5\n', None),
])
def test_c_integers(text, value):
    assert cellref.parse_number(text) == value


@pytest.mark.parametrize('args, ref, used', [
    (['3'], CellRef(cell_id=3), 1),
    (['0x10', 'x'], CellRef(cell_id=16), 1),
    (['demo'], CellRef(name='demo'), 1),
    (['--name', '3'], CellRef(name='3'), 2),
    (['--name', '--name'], CellRef(name='--name'), 2),
    (['-1'], CellRef(name='-1'), 1),
    (['n' * 31], CellRef(name='n' * 31), 1),
])
def test_cell_references(args, ref, used):
    assert cellref.parse(args) == (ref, used)


def test_cell_reference_messages():
    assert CellRef(cell_id=2).missing() == 'no cell with ID 2'
    assert CellRef(name='x').missing() == "no cell named 'x'"
    assert CellRef(name='x').describe() == "cell 'x'"
    with pytest.raises(ValueError, match='longer than 31 bytes'):
        cellref.parse(['ü' * 16])


def test_load_arguments():
    ref, items = cli.parse_load(['demo', 'a.bin', '-a', '0x100', '-s',
                                 'console=on', 'b.bin', '--string', '',
                                 '--address', '0777'])
    assert ref == CellRef(name='demo')
    assert items == [('file', 'a.bin', 0x100), ('string', 'console=on', 0),
                     ('file', 'b.bin', 0), ('string', '', 0o777)]
    images = cli.load_images(items[1:2] + items[3:])
    assert [(i.data, i.target_address) for i in images] == [
        (b'console=on\0', 0), (b'\0', 0o777)]


def test_address_range():
    assert cli.parse_load(['1', 'x', '-a', '0xffffffffffffffff'])[1] == \
        [('file', 'x', (1 << 64) - 1)]
    with pytest.raises(UsageError, match='invalid address'):
        cli.parse_load(['1', 'x', '-a', '0x10000000000000000'])


def test_stats_arguments():
    assert cli.parse_stats(['--once', '--name', 'x', '--cpu', '2']) == \
        (CellRef(name='x'), True, 2, 1.0, None)
    assert cli.parse_stats(['4', '--interval', '0.5', '--count', '3']) == \
        (CellRef(cell_id=4), False, None, 0.5, 3)


@pytest.fixture
def tree(tmp_path):
    fake = FakeSysfs(str(tmp_path / 'jailhouse'))
    fake.set_enabled(True)
    fake.add_cell(0, 'RootCell', [0, 1, 2], state='running')
    fake.add_cell(4, 'demo', [3], state='failed', failed=[3])
    fake.add_cell(10, 'ten', [5, 6])
    return fake


def test_sysfs_reading(tree):
    sysfs = Sysfs(tree.root)
    assert sysfs.enabled() is True
    assert [(c.id, c.name, c.state, c.cpus_assigned_list,
             c.cpus_failed_list) for c in sysfs.cells()] == [
        (0, 'RootCell', 'running', '0-2', ''),
        (4, 'demo', 'failed', '3', '3'),
        (10, 'ten', 'shut down', '5-6', '')]
    assert sysfs.find(CellRef(name='ten')) == 10
    assert sysfs.find(CellRef(cell_id=4)) == 4
    assert sysfs.find(CellRef(cell_id=5)) is None
    assert sysfs.find(CellRef(name='x')) is None
    assert sysfs.is_root(CellRef(name='RootCell'))
    assert sysfs.is_root(CellRef(cell_id=0))
    assert not sysfs.is_root(CellRef(name='demo'))
    assert sysfs.stat_cpus(10) == [5, 6]
    os.unlink(os.path.join(tree.root, 'cells', '10', 'cpus_failed_list'))
    assert sysfs.cells()[2].cpus_failed_list == '?'
    assert Sysfs(tree.root + '-missing').cells() == []
    assert Sysfs(tree.root + '-missing').enabled() is None


def test_statistics_rates(tree):
    now = [100.0]
    sampler = cell_stats.Sampler(Sysfs(tree.root), 10, clock=lambda: now[0])
    tree.set_stat(10, 'vmexits_total', 1000)
    values, rates = sampler.sample()
    assert values['vmexits_total'] == 1000 and rates == {}
    tree.set_stat(10, 'vmexits_total', 1500)
    tree.set_stat(10, 'vmexits_mmio', 300)
    now[0] = 102.0
    values, rates = sampler.sample()
    assert rates['vmexits_total'] == 250 and rates['vmexits_mmio'] == 150
    assert rates['vmexits_pio'] == 0
    lines = cell_stats.table(values, rates)
    assert lines[:4] == ['COUNTER                              SUM   PER SEC',
                         'vmexits_total                       1500       250',
                         'vmexits_mmio                         300       150',
                         'vmexits_cpuid                          0         0']
    sampler.reset(5)
    tree.set_stat(10, 'vmexits_total', 7, cpu=5)
    values, rates = sampler.sample()
    assert values['vmexits_total'] == 7 and rates == {}


def test_statistics_order_without_rates():
    values = {'vmexits_total': 5, 'vmexits_b': 3, 'vmexits_a': 3,
              'vmexits_c': 4}
    assert cell_stats.order(values) == ['vmexits_total', 'vmexits_c',
                                        'vmexits_a', 'vmexits_b']
