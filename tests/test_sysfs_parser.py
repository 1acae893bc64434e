# SPDX-License-Identifier: GPL-2.0-only
# pyjailhouse.sysfs_parser's hardware analysis (upstream's names) on the recorded q35 tree and on DMAR/IVRS tables built here

"""The recorded QEMU q35 tree (tests/data/x86) read through upstream's
sysfs_parser names; the IOMMU tables q35 lacks are built here byte by byte
from the ACPI, VT-d and AMD IOMMU layouts, and an upstream-style script
(written against upstream's documented module API) runs on the result."""

import os
import struct
import subprocess
import sys
import textwrap

import pytest

from confgen_data import unpack
import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import acpi_x86, sysfs_parser  # noqa: E402

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), 'tools')
TABLES = 'sys/firmware/acpi/tables'


@pytest.fixture
def q35(tmp_path):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path / 'root')
    sysfs_parser.set_root_dir(root)
    yield root
    sysfs_parser.set_root_dir('/')


def acpi_table(signature, body, extra_header=12):
    """An ACPI table: the 36-byte header, extra_header bytes of the
    table's own header, then body."""
    length = 36 + extra_header + len(body)
    return signature + struct.pack('<I', length) + bytes(28 + extra_header) \
        + body


def write_table(root, name, data):
    with open(os.path.join(root, TABLES, name), 'wb') as fileobj:
        fileobj.write(data)


def dmar_scope(kind, enum_id, bus, dev, fn):
    return struct.pack('<BBHBBBB', kind, 8, 0, enum_id, bus, dev, fn)


def drhd(flags, base, scopes=b''):
    return struct.pack('<HHBBHQ', 0, 16 + len(scopes), flags, 0, 0, base) + \
        scopes


def rmrr(base, limit, scopes=b''):
    return struct.pack('<HHHHQQ', 1, 24 + len(scopes), 0, 0, base, limit) + \
        scopes


def ivhd(bdf, cap, base, features, entries):
    return struct.pack('<BBHHHQHHI', 0x10, 0, 24 + len(entries), bdf, cap,
                       base, 0, 0, features) + entries


def ivmd(kind, device, aux, start, size):
    return struct.pack('<BBHHH8xQQ', kind, 0, 32, device, aux, start, size)


def by_bdf(devices, text):
    return next(d for d in devices if '%02x:%02x.%x' % (d.bus, d.dev, d.fn)
                == text)


def test_pci_devices(q35):
    devices = sysfs_parser.parse_pcidevices()
    assert [str(d) for d in devices] == [
        'PCIDevice: 00:00.0', 'PCIDevice: 00:01.0', 'PCIDevice: 00:02.0',
        'PCIDevice: 00:1f.0', 'PCIDevice: 00:1f.2', 'PCIDevice: 00:1f.3']
    nic = by_bdf(devices, '00:02.0')
    assert nic.type == 'JAILHOUSE_PCI_TYPE_DEVICE' and nic.iommu is None
    assert nic.bdf() == 0x10 and nic.path.endswith('0000:00:02.0')
    assert [c.gen_id_str() for c in nic.caps] == [
        'PCI_CAP_ID_PM', 'PCI_CAP_ID_MSI', 'PCI_CAP_ID_EXP',
        'PCI_CAP_ID_MSIX', 'PCI_EXT_CAP_ID_ERR | JAILHOUSE_PCI_EXT_CAP',
        'PCI_EXT_CAP_ID_DSN | JAILHOUSE_PCI_EXT_CAP']
    msix = nic.caps[3]
    assert msix.id == sysfs_parser.PCI_CAP_ID.MSIX == 0x11
    assert (msix.start, msix.len, msix.flags) == \
        (0xa0, 12, 'JAILHOUSE_PCICAPS_WRITE')
    assert msix.msix_address == nic.msix_address == 0xfebd0000
    assert len(msix.content) == 10
    assert (nic.num_msix_vectors, nic.msix_region_size) == (5, 0x1000)
    assert (nic.num_msi_vectors, nic.msi_64bits, nic.msi_maskable) == \
        (1, 1, 0)
    assert nic.bars.mask[:2] == [0xfffe0000, 0xfffe0000]
    assert nic.num_caps == 6 and nic.caps[2].flags == '0'
    # the same, one directory at a time
    again = sysfs_parser.PCIDevice.parse_pcidevice_sysfsdir(
        '/sys/bus/pci/devices', '0000:00:02.0')
    assert again.caps == nic.caps and again.bars.mask == nic.bars.mask
    assert sysfs_parser.PCIBARs(nic.path).mask == nic.bars.mask


