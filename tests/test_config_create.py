# SPDX-License-Identifier: GPL-2.0-only
# `jailhouse config create` and `config collect` against recorded target trees: generated configs build, check and say the right things

import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile

import pytest

from abi_helpers import COMPILERS, have
from conftest import REPO
from confgen_data import data, dtb_tree, unpack
import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import (acpi_x86, cellblob,  # noqa: E402
                         config as jhconfig, config_check, config_collect,
                         config_create, devtree)
from pyjailhouse.abi import C  # noqa: E402
from pyjailhouse.platform_arm64 import Arm64Platform  # noqa: E402

MiB = 1 << 20


def create(capsys, *argv):
    """(exit status, stderr) of config create."""
    status = config_create.main([str(a) for a in argv])
    return status, capsys.readouterr().err


def build(arch, source, tmp_path):
    compiler = COMPILERS[arch]
    if not have(compiler):
        pytest.skip('%s not installed' % compiler)
    out = str(tmp_path / (os.path.basename(str(source))[:-2] + '.cell'))
    cellblob.build_cell(compiler, str(source),
                        [os.path.join(REPO, 'include')], arch, out)
    return out


def generated(capsys, tmp_path, name, *argv):
    path = tmp_path / name
    status, err = create(capsys, *(list(argv) + [path]))
    assert status == 0, err
    return path


# -- ARM64 ------------------------------------------------------------------

def test_arm64_gicv3_system_and_cell(capsys, tmp_path):
    dtb = data('dt', 'qemu-virt-gicv3.dtb')
    sysc = generated(capsys, tmp_path, 'sys.c', '-d', dtb)
    cellc = generated(capsys, tmp_path, 'cell.c', '-d', dtb, '--cell',
                      'gic-demo', '--cpus', '3', '--mem', '64K')
    system = jhconfig.load(build('arm64', sysc, tmp_path), kind='system')
    cell = jhconfig.load(build('arm64', cellc, tmp_path), kind='cell')
    assert system.problems() == [] and cell.problems() == []
    assert list(config_check.check_together(system, [('cell', cell)])) == []
    # mem=768M of 1 GiB at 0x40000000: 6 MiB hypervisor at the top
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x7fa00000, 6 * MiB)
    arm = system.platform_info.arm
    assert (arm.gic_version, arm.gicd_base, arm.gicr_base,
            arm.maintenance_irq) == (3, 0x08000000, 0x080a0000, 25)
    assert (system.debug_console.type, system.debug_console.address) == \
        (C.JAILHOUSE_CON_TYPE_PL011, 0x09000000)
    root = system.root_cell
    assert root.cpus == {0, 1, 2, 3}
    starts = {r.phys_start: r for r in root.memory_regions}
    assert starts[0x40000000].size == 0x3fa00000          # RAM without HV
    assert starts[0x08080000].flags & C.JAILHOUSE_MEM_IO   # GIC ITS
    assert 0x08000000 not in starts                        # GICD emulated
    assert starts[0x4010000000].size == 0x10000000         # PCI ECAM
    assert all(r.phys_start + r.size <= 1 << 39 for r in root.memory_regions)
    assert cell.cpus == {3}
    ram = [r for r in cell.memory_regions
           if r.flags & C.JAILHOUSE_MEM_LOADABLE][0]
    assert (ram.phys_start, ram.virt_start, ram.size) == (0x7ae00000, 0,
                                                          0x10000)


def test_arm64_gicv2(capsys, tmp_path):
    sysc = generated(capsys, tmp_path, 'sys.c', '-d',
                     data('dt', 'qemu-virt-gicv2.dtb'))
    system = jhconfig.load(build('arm64', sysc, tmp_path), kind='system')
    arm = system.platform_info.arm
    assert (arm.gic_version, arm.gicd_base, arm.gicc_base, arm.gich_base,
            arm.gicv_base, arm.maintenance_irq) == (
                2, 0x08000000, 0x08010000, 0x08030000, 0x08040000, 25)
    assert system.problems() == []
    # the GICv2m MSI frame stays with the root cell
    assert any(r.phys_start == 0x08020000
               for r in system.root_cell.memory_regions)


