# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: parse, validate, build and write configuration blobs
"""System and cell configurations (.cell files) as Python objects.

    from pyjailhouse import config
    cfg = config.load('qemu-arm64.cell')        # SystemConfig or CellConfig
    for region in cfg.root_cell.memory_regions: ...
    data = cfg.to_bytes()                       # the same bytes again

Every record type wraps the cffi structure of include/jailhouse/cell-config.h
(no layout is written down in Python): fields read and write straight into
the C structure, so parse -> to_bytes is byte-identical, padding included.

Parsing checks what is needed to interpret a blob (signature, revision,
architecture, header and counts against the file size, terminated names)
and raises ConfigError, never anything else. Semantic checks of one file
(alignment, flags, overlaps inside a cell, ...) are collected by
problems(); checks across files live in pyjailhouse.config_check.
"""

from .abi import C, ffi
from . import config_ivshmem

PAGE_SIZE = 0x1000

ARCH_NAMES = {
    C.JAILHOUSE_X86: 'x86',
    C.JAILHOUSE_ARM: 'arm',
    C.JAILHOUSE_ARM64: 'arm64',
}
ARCH_BY_NAME = {name: num for num, name in ARCH_NAMES.items()}

SYSTEM_SIGNATURE = C.JAILHOUSE_SYSTEM_SIGNATURE.encode()
CELL_SIGNATURE = C.JAILHOUSE_CELL_DESC_SIGNATURE.encode()
REVISION = C.JAILHOUSE_CONFIG_REVISION


class ConfigError(Exception):
    """A configuration cannot be used. str(): 'PATH: what is wrong'."""

    def __init__(self, path, message):
        super().__init__('%s: %s' % (path, message))
        self.path = path
        self.message = message


ERROR = 'error'
WARNING = 'warning'
NOTE = 'note'
SEVERITIES = (ERROR, WARNING, NOTE)


class Finding(str):
    """One result of the semantic checks: the text, plus .severity and
    .refused.

    error:   the hypervisor refuses the configuration, or isolation breaks;
    warning: accepted, but suspicious or unable to work as written;
    note:    accepted, worth knowing (e.g. ignored trailing bytes).

    .refused is True when the hypervisor itself refuses the configuration
    (every error unless said otherwise). An error the hypervisor accepts
    (refused=False, e.g. overlapping root regions, as upstream's checker
    reports them) fails `config check` but not the build.
    """

    def __new__(cls, text, severity=ERROR, refused=None):
        obj = super().__new__(cls, text)
        obj.severity = severity
        obj.refused = severity == ERROR if refused is None else refused
        return obj

    def prefixed(self, prefix):
        """The same finding with prefix in front of the text."""
        return Finding(prefix + self, self.severity, self.refused)


def errors(findings):
    """The findings of severity error (what `config check` fails on)."""
    return [f for f in findings if getattr(f, 'severity', ERROR) == ERROR]


def refusals(findings):
    """The findings the hypervisor refuses (what the build fails on)."""
    return [f for f in findings if getattr(f, 'refused', True)]


def arch_number(arch):
    """Architecture byte for 'x86'/'arm'/'arm64' (or a number)."""
    if isinstance(arch, int):
        if arch not in ARCH_NAMES:
            raise ValueError('unknown architecture %d' % arch)
        return arch
    try:
        return ARCH_BY_NAME[arch]
    except KeyError:
        raise ValueError('unknown architecture %r' % (arch,)) from None


def arch_name(num):
    return ARCH_NAMES.get(num, 'unknown(%d)' % num)


def _flag_names(value, prefix, names):
    """Names (without prefix) of the flags among prefix+names set in value,
    plus leftover bits in hex."""
    result = []
    rest = value
    for name in names:
        bit = C[prefix + name]
        if value & bit:
            result.append(name)
            rest &= ~bit
    if rest:
        result.append('%#x' % rest)
    return result


MEM_FLAGS = ('READ', 'WRITE', 'EXECUTE', 'DMA', 'IO', 'COMM_REGION',
             'LOADABLE', 'ROOTSHARED', 'NO_HUGEPAGES', 'IO_UNALIGNED')
CELL_FLAGS = ('PASSIVE_COMMREG', 'TEST_DEVICE', 'AARCH32',
              'VIRTUAL_CONSOLE_PERMITTED', 'VIRTUAL_CONSOLE_ACTIVE')
CON_FLAGS = ('ACCESS_MMIO', 'REGDIST_4', 'FB_1920x1080', 'INVERTED_GATE',
             'MDR_QUIRK')
SYS_FLAGS = ('VIRTUAL_DEBUG_CONSOLE',)


