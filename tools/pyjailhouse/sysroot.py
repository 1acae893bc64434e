# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: read the target's /proc, /sys and device tree, live or from a collected copy
"""Every file `config create` and `hardware check` read goes through a
SysRoot, so that the same parsers work on the running system (root "/")
and on a tree unpacked from `jailhouse config collect` (root ROOT).

Errors are InputError with one line naming the file and what is wrong.
INPUTS lists what the generators read; `config collect` packs exactly these.
"""

import errno
import fnmatch
import os


class InputError(Exception):
    """Input missing or malformed; str() is one line naming what."""


# What `config create` reads, as (path, optional: not needed on every
# architecture; create itself says what is missing).  Globs match in sysfs
# directories; a directory entry ending in '/' is copied whole (the device
# tree).  One source of truth for create and collect.
INPUTS = [
    ('/proc/cmdline', False),
    ('/proc/cpuinfo', False),
    ('/proc/iomem', True),
    ('/proc/ioports', True),
    ('/proc/device-tree/', True),
    ('/sys/devices/system/cpu/possible', True),
    ('/sys/devices/system/cpu/cpu*/topology/core_id', True),
    ('/sys/devices/system/cpu/cpu*/regs/identification/midr_el1', True),
    ('/sys/bus/pci/devices/*/class', True),
    ('/sys/bus/pci/devices/*/config', True),
    ('/sys/bus/pci/devices/*/resource', True),
    ('/sys/firmware/acpi/tables/APIC', True),
    ('/sys/firmware/acpi/tables/DMAR', True),
    ('/sys/firmware/acpi/tables/IVRS', True),
    ('/sys/firmware/acpi/tables/MCFG', True),
    ('/sys/firmware/acpi/tables/FACP', True),
    ('/sys/class/dmi/id/sys_vendor', True),
    ('/sys/class/dmi/id/product_name', True),
    ('/sys/class/tty/*/port', True),
    ('/sys/class/tty/*/iomem_base', True),
    ('/sys/class/tty/*/io_type', True),
    ('/sys/class/tty/*/iomem_reg_shift', True),
    ('/sys/class/tty/*/type', True),
    ('/sys/devices/jailhouse/enabled', True),
]


class SysRoot:
    """The target's files under `root` ('/' for the running system)."""

    def __init__(self, root='/'):
        self.root = root or '/'

    @property
    def live(self):
        return os.path.abspath(self.root) == '/'

    def path(self, name):
        return os.path.join(self.root, name.lstrip('/'))

    def describe(self, name):
        return name if self.live else self.path(name)

    def exists(self, name):
        return os.path.exists(self.path(name))

    def isdir(self, name):
        return os.path.isdir(self.path(name))

    def read_bytes(self, name):
        try:
            with open(self.path(name), 'rb') as fileobj:
                return fileobj.read()
        except OSError as err:
            raise InputError('cannot read %s: %s' % (
                self.describe(name), os.strerror(err.errno or errno.EIO))) \
                from None

    def read_text(self, name):
        return self.read_bytes(name).decode('utf-8', 'replace')

    def read_optional(self, name, default=None):
        """Text of an optional file, or default if it cannot be read."""
        try:
            return self.read_text(name)
        except InputError:
            return default

    def read_optional_bytes(self, name, default=None):
        try:
            return self.read_bytes(name)
        except InputError:
            return default

    def listdir(self, name):
        try:
            return sorted(os.listdir(self.path(name)))
        except OSError as err:
            raise InputError('cannot list %s: %s' % (
                self.describe(name), os.strerror(err.errno or errno.EIO))) \
                from None

    def glob(self, pattern):
        """Paths (as on the target) matching a pattern with '*' parts."""
        parts = pattern.strip('/').split('/')
        found = ['']
        for part in parts:
            nxt = []
            for base in found:
                if '*' in part:
                    try:
                        names = sorted(os.listdir(self.path(base or '/')))
                    except OSError:
                        continue
                    nxt.extend(base + '/' + n for n in names
                               if fnmatch.fnmatch(n, part))
                else:
                    nxt.append(base + '/' + part)
            found = nxt
        return [p for p in found if os.path.lexists(self.path(p))]


def parse_size(text):
    """'6M', '0x600000', '64K', '1G' -> bytes; ValueError if malformed."""
    text = text.strip()
    scale = 1
    units = {'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}
    if text and text[-1].upper() in units:
        scale = units[text[-1].upper()]
        text = text[:-1]
    value = int(text, 0)
    if value < 0:
        raise ValueError('negative size')
    return value * scale


def format_size(value):
    for unit, shift in (('G', 30), ('M', 20), ('K', 10)):
        if value and value % (1 << shift) == 0:
            return '%d %siB' % (value >> shift, unit)
    return '%#x bytes' % value