def test_disabled_device_is_left_out(q35):
    path = os.path.join(q35, 'sys/bus/pci/devices/0000:00:1f.3/config')
    with open(path, 'r+b') as fileobj:
        fileobj.write(b'\xff' * 4)
    assert '00:1f.3' not in [str(d)[-7:] for d in
                             sysfs_parser.parse_pcidevices()]


def test_memory_regions(q35):
    devices = sysfs_parser.parse_pcidevices()
    regions, dmar = sysfs_parser.parse_iomem(devices)
    assert dmar == []
    spans = [(r.start, r.stop) for r in regions]
    # RAM from page 0, the memmap=82M$0x3a000000 reservation left out
    assert (0, 0x9ffff) in spans and (0x100000, 0x39ffffff) in spans
    assert not any(s < 0x3f200000 and 0x3a000000 <= e for s, e in spans)
    ram = regions[spans.index((0x100000, 0x39ffffff))]
    assert ram.is_ram() and 'JAILHOUSE_MEM_DMA' in ram.flagstr()
    rom = [r for r in regions if r.typestr == 'Video ROM'][0]
    assert not rom.is_ram() and rom.flagstr() == 'JAILHOUSE_MEM_READ'
    # the NIC's MSI-X table page is cut out of its BAR
    assert (0xfebd1000, 0xfebd3fff) in spans
    assert not any(s <= 0xfebd0000 <= e for s, e in spans)
    # the hypervisor's: APICs and the PCI MMCONFIG window
    names = ' '.join(r.typestr for r in regions)
    assert 'APIC' not in names and 'MMCONFIG' not in names


def test_port_regions(q35):
    ports, pm_timer = sysfs_parser.parse_ioports()
    assert pm_timer == 0x608
    assert all(p.permit for p in ports)
    assert not any(p.start <= 0xcf8 <= p.stop for p in ports)
    assert ('%s' % ports[0]) == 'Port I/O: 0000-001f : dma1'
    assert (0x3f8, 0x3ff) in [(p.start, p.stop) for p in ports]


def test_ioapics_and_vendor(q35):
    ioapics = sysfs_parser.parse_madt()
    assert [(a.id, a.address, a.gsi_base) for a in ioapics] == \
        [(0, 0xfec00000, 0)]
    assert str(ioapics[0]) == 'IOAPIC 0, GSI base 0'
    assert sysfs_parser.get_cpu_vendor() == 'AuthenticAMD'


def test_intel_iommu(q35):
    scopes = dmar_scope(3, 0, 0xf0, 0x1f, 0)          # IOAPIC 0
    body = drhd(0, 0xfed90000, dmar_scope(1, 0, 0, 2, 0)) + \
        drhd(1, 0xfed91000, scopes) + \
        rmrr(0x3e000000, 0x3e000fff, dmar_scope(1, 0, 0, 0x1f, 2))
    write_table(q35, 'DMAR', acpi_table(b'DMAR', body))
    devices = sysfs_parser.parse_pcidevices()
    ioapics = sysfs_parser.parse_madt()
    units, regions = sysfs_parser.parse_dmar(devices, ioapics, [])
    assert [(u.type, u.base_addr, u.mmio_size, u.is_amd_iommu)
            for u in units] == [
        ('JAILHOUSE_IOMMU_INTEL', 0xfed90000, 0x1000, False),
        ('JAILHOUSE_IOMMU_INTEL', 0xfed91000, 0x1000, False)]
    # the NIC is named by unit 0, the rest falls to unit 1 (INCLUDE_ALL)
    assert by_bdf(devices, '00:02.0').iommu == 0
    assert {d.iommu for d in devices if d.bdf() != 0x10} == {1}
    assert (ioapics[0].iommu, ioapics[0].bdf) == (1, 0xf0f8)
    assert ioapics[0].irqchip_id() == 1 << 16 | 0xf0f8
    assert [(r.start, r.stop, r.typestr, r.comments) for r in regions] == \
        [(0x3e000000, 0x3e000fff, 'ACPI DMAR RMRR',
          ['PCI device: 00:1f.2'])]
    assert regions[0].is_ram()