class CStruct:
    """A Python object over one C structure of the configuration format."""

    CTYPE = None

    def __init__(self, **fields):
        object.__setattr__(self, '_c', ffi.new(self.CTYPE + ' *'))
        object.__setattr__(self, '_owner', None)
        for name, value in fields.items():
            setattr(self, name, value)

    @classmethod
    def sizeof(cls):
        return ffi.sizeof(cls.CTYPE)

    @classmethod
    def from_bytes(cls, data, offset=0):
        size = cls.sizeof()
        chunk = bytes(data[offset:offset + size])
        if len(chunk) != size:
            raise ValueError('%s needs %d bytes, got %d'
                             % (cls.CTYPE, size, len(chunk)))
        obj = cls()
        ffi.memmove(obj._c, chunk, size)
        return obj

    @classmethod
    def _view(cls, pointer, owner):
        """An object sharing memory with a member of another structure."""
        obj = cls.__new__(cls)
        object.__setattr__(obj, '_c', pointer)
        object.__setattr__(obj, '_owner', owner)
        return obj

    def to_bytes(self):
        return bytes(ffi.buffer(self._c))

    __bytes__ = to_bytes

    @classmethod
    def field_names(cls):
        return [name for name, _ in ffi.typeof(cls.CTYPE).fields]

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        try:
            value = getattr(object.__getattribute__(self, '_c'), name)
        except AttributeError:
            raise AttributeError('%s has no field %r'
                                 % (type(self).__name__, name)) from None
        if isinstance(value, ffi.CData):
            kind = ffi.typeof(value).kind
            if kind == 'array':
                if ffi.typeof(value).item.cname == 'char':
                    return bytes(ffi.buffer(value))
                return list(value)
        return value

    def __setattr__(self, name, value):
        if name.startswith('_') or hasattr(type(self), name):
            object.__setattr__(self, name, value)
        else:
            try:
                setattr(self._c, name, value)
            except AttributeError:
                raise AttributeError('%s has no field %r'
                                     % (type(self).__name__, name)) from None

    def __eq__(self, other):
        return type(self) is type(other) and bytes(self) == bytes(other)

    def __hash__(self):
        return hash(bytes(self))

    def copy(self):
        return type(self).from_bytes(bytes(self))

    def __repr__(self):
        parts = []
        for name in self.field_names():
            if not name:
                continue
            value = getattr(self._c, name)
            if isinstance(value, int):
                parts.append('%s=%#x' % (name, value))
        return '%s(%s)' % (type(self).__name__, ', '.join(parts))


class Console(CStruct):
    CTYPE = 'struct jailhouse_console'

    TYPE_NAMES = {v: k[len('JAILHOUSE_CON_TYPE_'):] for k, v in
                  C.with_prefix('JAILHOUSE_CON_TYPE_').items()}

    @property
    def type_name(self):
        return self.TYPE_NAMES.get(self.type, 'unknown(%d)' % self.type)

    def flag_names(self):
        return _flag_names(self.flags, 'JAILHOUSE_CON_', CON_FLAGS)


class MemRegion(CStruct):
    CTYPE = 'struct jailhouse_memory'

    @property
    def phys_end(self):
        """First byte after the region, host-physical."""
        return self.phys_start + self.size

    @property
    def virt_end(self):
        return self.virt_start + self.size

    def has(self, flag):
        return bool(self.flags & flag)

    @property
    def is_comm_region(self):
        return self.has(C.JAILHOUSE_MEM_COMM_REGION)

    @property
    def is_placeholder(self):
        """An all-zero entry ({ 0 } in JAILHOUSE_SHMEM_NET_REGIONS)."""
        return not any(bytes(self))

    @property
    def io_width(self):
        return (self.flags >> C.JAILHOUSE_MEM_IO_WIDTH_SHIFT) & 0xf

    def flag_names(self):
        names = _flag_names(self.flags & 0xffff, 'JAILHOUSE_MEM_', MEM_FLAGS)
        if self.io_width:
            names.append('IO_%d' % (self.io_width * 8))
        rest = self.flags & ~0xfffff
        if rest:
            names.append('%#x' % rest)
        return names


class CacheRegion(CStruct):
    CTYPE = 'struct jailhouse_cache'


class IrqChip(CStruct):
    CTYPE = 'struct jailhouse_irqchip'

    @property
    def pins(self):
        """Set of the interrupt numbers given (pin_base + bit)."""
        result = set()
        for word, bits in enumerate(self.pin_bitmap):
            for bit in range(32):
                if bits & (1 << bit):
                    result.add(self.pin_base + word * 32 + bit)
        return result


class PioRegion(CStruct):
    CTYPE = 'struct jailhouse_pio'

    @property
    def end(self):
        return self.base + self.length


class PciDevice(CStruct):
    CTYPE = 'struct jailhouse_pci_device'

    TYPE_NAMES = {v: k[len('JAILHOUSE_PCI_TYPE_'):] for k, v in
                  C.with_prefix('JAILHOUSE_PCI_TYPE_').items()}

    @property
    def type_name(self):
        return self.TYPE_NAMES.get(self.type, 'unknown(%d)' % self.type)

    @property
    def bdf_str(self):
        return '%04x:%02x:%02x.%x' % (self.domain, self.bdf >> 8,
                                      (self.bdf >> 3) & 0x1f, self.bdf & 7)

    @property
    def is_ivshmem(self):
        return self.type == C.JAILHOUSE_PCI_TYPE_IVSHMEM

    @property
    def shmem_num_regions(self):
        """Regions an ivshmem device uses: state, rw, one output per peer."""
        return 2 + self.shmem_peers


class PciCap(CStruct):
    CTYPE = 'struct jailhouse_pci_capability'


class StreamId(CStruct):
    CTYPE = 'union jailhouse_stream_id'


