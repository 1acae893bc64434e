# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: upstream's pyjailhouse.sysfs_parser names over our x86 generator
"""Compatibility layer: the names of upstream's pyjailhouse.sysfs_parser,
for helper scripts that read a (collected) /proc and /sys tree of an x86
machine:

    from pyjailhouse import sysfs_parser
    sysfs_parser.set_root_dir('/tmp/collected')
    devices = sysfs_parser.parse_pcidevices()
    regions, dmar_regions = sysfs_parser.parse_iomem(devices)
    ports, pm_timer = sysfs_parser.parse_ioports()
    ioapics = sysfs_parser.parse_madt()
    if sysfs_parser.get_cpu_vendor() == 'GenuineIntel':
        units, rmrr = sysfs_parser.parse_dmar(devices, ioapics, dmar_regions)
    else:
        units, ivmd = sysfs_parser.parse_ivrs(devices, ioapics)

The data comes from the parsers of `jailhouse config create`
(platform_x86, acpi_x86), so a script sees what our generator sees: the
memory and port regions are the ones it gives the root cell (every port
region permitted, ROMs and ACPI tables as read-only memory), MSI-X tables
are cut out of the memory regions, PCI capabilities have the lengths our
generator writes.  Problems raise RuntimeError with one line.
"""

import functools
import os
import struct

from . import acpi_x86, platform_x86
from .sysroot import INPUTS, InputError, SysRoot

root_dir = '/'


def set_root_dir(directory):
    """Read input files below directory instead of /."""
    global root_dir  # pylint: disable=global-statement
    root_dir = directory


def _path(name):
    return os.path.join(root_dir, name.lstrip('/'))


# The input files, as upstream groups them (from sysroot.INPUTS, the list
# `config create` and `config collect` use).
inputs = {'files': set(), 'files_opt': set(), 'files_intel': set(),
          'files_amd': set()}
for _name, _optional in INPUTS:
    if _name.endswith('/DMAR'):
        inputs['files_intel'].add(_name)
    elif _name.endswith('/IVRS'):
        inputs['files_amd'].add(_name)
    else:
        inputs['files_opt' if _optional else 'files'].add(_name)
del _name, _optional


def check_input_listed(name, optional=False):
    """Upstream restricts its inputs to the files in `inputs`; any file is
    fine here."""
    del name, optional
    return True


def input_open(name, mode='r', optional=False):
    """Open input file name (below the root directory); a missing
    optional file reads as empty."""
    try:
        return open(_path(name), mode)
    except OSError:
        if optional:
            return open(os.devnull, mode)
        raise


def input_listdir(directory, wildcards=()):
    """Sorted entries of an input directory."""
    del wildcards
    return sorted(os.listdir(_path(directory)))


class IORegion:
    """A range [start, stop] (inclusive, as /proc/iomem prints it)."""

    def __init__(self, start, stop, typestr, comments=None):
        self.start = start
        self.stop = stop
        self.typestr = typestr
        self.comments = comments or []

    def __str__(self):
        return self.typestr

    def size(self):
        return self.stop - self.start + 1

    def start_str(self):
        return hex(self.start)

    def size_str(self):
        return hex(self.size())


class MemRegion(IORegion):
    """kind, where our generator decided it: 'ram', 'dma' (RAM a device
    needs, RMRR/IVMD), 'ro' (ROMs, ACPI tables) or 'io'; None: by name."""
    RAM_NAMES = ('System RAM', 'Kernel', 'RAM buffer', 'ACPI DMAR RMRR',
                 'ACPI IVRS')

    def __init__(self, start, stop, typestr, comments=None, kind=None):
        super().__init__(start, stop, typestr, comments)
        self.kind = kind

    def __str__(self):
        return 'MemRegion: %08x-%08x : %s' % (self.start, self.stop,
                                              self.typestr)

    def size(self):
        """Rounded up to whole pages."""
        return (super().size() + 0xfff) & ~0xfff

    def is_ram(self):
        if self.kind is not None:
            return self.kind in ('ram', 'dma')
        return self.typestr in self.RAM_NAMES

    def flagstr(self, p=''):
        if self.is_ram():
            return 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n' + p + \
                '\t\tJAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA'
        if self.kind == 'ro':
            return 'JAILHOUSE_MEM_READ'
        return 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE'