def test_arm64_cell_with_a_device(capsys, tmp_path):
    dtb = data('dt', 'qemu-virt-gicv3.dtb')
    sysc = generated(capsys, tmp_path, 'sys.c', '-d', dtb)
    cellc = generated(capsys, tmp_path, 'cell.c', '-d', dtb, '--cell', 'rtc',
                      '--cpus', '2-3', '--mem', '2M', '--mem-offset', '1M',
                      '--device', '/pl031@9010000')
    system = jhconfig.load(build('arm64', sysc, tmp_path), kind='system')
    cell = jhconfig.load(build('arm64', cellc, tmp_path), kind='cell')
    assert list(config_check.check_together(system, [('cell', cell)])) == []
    assert cell.cpus == {2, 3}
    assert [c.pins for c in cell.irqchips] == [{34}]
    assert any(r.phys_start == 0x09010000 for r in cell.memory_regions)


def test_arm64_real_board_juno_r2(capsys, tmp_path):
    """The published Juno r2 device tree (an excerpt, see tests/data):
    two memory banks with mem= reaching into the second, 2-cell MPIDRs,
    GIC-400 with GICv2m frames behind `ranges`, PCIe with a 64-bit
    window, an I2C bus whose children are no MMIO devices."""
    root = dtb_tree('juno-r2-excerpt.dtb', tmp_path / 'root',
                    cmdline='console=ttyAMA0 mem=2G')
    sysc = generated(capsys, tmp_path, 'juno.c', '-r', root)
    cellc = generated(capsys, tmp_path, 'cell.c', '-r', root, '--cell',
                      'uart', '--cpus', '4-5', '--device', '/ohci@7ffb0000')
    system = jhconfig.load(build('arm64', sysc, tmp_path), kind='system')
    cell = jhconfig.load(build('arm64', cellc, tmp_path), kind='cell')
    assert system.problems() == []
    assert list(config_check.check_together(system, [('cell', cell)])) == []
    # mem=2G: 2032 MiB of bank 1 and 16 MiB of bank 2 for Linux; the
    # hypervisor at the top of bank 2 (0x880000000 + 6 GiB)
    assert system.hypervisor_memory.phys_start == 0xa00000000 - 6 * MiB
    arm = system.platform_info.arm
    assert (arm.gic_version, arm.gicd_base, arm.gicc_base, arm.gich_base,
            arm.gicv_base, arm.maintenance_irq) == (
                2, 0x2c010000, 0x2c02f000, 0x2c04f000, 0x2c06f000, 25)
    assert system.debug_console.address == 0x7ff80000
    root_cell = system.root_cell
    assert root_cell.cpus == set(range(6))
    starts = {r.phys_start: r.size for r in root_cell.memory_regions}
    assert starts[0x80000000] == 0x7f000000
    assert starts[0x2c1c0000] == 0x40000                      # v2m frames
    assert starts[0x4000000000] == 0x100000000                # 64-bit window
    assert 0x2c010000 not in starts and 0x2c02f000 not in starts
    assert 0x70 not in starts                                 # I2C child
    # SPIs up to 192 (the bus's interrupt-map names SPI 160 + 32)
    assert [c.pin_base for c in root_cell.irqchips] == [32, 160]
    assert [c.pins for c in cell.irqchips] == [{148}]      # SPI 116 + 32
    text = sysc.read_text()
    assert 'CPUs (index: MPIDR): 0: 0x0, 1: 0x1, 2: 0x100, 3: 0x101' in text


def test_committed_generated_configs_match_the_recording(capsys, tmp_path):
    """configs/arm64/qemu-arm64-dt*.c are what `config create` gives from
    the tree collected on the full-stack target."""
    root = unpack('arm64/qemu-virt-gicv3.tar.gz', tmp_path / 'root')
    for name, extra in (('qemu-arm64-dt', []),
                        ('qemu-arm64-dt-gic-demo',
                         ['--cell', 'gic-demo', '--cpus', '3', '--mem',
                          '64K'])):
        out = generated(capsys, tmp_path, name + '.c', '-r', root, *extra)
        with open(os.path.join(REPO, 'configs', 'arm64', name + '.c')) as f:
            assert out.read_text() == f.read()