class IommuUnit(CStruct):
    CTYPE = 'struct jailhouse_iommu'

    TYPE_NAMES = {v: k[len('JAILHOUSE_IOMMU_'):] for k, v in
                  C.with_prefix('JAILHOUSE_IOMMU_').items()}

    @property
    def type_name(self):
        return self.TYPE_NAMES.get(self.type, 'unknown(%d)' % self.type)


class CellDesc(CStruct):
    CTYPE = 'struct jailhouse_cell_desc'


class SystemHeader(CStruct):
    CTYPE = 'struct jailhouse_system'


# The variable part of a cell, in blob order: (attribute, count field, type).
SECTIONS = (
    ('memory_regions', 'num_memory_regions', MemRegion),
    ('cache_regions', 'num_cache_regions', CacheRegion),
    ('irqchips', 'num_irqchips', IrqChip),
    ('pio_regions', 'num_pio_regions', PioRegion),
    ('pci_devices', 'num_pci_devices', PciDevice),
    ('pci_caps', 'num_pci_caps', PciCap),
    ('stream_ids', 'num_stream_ids', StreamId),
)

_SECTION_TITLES = {
    'memory_regions': 'memory regions',
    'cache_regions': 'cache regions',
    'irqchips': 'irqchips',
    'pio_regions': 'PIO regions',
    'pci_devices': 'PCI devices',
    'pci_caps': 'PCI capabilities',
    'stream_ids': 'stream IDs',
}


def _cpus_from_bitmap(bitmap):
    value = int.from_bytes(bitmap, 'little')
    cpus = set()
    index = 0
    while value:
        if value & 1:
            cpus.add(index)
        value >>= 1
        index += 1
    return cpus


def _bitmap_from_cpus(cpus, size):
    value = 0
    for cpu in cpus:
        value |= 1 << cpu
    return value.to_bytes(size, 'little')


class CellConfig:
    """A cell: the descriptor plus CPU set and resource lists.

    For a non-root cell this is a whole .cell file (signature JHCLL); the
    root cell of a SystemConfig is an instance with root=True.
    """

    def __init__(self, name='', arch=None, flags=0, cpus=(), root=False,
                 cpu_set_size=8, **kwargs):
        self.root = root
        self.trailing = b''
        self.desc = CellDesc()
        if not root:
            self.desc.signature = CELL_SIGNATURE
            self.desc.revision = REVISION
        if arch is not None:
            self.architecture = arch_number(arch)
        self.name = name
        self.flags = flags
        self.cpus = set(cpus)
        self.desc.cpu_set_size = cpu_set_size
        for attr, _, _ in SECTIONS:
            setattr(self, attr, list(kwargs.pop(attr, ())))
        for key, value in kwargs.items():
            if key == 'console':
                self.console = value
            else:
                setattr(self.desc, key, value)

    # Descriptor fields -------------------------------------------------
    @property
    def name(self):
        raw = bytes(ffi.buffer(self.desc._c.name))
        return raw.split(b'\0', 1)[0].decode('utf-8', 'replace')

    @name.setter
    def name(self, value):
        raw = value.encode() if isinstance(value, str) else bytes(value)
        if len(raw) > C.JAILHOUSE_CELL_NAME_MAXLEN:
            raise ValueError('cell name longer than %d bytes'
                             % C.JAILHOUSE_CELL_NAME_MAXLEN)
        ffi.memmove(ffi.addressof(self.desc._c, 'name'),
                    raw.ljust(C.JAILHOUSE_CELL_NAME_MAXLEN + 1, b'\0'),
                    C.JAILHOUSE_CELL_NAME_MAXLEN + 1)

    @property
    def signature(self):
        return bytes(ffi.buffer(self.desc._c.signature))

    def _desc_property(field):  # pylint: disable=no-self-argument
        def getter(self):
            return getattr(self.desc._c, field)

        def setter(self, value):
            setattr(self.desc._c, field, value)
        return property(getter, setter)

    architecture = _desc_property('architecture')
    revision = _desc_property('revision')
    flags = _desc_property('flags')
    id = _desc_property('id')
    vpci_irq_base = _desc_property('vpci_irq_base')
    cpu_reset_address = _desc_property('cpu_reset_address')
    msg_reply_timeout = _desc_property('msg_reply_timeout')
    cpu_set_size = _desc_property('cpu_set_size')
    del _desc_property

    @property
    def arch(self):
        return arch_name(self.architecture)

    @property
    def console(self):
        return Console._view(ffi.addressof(self.desc._c, 'console'), self)

    @console.setter
    def console(self, value):
        ffi.memmove(ffi.addressof(self.desc._c, 'console'), bytes(value),
                    Console.sizeof())

    def flag_names(self):
        return _flag_names(self.flags, 'JAILHOUSE_CELL_', CELL_FLAGS)

    # Serialisation -----------------------------------------------------
    def _bitmap_size(self):
        size = self.cpu_set_size
        highest = max(self.cpus) + 1 if self.cpus else 0
        if size * 8 < highest:
            size = (highest + 63) // 64 * 8
        return size

    def to_bytes(self):
        desc = self.desc.copy()
        size = self._bitmap_size()
        desc.cpu_set_size = size
        parts = [b'', _bitmap_from_cpus(self.cpus, size)]
        for attr, count_field, _ in SECTIONS:
            items = getattr(self, attr)
            setattr(desc, count_field, len(items))
            parts.extend(bytes(item) for item in items)
        parts[0] = bytes(desc)
        if not self.root:
            parts.append(self.trailing)
        return b''.join(parts)

    def __bytes__(self):
        return self.to_bytes()

    @classmethod
    def _parse_body(cls, data, offset, desc, path, root):
        """Build a cell from desc (already parsed) and the bytes after it."""
        cell = cls.__new__(cls)
        cell.root = root
        cell.trailing = b''
        cell.desc = desc
        size = desc.cpu_set_size
        if offset + size > len(data):
            raise ConfigError(path, 'CPU set (cpu_set_size %d) runs past the '
                              'end of the file (%d bytes)' % (size, len(data)))
        cell.cpus = _cpus_from_bitmap(data[offset:offset + size])
        offset += size
        for attr, count_field, item_type in SECTIONS:
            count = getattr(desc, count_field)
            item_size = item_type.sizeof()
            if offset + count * item_size > len(data):
                raise ConfigError(
                    path, '%s (%s %d, %d bytes each, from offset %d) run past '
                    'the end of the file (%d bytes)'
                    % (_SECTION_TITLES[attr], count_field, count, item_size,
                       offset, len(data)))
            setattr(cell, attr,
                    [item_type.from_bytes(data, offset + i * item_size)
                     for i in range(count)])
            offset += count * item_size
        raw_name = bytes(ffi.buffer(desc._c.name))
        if b'\0' not in raw_name:
            raise ConfigError(path, 'cell name is not NUL-terminated within '
                              '%d bytes' % len(raw_name))
        return cell, offset

    # Semantic checks ---------------------------------------------------
    def findings(self, arch=None):
        """Semantic findings of this cell on its own (Finding strings with
        a severity)."""
        return _cell_problems(self, arch if arch is not None
                              else self.architecture)

    def problems(self, arch=None):
        """The findings the hypervisor refuses."""
        return refusals(self.findings(arch))

    def __eq__(self, other):
        return isinstance(other, CellConfig) and \
            self.to_bytes() == other.to_bytes()

    def __repr__(self):
        return 'CellConfig(name=%r, arch=%s, cpus=%s, %s)' % (
            self.name, self.arch, sorted(self.cpus),
            ', '.join('%s=%d' % (a, len(getattr(self, a)))
                      for a, _, _ in SECTIONS))


