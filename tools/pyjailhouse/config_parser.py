# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: upstream's pyjailhouse.config_parser module API over pyjailhouse.config
"""Compatibility layer: the names upstream's helper scripts (and users'
scripts written for upstream) import from pyjailhouse.config_parser.

    from pyjailhouse import config_parser
    sysconfig = config_parser.SystemConfig(open('sys.cell', 'rb').read())
    cell = config_parser.CellConfig(open('demo.cell', 'rb').read())
    for region in cell.memory_regions: region.phys_start, region.is_ram()

Parsing is done by pyjailhouse.config; errors are RuntimeError, as
upstream's module raises. Only reading is offered (as upstream).
"""

from . import config as _config
from .abi import C as _C

_CONFIG_REVISION = _config.REVISION
JAILHOUSE_X86 = _C.JAILHOUSE_X86
JAILHOUSE_ARM = _C.JAILHOUSE_ARM
JAILHOUSE_ARM64 = _C.JAILHOUSE_ARM64
JAILHOUSE_ARCH_MAX = max(_config.ARCH_NAMES)


def convert_arch(arch):
    """'x86', 'arm' or 'arm64' for an architecture byte."""
    if arch not in _config.ARCH_NAMES:
        raise RuntimeError('Configuration has unsupported architecture')
    return _config.ARCH_NAMES[arch]


class _Flag(int):
    """An int that prints as its flag name (upstream's enum classes)."""

    NAMES = {}

    def __str__(self):
        return self.NAMES.get(int(self), '%#x' % int(self))

    __repr__ = __str__


def _flag_class(name, prefix, words):
    values = {word: getattr(_C, prefix + word) for word in words}
    cls = type(name, (_Flag,), {'NAMES': {v: k for k, v in values.items()}})
    for word, value in values.items():
        setattr(cls, word, cls(value))
    return cls


JAILHOUSE_MEM = _flag_class(
    'JAILHOUSE_MEM', 'JAILHOUSE_MEM_',
    _config.MEM_FLAGS + ('IO_8', 'IO_16', 'IO_32', 'IO_64'))
JAILHOUSE_IOMMU = _flag_class('JAILHOUSE_IOMMU', 'JAILHOUSE_IOMMU_',
                              ('AMD', 'INTEL', 'SMMUV3', 'PVU', 'ARM_MMU500'))
JAILHOUSE_IOMMU.UNUSED = JAILHOUSE_IOMMU(0)
JAILHOUSE_IOMMU.TIPVU = JAILHOUSE_IOMMU.PVU


def flag_str(enum_class, value, separator=' | '):
    """The flags set in value, by name, lowest bit first."""
    names = []
    bit = 1
    while value >= bit:
        if value & bit:
            names.append(str(enum_class(bit)))
        bit <<= 1
    return separator.join(names)


class MemRegion:
    SIZE = _config.MemRegion.sizeof()

    def __init__(self, region):
        if isinstance(region, (bytes, bytearray, memoryview)):
            region = _config.MemRegion.from_bytes(region)
        self.phys_start = region.phys_start
        self.virt_start = region.virt_start
        self.size = region.size
        self.flags = region.flags

    def __str__(self):
        return ('  phys_start: 0x%016x\n  virt_start: 0x%016x\n'
                '  size:       0x%016x\n  flags:      %s'
                % (self.phys_start, self.virt_start, self.size,
                   flag_str(JAILHOUSE_MEM, self.flags)))

    def is_ram(self):
        kinds = (JAILHOUSE_MEM.READ | JAILHOUSE_MEM.WRITE |
                 JAILHOUSE_MEM.EXECUTE | JAILHOUSE_MEM.DMA |
                 JAILHOUSE_MEM.IO | JAILHOUSE_MEM.COMM_REGION |
                 JAILHOUSE_MEM.ROOTSHARED)
        ram = (JAILHOUSE_MEM.READ | JAILHOUSE_MEM.WRITE |
               JAILHOUSE_MEM.EXECUTE | JAILHOUSE_MEM.DMA)
        return self.flags & kinds == ram

    def is_comm_region(self):
        return bool(self.flags & JAILHOUSE_MEM.COMM_REGION)

    def phys_address_in_region(self, address):
        return self.phys_start <= address < self.phys_start + self.size

    def phys_overlaps(self, region):
        return bool(self.size and region.size) and _config.overlaps(
            self.phys_start, self.phys_start + self.size,
            region.phys_start, region.phys_start + region.size)

    def virt_address_in_region(self, address):
        return self.virt_start <= address < self.virt_start + self.size

    def virt_overlaps(self, region):
        return bool(self.size and region.size) and _config.overlaps(
            self.virt_start, self.virt_start + self.size,
            region.virt_start, region.virt_start + region.size)


