# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: reading the driver's sysfs tree
"""The driver's state under /sys/devices/jailhouse:

    enabled, console, mem_pool_size, mem_pool_used, remap_pool_size,
    remap_pool_used
    cells/<id>/name, state, cpus_assigned, cpus_assigned_list, cpus_failed,
    cpus_failed_list
    cells/<id>/statistics/vmexits_*          (sum over the cell's CPUs)
    cells/<id>/statistics/cpu<n>/vmexits_*   (one CPU)

Environment, for testing only: JAILHOUSE_SYSFS replaces the root path.
Reading errors raise OSError (with .filename set).
"""

import os

DEFAULT_ROOT = '/sys/devices/jailhouse'
ENV_SYSFS = 'JAILHOUSE_SYSFS'
STAT_PREFIX = 'vmexits_'


def root(environ=None):
    environ = os.environ if environ is None else environ
    return environ.get(ENV_SYSFS) or DEFAULT_ROOT


class Cell:
    """One entry of cells/: id, name, state and CPU lists as strings."""

    def __init__(self, cell_id, name, state, cpus_assigned_list,
                 cpus_failed_list):
        self.id = cell_id
        self.name = name
        self.state = state
        self.cpus_assigned_list = cpus_assigned_list
        self.cpus_failed_list = cpus_failed_list

    def __repr__(self):
        return 'Cell(%d, %r, %r)' % (self.id, self.name, self.state)


class Sysfs:
    """Reader of one sysfs tree (default: the real one)."""

    def __init__(self, path=None):
        self.path = path or root()

    def _path(self, *parts):
        return os.path.join(self.path, *[str(p) for p in parts])

    def read(self, *parts):
        """An attribute's text without the trailing newline."""
        path = self._path(*parts)
        with open(path, 'rb') as fileobj:
            data = fileobj.read()
        return os.fsdecode(data).rstrip('\n')

    def exists(self):
        return os.path.isdir(self.path)

    def enabled(self):
        """True/False from `enabled`; None if it cannot be read."""
        try:
            return self.read('enabled').strip() == '1'
        except (OSError, ValueError):
            return None

    def console(self):
        """The hypervisor console buffer (bytes)."""
        with open(self._path('console'), 'rb') as fileobj:
            return fileobj.read()

    def cell_ids(self):
        """IDs of the cells, ascending; [] if there is no cells directory."""
        try:
            entries = os.listdir(self._path('cells'))
        except FileNotFoundError:
            return []
        return sorted(int(e) for e in entries if e.isdigit())

    def _optional(self, *parts):
        try:
            return self.read(*parts)
        except FileNotFoundError:
            return '?'

    def cell(self, cell_id):
        """The Cell with this ID; OSError if it does not exist. Attributes
        this driver does not provide read as '?'."""
        name = self.read('cells', cell_id, 'name')
        return Cell(cell_id, name,
                    *[self._optional('cells', cell_id, attr)
                      for attr in ('state', 'cpus_assigned_list',
                                   'cpus_failed_list')])

    def cells(self):
        """Every cell, by ID; cells vanishing while being read are left
        out."""
        result = []
        for cell_id in self.cell_ids():
            try:
                result.append(self.cell(cell_id))
            except FileNotFoundError:
                continue
        return result

    def find(self, ref):
        """ID of the cell a CellRef names, or None."""
        if ref.id is not None:
            return ref.id if os.path.isdir(self._path('cells', ref.id)) \
                else None
        for cell_id in self.cell_ids():
            try:
                if self.read('cells', cell_id, 'name') == ref.name:
                    return cell_id
            except FileNotFoundError:
                continue
        return None

    def is_root(self, ref):
        """Whether ref names the root cell (ID 0)."""
        if ref.id is not None:
            return ref.id == 0
        try:
            return self.read('cells', 0, 'name') == ref.name
        except OSError:
            return False

    def stat_cpus(self, cell_id):
        """CPUs with a statistics/cpu<n> directory, ascending."""
        entries = os.listdir(self._path('cells', cell_id, 'statistics'))
        return sorted(int(e[3:]) for e in entries
                      if e.startswith('cpu') and e[3:].isdigit())

    def statistics(self, cell_id, cpu=None):
        """{counter name: value} of a cell (all CPUs) or one of its CPUs."""
        parts = ['cells', cell_id, 'statistics']
        if cpu is not None:
            parts.append('cpu%d' % cpu)
        directory = self._path(*parts)
        values = {}
        for name in sorted(os.listdir(directory)):
            if name.startswith(STAT_PREFIX):
                values[name] = int(self.read(*(parts + [name])).strip() or 0)
        return values
