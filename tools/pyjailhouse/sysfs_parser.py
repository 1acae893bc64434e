# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: upstream's pyjailhouse.sysfs_parser basics (input files, I/O region trees)
"""Compatibility layer: the basic names of upstream's
pyjailhouse.sysfs_parser, for helper scripts that read a (collected)
/proc and /sys tree:

    from pyjailhouse import sysfs_parser
    sysfs_parser.set_root_dir('/tmp/collected')
    tree = sysfs_parser.IORegionTree.parse_io_file('/proc/iomem',
                                                   sysfs_parser.MemRegion)
    ram = tree.find_regions_by_name('System RAM')

The hardware analysis built on it (PCI, ACPI tables, IOMMUs: upstream's
parse_pcidevices(), parse_madt(), ...) belongs to `jailhouse config
create`; those names raise NotImplementedError here.
"""

import os

root_dir = '/'


def set_root_dir(directory):
    """Read input files below directory instead of /."""
    global root_dir  # pylint: disable=global-statement
    root_dir = directory


def _path(name):
    return os.path.join(root_dir, name.lstrip('/'))


def check_input_listed(name, optional=False):
    """Upstream restricts its inputs to a list; any file is fine here."""
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
    RAM_NAMES = ('System RAM', 'Kernel', 'RAM buffer', 'ACPI DMAR RMRR',
                 'ACPI IVRS')

    def __str__(self):
        return 'MemRegion: %08x-%08x : %s' % (self.start, self.stop,
                                              self.typestr)

    def size(self):
        """Rounded up to whole pages."""
        return (super().size() + 0xfff) & ~0xfff

    def is_ram(self):
        return self.typestr in self.RAM_NAMES

    def flagstr(self, p=''):
        if self.is_ram():
            return 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |\n' + p + \
                '\t\tJAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_DMA'
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


def _not_here(name):
    def function(*args, **kwargs):
        raise NotImplementedError(
            'sysfs_parser.%s: not implemented yet (hardware analysis is '
            'part of `jailhouse config create`)' % name)
    function.__name__ = name
    return function


for _name in ('parse_iomem', 'parse_ioports', 'parse_pcidevices',
              'parse_madt', 'parse_dmar', 'parse_ivrs', 'get_cpu_vendor'):
    globals()[_name] = _not_here(_name)
del _name