def test_proc_device_tree_equals_the_dtb(capsys, tmp_path):
    """The directory parser and the blob parser see the same tree."""
    root = dtb_tree('qemu-virt-gicv3.dtb', tmp_path / 'root')
    from_dir = generated(capsys, tmp_path, 'a.c', '-r', root)
    from_dtb = generated(capsys, tmp_path, 'b.c', '-d',
                         data('dt', 'qemu-virt-gicv3.dtb'))
    strip = lambda p: [l for l in p.read_text().splitlines()  # noqa: E731
                       if 'generated by' not in l]
    assert strip(from_dir) == strip(from_dtb)


def test_reserved_memory_node_and_console_option(tmp_path):
    with open(data('dt', 'qemu-virt-gicv3.dtb'), 'rb') as f:
        tree = devtree.from_dtb(f.read())
    resv = devtree.Node('reserved-memory', tree.root)
    resv.props.update({'#address-cells': b'\0\0\0\2',
                       '#size-cells': b'\0\0\0\2', 'ranges': b''})
    node = devtree.Node('jailhouse@70000000', resv)
    node.props.update({'reg': bytes.fromhex('0000000070000000'
                                             '0000000008000000'),
                       'no-map': b''})
    resv.children.append(node)
    tree.root.children.append(resv)
    plat = Arm64Platform.from_tree(tree, 'console=ttyAMA0', 2 * MiB,
                                   16 * MiB, console='/pl011@9000000')
    assert plat.hv == (0x77e00000, 2 * MiB)
    assert plat.inmates == (0x76e00000, 16 * MiB)
    assert plat.console['type'] == 'PL011'


# -- x86 --------------------------------------------------------------------