def test_intel_iommu_size_from_the_dmar_region(q35):
    write_table(q35, 'DMAR', acpi_table(b'DMAR', drhd(1, 0xfed90000)))
    dmar = [sysfs_parser.MemRegion(0xfed90000, 0xfed92fff, 'dmar0')]
    units, _ = sysfs_parser.parse_dmar(sysfs_parser.parse_pcidevices(), [],
                                       dmar)
    assert units[0].mmio_size == 0x3000


def test_device_outside_every_iommu(q35):
    write_table(q35, 'DMAR', acpi_table(
        b'DMAR', drhd(0, 0xfed90000, dmar_scope(1, 0, 0, 2, 0))))
    with pytest.raises(RuntimeError, match='PCI device 00:00.0 outside the '
                       'scope of an IOMMU'):
        sysfs_parser.parse_dmar(sysfs_parser.parse_pcidevices(), [], [])


def test_amd_iommu(q35):
    entries = struct.pack('<BHB', 3, 0x0000, 0) + \
        struct.pack('<BHB', 4, 0x00ff, 0) + \
        struct.pack('<BHBBHB', 0x48, 0, 0, 0, 0xa0, 1)   # IOAPIC 0: 00:14.0
    body = ivhd(0xfa, 0x40, 0xfeb00000, 0x1234, entries) + \
        ivmd(0x21, 0x10, 0, 0x3e000000, 0x2000)
    write_table(q35, 'IVRS', acpi_table(b'IVRS', body))
    devices = sysfs_parser.parse_pcidevices()
    ioapics = sysfs_parser.parse_madt()
    units, regions = sysfs_parser.parse_ivrs(devices, ioapics)
    unit = units[0]
    assert unit.is_amd_iommu and unit.type == 'JAILHOUSE_IOMMU_AMD'
    # 00:1f.2 plays the IOMMU: its MSI capability, and no cell gets it
    assert (unit.base_addr, unit.amd_bdf, unit.amd_base_cap,
            unit.amd_msi_cap, unit.amd_features) == \
        (0xfeb00000, 0xfa, 0x40, 0x80, 0x1234)
    assert 0xfa not in [d.bdf() for d in devices]
    assert {d.iommu for d in devices} == {0}
    assert (ioapics[0].iommu, ioapics[0].bdf) == (0, 0xa0)
    assert [(r.start, r.stop, r.typestr, r.comments) for r in regions] == \
        [(0x3e000000, 0x3e001fff, 'ACPI IVRS', ['PCI device: 00:02.0'])]