class CacheRegion:
    SIZE = _config.CacheRegion.sizeof()


class Irqchip:
    SIZE = _config.IrqChip.sizeof()

    def __init__(self, chip):
        if isinstance(chip, (bytes, bytearray, memoryview)):
            chip = _config.IrqChip.from_bytes(chip)
        self.address = chip.address
        self.id = chip.id
        self.pin_base = chip.pin_base
        bitmap = chip.pin_bitmap
        self.pin_bitmap_lo = bitmap[0] | bitmap[1] << 32
        self.pin_bitmap_hi = bitmap[2] | bitmap[3] << 32

    def is_standard(self):
        """The usual x86 IOAPIC address."""
        return self.address == 0xfec00000


class PIORegion:
    SIZE = _config.PioRegion.sizeof()

    def __init__(self, pio):
        if isinstance(pio, (bytes, bytearray, memoryview)):
            pio = _config.PioRegion.from_bytes(pio)
        self.base = pio.base
        self.length = pio.length


def _parse(data, kind):
    try:
        return _config.parse(bytes(data), kind=kind)
    except _config.ConfigError as err:
        raise RuntimeError(err.message) from None


class CellConfig:
    """A cell configuration (.cell of a non-root cell), or with
    root_cell=True the root cell of a SystemConfig."""

    def __init__(self, data, root_cell=False, _cell=None):
        self.data = data
        cell = _cell if _cell is not None else _parse(data, 'cell')
        self.name = cell.name
        self.arch = convert_arch(cell.architecture) if not root_cell or \
            cell.architecture in _config.ARCH_NAMES else None
        self.flags = cell.flags
        self.cpu_set_size = cell.cpu_set_size
        for attr, count_field, _ in _config.SECTIONS:
            setattr(self, count_field, len(getattr(cell, attr)))
        self.vpci_irq_base = cell.vpci_irq_base
        self.cpu_reset_address = cell.cpu_reset_address
        self.cpus = set(cell.cpus)
        self.memory_regions = [MemRegion(r) for r in cell.memory_regions]
        self.irqchips = [Irqchip(c) for c in cell.irqchips]
        self.pio_regions = [PIORegion(p) for p in cell.pio_regions]


class IOMMU:
    SIZE = _config.IommuUnit.sizeof()

    def __init__(self, unit):
        self.type = unit.type
        self.base = unit.base
        self.size = unit.size


class SystemConfig:
    """A system configuration (.cell with signature JHSYS)."""

    def __init__(self, data):
        self.data = data
        system = _parse(data, 'system')
        self.arch = convert_arch(system.architecture)
        self.hypervisor_memory = MemRegion(system.hypervisor_memory)
        info = system.platform_info
        self.pci_mmconfig_base = info.pci_mmconfig_base
        self.pci_mmconfig_end_bus = info.pci_mmconfig_end_bus
        self.pci_is_virtual = info.pci_is_virtual
        self.pci_domain = info.pci_domain
        self.iommus = [IOMMU(u) for u in system.iommu_units if u.type]
        if self.arch == 'x86':
            x86 = info.x86
            self.x86_pm_timer_address = x86.pm_timer_address
            self.x86_apic_mode = x86.apic_mode
            self.x86_vtd_interrupt_limit = x86.vtd_interrupt_limit
            self.x86_tsc_khz = x86.tsc_khz
            self.x86_apic_khz = x86.apic_khz
        else:
            arm = info.arm
            self.arm_maintenance_irq = arm.maintenance_irq
            self.arm_gic_version = arm.gic_version
            self.arm_gicd_base = arm.gicd_base
            self.arm_gicc_base = arm.gicc_base
            self.arm_gich_base = arm.gich_base
            self.arm_gicv_base = arm.gicv_base
            self.arm_gicr_base = arm.gicr_base
        self.root_cell = CellConfig(data, root_cell=True,
                                    _cell=system.root_cell)
