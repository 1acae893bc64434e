# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: a device tree read from a .dtb or from /proc/device-tree
"""Node tree of a flattened device tree (the Devicetree Specification's
structure block) or of the kernel's /proc/device-tree directory.

    tree = from_dtb(data)            # or from_dir(sysroot, '/proc/device-tree')
    node = tree.find('/cpus')
    node.cells('reg'), node.string('compatible'), node.reg()

reg() translates addresses through the parents' `ranges` into CPU
physical addresses.
"""

import os
import struct

from .sysroot import InputError

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.props = {}
        self.children = []

    def __repr__(self):
        return 'Node(%s)' % self.path

    @property
    def path(self):
        if self.parent is None:
            return '/'
        parent = self.parent.path
        return (parent if parent != '/' else '') + '/' + self.name

    @property
    def unit_name(self):
        return self.name.split('@')[0]

    def child(self, name):
        for node in self.children:
            if node.name == name or (
                    '@' not in name and node.unit_name == name):
                return node
        return None

    def walk(self):
        yield self
        for node in self.children:
            yield from node.walk()

    def has(self, prop):
        return prop in self.props

    def cells(self, prop):
        data = self.props.get(prop)
        if data is None:
            return None
        return list(struct.unpack('>%dI' % (len(data) // 4),
                                  data[:len(data) // 4 * 4]))

    def cell(self, prop, default=None):
        values = self.cells(prop)
        return values[0] if values else default

    def strings(self, prop):
        data = self.props.get(prop)
        if data is None:
            return []
        return [s.decode('utf-8', 'replace') for s in
                data.rstrip(b'\0').split(b'\0')]

    def string(self, prop, default=None):
        values = self.strings(prop)
        return values[0] if values else default

    @property
    def compatible(self):
        return self.strings('compatible')

    def is_compatible(self, *names):
        return any(c in names for c in self.compatible)

    @property
    def enabled(self):
        return self.string('status', 'okay') in ('okay', 'ok')

    def address_cells(self):
        return self.cell('#address-cells', 2)

    def size_cells(self):
        return self.cell('#size-cells', 1)

    def reg(self):
        """[(cpu physical address, size)] of this node's reg property;
        untranslatable entries are left out."""
        raw = self.cells('reg')
        if not raw or self.parent is None:
            return []
        acells = self.parent.address_cells()
        scells = self.parent.size_cells()
        step = acells + scells
        result = []
        for i in range(0, len(raw) - step + 1, step):
            addr = _join(raw[i:i + acells])
            size = _join(raw[i + acells:i + step])
            phys = self.parent.translate(addr)
            if phys is not None:
                result.append((phys, size))
        return result

    def translate(self, addr):
        """Address in this node's child address space -> CPU address."""
        if self.parent is None:
            return addr
        if 'ranges' not in self.props:
            return None if self.parent.parent is not None else addr
        ranges = self.cells('ranges')
        if not ranges:
            return self.parent.translate(addr)
        child_a = self.address_cells()
        parent_a = self.parent.address_cells()
        size_c = self.size_cells()
        step = child_a + parent_a + size_c
        for i in range(0, len(ranges) - step + 1, step):
            child = _join(ranges[i:i + child_a])
            parent = _join(ranges[i + child_a:i + child_a + parent_a])
            size = _join(ranges[i + child_a + parent_a:i + step])
            if child <= addr < child + size:
                return self.parent.translate(parent + addr - child)
        return None

    def ranges(self):
        """[(child address cells, cpu address, size)] of `ranges`."""
        raw = self.cells('ranges') or []
        child_a = self.address_cells()
        parent_a = self.parent.address_cells() if self.parent else 2
        size_c = self.size_cells()
        step = child_a + parent_a + size_c
        result = []
        for i in range(0, len(raw) - step + 1, step):
            child = raw[i:i + child_a]
            parent = _join(raw[i + child_a:i + child_a + parent_a])
            size = _join(raw[i + child_a + parent_a:i + step])
            cpu = self.parent.translate(parent) if self.parent else parent
            if cpu is not None:
                result.append((child, cpu, size))
        return result


def _join(cells):
    value = 0
    for cell in cells:
        value = value << 32 | cell
    return value


class Tree:
    def __init__(self, root, source):
        self.root = root
        self.source = source
        self.phandles = {}
        for node in root.walk():
            for prop in ('phandle', 'linux,phandle'):
                if node.has(prop):
                    self.phandles[node.cell(prop)] = node

    def find(self, path):
        """Node at an absolute path or an alias name, or None."""
        if not path.startswith('/'):
            aliases = self.root.child('aliases')
            target = aliases.string(path) if aliases else None
            if not target:
                return None
            path = target
        node = self.root
        for part in [p for p in path.split('/') if p]:
            node = node.child(part)
            if node is None:
                return None
        return node

    def by_phandle(self, handle):
        return self.phandles.get(handle)

    def compatible(self, *names):
        return [n for n in self.root.walk()
                if n.is_compatible(*names) and n.enabled]

    def interrupt_parent(self, node):
        """The interrupt controller a node's interrupts go to."""
        while node is not None:
            if node.has('interrupt-parent'):
                return self.by_phandle(node.cell('interrupt-parent'))
            node = node.parent
        return None


def from_dtb(data, source='device tree blob'):
    """Tree of a flattened device tree; InputError if malformed."""
    try:
        magic, total, off_struct, off_strings, _mem, version, _last, \
            _boot, size_strings, size_struct = struct.unpack_from('>10I',
                                                                  data)
    except struct.error:
        raise InputError('%s: too short for a device tree blob' % source) \
            from None
    if magic != FDT_MAGIC:
        raise InputError('%s: not a device tree blob (magic %#x)'
                         % (source, magic))
    if total > len(data) or version < 16:
        raise InputError('%s: truncated or unsupported device tree blob '
                         '(version %d, %d of %d bytes)'
                         % (source, version, len(data), total))
    strings = data[off_strings:off_strings + size_strings]
    pos = off_struct
    end = off_struct + size_struct if version >= 17 else total
    root = None
    node = None
    try:
        while pos < end:
            (token,) = struct.unpack_from('>I', data, pos)
            pos += 4
            if token == FDT_BEGIN_NODE:
                nul = data.index(b'\0', pos)
                name = data[pos:nul].decode('utf-8', 'replace')
                pos = (nul + 4) & ~3
                new = Node(name, node)
                if node is None:
                    root = new
                else:
                    node.children.append(new)
                node = new
            elif token == FDT_END_NODE:
                node = node.parent
            elif token == FDT_PROP:
                length, name_off = struct.unpack_from('>II', data, pos)
                pos += 8
                nul = strings.index(b'\0', name_off)
                name = strings[name_off:nul].decode('utf-8', 'replace')
                node.props[name] = bytes(data[pos:pos + length])
                pos = (pos + length + 3) & ~3
            elif token == FDT_NOP:
                continue
            elif token == FDT_END:
                break
            else:
                raise ValueError('token %#x' % token)
    except (ValueError, AttributeError, struct.error) as err:
        raise InputError('%s: malformed structure block (%s)'
                         % (source, err)) from None
    if root is None:
        raise InputError('%s: no root node' % source)
    return Tree(root, source)


def from_dir(sysroot, top='/proc/device-tree'):
    """Tree of the kernel's device tree directory under a SysRoot."""
    if not sysroot.isdir(top):
        raise InputError('no device tree: %s is missing'
                         % sysroot.describe(top))
    base = sysroot.path(top)
    root = Node('')

    def load(node, directory):
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            if os.path.isdir(path) and not os.path.islink(path):
                child = Node(name, node)
                node.children.append(child)
                load(child, path)
            elif os.path.isfile(path):
                try:
                    with open(path, 'rb') as fileobj:
                        node.props[name] = fileobj.read()
                except OSError as err:
                    raise InputError('cannot read %s: %s'
                                     % (path, os.strerror(err.errno))) \
                        from None
    load(root, base)
    return Tree(root, sysroot.describe(top))