def test_ivrs_device_entries():
    """Select, range, alias and all-devices entries; an ACPI HID entry of
    variable length does not derail the walk."""
    hid = struct.pack('<BHB8s8sBB', 0xf0, 0x99, 0, b'AMDI0020', bytes(8),
                      1, 3) + b'ID0'
    entries = struct.pack('<BHB', 2, 0x08, 0) + hid + \
        struct.pack('<BHBBHB', 0x42, 0x10, 0, 0, 0x18, 0) + \
        struct.pack('<BHB', 3, 0x20, 0) + struct.pack('<BHB', 4, 0x27, 0) + \
        struct.pack('<BHBBHB', 0x48, 0, 0, 5, 0xa1, 1)
    table = acpi_x86.ivrs(acpi_table(b'IVRS', ivhd(2, 0x40, 0xfeb00000, 0,
                                                   entries)))
    assert table['units'][0]['devices'] == [(0x08, 0x08), (0x10, 0x10),
                                            (0x18, 0x18), (0x20, 0x27)]
    assert table['ioapics'] == {5: (0, 0xa1)}
    everything = acpi_x86.ivrs(acpi_table(b'IVRS', ivhd(
        2, 0x40, 0xfeb00000, 0, struct.pack('<BHB', 1, 0, 0))))
    assert everything['units'][0]['devices'] == [(0, 0xffff)]


def test_errors_are_one_line_runtime_errors(q35):
    os.remove(os.path.join(q35, TABLES, 'APIC'))
    with pytest.raises(RuntimeError, match='^cannot read .*APIC'):
        sysfs_parser.parse_madt()
    with pytest.raises(RuntimeError, match='DMAR'):
        sysfs_parser.parse_dmar([], [], [])
    with open(os.path.join(q35, 'proc/cpuinfo'), 'w') as fileobj:
        fileobj.write('processor\t: 0\n')
    with pytest.raises(RuntimeError, match='no vendor_id'):
        sysfs_parser.get_cpu_vendor()


# Written against upstream's documented sysfs_parser API, the way its
# config generator uses it (not a copy of it).
UPSTREAM_STYLE_SCRIPT = textwrap.dedent('''
    import sys
    from pyjailhouse import sysfs_parser

    sysfs_parser.set_root_dir(sys.argv[1])
    pci = sysfs_parser.parse_pcidevices()
    mem, dmar = sysfs_parser.parse_iomem(pci)
    ports, pm_timer = sysfs_parser.parse_ioports()
    ioapics = sysfs_parser.parse_madt()
    if sysfs_parser.get_cpu_vendor() == 'AuthenticAMD':
        units, extra = sysfs_parser.parse_ivrs(pci, ioapics)
    else:
        units, extra = sysfs_parser.parse_dmar(pci, ioapics, dmar)
    caps = []
    for d in pci:
        if d.caps and d.caps not in [c for c, _ in caps]:
            d.caps[0].comments.append(str(d))
            caps.append((d.caps, d))
    print('pci', len(pci), 'caps', sum(len(c) for c, _ in caps))
    for r in mem + extra:
        print('mem %s %s %s' % (r.start_str(), r.size_str(),
                                r.flagstr().split()[-1]))
    print('pio', len([p for p in ports if p.permit]), hex(pm_timer))
    for chip in ioapics:
        print('ioapic', hex(chip.address), hex(chip.irqchip_id()))
    for u in units:
        print('iommu', u.type, hex(u.base_addr), hex(u.mmio_size))
''')


def test_upstream_style_script(q35, tmp_path):
    entries = struct.pack('<BHB', 1, 0, 0) + \
        struct.pack('<BHBBHB', 0x48, 0, 0, 0, 0xa0, 1)
    write_table(q35, 'IVRS', acpi_table(b'IVRS', ivhd(0xfa, 0x40, 0xfeb00000,
                                                      0, entries)))
    script = tmp_path / 'helper.py'
    script.write_text(UPSTREAM_STYLE_SCRIPT)
    result = subprocess.run([sys.executable, str(script), q35],
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=TOOLS))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == 'pci 5 caps 6'      # the IOMMU's function left out
    assert 'mem 0x100000 0x39f00000 JAILHOUSE_MEM_DMA' in lines
    assert 'mem 0xc0000 0xa000 JAILHOUSE_MEM_READ' in lines
    assert 'pio 18 0x608' in lines
    assert 'ioapic 0xfec00000 0xa0' in lines
    assert 'iommu JAILHOUSE_IOMMU_AMD 0xfeb00000 0x80000' in lines