class PortRegion(IORegion):
    def __init__(self, start, stop, typestr, permit=False, comments=None):
        super().__init__(start, stop, typestr, comments)
        self.permit = permit

    def __str__(self):
        return 'Port I/O: %04x-%04x : %s' % (self.start, self.stop,
                                             self.typestr)


class IOAPIC:
    def __init__(self, id, address, gsi_base, iommu=0, bdf=0):  # noqa: A002 pylint: disable=redefined-builtin
        self.id = id
        self.address = address
        self.gsi_base = gsi_base
        self.iommu = iommu
        self.bdf = bdf

    def __str__(self):
        return 'IOAPIC %d, GSI base %d' % (self.id, self.gsi_base)

    def irqchip_id(self):
        return self.iommu << 16 | self.bdf


class IORegionTree:
    """The nesting of /proc/iomem or /proc/ioports (two spaces of
    indentation per level)."""

    def __init__(self, region, level):
        self.region = region
        self.level = level
        self.parent = None
        self.children = []

    def __iter__(self):
        return iter(self.children)

    def get_leaves(self):
        if not self.children:
            return [self.region] if self.region is not None else []
        leaves = []
        for child in self.children:
            leaves.extend(child.get_leaves())
        return leaves

    def find_regions_by_name(self, name):
        found = []
        for child in self.children:
            if name in child.region.typestr:
                found.append(child.region)
            found.extend(child.find_regions_by_name(name))
        return found

    @staticmethod
    def parse_io_line(line, TargetClass):  # noqa: N803 pylint: disable=invalid-name
        span, typestr = line.rstrip('\n').split(' : ', 1)
        level = (len(span) - len(span.lstrip(' '))) // 2 + 1
        start, stop = (int(part, 16) for part in span.strip().split('-', 1))
        return level, TargetClass(start, stop, typestr.strip())

    @staticmethod
    def parse_io_file(filename, TargetClass):  # noqa: N803 pylint: disable=invalid-name
        root = IORegionTree(None, 0)
        stack = [root]
        with input_open(filename) as fileobj:
            for line in fileobj:
                if not line.strip():
                    continue
                level, region = IORegionTree.parse_io_line(line, TargetClass)
                node = IORegionTree(region, level)
                while stack[-1].level >= level:
                    stack.pop()
                node.parent = stack[-1]
                node.parent.children.append(node)
                stack.append(node)
        return root




# Hardware analysis: our generator's parsers behind upstream's names.

