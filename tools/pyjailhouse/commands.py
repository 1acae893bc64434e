# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: the operations behind enable, disable, console and cell
"""What each jailhouse subcommand does, once its arguments are parsed.

Every function takes a Context and raises JailhouseError with a one-line
message on failure; nothing here parses the command line.
"""

import errno
import os
import sys

from . import config as jhconfig
from .cellref import CellRef
from .device import Device, device_path, load_backend
from .errors import IoctlError, JailhouseError, file_message, \
    ioctl_message, open_message
from .sysfs import Sysfs, root as sysfs_root

_MACHINES = {'x86_64': 'x86', 'amd64': 'x86', 'i386': 'x86', 'i486': 'x86',
             'i586': 'x86', 'i686': 'x86', 'aarch64': 'arm64',
             'arm64': 'arm64'}


def host_arch(machine=None):
    """'x86', 'arm' or 'arm64' for a uname machine string; None if other."""
    machine = machine if machine is not None else os.uname().machine
    if machine in _MACHINES:
        return _MACHINES[machine]
    if machine.startswith('arm'):
        return 'arm'
    return None


class Context:
    """Where the command reads and writes: the device (path and backend),
    the sysfs tree and standard output. Defaults come from the environment
    (see pyjailhouse.device and pyjailhouse.sysfs)."""

    def __init__(self, environ=None, backend=None, stdout=None):
        self.environ = os.environ if environ is None else environ
        self._backend = backend
        self.device_path = device_path(self.environ)
        self.sysfs = Sysfs(sysfs_root(self.environ))
        self.stdout = stdout if stdout is not None else sys.stdout

    @property
    def backend(self):
        if self._backend is None:
            self._backend = load_backend(self.environ)
        return self._backend

    def open_device(self, nonblock=False):
        try:
            return Device(self.device_path, self.backend, nonblock=nonblock)
        except OSError as err:
            raise JailhouseError(open_message(self.device_path, err)) \
                from None

    def write_bytes(self, data):
        out = getattr(self.stdout, 'buffer', None)
        if out is not None:
            self.stdout.flush()
            out.write(data)
            out.flush()
        else:
            self.stdout.write(data.decode('utf-8', 'replace'))
            self.stdout.flush()


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def read_file(path):
    try:
        with open(path, 'rb') as fileobj:
            return fileobj.read()
    except OSError as err:
        raise JailhouseError(file_message(path, err)) from None


def checked_config(path, kind):
    """Read and validate a .cell file before the driver sees it.

    Returns (bytes, parsed config). Refuses files that are not a
    configuration of the wanted kind, that fail the checks of
    pyjailhouse.config, or that are for another architecture.
    """
    data = read_file(path)
    try:
        cfg = jhconfig.parse(data, path, kind=kind)
    except jhconfig.ConfigError as err:
        raise JailhouseError(str(err)) from None
    problems = cfg.problems()
    if problems:
        more = ''
        if len(problems) > 1:
            more = ' (and %d more problem%s, see `jailhouse config check`)' \
                % (len(problems) - 1, 's' if len(problems) > 2 else '')
        raise JailhouseError('%s: %s%s' % (path, problems[0], more))
    machine = host_arch()
    arch = jhconfig.arch_name(cfg.architecture)
    if machine is not None and arch != machine:
        raise JailhouseError('%s: configuration for %s, this machine is %s'
                             % (path, arch, machine))
    return data, cfg


def _lock_holders(ctx, ref):
    """Names of the cells sysfs shows holding the configuration lock, but
    the one ref names; None if sysfs cannot tell."""
    try:
        cells = ctx.sysfs.cells()
    except OSError:
        return None
    if not cells or any(cell.state == '?' for cell in cells):
        return None
    target = ctx.sysfs.find(ref) if ref is not None else None
    return [cell.name for cell in cells
            if cell.state == 'running/locked' and cell.id != target]


