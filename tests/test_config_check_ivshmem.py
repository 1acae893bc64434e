# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config check` refuses what the hypervisor's ivshmem checks refuse
"""config check mirrors hypervisor/ivshmem.c and arm-common/vpci.c: each
ivshmem endpoint the hypervisor refuses (peer ID and count, vectors, BAR
masks, the shared memory regions), ends of a link that disagree on the
a peer ID taken twice are errors; what the hypervisor accepts of
upstream's configs stays accepted, with a warning where it is suspicious:
ends of a link that disagree on the sections both declare, and on ARM an
INTx interrupt the cell does not own or one another cell takes (tests/
test_hv_arm64.py and test_hv_x86.py run the same cases on the hypervisor
where it matters)."""

import os

import pytest

import upstream_inmates
from abi_helpers import COMPILERS, INCLUDE, have
from config_case import accepted, expect
from config_case import arm64, x86  # noqa: F401 (fixtures)
from pyjailhouse import cellblob, config, config_check
from pyjailhouse.abi import C

DEMO = 'qemu-arm64-ivshmem-demo'


def _demo(case):
    """The demo cell's ivshmem function and its five regions."""
    cell = case.cell(DEMO)
    dev = cell.pci_devices[0]
    start = dev.shmem_regions_start
    return dev, cell.memory_regions[start:start + dev.shmem_peers + 2]


def _changed(values, index, value):
    """values (a copy of a C array field) with one element replaced."""
    values = list(values)
    values[index] = value
    return values


def test_shipped_demo_is_accepted(arm64, capsys):
    rc, lines = arm64.run([DEMO], capsys)
    assert rc == 0, lines
    assert not [line for line in lines if 'ivshmem' in line and
                ': note: ' not in line], lines


@pytest.mark.parametrize('field,value,words', [
    ('shmem_peers', 0, 'shmem_peers 0, the hypervisor takes 1 to 16'),
    ('shmem_peers', 17, 'shmem_peers 17'),
    ('shmem_dev_id', 16, 'shmem_dev_id 16, at most 16 peers'),
    ('num_msix_vectors', 17, '17 MSI-X vectors'),
    ('shmem_regions_start', 4, 'beyond the 8 memory regions'),
])
def test_endpoint_counts_refused(arm64, capsys, field, value, words):
    setattr(_demo(arm64)[0], field, value)
    expect(*arm64.run([DEMO], capsys), words, file=DEMO)


@pytest.mark.parametrize('bar,mask,words', [
    (0, 0xffffff01, 'BAR 0 mask 0xffffff01'),       # flag bits
    (0, 0xfffff100, 'BAR 0 mask 0xfffff100'),       # not 2^n bytes
    (0, 0xfffffff0, 'BAR 0 mask 0xfffffff0'),       # 16 bytes < 0x14
    (1, 0xfffff000, 'BAR 1 mask 0xfffff000 without MSI-X'),
    (2, 0xfffff000, 'BAR 2 mask 0xfffff000'),
])
def test_bar_masks_refused(arm64, capsys, bar, mask, words):
    dev = _demo(arm64)[0]
    dev.bar_mask = _changed(dev.bar_mask, bar, mask)
    expect(*arm64.run([DEMO], capsys), words, file=DEMO)


def test_msix_needs_a_bar_1_for_its_table(x86, capsys):
    dev = x86.cell('ivshmem-demo').pci_devices[0]
    assert dev.num_msix_vectors
    dev.bar_mask = _changed(dev.bar_mask, 1, 0xffffff00)  # < 0x200 bytes
    expect(*x86.run(['ivshmem-demo'], capsys), 'BAR 1 mask 0xffffff00',
           file='ivshmem-demo')