class SystemConfig:
    """A system configuration: platform description plus the root cell."""

    def __init__(self, arch=None, flags=0, root_cell=None, **kwargs):
        self.header = SystemHeader()
        self.trailing = b''
        self.header.signature = SYSTEM_SIGNATURE
        self.header.revision = REVISION
        self.header.flags = flags
        self.root_cell = root_cell if root_cell is not None \
            else CellConfig(root=True)
        self.root_cell.root = True
        if arch is not None:
            self.architecture = arch_number(arch)
        for key, value in kwargs.items():
            if key in ('hypervisor_memory', 'debug_console'):
                setattr(self, key, value)
            else:
                setattr(self.header, key, value)

    @property
    def architecture(self):
        return self.header._c.architecture

    @architecture.setter
    def architecture(self, value):
        self.header._c.architecture = value

    @property
    def arch(self):
        return arch_name(self.architecture)

    @property
    def revision(self):
        return self.header._c.revision

    @property
    def signature(self):
        return bytes(ffi.buffer(self.header._c.signature))

    @property
    def flags(self):
        return self.header._c.flags

    @flags.setter
    def flags(self, value):
        self.header._c.flags = value

    def flag_names(self):
        return _flag_names(self.flags, 'JAILHOUSE_SYS_', SYS_FLAGS)

    @property
    def hypervisor_memory(self):
        return MemRegion._view(
            ffi.addressof(self.header._c, 'hypervisor_memory'), self)

    @hypervisor_memory.setter
    def hypervisor_memory(self, value):
        ffi.memmove(ffi.addressof(self.header._c, 'hypervisor_memory'),
                    bytes(value), MemRegion.sizeof())

    @property
    def debug_console(self):
        return Console._view(
            ffi.addressof(self.header._c, 'debug_console'), self)

    @debug_console.setter
    def debug_console(self, value):
        ffi.memmove(ffi.addressof(self.header._c, 'debug_console'),
                    bytes(value), Console.sizeof())

    @property
    def platform_info(self):
        """The cffi view of platform_info (fields x86.*, arm.*, ...)."""
        return self.header._c.platform_info

    @property
    def iommu_units(self):
        """All JAILHOUSE_MAX_IOMMU_UNITS slots (type 0: unused)."""
        base = self.header._c.platform_info.iommu_units
        return [IommuUnit._view(ffi.addressof(base, i), self)
                for i in range(C.JAILHOUSE_MAX_IOMMU_UNITS)]

    def to_bytes(self):
        root = self.root_cell.to_bytes()
        offset = ffi.offsetof('struct jailhouse_system', 'root_cell')
        head = bytearray(bytes(self.header))
        head[offset:] = root[:CellDesc.sizeof()]
        return bytes(head) + root[CellDesc.sizeof():] + self.trailing

    def __bytes__(self):
        return self.to_bytes()

    def findings(self):
        """Semantic findings of the system configuration (Finding strings
        with a severity), root cell included."""
        return _system_problems(self)

    def problems(self):
        """The findings the hypervisor refuses."""
        return refusals(self.findings())

    def __eq__(self, other):
        return isinstance(other, SystemConfig) and \
            self.to_bytes() == other.to_bytes()

    def __repr__(self):
        return 'SystemConfig(arch=%s, root_cell=%r)' % (self.arch,
                                                        self.root_cell)


