# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config check`, one test per kind of problem
"""The shipped configurations pass; each kind of problem is found, named
with its file, and makes the check exit non-zero."""

import os
import subprocess
import sys

import pytest

from abi_helpers import COMPILERS, CONFIG_GROUPS, TOOLS
from config_case import PREFIX, Case, shipped
from config_case import arm64, x86  # noqa: F401 (fixtures)
from config_case import accepted as _accepted, expect as _expect
from pyjailhouse import config, config_check
from pyjailhouse.abi import C

GROUPS = [(arch, system, cells) for arch in sorted(CONFIG_GROUPS)
          for system, cells in CONFIG_GROUPS[arch]]


def test_groups_cover_every_shipped_config():
    for arch in COMPILERS:
        names = set(shipped(arch))
        grouped = set()
        for system, cells in CONFIG_GROUPS[arch]:
            grouped |= {system, *cells}
        assert names == grouped, arch


@pytest.mark.parametrize('arch,system,cells', GROUPS,
                         ids=['%s-%s' % (g[0], '+'.join(g[2])) for g in GROUPS])
def test_shipped_configs_pass(arch, system, cells, capsys):
    paths = shipped(arch)
    rc = config_check.main([paths[system]] + [paths[c] for c in cells])
    out, err = capsys.readouterr()
    assert rc == 0, out + err
    lines = out.splitlines()
    assert lines[-1].startswith(PREFIX + 'OK'), out
    # notes only: what the hypervisor does not implement yet (ivshmem)
    assert all(': note: ' in line for line in lines[:-1]), out


def test_command_line_script():
    paths = shipped('arm64')
    proc = subprocess.run([sys.executable,
                           os.path.join(TOOLS, 'jailhouse-config-check'),
                           paths['qemu-arm64'], paths['qemu-arm64-inmate-demo']],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'OK' in proc.stdout
    proc = subprocess.run([sys.executable,
                           os.path.join(TOOLS, 'jailhouse-config-check'),
                           '--help'], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0
    assert 'usage: jailhouse config check' in proc.stdout


def test_overlap_inside_cell(arm64, capsys):
    cell = arm64.cell('qemu-arm64-inmate-demo')
    ram = cell.memory_regions[1]
    cell.memory_regions.append(config.MemRegion(
        phys_start=ram.phys_start + 0x8000, virt_start=0x20000, size=0x1000,
        flags=C.JAILHOUSE_MEM_READ))
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'warning',
              'overlap in physical memory', file='qemu-arm64-inmate-demo')


def test_overlap_inside_cell_guest_addresses(arm64, capsys):
    cell = arm64.cell('qemu-arm64-inmate-demo')
    # map the UART into the middle of the cell's RAM (guest address 0)
    cell.memory_regions[0].virt_start = 0x8000
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            "overlap in the cell's address space")


def test_overlap_betweenshipped(arm64, capsys):
    arm64.cell('qemu-arm64-uart-demo').memory_regions[1].phys_start = \
        0x7f000000
    _expect(*arm64.run(['qemu-arm64-inmate-demo', 'qemu-arm64-uart-demo'],
                       capsys), 'is not shared', file='qemu-arm64-uart-demo')


def test_shared_regions_may_overlap(arm64, capsys):
    # both demos map the UART with JAILHOUSE_MEM_ROOTSHARED
    rc, _ = arm64.run(['qemu-arm64-inmate-demo', 'qemu-arm64-uart-demo'],
                      capsys)
    assert rc == 0


def test_overlap_with_hypervisor_in_cell(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[1].phys_start = \
        0x7fc10000
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'overlaps hypervisor memory', file='qemu-arm64-inmate-demo')


def test_overlap_with_hypervisor_in_root(arm64, capsys):
    ram = [r for r in arm64.system.root_cell.memory_regions
           if r.phys_start == 0x40000000][0]
    ram.size = 0x40000000
    _expect(*arm64.run([], capsys), 'root cell', 'overlaps hypervisor memory')


def test_memory_not_from_root(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[1].phys_start = \
        0x100000000
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'note',
              'is not (entirely) memory of the root cell')


def _root_maps_guest(arm64, guest, phys):
    """A root region showing physical phys at guest-physical guest."""
    arm64.system.root_cell.memory_regions.append(config.MemRegion(
        phys_start=phys, virt_start=guest, size=0x10000000,
        flags=C.JAILHOUSE_MEM_READ | C.JAILHOUSE_MEM_WRITE))