@pytest.mark.parametrize('n,change,words', [
    (0, lambda r: setattr(r, 'flags', r.flags | C.JAILHOUSE_MEM_WRITE),
     'region 0 (state table): writable'),
    (1, lambda r: setattr(r, 'flags', r.flags | C.JAILHOUSE_MEM_IO),
     'region 1 (read-write section): a comm, loadable or I/O region'),
    (1, lambda r: setattr(r, 'size', 0x8800),
     'region 1 (read-write section): not page aligned'),
    (1, lambda r: setattr(r, 'flags', C.JAILHOUSE_MEM_WRITE),
     'region 1 (read-write section): not readable'),
    (2, lambda r: setattr(r, 'flags', r.flags | C.JAILHOUSE_MEM_WRITE),
     'region 2 (output section 0): writable, but the output of peer 0'),
    (4, lambda r: setattr(r, 'size', 0x1000),
     'region 4 (output section 2): size 0x1000, output section 0 has '
     '0x2000'),
    (4, lambda r: setattr(r, 'phys_start', 0x7fafa000),
     'region 4 (output section 2): overlaps region 2'),
])
def test_sections_refused(arm64, capsys, n, change, words):
    change(_demo(arm64)[1][n])
    expect(*arm64.run([DEMO], capsys), words, file=DEMO)


def test_state_table_too_small(arm64, capsys):
    dev, regions = _demo(arm64)
    regions[0].size = 0
    expect(*arm64.run([DEMO], capsys),
           'size 0x0, the state table of 3 peers needs 0xc', file=DEMO)


def test_ends_disagreeing_on_a_shared_section_warned(arm64, capsys):
    """The read-write section somewhere else than the root's: accepted as
    upstream's hypervisor does (imx8mp-inmate-demo), each end sees only
    its own."""
    regions = _demo(arm64)[1]
    regions[1].phys_start += 0x1000
    regions[1].size -= 0x1000
    rc, lines = arm64.run([DEMO], capsys)
    accepted(rc, lines, 'warning', 'ivshmem device 0001:00:00.0',
             'read-write section (region 1, 0x8000 bytes at 0x7faf2000) '
             'differs from that of the root cell', file=DEMO)


def test_ends_disagreeing_on_counts_accepted(arm64, capsys):
    """Upstream's quirk: the cell declares 2 peers where the root declares
    3; the sections both declare agree (state, rw, outputs 0 and 1)."""
    _demo(arm64)[0].shmem_peers = 2
    rc, lines = arm64.run([DEMO], capsys)
    accepted(rc, lines, 'warning', 'peers/protocol (2/0x0) differ', file=DEMO)


def test_peer_id_above_the_count_accepted(arm64, capsys):
    """Peer IDs below 16 whatever shmem_peers says (upstream's hypervisor
    takes them): a note, the state table being large enough."""
    dev, regions = _demo(arm64)
    dev.shmem_dev_id = 3
    regions[3].flags &= ~C.JAILHOUSE_MEM_WRITE
    rc, lines = arm64.run([DEMO], capsys)
    accepted(rc, lines, 'note', 'shmem_dev_id 3 not below shmem_peers 3',
             file=DEMO)


def test_peer_id_taken(arm64, capsys):
    dev, regions = _demo(arm64)
    dev.shmem_dev_id = 0
    regions[2].flags |= C.JAILHOUSE_MEM_WRITE
    regions[3].flags &= ~C.JAILHOUSE_MEM_WRITE
    expect(*arm64.run([DEMO], capsys),
           'peer ID 0 also used by the root cell', file=DEMO)


def test_arm_intx_not_owned_warned(arm64, capsys):
    """vpci.c: INTx of 00:00.0 is 32 + vpci_irq_base; the cell's irqchip
    has 140 only: accepted (upstream's imx8mq-linux-demo), it raises
    nothing."""
    arm64.cell(DEMO).vpci_irq_base += 1
    rc, lines = arm64.run([DEMO], capsys)
    accepted(rc, lines, 'warning', 'its INTx interrupt 141',
             "not one of the cell's irqchip interrupts", file=DEMO)


