# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: flattened device trees (.dtb) read, changed and written again
"""A small reader/writer of flattened device tree blobs (the devicetree
specification's format, versions 16 and 17 in, 17 out), enough for `jailhouse
cell linux` to set /memory and /chosen in a cell's device tree.

    tree = Fdt.parse(blob)
    tree.set('/chosen', 'bootargs', b'console=ttyAMA0\\0')
    tree.cells('/')              # (#address-cells, #size-cells)
    blob = tree.to_bytes()

Malformed blobs raise FdtError with a one-line reason.
"""

import struct

MAGIC = 0xd00dfeed
_HEADER = struct.Struct('>10I')
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class FdtError(Exception):
    """Not a device tree blob this module reads; str() says why."""


class Node:
    def __init__(self, name):
        self.name = name
        self.props = {}         # name -> bytes, in insertion order
        self.children = []

    def child(self, name):
        for node in self.children:
            if node.name == name:
                return node
        return None


def _align(value):
    return (value + 3) & ~3


class _Reader:
    def __init__(self, blob, struct_off, struct_size, strings):
        self.blob = blob
        self.pos = struct_off
        self.end = struct_off + struct_size
        self.strings = strings

    def word(self):
        if self.pos + 4 > self.end:
            raise FdtError('structure block ends early')
        (value,) = struct.unpack_from('>I', self.blob, self.pos)
        self.pos += 4
        return value

    def cstring(self, data, start, what):
        stop = data.find(b'\0', start)
        if stop < 0:
            raise FdtError('unterminated %s' % what)
        return data[start:stop].decode('utf-8', 'replace'), stop

    def node(self):
        name, stop = self.cstring(self.blob[:self.end], self.pos, 'node name')
        self.pos = _align(stop + 1)
        node = Node(name)
        while True:
            token = self.word()
            if token == BEGIN_NODE:
                node.children.append(self.node())
            elif token == PROP:
                size, name_off = self.word(), self.word()
                if self.pos + size > self.end:
                    raise FdtError('property runs past the structure block')
                if name_off >= len(self.strings):
                    raise FdtError('property name outside the strings block')
                pname, _ = self.cstring(self.strings, name_off,
                                        'property name')
                node.props[pname] = bytes(self.blob[self.pos:self.pos + size])
                self.pos = _align(self.pos + size)
            elif token == END_NODE:
                return node
            elif token != NOP:
                raise FdtError('unexpected token %#x in node %s'
                               % (token, name or '/'))


class Fdt:
    def __init__(self, root, reserved=(), boot_cpuid=0):
        self.root = root
        self.reserved = list(reserved)     # [(address, size)]
        self.boot_cpuid = boot_cpuid

    @classmethod
    def parse(cls, blob):
        blob = bytes(blob)
        if len(blob) < _HEADER.size:
            raise FdtError('too short for a device tree header')
        (magic, total, off_struct, off_strings, off_rsv, version, _last,
         boot_cpuid, size_strings, size_struct) = _HEADER.unpack_from(blob)
        if magic != MAGIC:
            raise FdtError('no device tree magic (is it a .dtb?)')
        if version < 16:
            raise FdtError('device tree version %d, need 16 or later'
                           % version)
        if version < 17:
            size_struct = total - off_struct
        if total > len(blob) or max(off_struct + size_struct,
                                    off_strings + size_strings,
                                    off_rsv + 16) > total:
            raise FdtError('blocks extend past the blob (truncated file?)')
        reserved = []
        pos = off_rsv
        while True:
            if pos + 16 > total:
                raise FdtError('unterminated memory reservation block')
            address, size = struct.unpack_from('>QQ', blob, pos)
            pos += 16
            if address == 0 and size == 0:
                break
            reserved.append((address, size))
        reader = _Reader(blob, off_struct, size_struct,
                         blob[off_strings:off_strings + size_strings])
        if reader.word() != BEGIN_NODE:
            raise FdtError('structure block does not start with a node')
        root = reader.node()
        while True:
            token = reader.word()
            if token == END:
                break
            if token != NOP:
                raise FdtError('unexpected token %#x after the root node'
                               % token)
        return cls(root, reserved, boot_cpuid)

    def node(self, path, create=False):
        """The node at an absolute path ('/', '/chosen'), or None; with
        create, missing nodes are added."""
        node = self.root
        for name in [part for part in path.split('/') if part]:
            found = node.child(name)
            if found is None:
                if not create:
                    return None
                found = Node(name)
                node.children.append(found)
            node = found
        return node

    def get(self, path, prop):
        node = self.node(path)
        return None if node is None else node.props.get(prop)

    def set(self, path, prop, value):
        self.node(path, create=True).props[prop] = bytes(value)

    def cells(self, path='/'):
        """(#address-cells, #size-cells) of a node; the specification's
        defaults 2 and 1 where the properties are missing."""
        def number(prop, default):
            value = self.get(path, prop)
            if value is None:
                return default
            if len(value) != 4:
                raise FdtError('%s of %s is not one cell' % (prop, path))
            return struct.unpack('>I', value)[0]
        return number('#address-cells', 2), number('#size-cells', 1)

    def walk(self):
        """(path, node) of every node, parents first."""
        todo = [('/', self.root)]
        while todo:
            path, node = todo.pop(0)
            yield path, node
            todo += [(path.rstrip('/') + '/' + c.name, c)
                     for c in node.children]

    def to_bytes(self):
        strings = bytearray()
        offsets = {}

        def name_offset(name):
            if name not in offsets:
                offsets[name] = len(strings)
                strings.extend(name.encode() + b'\0')
            return offsets[name]

        body = bytearray()

        def emit(node):
            name = node.name.encode() + b'\0'
            body.extend(struct.pack('>I', BEGIN_NODE) + name +
                        b'\0' * (_align(len(name)) - len(name)))
            for pname, value in node.props.items():
                body.extend(struct.pack('>III', PROP, len(value),
                                        name_offset(pname)) + value +
                            b'\0' * (_align(len(value)) - len(value)))
            for child in node.children:
                emit(child)
            body.extend(struct.pack('>I', END_NODE))

        emit(self.root)
        body.extend(struct.pack('>I', END))
        rsv = b''.join(struct.pack('>QQ', a, s) for a, s in self.reserved) \
            + b'\0' * 16
        off_rsv = _HEADER.size        # 40: 8-byte aligned as required
        off_struct = off_rsv + len(rsv)
        off_strings = off_struct + len(body)
        total = off_strings + len(strings)
        header = _HEADER.pack(MAGIC, total, off_struct, off_strings, off_rsv,
                              17, 16, self.boot_cpuid, len(strings),
                              len(body))
        return header + rsv + bytes(body) + bytes(strings)