def test_loadable_memory_outside_root_where_root_maps_other_memory(
        arm64, capsys):
    """While loadable, memory no root region covers appears in the root at
    its physical address: a root region mapped there (one the cell does
    not take over) makes the hypervisor refuse the cell."""
    _root_maps_guest(arm64, 0x100000000, 0x200000000)
    ram = arm64.cell('qemu-arm64-inmate-demo').memory_regions[1]
    assert ram.flags & C.JAILHOUSE_MEM_LOADABLE
    ram.phys_start = 0x100000000
    end = 0x100000000 + ram.size - 1
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'memory region 1', '0x100000000-%#x is not memory of the root '
            'cell' % end, 'guest 0x100000000-0x10fffffff',
            file='qemu-arm64-inmate-demo')


def test_loadable_memory_partly_outside_root(arm64, capsys):
    """Only the part the root does not cover counts: here the cell's RAM
    starts in a root region and runs on past its end into guest addresses
    the root maps elsewhere."""
    _root_maps_guest(arm64, 0x100008000, 0x200000000)
    root = arm64.system.root_cell.memory_regions
    root.append(config.MemRegion(phys_start=0x100000000,
                                 virt_start=0x300000000, size=0x8000,
                                 flags=C.JAILHOUSE_MEM_READ |
                                 C.JAILHOUSE_MEM_WRITE))
    ram = arm64.cell('qemu-arm64-inmate-demo').memory_regions[1]
    ram.phys_start = 0x100000000
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            '0x100008000-%#x is not memory of the root cell'
            % (ram.phys_end - 1), 'root memory region %d' % (len(root) - 2))


def test_memory_outside_root_the_root_never_sees(arm64, capsys):
    """Not loadable, it never reaches the root: accepted (a note)."""
    _root_maps_guest(arm64, 0x100000000, 0x200000000)
    ram = arm64.cell('qemu-arm64-inmate-demo').memory_regions[1]
    ram.phys_start = 0x100000000
    ram.flags &= ~C.JAILHOUSE_MEM_LOADABLE
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'note',
              'is not (entirely) memory of the root cell')


def test_loadable_root_memory_never_clashes(arm64, capsys):
    """Memory a root region covers is taken over where it is, however the
    root maps other memory: no clash."""
    ram = arm64.cell('qemu-arm64-inmate-demo').memory_regions[1]
    root_ram = [r for r in arm64.system.root_cell.memory_regions
                if r.phys_start <= ram.phys_start < r.phys_end]
    assert root_ram, 'the demo RAM is root memory'
    _root_maps_guest(arm64, ram.phys_start, 0x100000000)
    rc, lines = arm64.run(['qemu-arm64-inmate-demo'], capsys)
    # The only finding: the root's own overlap (an error of the checker
    # that the hypervisor accepts), nothing about the cell.
    assert [l for l in lines if 'qemu-arm64-inmate-demo' in l] == [], lines
    errors = [l for l in lines
              if ': warning: ' not in l and ': note: ' not in l]
    assert errors and all('later region wins' in l for l in errors), lines
    assert rc == 1, lines


@pytest.mark.parametrize('address,what', [
    (0x08000000, 'the GIC distributor'),
    (0x080a0000, 'the GIC redistributors'),
    (0x08080000, 'the GIC span between its frames (the ITS, a DMA '
     'master, or a GICv2m MSI frame)'),
])
def test_memory_outside_root_on_emulated_device(arm64, capsys, address,
                                                 what):
    region = arm64.cell('qemu-arm64-inmate-demo').memory_regions[0]
    region.phys_start = address
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'overlaps ' + what)


def test_gicv2m_frame_refused(tmp_path, capsys):
    """GICv2 (ARMv7 QEMU virt): the MSI frame at 0x08020000 lies between
    the distributor and the CPU interface frames; it pends any SPI of its
    range, so the hypervisor keeps it out of cells with the GIC's span."""
    armv7 = Case('arm', tmp_path)
    region = armv7.cell('qemu-arm-inmate-demo').memory_regions[0]
    region.phys_start = 0x08020000
    _expect(*armv7.run(['qemu-arm-inmate-demo'], capsys),
            'overlaps the GIC span between its frames')


def test_stream_ids_refused_inshipped(arm64, capsys):
    """#9.3/#9.12: the hypervisor refuses DMA masters in cells (no SMMU
    support); in the root cell they are ignored, with a warning."""
    arm64.cell('qemu-arm64-inmate-demo').stream_ids.append(
        config.StreamId(id=0x20))
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys), '1 stream ID: DMA '
            'masters no IOMMU confines', file='qemu-arm64-inmate-demo')


def test_stream_ids_of_the_root_ignored(arm64, capsys):
    arm64.system.root_cell.stream_ids.append(config.StreamId(id=0x20))
    _accepted(*arm64.run([], capsys), 'warning', '1 stream ID ignored',
              file='qemu-arm64')