def _upstream_errors(function):
    """Our one-line InputError as upstream's RuntimeError."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except InputError as err:
            raise RuntimeError(str(err)) from None
    return wrapper


def _sysroot():
    return SysRoot(root_dir)


class _CapId(int):
    """A capability ID that prints as its C name (upstream's enums do)."""

    def __new__(cls, value, name):
        self = super().__new__(cls, value)
        self.name = name
        return self

    def __str__(self):
        return self.name

    __repr__ = __str__


def _id_table(names, prefix):
    table = type(prefix.rstrip('_'), (), {})
    for value, name in names.items():
        setattr(table, name[len(prefix):], _CapId(value, name))
    return table


PCI_CAP_ID = _id_table({v: n for v, (n, _l, _w) in
                        platform_x86.CAPS.items()}, 'PCI_CAP_ID_')
PCI_EXT_CAP_ID = _id_table(platform_x86.EXT_CAPS, 'PCI_EXT_CAP_ID_')


def _cap_id(expr):
    """(_CapId, extended) of a capability as platform_x86 names it."""
    extended = expr.endswith(' | JAILHOUSE_PCI_EXT_CAP')
    name = expr.split(' | ')[0]
    table = platform_x86.EXT_CAPS if extended else \
        {v: n for v, (n, _l, _w) in platform_x86.CAPS.items()}
    for value, known in table.items():
        if known == name:
            return _CapId(value, name), extended
    return _CapId(int(name, 16), name), extended


class PCIBARs:
    """The six BAR masks of a device directory's resource file."""

    def __init__(self, dir):  # noqa: A002 pylint: disable=redefined-builtin
        with input_open(os.path.join(dir, 'resource')) as fileobj:
            self.mask = platform_x86._bars(fileobj.read())[0]  # pylint: disable=protected-access


class PCICapability:
    RD = '0'
    RW = 'JAILHOUSE_PCICAPS_WRITE'
    JAILHOUSE_PCI_EXT_CAP = 0x8000

    def __init__(self, id, extended, start, len, flags, content,  # noqa: A002 pylint: disable=redefined-builtin
                 msix_address):
        self.id = id
        self.extended = extended
        self.start = start
        self.len = len
        self.flags = flags
        self.content = content
        self.msix_address = msix_address
        self.comments = []

    def __eq__(self, other):
        return (self.id, self.start, self.len, self.flags) == \
            (other.id, other.start, other.len, other.flags)

    def gen_id_str(self):
        return str(self.id) + (' | JAILHOUSE_PCI_EXT_CAP'
                               if self.extended else '')

    @staticmethod
    def parse_pcicaps(dir):  # noqa: A002 pylint: disable=redefined-builtin
        with input_open(os.path.join(dir, 'config'), 'rb') as fileobj:
            config = fileobj.read()
        return PCICapability._from(config, platform_x86._pci_caps(config)[0],  # pylint: disable=protected-access
                                   None)

    @staticmethod
    def _from(config, caps, msix):
        result = []
        for expr, start, length, writable in caps:
            cap_id, extended = _cap_id(expr)
            header = 4 if extended else 2
            result.append(PCICapability(
                cap_id, extended, start, length,
                PCICapability.RW if writable else PCICapability.RD,
                config[start + header:start + length],
                msix[1] if msix and cap_id == 0x11 and not extended else 0))
        return result


class PCIDevice:
    """A PCI function; iommu is None until parse_dmar/parse_ivrs."""

    def __init__(self, type, domain, bus, dev, fn, bars, caps, path):  # noqa: A002 pylint: disable=redefined-builtin
        self.type = type
        self.iommu = None
        self.domain = domain
        self.bus = bus
        self.dev = dev
        self.fn = fn
        self.bars = bars
        self.caps = caps
        self.path = path
        self.caps_start = 0
        self.num_caps = len(caps)
        self.num_msi_vectors = self.msi_64bits = self.msi_maskable = 0
        self.num_msix_vectors = self.msix_region_size = 0
        self.msix_address = 0
        self.secondary_bus = self.subordinate_bus = 0

    def __str__(self):
        return 'PCIDevice: %02x:%02x.%x' % (self.bus, self.dev, self.fn)

    def bdf(self):
        return self.bus << 8 | self.dev << 3 | self.fn

    @staticmethod
    def _from(ours, path):
        bars = PCIBARs.__new__(PCIBARs)
        bars.mask = list(ours.bars)
        device = PCIDevice('JAILHOUSE_PCI_TYPE_%s' % ('BRIDGE' if ours.bridge
                                                      else 'DEVICE'),
                           ours.domain, ours.bdf >> 8, ours.bdf >> 3 & 0x1f,
                           ours.bdf & 7, bars,
                           PCICapability._from(ours.config, ours.caps,  # pylint: disable=protected-access
                                               ours.msix), path)
        if ours.msi:
            device.num_msi_vectors = ours.msi[0]
            device.msi_64bits, device.msi_maskable = (int(f) for f in
                                                      ours.msi[1:])
        if ours.msix:
            (device.num_msix_vectors, device.msix_address,
             device.msix_region_size) = ours.msix
        if ours.bridge and len(ours.config) > 0x1a:
            device.secondary_bus = ours.config[0x19]
            device.subordinate_bus = ours.config[0x1a]
        return device

    @staticmethod
    @_upstream_errors
    def parse_pcidevice_sysfsdir(basedir, dir):  # noqa: A002 pylint: disable=redefined-builtin
        for device in parse_pcidevices(basedir):
            if os.path.basename(device.path) == dir:
                return device
        return None


class PCIPCIBridge(PCIDevice):
    @staticmethod
    def get_2nd_busses(dev):
        """(secondary, subordinate) bus of a bridge."""
        return dev.secondary_bus, dev.subordinate_bus


class IOMMUConfig:
    def __init__(self, props):
        self.type = props['type']
        self.base_addr = props['base_addr']
        self.mmio_size = props['mmio_size']
        if 'amd_bdf' in props:
            self.amd_bdf = props['amd_bdf']
            self.amd_base_cap = props['amd_base_cap']
            self.amd_msi_cap = props['amd_msi_cap']
            self.amd_features = props['amd_features']

    @property
    def is_amd_iommu(self):
        return hasattr(self, 'amd_bdf')


@_upstream_errors
def parse_pcidevices(basedir='/sys/bus/pci/devices'):
    """Every enabled PCI function, in sysfs order."""
    del basedir   # the one platform_x86 reads
    return [PCIDevice._from(dev, '/sys/bus/pci/devices/' + dev.name)  # pylint: disable=protected-access
            for dev in platform_x86.pci_devices(_sysroot())]


def _resources(name):
    sysroot = _sysroot()
    return platform_x86.parse_resource_tree(
        sysroot.read_optional(name, ''), sysroot.describe(name))


def _without(region, start, end):
    """region less [start, end), as 0-2 MemRegions."""
    parts = []
    if region.start < start:
        parts.append((region.start, start - 1))
    if end <= region.stop:
        parts.append((end, region.stop))
    return [MemRegion(s, e, region.typestr, region.comments, region.kind)
            for s, e in parts]


@_upstream_errors
def parse_iomem(pcidevices):
    """(memory regions of the root cell, the IOMMU (dmar) regions) from
    /proc/iomem, without the memmap= reservation of the kernel command line
    and the MSI-X tables of pcidevices."""
    tree = _resources('/proc/iomem')
    # The memmap= reservation for Jailhouse is nothing of the root's.
    try:
        reserved, reserved_size = platform_x86.memmap_reservation(
            _sysroot().read_optional('/proc/cmdline', ''))
    except InputError:
        reserved = reserved_size = 0
    ours = platform_x86._memory_regions(  # pylint: disable=protected-access
        tree, reserved, reserved + reserved_size, [])
    regions = [MemRegion(start, start + size - 1, name, kind=kind)
               for start, size, kind, name in ours]
    for device in pcidevices:
        if not device.msix_address:
            continue
        start = device.msix_address & ~0xfff
        end = start + device.msix_region_size
        regions = [part for region in regions
                   for part in ([region] if region.stop < start or
                                region.start >= end
                                else _without(region, start, end))]
    dmar = []
    stack = list(tree)
    while stack:
        res = stack.pop(0)
        if 'dmar' in res.name:
            dmar.append(MemRegion(res.start, res.end, res.name, kind='io'))
        stack.extend(res.children)
    return regions, dmar


@_upstream_errors
def parse_ioports():
    """(port regions the root cell gets, all permitted; the ACPI PM timer
    port) from /proc/ioports (the timer from the FADT if it is not
    listed)."""
    tree = _resources('/proc/ioports')
    timers = [r for top in tree for r in [top] + top.children
              if r.name == 'ACPI PM_TMR']
    if len(timers) > 1:
        raise RuntimeError('found %d entries for ACPI PM_TMR, expected 1'
                           % len(timers))
    pm_timer = timers[0].start if timers else acpi_x86.fadt_pm_timer(
        _sysroot().read_optional_bytes('/sys/firmware/acpi/tables/FACP'))
    if not pm_timer:
        raise RuntimeError('no ACPI PM timer: neither /proc/ioports nor the '
                           'FACP table name one')
    ports = [PortRegion(start, start + size - 1, name, permit=True)
             for start, size, name in platform_x86._pio_regions(tree)]  # pylint: disable=protected-access
    return ports, pm_timer


@_upstream_errors
def parse_madt():
    """The IOAPICs of the MADT (ACPI table APIC)."""
    table = _sysroot().read_bytes('/sys/firmware/acpi/tables/APIC')
    return [IOAPIC(ioapic_id, address, gsi)
            for ioapic_id, address, gsi in acpi_x86.madt_ioapics(table)]


def _bdf_text(bdf):
    return '%02x:%02x.%x' % (bdf >> 8, bdf >> 3 & 0x1f, bdf & 7)


def _check_scoped(pcidevices, exempt=()):
    for device in pcidevices:
        if device.iommu is None and device.bdf() not in exempt:
            raise RuntimeError('PCI device %s outside the scope of an IOMMU'
                               % _bdf_text(device.bdf()))


@_upstream_errors
def parse_dmar(pcidevices, ioapics, dmar_regions):
    """(Intel IOMMU units, RMRR memory regions) from the DMAR table; sets
    .iommu of pcidevices and .iommu/.bdf of ioapics."""
    table = acpi_x86.dmar(_sysroot().read_bytes(
        '/sys/firmware/acpi/tables/DMAR'))
    if len(table['units']) > 8:
        raise RuntimeError('%d DMAR units, at most 8 supported'
                           % len(table['units']))
    units = []
    for index, (base, size, segment, include_all, scopes) in \
            enumerate(table['units']):
        if segment:
            raise RuntimeError('DMAR unit %d: PCI segment %d, only 0 '
                               'supported' % (index, segment))
        size = next((r.size() for r in dmar_regions if r.start == base),
                    max(size, 0x1000))
        units.append(IOMMUConfig({'type': 'JAILHOUSE_IOMMU_INTEL',
                                  'base_addr': base, 'mmio_size': size}))
        for device in pcidevices:
            if include_all and device.iommu is None:
                device.iommu = index
        for kind, enum_id, bdf in scopes:
            for device in pcidevices:
                if kind == 1 and device.bdf() == bdf:
                    device.iommu = index
                elif kind == 2 and device.bdf() == bdf:
                    first, last = PCIPCIBridge.get_2nd_busses(device)
                    for other in pcidevices:
                        if other is device or first <= other.bus <= last:
                            other.iommu = index
            if kind == 3:
                for chip in ioapics:
                    if chip.id == enum_id:
                        chip.bdf, chip.iommu = bdf, index
    _check_scoped(pcidevices)
    regions = [MemRegion(base, end - 1, 'ACPI DMAR RMRR',
                         ['PCI device: %s' % _bdf_text(bdf) for bdf in devs],
                         kind='dma')
               for base, end, devs in table['rmrr']]
    return units, regions


@_upstream_errors
def parse_ivrs(pcidevices, ioapics):
    """(AMD IOMMU units, IVMD memory regions) from the IVRS table; sets
    .iommu of pcidevices and .iommu/.bdf of ioapics, and takes the IOMMUs'
    own PCI functions out of pcidevices (no cell may have them)."""
    table = acpi_x86.ivrs(_sysroot().read_bytes(
        '/sys/firmware/acpi/tables/IVRS'))
    if len(table['units']) > 8:
        raise RuntimeError('%d IOMMU units, at most 8 supported'
                           % len(table['units']))
    units = []
    for index, unit in enumerate(table['units']):
        if unit['segment']:
            raise RuntimeError('IOMMU unit %d: PCI segment %d, only 0 '
                               'supported' % (index, unit['segment']))
        own = [d for d in pcidevices if d.bdf() == unit['bdf']]
        msi = [c.start for d in own for c in d.caps
               if c.id == PCI_CAP_ID.MSI and not c.extended]
        for device in own:
            pcidevices.remove(device)
        units.append(IOMMUConfig({
            'type': 'JAILHOUSE_IOMMU_AMD', 'base_addr': unit['base'],
            'mmio_size': 0x80000, 'amd_bdf': unit['bdf'],
            'amd_base_cap': unit['cap'], 'amd_msi_cap': msi[0] if msi else 0,
            'amd_features': unit['features']}))
        for device in pcidevices:
            if any(first <= device.bdf() <= last
                   for first, last in unit['devices']):
                device.iommu = index
    for chip in ioapics:
        if chip.id in table['ioapics']:
            chip.iommu, chip.bdf = table['ioapics'][chip.id]
    _check_scoped(pcidevices, exempt=(0,))   # the root complex
    regions = []
    for start, end, kind, device, aux in table['ivmd']:
        comments = {0x21: ['PCI device: %s' % _bdf_text(device)],
                    0x22: ['PCI devices: %s - %s' % (_bdf_text(device),
                                                     _bdf_text(aux))]}
        regions.append(MemRegion(start, end - 1, 'ACPI IVRS',
                                 comments.get(kind), kind='dma'))
    return units, regions


def get_cpu_vendor():
    """vendor_id of /proc/cpuinfo ('GenuineIntel', 'AuthenticAMD')."""
    with input_open('/proc/cpuinfo') as fileobj:
        for line in fileobj:
            key, _sep, value = line.partition(':')
            if key.strip() == 'vendor_id':
                return value.strip()
    raise RuntimeError('%s: no vendor_id' % _path('/proc/cpuinfo'))