def parse(data, path='<data>', arch=None, kind=None):
    """Parse a configuration blob.

    arch: expected architecture ('x86', 'arm', 'arm64' or the number);
    kind: 'system' or 'cell' to insist on one kind. Returns a SystemConfig
    or a CellConfig; raises ConfigError for anything unusable.
    """
    data = bytes(data)
    if not data:
        raise ConfigError(path, 'empty file')
    if data[:6] in (b'JHSYST', b'JHCELL'):
        raise ConfigError(path, 'configuration in an old format (signature '
                          '%s, before revision 14): rebuild it'
                          % data[:6].decode())
    if len(data) < 5:
        raise ConfigError(path, 'file too short (%d bytes) for a '
                          'configuration signature' % len(data))
    signature = data[:5]
    if signature == SYSTEM_SIGNATURE:
        found = 'system'
        header_type = SystemHeader
    elif signature == CELL_SIGNATURE:
        found = 'cell'
        header_type = CellDesc
    else:
        raise ConfigError(path, 'not a Jailhouse configuration (signature '
                          '%r, expected %r or %r)'
                          % (signature.decode('latin-1'),
                             SYSTEM_SIGNATURE.decode(),
                             CELL_SIGNATURE.decode()))
    if kind is not None and kind != found:
        raise ConfigError(path, 'is a %s configuration, expected a %s '
                          'configuration' % (found, kind))
    header_size = header_type.sizeof()
    if len(data) < header_size:
        raise ConfigError(path, 'truncated: %d bytes, a %s configuration '
                          'header needs %d' % (len(data), found, header_size))
    header = header_type.from_bytes(data)
    if header.revision != REVISION:
        raise ConfigError(path, 'configuration revision %d, expected %d '
                          '(rebuild it with this version)'
                          % (header.revision, REVISION))
    if header.architecture not in ARCH_NAMES:
        raise ConfigError(path, 'unknown architecture byte %d'
                          % header.architecture)
    if arch is not None:
        try:
            expected = arch_number(arch)
        except ValueError as err:
            raise ConfigError(path, str(err)) from None
        if header.architecture != expected:
            raise ConfigError(path, 'architecture %s, expected %s'
                              % (arch_name(header.architecture),
                                 arch_name(expected)))

    if found == 'system':
        offset = ffi.offsetof('struct jailhouse_system', 'root_cell')
        desc = CellDesc.from_bytes(data, offset)
        root, end = CellConfig._parse_body(data, header_size, desc, path,
                                           True)
        result = SystemConfig.__new__(SystemConfig)
        result.header = header
        result.root_cell = root
        result.trailing = b''
    else:
        result, end = CellConfig._parse_body(data, header_size, header, path,
                                             False)
    # Bytes after the last structure are ignored by the driver and the
    # hypervisor (upstream's build leaves some there): kept, noted.
    result.trailing = data[end:]
    return result


def load(path, arch=None, kind=None):
    """Read and parse a .cell file; ConfigError also for I/O errors."""
    try:
        with open(path, 'rb') as fileobj:
            data = fileobj.read()
    except OSError as err:
        raise ConfigError(path, err.strerror or str(err)) from None
    return parse(data, path, arch=arch, kind=kind)


# --------------------------------------------------------------------------
# Semantic checks of a single file
# --------------------------------------------------------------------------

_MEM_FLAGS_VALID = (C.JAILHOUSE_MEM_READ | C.JAILHOUSE_MEM_WRITE |
                    C.JAILHOUSE_MEM_EXECUTE | C.JAILHOUSE_MEM_DMA |
                    C.JAILHOUSE_MEM_IO | C.JAILHOUSE_MEM_COMM_REGION |
                    C.JAILHOUSE_MEM_LOADABLE | C.JAILHOUSE_MEM_ROOTSHARED |
                    C.JAILHOUSE_MEM_NO_HUGEPAGES |
                    C.JAILHOUSE_MEM_IO_UNALIGNED |
                    (0xf << C.JAILHOUSE_MEM_IO_WIDTH_SHIFT))
_CELL_FLAGS_VALID = (C.JAILHOUSE_CELL_PASSIVE_COMMREG |
                     C.JAILHOUSE_CELL_TEST_DEVICE |
                     C.JAILHOUSE_CELL_AARCH32 |
                     C.JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED |
                     C.JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE)
_CON_TYPES = set(C.with_prefix('JAILHOUSE_CON_TYPE_').values())
_PCI_TYPES = set(C.with_prefix('JAILHOUSE_PCI_TYPE_').values())
_X86_IOMMUS = {C.JAILHOUSE_IOMMU_AMD, C.JAILHOUSE_IOMMU_INTEL}
_ARM_IOMMUS = {C.JAILHOUSE_IOMMU_SMMUV3, C.JAILHOUSE_IOMMU_PVU,
               C.JAILHOUSE_IOMMU_ARM_MMU500}