def test_physical_pci_device_refused_in_armshipped(arm64, capsys):
    dev = arm64.system.root_cell.pci_devices[0].copy()
    dev.type = C.JAILHOUSE_PCI_TYPE_DEVICE
    dev.bdf = 5 << 3
    arm64.cell('qemu-arm64-inmate-demo').pci_devices.append(dev)
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'PCI device 0001:00:05.0: a DMA master no IOMMU confines')


def test_unimplemented_parts_noted(arm64, capsys):
    """#9.12: what the hypervisor ignores is reported, once per file;
    ivshmem functions are not among it."""
    arm64.cell('qemu-arm64-ivshmem-demo').cache_regions.append(
        config.CacheRegion(type=C.JAILHOUSE_CACHE_L3, size=1))
    rc, lines = arm64.run(['qemu-arm64-ivshmem-demo'], capsys)
    _accepted(rc, lines, 'note',
              'not implemented yet, ignored by the hypervisor: 1 cache region',
              file='qemu-arm64-ivshmem-demo')
    assert not [l for l in lines if 'PCI device' in l], lines


def test_x86_pci_device_needs_an_iommu_unit(x86, capsys):
    """pci-demo's edu device is accepted behind qemu-x86's AMD IOMMU and
    refused without it, as the hypervisor does."""
    rc, lines = x86.run(['pci-demo'], capsys)
    assert rc == 0, lines
    x86.system.iommu_units[0].type = 0
    _expect(*x86.run(['pci-demo'], capsys),
            'PCI device 0000:00:10.0: a DMA master, refused',
            file='pci-demo')


def test_x86_root_may_not_have_the_iommu(x86, capsys):
    root = x86.system.root_cell
    hpet = [n for n, r in enumerate(root.memory_regions)
            if r.phys_start == 0xfed00000][0]
    root.memory_regions[hpet].size = 0x100000  # HPET .. the AMD IOMMU
    dev = root.pci_devices[0].copy()
    dev.bdf = 0x03 << 3
    root.pci_devices.append(dev)
    rc, lines = x86.run([], capsys)
    _expect(rc, lines, 'memory region %d' % hpet, 'covers IOMMU unit 0')
    _expect(rc, lines, 'PCI device 0000:00:03.0 is IOMMU unit 0')


def test_pio_overlap_betweenshipped(x86, capsys):
    x86.cell('apic-demo').pio_regions.append(
        config.PioRegion(base=0x2f8, length=8))
    x86.cell('tiny-demo').pio_regions.append(
        config.PioRegion(base=0x2fc, length=2))
    _expect(*x86.run(['apic-demo', 'tiny-demo'], capsys),
            'PIO region 0', 'overlaps', file='tiny-demo')


def test_pio_debug_console_may_be_shared(x86, capsys):
    for name in ('apic-demo', 'tiny-demo'):
        x86.cell(name).pio_regions.append(
            config.PioRegion(base=0x3f8, length=8))
    rc, lines = x86.run(['apic-demo', 'tiny-demo'], capsys)
    assert rc == 0, lines


def test_pio_out_of_range(x86, capsys):
    x86.cell('apic-demo').pio_regions.append(
        config.PioRegion(base=0xfff0, length=0x20))
    _expect(*x86.run(['apic-demo'], capsys), 'exceeds the port range')


def test_pio_on_arm(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').pio_regions.append(
        config.PioRegion(base=0x3f8, length=8))
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'warning',
              'PIO regions on')


def test_irq_pin_twice(arm64, capsys):
    chip = arm64.cell('qemu-arm64-ivshmem-demo').irqchips[0]
    arm64.cell('qemu-arm64-inmate-demo').irqchips.append(chip.copy())
    _expect(*arm64.run(['qemu-arm64-ivshmem-demo', 'qemu-arm64-inmate-demo'],
                       capsys), 'pin 140 also given to')


def test_irq_pin_not_in_root(arm64, capsys):
    root_chip = arm64.system.root_cell.irqchips[0]
    root_chip.pin_bitmap = [0xffffffff, 0xffffffff, 0xffffffff, 0]
    _expect(*arm64.run(['qemu-arm64-ivshmem-demo'], capsys),
            'pins 140 are not pins of the root cell')


def test_pci_device_twice(x86, capsys):
    dev = x86.cell('pci-demo').pci_devices[0]
    cap = x86.cell('pci-demo').pci_caps[0]
    apic = x86.cell('apic-demo')
    apic.pci_caps.append(cap.copy())
    apic.pci_devices.append(dev.copy())
    _expect(*x86.run(['pci-demo', 'apic-demo'], capsys),
            'PCI device 0000:00:10.0 also given to')


def test_pci_device_not_in_root(x86, capsys):
    x86.cell('pci-demo').pci_devices[0].bdf = 0x11 << 3
    _accepted(*x86.run(['pci-demo'], capsys), 'warning', '0000:00:11.0',
              'is not a device of the root cell')