def _fail(ctx, op, err, ref=None):
    """JailhouseError for an IoctlError of operation op."""
    enabled = ctx.sysfs.enabled() if err.errno == errno.EINVAL else None
    is_root = ref is not None and err.errno == errno.EINVAL and \
        ctx.sysfs.is_root(ref)
    locked = _lock_holders(ctx, ref) if err.errno == errno.EPERM else None
    return JailhouseError(ioctl_message(op, err.errno, ref=ref,
                                        enabled=enabled, is_root=is_root,
                                        locked=locked))


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def enable(ctx, path):
    data, _ = checked_config(path, 'system')
    with ctx.open_device() as dev:
        try:
            dev.enable(data)
        except IoctlError as err:
            raise _fail(ctx, 'enable', err) from None


def disable(ctx):
    with ctx.open_device() as dev:
        try:
            dev.disable()
        except IoctlError as err:
            raise _fail(ctx, 'disable', err) from None


def cell_create(ctx, path):
    data, cfg = checked_config(path, 'cell')
    with ctx.open_device() as dev:
        try:
            dev.cell_create(data)
        except IoctlError as err:
            raise _fail(ctx, 'cell create', err,
                        CellRef(name=cfg.name)) from None


def cell_load(ctx, ref, images):
    """images: list of Image (pyjailhouse.device); none: shut down."""
    op = 'cell load' if images else 'cell shutdown'
    with ctx.open_device() as dev:
        try:
            dev.cell_load(ref, images)
        except IoctlError as err:
            raise _fail(ctx, op, err, ref) from None


def cell_start(ctx, ref):
    with ctx.open_device() as dev:
        try:
            dev.cell_start(ref)
        except IoctlError as err:
            raise _fail(ctx, 'cell start', err, ref) from None


def cell_destroy(ctx, ref):
    with ctx.open_device() as dev:
        try:
            dev.cell_destroy(ref)
        except IoctlError as err:
            raise _fail(ctx, 'cell destroy', err, ref) from None


LIST_WIDTHS = (8, 24, 18, 24, 24)   # upstream's column widths


def list_table(rows):
    """Rows of cells as upstream's `cell list` lays them out: each column
    as wide as upstream's, or one more than its longest value (a 31-byte
    cell name), so that a column never runs into the next."""
    widths = [max([width] + [len(str(row[n])) + 1 for row in rows])
              for n, width in enumerate(LIST_WIDTHS)]
    return ''.join(''.join(str(value).ljust(width)
                           for value, width in zip(row, widths)) + '\n'
                   for row in rows)


def cell_list(ctx):
    """The table of cells; nothing at all without a cells directory (the
    driver is not loaded), as upstream does."""
    try:
        cells = ctx.sysfs.cells()
    except OSError as err:
        raise JailhouseError(file_message(err.filename or ctx.sysfs.path,
                                          err)) from None
    if not cells:
        return
    rows = [('ID', 'Name', 'State', 'Assigned CPUs', 'Failed CPUs')]
    rows += [(cell.id, cell.name, cell.state, cell.cpus_assigned_list,
              cell.cpus_failed_list) for cell in cells]
    ctx.stdout.write(list_table(rows))


def console(ctx, follow=False):
    """Print the hypervisor console; with follow, keep waiting for more."""
    with ctx.open_device(nonblock=not follow) as dev:
        printed = False
        while True:
            try:
                data = dev.read(4096)
            except OSError as err:
                if err.errno == errno.EAGAIN and not follow:
                    # The drivers (ours and upstream's) end the console with
                    # end of file while the hypervisor runs and with EAGAIN
                    # while it does not: after a saved copy, or at once.
                    if printed or ctx.sysfs.enabled():
                        return
                    raise JailhouseError('hypervisor not enabled') from None
                if err.errno == errno.EPERM:
                    raise JailhouseError(
                        'the hypervisor has no virtual console: set '
                        'JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE in the flags of '
                        'the system configuration') from None
                if err.errno == errno.EINVAL and not follow and not printed:
                    # a driver without read(): take the sysfs copy
                    _console_from_sysfs(ctx)
                    return
                raise JailhouseError('reading the console: %s'
                                     % os.strerror(err.errno)) from None
            if not data:
                return
            ctx.write_bytes(data)
            printed = True


def _console_from_sysfs(ctx):
    try:
        ctx.write_bytes(ctx.sysfs.console())
    except OSError as err:
        raise JailhouseError(file_message(err.filename, err)) from None