def test_x86_q35(capsys, tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    sysc = generated(capsys, tmp_path, 'q35.c', '-r', root)
    system = jhconfig.load(build('x86', sysc, tmp_path), kind='system')
    assert system.problems() == []
    assert (system.hypervisor_memory.phys_start,
            system.hypervisor_memory.size) == (0x3a000000, 6 * MiB)
    info = system.platform_info
    assert (info.pci_mmconfig_base, info.pci_mmconfig_end_bus,
            info.x86.pm_timer_address) == (0xb0000000, 0xff, 0x608)
    assert (system.debug_console.type, system.debug_console.address) == \
        (C.JAILHOUSE_CON_TYPE_8250, 0x3f8)
    root_cell = system.root_cell
    assert root_cell.cpus == {0, 1, 2, 3}
    assert [d.bdf for d in root_cell.pci_devices] == [0x00, 0x08, 0x10, 0xf8,
                                                      0xfa, 0xfb]
    e1000e = root_cell.pci_devices[2]
    assert list(e1000e.bar_mask) == [0xfffe0000, 0xfffe0000, 0xffffffe0,
                                     0xffffc000, 0, 0]
    assert (e1000e.num_msi_vectors, e1000e.num_msix_vectors,
            e1000e.msix_address) == (1, 5, 0xfebd0000)
    caps = root_cell.pci_caps[e1000e.caps_start:
                              e1000e.caps_start + e1000e.num_caps]
    assert [c.id for c in caps][:4] == [0x01, 0x05, 0x10, 0x11]
    assert [(c.address, c.id) for c in root_cell.irqchips] == \
        [(0xfec00000, 0xff00)]
    regions = {r.phys_start: r for r in root_cell.memory_regions}
    assert regions[0].flags & C.JAILHOUSE_MEM_DMA            # page 0 is RAM
    assert regions[0x3a600000].size == 76 * MiB              # for cells
    assert all(not (r.phys_start < 0x3a600000 and
                    r.phys_start + r.size > 0x3a000000)
               for r in root_cell.memory_regions)            # HV kept out
    assert 0xb0000000 not in regions                         # MMCONFIG
    ports = {(p.base, p.length) for p in root_cell.pio_regions}
    assert (0x3f8, 8) in ports and not any(b <= 0xcf8 < b + n
                                           for b, n in ports)


def test_x86_amd_iommu_units_per_device(capsys, tmp_path):
    """Each PCI device goes to the AMD IOMMU unit whose IVRS entries name
    it; the IOAPIC gets its BDF from the special-device entry."""
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')

    def ivhd(base, entries):
        return struct.pack('<BBHHHQHHI', 0x10, 0, 24 + len(entries), 0x02,
                           0x40, base, 0, 0, 0) + entries
    body = ivhd(0xfeb00000, struct.pack('<BHB', 2, 0x10, 0)) + \
        ivhd(0xfeb80000, struct.pack('<BHB', 1, 0, 0) +
             struct.pack('<BHBBHB', 0x48, 0, 0, 0, 0xa0, 1))
    table = b'IVRS' + struct.pack('<I', 48 + len(body)) + bytes(40) + body
    with open(os.path.join(root, 'sys/firmware/acpi/tables/IVRS'),
              'wb') as fileobj:
        fileobj.write(table)
    sysc = generated(capsys, tmp_path, 'q35.c', '-r', root)
    system = jhconfig.load(build('x86', sysc, tmp_path), kind='system')
    assert [u.base for u in system.iommu_units[:2]] == [0xfeb00000,
                                                        0xfeb80000]
    assert {d.bdf: d.iommu for d in system.root_cell.pci_devices} == \
        {0x00: 1, 0x08: 1, 0x10: 0, 0xf8: 1, 0xfa: 1, 0xfb: 1}
    assert [c.id for c in system.root_cell.irqchips] == [1 << 16 | 0xa0]


def test_x86_q35_with_amd_iommu(capsys, tmp_path):
    """The recording of q35 with QEMU's amd-iommu (an IVRS table): one AMD
    unit at the IVHD's base with the IOMMU's own function (00:03.0) kept
    from the root cell; the edu device behind it."""
    root = unpack('x86/qemu-q35-iommu.tar.gz', tmp_path / 'root')
    sysc = generated(capsys, tmp_path, 'q35-iommu.c', '-r', root)
    system = jhconfig.load(build('x86', sysc, tmp_path), kind='system')
    assert system.problems() == []
    units = [u for u in system.iommu_units if u.type]
    assert [(u.type, u.base, u.amd.bdf, u.amd.base_cap) for u in units] == \
        [(C.JAILHOUSE_IOMMU_AMD, 0xfed80000, 0x18, 0x40)]
    bdfs = [d.bdf for d in system.root_cell.pci_devices]
    assert 0x18 not in bdfs and 0x80 in bdfs, bdfs
    assert not any(r.phys_start <= 0xfed80000 < r.phys_start + r.size
                   for r in system.root_cell.memory_regions)
    assert config_check.main([build('x86', sysc, tmp_path)]) == 0


def _pci_caps(config):
    """[(offset, ID)] of a function's capability list, in chain order."""
    caps, pos = [], config[0x34] & 0xfc
    while pos and len(caps) < 48:
        caps.append((pos, config[pos]))
        pos = config[pos + 1] & 0xfc
    return caps


def test_x86_q35_amd_iommu_msi_cap_and_features(capsys, tmp_path):
    """The AMD unit's msi_cap and features, from the recording's data.
    The IOMMU function 00:03.0 lists MSI twice: QEMU puts a 4-byte
    placeholder at 0x58 (control 0, the HyperTransport capability right
    behind it at 0x5c) and its working MSI capability (64-bit) at 0x60,
    first in the chain, where Linux finds it and where the hypervisor
    must program the unit's interrupt; upstream's config create takes the
    last one, 0x58.  features is the IVHD type 10h feature field as the
    firmware wrote it, 0x44 (GTSup, GASup; HESup, bit 7, clear): upstream's
    tool sets bit 0 on top as a "given" marker, but that bit is XTSup
    (x2APIC support) in the AMD IOMMU specification, which QEMU does not
    report."""
    root = unpack('x86/qemu-q35-iommu.tar.gz', tmp_path / 'root')
    with open(os.path.join(root, 'sys/bus/pci/devices/0000:00:03.0/'
                           'config'), 'rb') as f:
        pci = f.read()
    assert _pci_caps(pci) == [(0x60, 0x05), (0x5c, 0x08), (0x58, 0x05),
                              (0x40, 0x0f)]
    assert pci[0x62] & 0x80 and pci[0x5a] == 0     # 64-bit; placeholder
    with open(os.path.join(root, 'sys/firmware/acpi/tables/IVRS'),
              'rb') as f:
        ivrs = f.read()
    assert ivrs[48] == 0x10 and ivrs[48 + 20] == 0x44   # type, features
    sysc = generated(capsys, tmp_path, 'q35-iommu.c', '-r', root)
    unit = jhconfig.load(build('x86', sysc, tmp_path),
                         kind='system').iommu_units[0]
    assert (unit.amd.msi_cap, unit.amd.features) == (0x60, 0x44)


def test_x86_amd_iommu_features_of_type_11h_blocks(capsys, tmp_path):
    """A type 11h IVHD block carries the EFR's exact copy, no feature
    field: features is 0 (the hypervisor reads the register; upstream's
    would take EFR bits for feature-field bits, EFR bit 7 GASup for
    HESup)."""
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    efr = 1 << 8 | 1 << 7 | 1 << 2
    block = struct.pack('<BBHHHQHHIQQ', 0x11, 0, 40, 0x02, 0x40,
                        0xfeb00000, 0, 0, 0x12345678, efr, 0) + \
        struct.pack('<BHB', 1, 0, 0)
    block = block[:2] + struct.pack('<H', len(block)) + block[4:]
    table = b'IVRS' + struct.pack('<I', 48 + len(block)) + bytes(40) + block
    with open(os.path.join(root, 'sys/firmware/acpi/tables/IVRS'),
              'wb') as fileobj:
        fileobj.write(table)
    unit = acpi_x86.ivrs(table)['units'][0]
    assert (unit['features'], unit['efr']) == (0, efr)
    sysc = generated(capsys, tmp_path, 'q35.c', '-r', root)
    system = jhconfig.load(build('x86', sysc, tmp_path), kind='system')
    assert system.iommu_units[0].amd.features == 0


def test_committed_x86_config_matches_the_recording(capsys, tmp_path):
    """configs/x86/qemu-x86-generated.c is what `config create -r` gives
    from the tree the collector recorded on q35 (the build turns it into a
    .cell; apic-demo and tiny-demo check against it, see abi_helpers)."""
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    out = generated(capsys, tmp_path, 'q35.c', '-r', root)
    with open(os.path.join(REPO, 'configs', 'x86',
                           'qemu-x86-generated.c')) as f:
        assert out.read_text() == f.read()


def test_x86_reservation_too_small(capsys, tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    status, err = create(capsys, '-r', root, '--mem-inmates', '80M',
                         tmp_path / 'x.c')
    assert status == 1
    assert err == ('jailhouse config create: memmap= reserves 82 MiB at '
                   '0x3a000000, the hypervisor (--mem-hv 6 MiB) and the '
                   'cells (--mem-inmates 80 MiB) need 86 MiB\n')


# -- collect ------------------------------------------------------------------

def test_collect_then_create_gives_the_same_file(capsys, tmp_path):
    root = dtb_tree('qemu-virt-gicv3.dtb', tmp_path / 'root')
    direct = generated(capsys, tmp_path, 'direct.c', '-r', root)
    tar = tmp_path / 'collected.tar'
    assert config_collect.main(['-r', root, str(tar)]) == 0
    assert 'files in' in capsys.readouterr().out
    with tarfile.open(str(tar)) as archive:
        archive.extractall(str(tmp_path / 'unpacked'))
    again = generated(capsys, tmp_path, 'again.c', '-r',
                      tmp_path / 'unpacked')
    assert direct.read_text() == again.read_text()


def test_collector_script(capsys, tmp_path):
    script = generated(capsys, tmp_path, 'collect.sh', '-g')
    text = script.read_text()
    assert os.access(str(script), os.X_OK)
    assert text.startswith('#!/bin/sh\n') and '${' not in text
    for path in ('/proc/iomem', '/proc/cmdline', '/sys/bus/pci/devices/*/'
                 'config', '/proc/device-tree'):
        assert path in text
    if shutil.which('sh'):
        subprocess.run(['sh', '-n', str(script)], check=True)
        result = subprocess.run(['sh', str(script)], capture_output=True,
                                text=True)
        assert result.returncode == 2 and 'usage' in result.stderr


# -- bad input: one line naming what is missing ---------------------------

def _one_line(err):
    assert err.startswith('jailhouse config create: ') and \
        err.count('\n') == 1, err
    return err


def test_dt_without_gic(capsys, tmp_path):
    root = dtb_tree('qemu-virt-gicv3.dtb', tmp_path / 'root')
    shutil.rmtree(os.path.join(root, 'proc', 'device-tree', 'intc@8000000'))
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert 'no GIC: no interrupt controller compatible with arm,gic-v3' in \
        _one_line(err)


def test_arm64_without_mem_limit(capsys, tmp_path):
    root = dtb_tree('qemu-virt-gicv3.dtb', tmp_path / 'root',
                    cmdline='console=ttyAMA0')
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert 'no memory for the hypervisor: boot Linux with mem=SIZE' in \
        _one_line(err)


def test_arm64_mem_limit_leaves_too_little(capsys, tmp_path):
    root = dtb_tree('qemu-virt-gicv3.dtb', tmp_path / 'root',
                    cmdline='mem=1000M')
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert 'mem=1000 MiB leaves 24 MiB unused at 0x7e800000-0x7fffffff' in \
        _one_line(err)


def test_x86_without_memmap(capsys, tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    with open(os.path.join(root, 'proc', 'cmdline'), 'w') as f:
        f.write('console=ttyS0 quiet\n')
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert 'no memmap=SIZE$ADDRESS on the kernel command line' in \
        _one_line(err)


@pytest.mark.parametrize('path', ['proc/iomem', 'proc/cmdline'])
def test_x86_unreadable_file(capsys, tmp_path, path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    os.unlink(os.path.join(root, path))
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert _one_line(err) == ('jailhouse config create: cannot read %s: No '
                              'such file or directory\n'
                              % os.path.join(root, path))


def test_x86_without_mcfg(capsys, tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    os.unlink(os.path.join(root, 'sys/firmware/acpi/tables/MCFG'))
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1
    assert 'no PCI MMCONFIG area: ACPI table MCFG missing' in _one_line(err)


def test_not_a_dtb(capsys, tmp_path):
    bad = tmp_path / 'bad.dtb'
    bad.write_bytes(b'\0' * 64)
    status, err = create(capsys, '-d', bad, tmp_path / 'x.c')
    assert status == 1
    assert 'not a device tree blob (magic 0x0)' in _one_line(err)


def test_no_such_root(capsys, tmp_path):
    status, err = create(capsys, '-r', tmp_path / 'nowhere', tmp_path / 'x.c')
    assert status == 1 and 'no such directory' in _one_line(err)


@pytest.mark.parametrize('argv,message', [
    (['--cell', 'c', '--cpus', '7'], '--cpus 7: CPU 7 does not exist'),
    (['--cell', 'c', '--cpus', '0-3'], 'the root cell needs at least one'),
    (['--cell', 'c', '--mem', '100M'], 'exceed the 76 MiB of memory for '
     'non-root cells'),
    (['--cell', 'c', '--device', '/nosuch'], '--device /nosuch: no such'),
    (['--cpus', '3'], '--cpus and --device need --cell NAME'),
])
def test_bad_cell_options(capsys, tmp_path, argv, message):
    status, err = create(capsys, '-d', data('dt', 'qemu-virt-gicv3.dtb'),
                         *(argv + [tmp_path / 'x.c']))
    assert status == 1 and message in _one_line(err)


def test_jailhouse_enabled_is_refused(capsys, tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    os.makedirs(os.path.join(root, 'sys/devices/jailhouse'))
    with open(os.path.join(root, 'sys/devices/jailhouse/enabled'), 'w') as f:
        f.write('1\n')
    status, err = create(capsys, '-r', root, tmp_path / 'x.c')
    assert status == 1 and 'Jailhouse is enabled' in _one_line(err)


def test_collect_needs_no_driver(capsys, tmp_path):
    """`jailhouse config collect` through the jailhouse command, on this
    machine as it is (no jailhouse module loaded): as root it packs what
    create reads and create gives a configuration from it; otherwise it
    says in one line that it must run as root."""
    if os.path.exists('/sys/devices/jailhouse'):
        pytest.skip('the jailhouse module is loaded here')
    out = tmp_path / 'live.tar'
    result = subprocess.run([sys.executable,
                             os.path.join(REPO, 'tools', 'jailhouse'),
                             'config', 'collect', str(out)],
                            capture_output=True, text=True, timeout=120)
    if os.geteuid() != 0:
        assert result.returncode == 1 and result.stderr == (
            'jailhouse config collect: run it as root (the ACPI tables and '
            'PCI configuration spaces are readable by root only)\n')
        return
    assert result.returncode == 0, result.stderr
    assert re.match(r'jailhouse config collect: \d+ files in ',
                    result.stdout), result.stdout
    with tarfile.open(str(out)) as tar:
        names = tar.getnames()
    assert 'proc/cpuinfo' in names and 'proc/cmdline' in names, names
    assert not any('not implemented' in t for t in (result.stdout,
                                                     result.stderr))


def test_collect_as_non_root_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(os, 'geteuid', lambda: 1000)
    assert config_collect.main([str(tmp_path / 'x.tar')]) == 1
    assert capsys.readouterr().err == (
        'jailhouse config collect: run it as root (the ACPI tables and PCI '
        'configuration spaces are readable by root only)\n')
    assert not os.path.exists(str(tmp_path / 'x.tar'))


# -- the command line ---------------------------------------------------------

def test_jailhouse_config_create_help():
    result = subprocess.run([sys.executable,
                             os.path.join(REPO, 'tools', 'jailhouse'),
                             'config', 'create', '--help'],
                            capture_output=True, text=True)
    assert result.returncode == 0
    for option in ('-g', '-r ROOT', '--mem-inmates SIZE', '--mem-hv SIZE',
                   '-t TEMPLATE_DIR', '-c CONSOLE', '--cell NAME'):
        assert option in result.stdout


def test_template_dir_option(capsys, tmp_path):
    templates = tmp_path / 'templates'
    shutil.copytree(os.path.join(REPO, 'tools', 'templates'), str(templates))
    path = templates / 'root-cell-config-arm64.c.tmpl'
    path.write_text('/* custom */\n' + path.read_text())
    out = generated(capsys, tmp_path, 'x.c', '-t', templates, '-d',
                    data('dt', 'qemu-virt-gicv3.dtb'))
    assert out.read_text().startswith('/* custom */\n')
    status, err = create(capsys, '-t', tmp_path, '-d',
                         data('dt', 'qemu-virt-gicv3.dtb'), tmp_path / 'y.c')
    assert status == 1 and 'template root-cell-config-arm64.c.tmpl not ' \
        'found in %s' % tmp_path in _one_line(err)


@pytest.mark.skipif(not shutil.which('groff'), reason='no groff')
@pytest.mark.parametrize('name', ['jailhouse-config', 'jailhouse-hardware'])
def test_man_pages_format_cleanly(name, tmp_path):
    with open(os.path.join(REPO, 'tools', 'man', name + '.8.in')) as f:
        text = f.read()
    page = tmp_path / (name + '.8')
    page.write_text(text.replace('@DATE@', '2026-01-01')
                    .replace('@VERSION@', '0')
                    .replace('@DATADIR@', '/usr/share'))
    result = subprocess.run(['groff', '-man', '-ww', '-z', str(page)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ''


def test_mapped_msix_table_is_an_error(capsys, tmp_path):
    """The x86 hypervisor emulates a device's MSI-X table and refuses a
    configuration that maps it: the generator leaves it out, and the
    checker reports a region that covers it as an error."""
    source = os.path.join(REPO, 'configs', 'x86', 'qemu-x86-generated.c')
    system = jhconfig.load(build('x86', source, tmp_path), kind='system')
    e1000e = [d for d in system.root_cell.pci_devices if d.msix_address]
    assert e1000e, 'the recording has a device with an MSI-X table'
    table = e1000e[0].msix_address
    assert not [r for r in system.root_cell.memory_regions
                if r.size and r.virt_start <= table < r.virt_end]
    assert system.problems() == []
    bar = [r for r in system.root_cell.memory_regions
           if r.virt_start == table + 0x1000][0]
    bar.phys_start -= 0x1000
    bar.virt_start -= 0x1000
    bar.size += 0x1000
    found = [f for f in system.problems() if 'MSI-X table' in f]
    assert len(found) == 1 and 'is mapped by memory region' in found[0], \
        system.problems()