def test_pci_bdf_twice_in_cell(x86, capsys):
    cell = x86.cell('pci-demo')
    cell.pci_devices.append(cell.pci_devices[0].copy())
    _expect(*x86.run(['pci-demo'], capsys), 'same BDF as PCI device 0')


def test_cpu_twice(x86, capsys):
    x86.cell('tiny-demo').cpus = {3}
    _expect(*x86.run(['apic-demo', 'tiny-demo'], capsys),
            'CPU 3 also given to cell "apic-demo"', file='tiny-demo')


def test_cpu_not_in_root(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').cpus = {7}
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'CPUs 7 are not CPUs of the root cell')


def test_root_left_without_cpus(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').cpus = {0, 3}
    _expect(*arm64.run(['qemu-arm64-inmate-demo', 'qemu-arm64-uart-demo',
                        'qemu-arm64-ivshmem-demo'], capsys),
            'left without CPUs')


def test_no_cpus(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').cpus = set()
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'no CPUs')


def test_alignment(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[1].phys_start += 0x800
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'not page aligned')


def test_hypervisor_memory_alignment(arm64, capsys):
    arm64.system.hypervisor_memory.size = 0x400800
    _expect(*arm64.run([], capsys), 'hypervisor memory', 'not page aligned')


def test_size_zero(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[1].size = 0
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'warning',
              'size 0')


def test_flag_combination_comm_loadable(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[2].flags |= \
        C.JAILHOUSE_MEM_LOADABLE
    _accepted(*arm64.run(['qemu-arm64-inmate-demo'], capsys), 'warning',
              'comm region combined with LOADABLE')


def test_flag_loadable_in_root(arm64, capsys):
    arm64.system.root_cell.memory_regions[9].flags |= \
        C.JAILHOUSE_MEM_LOADABLE
    _accepted(*arm64.run([], capsys), 'note',
              'LOADABLE means nothing for the root cell')


def test_flag_unknown(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').memory_regions[1].flags |= 0x4000
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'unknown flags 0x4000')


def test_flag_aarch32_on_x86(x86, capsys):
    x86.cell('apic-demo').flags |= C.JAILHOUSE_CELL_AARCH32
    _expect(*x86.run(['apic-demo'], capsys), 'AARCH32 is only valid')


def test_two_comm_regions(arm64, capsys):
    cell = arm64.cell('qemu-arm64-inmate-demo')
    extra = cell.memory_regions[2].copy()
    extra.virt_start = 0x80001000
    cell.memory_regions.append(extra)
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'more than one comm region')


def test_console_pio_on_arm(arm64, capsys):
    arm64.cell('qemu-arm64-inmate-demo').console.flags = 0
    _expect(*arm64.run(['qemu-arm64-inmate-demo'], capsys),
            'port I/O console on arm64')


def test_gic_version(arm64, capsys):
    arm64.system.platform_info.arm.gic_version = 4
    _expect(*arm64.run([], capsys), 'GIC version 4')


def test_duplicate_names(arm64, capsys):
    arm64.cell('qemu-arm64-uart-demo').name = 'inmate-demo'
    _expect(*arm64.run(['qemu-arm64-inmate-demo', 'qemu-arm64-uart-demo'],
                       capsys), 'cell name "inmate-demo" also used')


def test_architecture_mismatch(arm64, tmp_path, capsys):
    x86_cell = shipped('x86')['apic-demo']
    rc = config_check.main([arm64.write('sys', arm64.system), x86_cell])
    lines = capsys.readouterr()[0].splitlines()
    _expect(rc, lines, 'architecture x86 does not match', file='apic-demo')


def test_system_given_as_cell(arm64, capsys):
    path = arm64.write('sys', arm64.system)
    rc = config_check.main([path, path])
    _expect(rc, capsys.readouterr()[0].splitlines(),
            'expected a cell configuration')


@pytest.mark.parametrize('content,words', [
    (b'', 'empty file'),
    (b'JHCLL\x02\x0e\x00', 'truncated'),
    (b'hello world', 'not a Jailhouse configuration'),
])
def test_bad_files(arm64, tmp_path, capsys, content, words):
    bad = tmp_path / 'bad.cell'
    bad.write_bytes(content)
    rc = config_check.main([arm64.write('sys', arm64.system), str(bad)])
    out, err = capsys.readouterr()
    assert 'Traceback' not in out + err
    _expect(rc, out.splitlines(), words, file='bad')


def test_lists_every_problem(arm64, capsys):
    cell = arm64.cell('qemu-arm64-inmate-demo')
    cell.cpus = {7}
    cell.memory_regions[1].size = 0
    cell.memory_regions[0].flags |= 0x4000
    rc, lines = arm64.run(['qemu-arm64-inmate-demo'], capsys)
    assert rc == 1
    assert len(lines) >= 3