_CACHE_TYPES = {C.JAILHOUSE_CACHE_L3_CODE, C.JAILHOUSE_CACHE_L3_DATA,
                C.JAILHOUSE_CACHE_L3}


def overlaps(start_a, end_a, start_b, end_b):
    return start_a < end_b and start_b < end_a


def mem_label(index, region):
    if region.is_comm_region:
        return 'memory region %d (comm region at %#x)' % (index,
                                                          region.virt_start)
    return 'memory region %d (%#x-%#x)' % (index, region.phys_start,
                                            region.phys_end - 1
                                            if region.size else
                                            region.phys_start)


# The most peers an ivshmem link can have (upstream's IVSHMEM_MAX_PEERS):
# a larger shmem_dev_id is refused.
IVSHMEM_MAX_PEERS = config_ivshmem.IVSHMEM_MAX_PEERS
# Protocol bits that differ between the two ends of one link by design
# (virtio front end 0x8000.., back end 0xc000..).
SHMEM_PROTO_BACKEND_BIT = 0x4000


def _console_problems(console, what, arch):
    problems = []

    def add(text, severity=ERROR):
        problems.append(Finding('%s: %s' % (what, text), severity))

    if console.type not in _CON_TYPES:
        add('unknown type %d' % console.type)
    if console.flags & ~C.JAILHOUSE_CON_FLAGS_VALID:
        add('unknown flags %#x' % (console.flags & ~C.JAILHOUSE_CON_FLAGS_VALID))
    if console.type not in (C.JAILHOUSE_CON_TYPE_NONE,
                            C.JAILHOUSE_CON_TYPE_EFIFB):
        if console.address == 0:
            add('%s console without address' % console.type_name)
        mmio = console.flags & C.JAILHOUSE_CON_ACCESS_MMIO
        if arch != C.JAILHOUSE_X86 and not mmio:
            add('port I/O console on %s (set JAILHOUSE_CON_ACCESS_MMIO)'
                % arch_name(arch))
        if not mmio and console.address > 0xffff:
            add('I/O port %#x out of range' % console.address)
    return problems