def test_arm_intx_of_the_root_taken_warned(arm64, capsys):
    """The root's ivshmem functions raise SPIs 128 and 129: a cell whose
    irqchip takes 128 is accepted (upstream's imx8mn-inmate-demo); the
    root's function raises nothing while the cell holds it."""
    chip = arm64.cell(DEMO).irqchips[0]
    chip.pin_bitmap = _changed(chip.pin_bitmap, 3, chip.pin_bitmap[3] | 1)
    rc, lines = arm64.run([DEMO], capsys)
    accepted(rc, lines, 'warning', 'its irqchips take interrupt 128',
             'the INTx of ivshmem device 0001:00:00.0 of the root cell',
             file=DEMO)


def test_root_intx_not_owned_warned(arm64, capsys):
    chip = arm64.system.root_cell.irqchips[0]
    chip.pin_bitmap = _changed(chip.pin_bitmap, 3, chip.pin_bitmap[3] & ~1)
    rc, lines = arm64.run([], capsys)
    accepted(rc, lines, 'warning', 'its INTx interrupt 128',
             file='qemu-arm64')


def test_arm_function_off_the_virtual_host_warned(arm64, capsys):
    arm64.cell(DEMO).pci_devices[0].domain = 0
    rc, lines = arm64.run([DEMO], capsys)
    assert any('not on the virtual PCI host' in line and ': warning: '
               in line for line in lines), lines


# Upstream's boards with ivshmem links: (system config, a demo cell of the
# same board, the errors of the two together).  All are accepted, as
# upstream's hypervisor accepts them, also those with quirks: imx8mp's
# inmate demo names other memory for link 0002:00:00.0 than the root's end,
# imx8mn's inmate demo takes the root's INTx, imx8mq's Linux demo has an
# INTx that is not its own.
UPSTREAM_BOARDS = {
    'x86': [('qemu-x86', 'ivshmem-demo', []),
            ('qemu-x86', 'linux-x86-demo', [])],
    'arm': [('qemu-arm', 'qemu-arm-inmate-demo', []),
            ('qemu-arm', 'qemu-arm-linux-demo', []),
            ('orangepi0', 'orangepi0-inmate-demo', []),
            ('orangepi0', 'orangepi0-linux-demo', []),
            ('bananapi', 'bananapi-linux-demo', [])],
    'arm64': [('qemu-arm64', 'qemu-arm64-inmate-demo', []),
              ('qemu-arm64', 'qemu-arm64-linux-demo', []),
              ('imx8mm', 'imx8mm-inmate-demo', []),
              ('imx8mm', 'imx8mm-linux-demo', []),
              ('imx8mp', 'imx8mp-inmate-demo', []),
              ('imx8mn', 'imx8mn-inmate-demo', []),
              ('imx8mq', 'imx8mq-linux-demo', [])],
}


@pytest.mark.slow
@pytest.mark.parametrize('arch', sorted(UPSTREAM_BOARDS))
def test_upstream_ivshmem_board_files(arch, tmp_path):
    """Upstream's board files, compiled against our headers: what the
    hypervisor accepts of them (peer IDs, counts that differ between the
    ends, their INTx interrupts) config check accepts."""
    if not have(COMPILERS[arch]):
        pytest.skip('%s is not installed' % COMPILERS[arch])
    tree = upstream_inmates.for_test("upstream's configs",
                                     upstream_inmates.source)
    paths = {}
    for system, cell, _ in UPSTREAM_BOARDS[arch]:
        for name in (system, cell):
            if name not in paths:
                paths[name] = str(tmp_path / (name + '.cell'))
                cellblob.build_cell(COMPILERS[arch], os.path.join(
                    tree, 'configs', arch, name + '.c'), [INCLUDE], arch,
                    paths[name], strict=False)
    for system, cell, errors in UPSTREAM_BOARDS[arch]:
        findings = config_check.check_files(paths[system], [paths[cell]])
        assert [str(f) for _, f in findings
                if f.severity == config.ERROR] == errors, (system, cell)