def _cell_problems(cell, arch):
    what = 'root cell' if cell.root else 'cell "%s"' % cell.name
    problems = []

    def add(text, severity=ERROR):
        problems.append(Finding('%s: %s' % (what, text), severity))

    if not cell.root and not cell.name:
        add('empty name')
    if cell.flags & ~_CELL_FLAGS_VALID:
        add('unknown flags %#x' % (cell.flags & ~_CELL_FLAGS_VALID))
    if cell.flags & C.JAILHOUSE_CELL_AARCH32:
        if arch != C.JAILHOUSE_ARM64:
            add('JAILHOUSE_CELL_AARCH32 is only valid on arm64')
        else:
            add('JAILHOUSE_CELL_AARCH32: AArch32 cells are not supported '
                'by this hypervisor')
    if cell.cpu_set_size == 0 or cell.cpu_set_size % 4:
        add('cpu_set_size %d is not a non-zero multiple of 4'
            % cell.cpu_set_size)
    if not cell.cpus:
        add('no CPUs')
    if not cell.root:
        problems.extend(_console_problems(cell.console, what + ': console',
                                          arch))
        if cell.trailing:
            add('%d bytes of trailing data after the last structure '
                '(ignored)' % len(cell.trailing), NOTE)

    comm_regions = []
    regions = [(i, r) for i, r in enumerate(cell.memory_regions)
               if not r.is_placeholder]
    for index, region in regions:
        label = mem_label(index, region)
        flags = region.flags

        def radd(text, severity=ERROR, label=label):
            add('%s: %s' % (label, text), severity)

        if region.size == 0:
            radd('size 0 (ignored)', WARNING)
            continue
        if flags & ~_MEM_FLAGS_VALID:
            radd('unknown flags %#x' % (flags & ~_MEM_FLAGS_VALID))
        # The access width field is a mask of JAILHOUSE_MEM_IO_8/16/32/64:
        # every value is valid.
        if (region.io_width or flags & C.JAILHOUSE_MEM_IO_UNALIGNED) and \
                not flags & C.JAILHOUSE_MEM_IO:
            radd('access width flags without JAILHOUSE_MEM_IO (ignored)',
                 WARNING)
        if region.phys_start + region.size > 1 << 64 or \
                region.virt_start + region.size > 1 << 64:
            radd('wraps around the end of the address space')
        if region.is_comm_region:
            comm_regions.append(index)
            if cell.root:
                radd('comm region in the root cell (ignored)', WARNING)
            bad = flags & (C.JAILHOUSE_MEM_LOADABLE | C.JAILHOUSE_MEM_DMA |
                           C.JAILHOUSE_MEM_IO | C.JAILHOUSE_MEM_ROOTSHARED)
            if bad:
                radd('comm region combined with %s (ignored)'
                     % ' | '.join(_flag_names(bad, 'JAILHOUSE_MEM_',
                                              MEM_FLAGS)), WARNING)
            if region.virt_start % PAGE_SIZE or region.size != PAGE_SIZE:
                radd('comm region is not one page at a page-aligned address')
            continue
        if cell.root and flags & C.JAILHOUSE_MEM_LOADABLE:
            radd('JAILHOUSE_MEM_LOADABLE means nothing for the root cell '
                 '(ignored)', NOTE)
        elif flags & C.JAILHOUSE_MEM_LOADABLE and flags & C.JAILHOUSE_MEM_IO:
            radd('JAILHOUSE_MEM_LOADABLE combined with JAILHOUSE_MEM_IO',
                 WARNING)
        if not flags & (C.JAILHOUSE_MEM_READ | C.JAILHOUSE_MEM_WRITE |
                        C.JAILHOUSE_MEM_EXECUTE | C.JAILHOUSE_MEM_DMA):
            radd('no access permitted (no READ, WRITE, EXECUTE or DMA)',
                 WARNING)
        if flags & C.JAILHOUSE_MEM_IO:
            # Sub-page MMIO regions are trapped and emulated: any alignment,
            # but guest and host offsets inside the page must agree.
            if (region.phys_start ^ region.virt_start) % PAGE_SIZE:
                radd('guest and host addresses differ in their page offset')
        elif region.phys_start % PAGE_SIZE or region.virt_start % PAGE_SIZE \
                or region.size % PAGE_SIZE:
            radd('not page aligned (only JAILHOUSE_MEM_IO regions may be '
                 'smaller than a page)')
    if len(comm_regions) > 1:
        add('more than one comm region (%s)'
            % ', '.join(str(i) for i in comm_regions))

    for pos, (i, a) in enumerate(regions):
        for j, b in regions[pos + 1:]:
            if a.size == 0 or b.size == 0:
                continue
            if overlaps(a.virt_start, a.virt_end, b.virt_start, b.virt_end):
                if cell.root:
                    # The hypervisor trusts the root and maps its regions
                    # in order; upstream's checker reports this as an error.
                    problems.append(Finding(
                        '%s: %s and %s overlap in the cell\'s address space '
                        '(the hypervisor accepts it: the later region wins)'
                        % (what, mem_label(i, a), mem_label(j, b)),
                        ERROR, refused=False))
                else:
                    add('%s and %s overlap in the cell\'s address space'
                        % (mem_label(i, a), mem_label(j, b)))
            elif not a.is_comm_region and not b.is_comm_region and \
                    overlaps(a.phys_start, a.phys_end, b.phys_start,
                             b.phys_end):
                add('%s and %s overlap in physical memory'
                    % (mem_label(i, a), mem_label(j, b)), WARNING)

    for index, cache in enumerate(cell.cache_regions):
        if cache.type not in _CACHE_TYPES:
            add('cache region %d: unknown type %d' % (index, cache.type),
                WARNING)
        if cache.size == 0:
            add('cache region %d: size 0' % index, WARNING)
        if cache.flags & ~C.JAILHOUSE_CACHE_ROOTSHARED:
            add('cache region %d: unknown flags %#x' % (index, cache.flags),
                WARNING)

    for index, chip in enumerate(cell.irqchips):
        if chip.address == 0:
            # Upstream's board files use it for an unused slot; the
            # hypervisor skips it.
            add('irqchip %d: address 0, an unused slot (ignored)' % index,
                NOTE)
            continue
        if arch != C.JAILHOUSE_X86 and \
                (chip.pin_base % 32 or chip.pin_base + 128 > 1024):
            add('irqchip %d: pin_base %d is not a multiple of 32 below 896'
                % (index, chip.pin_base))

    if cell.pio_regions and arch != C.JAILHOUSE_X86:
        add('PIO regions on %s (ignored)' % arch_name(arch), WARNING)
    for index, pio in enumerate(cell.pio_regions):
        if pio.length == 0:
            add('PIO region %d: length 0' % index, WARNING)
        if pio.end > 0x10000:
            add('PIO region %d (%#x+%#x) exceeds the port range'
                % (index, pio.base, pio.length))
    pios = list(enumerate(cell.pio_regions))
    for pos, (i, a) in enumerate(pios):
        for j, b in pios[pos + 1:]:
            if overlaps(a.base, a.end, b.base, b.end):
                add('PIO regions %d (%#x+%#x) and %d (%#x+%#x) overlap'
                    % (i, a.base, a.length, j, b.base, b.length), WARNING)

    seen = {}
    for index, dev in enumerate(cell.pci_devices):
        label = 'PCI device %d (%s)' % (index, dev.bdf_str)
        key = (dev.domain, dev.bdf)
        if key in seen:
            add('%s: same BDF as PCI device %d' % (label, seen[key]))
        seen.setdefault(key, index)
        if dev.type not in _PCI_TYPES:
            add('%s: unknown type %d' % (label, dev.type))
        if dev.caps_start + dev.num_caps > len(cell.pci_caps):
            add('%s: capabilities %d..%d beyond the %d listed'
                % (label, dev.caps_start, dev.caps_start + dev.num_caps - 1,
                   len(cell.pci_caps)))
        if dev.is_ivshmem:
            # what hypervisor/ivshmem.c refuses of the endpoint on its own
            for severity, text in config_ivshmem.endpoint_problems(cell,
                                                                   dev):
                add('%s: %s' % (label, text), severity)
        elif dev.num_msix_vectors and arch == C.JAILHOUSE_X86 and \
                dev.type in (C.JAILHOUSE_PCI_TYPE_DEVICE,
                             C.JAILHOUSE_PCI_TYPE_BRIDGE):
            _msix_table_problems(cell, dev, label, add)
        elif dev.num_msix_vectors and dev.msix_region_size == 0:
            add('%s: MSI-X vectors without MSI-X region' % label, WARNING)
    return problems


def _msix_table_problems(cell, dev, label, add):
    """x86 emulates a physical device's MSI-X table: it must be described
    (page-aligned, large enough) and no memory region may map it."""
    start, size = dev.msix_address, dev.msix_region_size
    if size == 0:
        add('%s: MSI-X vectors without MSI-X region' % label)
        return
    if start % PAGE_SIZE or size % PAGE_SIZE:
        add('%s: MSI-X table %#x+%#x not page aligned' % (label, start, size))
    if dev.num_msix_vectors * 16 > size:
        add('%s: %d MSI-X vectors do not fit in %#x bytes'
            % (label, dev.num_msix_vectors, size))
    for index, region in enumerate(cell.memory_regions):
        if region.size and overlaps(region.virt_start, region.virt_end,
                                    start, start + size):
            add('%s: MSI-X table %#x-%#x is mapped by %s (the hypervisor '
                'emulates it: leave it out of the memory regions)'
                % (label, start, start + size - 1, mem_label(index, region)))


def _system_problems(system):
    arch = system.architecture
    problems = []

    def add(text, severity=ERROR):
        problems.append(Finding(text, severity))

    valid = C.JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE
    if system.flags & ~valid:
        add('unknown system flags %#x' % (system.flags & ~valid))
    if system.trailing:
        add('%d bytes of trailing data after the last structure (ignored)'
            % len(system.trailing), NOTE)
    hv = system.hypervisor_memory
    if hv.size == 0:
        add('hypervisor memory has size 0')
    if hv.phys_start % PAGE_SIZE or hv.size % PAGE_SIZE:
        add('hypervisor memory (%#x+%#x) not page aligned'
            % (hv.phys_start, hv.size))
    problems.extend(_console_problems(system.debug_console, 'debug console',
                                      arch))
    info = system.platform_info
    if arch == C.JAILHOUSE_X86:
        if info.x86.apic_mode > C.JAILHOUSE_APIC_MODE_X2APIC:
            add('unknown APIC mode %d' % info.x86.apic_mode)
        if info.x86.pm_timer_address == 0:
            add('no PM timer address')
    else:
        gic = info.arm
        if gic.gic_version not in (2, 3):
            add('GIC version %d (2 or 3 expected)' % gic.gic_version)
        if gic.gicd_base == 0:
            add('no GIC distributor address (gicd_base)')
        if gic.gic_version == 2:
            for field in ('gicc_base', 'gich_base', 'gicv_base'):
                if getattr(gic, field) == 0:
                    add('GICv2 without %s' % field)
        if gic.gic_version == 3 and gic.gicr_base == 0:
            add('GICv3 without gicr_base')
        if not 16 <= gic.maintenance_irq < 32:
            add('maintenance IRQ %d is not a PPI (16..31)'
                % gic.maintenance_irq)
    for index, unit in enumerate(system.iommu_units):
        if unit.type == 0:
            continue
        label = 'IOMMU unit %d' % index
        allowed = _X86_IOMMUS if arch == C.JAILHOUSE_X86 else _ARM_IOMMUS
        if unit.type not in allowed:
            add('%s: type %s not valid on %s'
                % (label, unit.type_name, system.arch))
        if unit.base == 0 or unit.size == 0:
            add('%s: missing base or size' % label)
        # The hypervisor owns the unit: neither its registers nor (AMD)
        # its PCI function may be the root's.
        for n, region in enumerate(system.root_cell.memory_regions):
            if region.size and overlaps(region.phys_start, region.phys_end,
                                        unit.base, unit.base + unit.size):
                add('root cell: %s covers %s (%#x-%#x), the hypervisor\'s'
                    % (mem_label(n, region), label, unit.base,
                       unit.base + unit.size - 1))
        if unit.type == C.JAILHOUSE_IOMMU_AMD:
            for dev in system.root_cell.pci_devices:
                if (dev.type == C.JAILHOUSE_PCI_TYPE_DEVICE and
                        dev.bdf == unit._c.amd.bdf):
                    add('root cell: PCI device %s is %s, the hypervisor\'s'
                        % (dev.bdf_str, label))
    root = system.root_cell
    if root.pci_devices and info.pci_mmconfig_base == 0:
        add('PCI devices but no pci_mmconfig_base')
    problems.extend(root.findings(arch))
    for index, region in enumerate(root.memory_regions):
        if region.size and overlaps(region.phys_start, region.phys_end,
                                    hv.phys_start, hv.phys_end):
            add('root cell: %s overlaps hypervisor memory (%#x-%#x)'
                % (mem_label(index, region), hv.phys_start, hv.phys_end - 1))
    return problems
