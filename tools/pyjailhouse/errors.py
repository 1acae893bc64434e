# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: errors of the jailhouse command and what driver errnos mean
"""Exceptions of the jailhouse command and one-line explanations of the
errno values the driver returns (its own and the hypervisor's, which it
passes through). The command prints "jailhouse OPERATION: MESSAGE"."""

import errno
import os


class JailhouseError(Exception):
    """An operation failed; str() is the message (without the prefix)."""


class UsageError(Exception):
    """The command line is wrong; str() says how."""


class IoctlError(Exception):
    """The driver refused ioctl `request` with errno `errno`."""

    def __init__(self, request, errnum):
        super().__init__('%s: %s' % (request, os.strerror(errnum)))
        self.request = request
        self.errno = errnum


def _strerror(errnum):
    return os.strerror(errnum) if errnum else 'unknown error'


def open_message(path, err):
    """Why the device at path could not be opened (err: OSError)."""
    text = 'cannot open %s: %s' % (path, _strerror(err.errno))
    if err.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return text + ' (is jailhouse.ko loaded?)'
    if err.errno in (errno.EACCES, errno.EPERM):
        return text + ' (are you root?)'
    return text


def file_message(path, err):
    """A file the user named could not be read (err: OSError)."""
    return 'cannot read %s: %s' % (path, _strerror(err.errno))


# (operation, errno) -> message; "{cell}" is the cell as the user named it,
# "{name}" its quoted name. A final '.' means: complete without the errno
# text (it is dropped); other messages get "(strerror)" appended.
# The driver returns EINVAL for "hypervisor not enabled" as well, and the
# hypervisor EINVAL for the root cell: ioctl_message() tells those apart.
_MESSAGES = {
    ('enable', errno.EBUSY): 'hypervisor already enabled.',
    ('enable', errno.ENODEV): 'hardware virtualization not available: '
        'VT-x/AMD-V off, Linux not started in EL2/HYP mode, or KVM holds it',
    ('enable', errno.ENOENT): 'hypervisor firmware not found: install '
        'jailhouse*.bin into the firmware directory (/lib/firmware)',
    ('enable', errno.EINVAL): 'system configuration or hypervisor firmware '
        'rejected',
    ('enable', errno.ENOMEM): 'not enough memory: the hypervisor memory of '
        'the system configuration is too small, or the kernel is out of '
        'memory',
    ('enable', errno.EIO): 'the hypervisor failed to start (see '
        '`jailhouse console` or the kernel log)',
    ('disable', errno.EINVAL): 'hypervisor not enabled.',
    ('disable', errno.EBUSY): 'CPUs of the root cell are offline: bring '
        'them online first',
    ('disable', errno.EPERM): 'a cell holds the configuration lock or '
        'refused to shut down',
    ('cell create', errno.EINVAL): 'config rejected by the hypervisor',
    ('cell create', errno.EEXIST): 'a cell named {name} already exists.',
    ('cell create', errno.EBUSY): 'CPUs, memory or interrupts of the cell '
        'are not available in the root cell',
    ('cell create', errno.ENOMEM): 'not enough hypervisor memory',
    ('cell create', errno.E2BIG): 'config too large for the hypervisor',
    ('cell create', errno.EPERM): 'cell configuration is locked by a '
        'running cell',
    ('cell load', errno.EINVAL): 'an image does not fit into the loadable '
        'memory of {cell}: each image must lie inside one writable region '
        'flagged LOADABLE, at its -a address (default 0)',
    ('cell load', errno.E2BIG): 'an image is larger than the loadable '
        'memory region at its address in {cell}',
    ('cell load', errno.EPERM): '{cell} refused to shut down',
    ('cell load', errno.EBUSY): 'cannot map the memory of {cell}',
    ('cell shutdown', errno.EPERM): '{cell} refused to shut down',
    ('cell shutdown', errno.EINVAL): '{cell} cannot be shut down',
    ('cell start', errno.EPERM): '{cell} refused to shut down (a running '
        'cell is shut down before it starts again)',
    ('cell start', errno.EINVAL): '{cell} cannot be started',
    ('cell destroy', errno.EPERM): '{cell} refused to shut down, or cell '
        'configuration is locked',
    ('cell destroy', errno.EINVAL): '{cell} cannot be destroyed',
}

# EPERM of the operations that change the set of cells, when sysfs shows
# which cells hold the configuration lock (state running/locked): other
# cells' locks refuse them (a cell's own lock does not keep it from being
# destroyed, only its answer to the shutdown request).
_LOCKED_MESSAGES = {
    'disable': '{holders} the configuration lock',
    'cell create': 'cell configuration is locked by {holders}',
    'cell destroy': 'cell configuration is locked by {holders}',
}
_UNLOCKED_MESSAGES = {
    'disable': 'a cell refused to shut down',
    'cell destroy': '{cell} refused to shut down',
}

_ROOT_MESSAGES = {
    'cell load': 'the root cell cannot be loaded',
    'cell shutdown': 'the root cell cannot be shut down, use `jailhouse '
                     'disable`',
    'cell start': 'the root cell cannot be started',
    'cell destroy': 'the root cell cannot be destroyed, use `jailhouse '
                    'disable`',
}

_CELL_OPS = ('cell load', 'cell shutdown', 'cell start', 'cell destroy')


def _holders(names, op):
    quoted = ', '.join("'%s'" % name for name in names)
    if op == 'disable':
        return ('cell %s holds' if len(names) == 1 else 'cells %s hold') \
            % quoted
    return ('cell %s' if len(names) == 1 else 'cells %s') % quoted


def ioctl_message(op, errnum, ref=None, enabled=None, is_root=False,
                  locked=None):
    """One line explaining why `op` failed with errnum.

    ref: the CellRef of cell operations; enabled: whether sysfs says the
    hypervisor runs (None: unknown); is_root: ref names the root cell;
    locked: for EPERM, the names of the cells holding the configuration
    lock, not counting the one ref names (None: unknown).
    """
    if errnum == errno.EINVAL and enabled is False and op != 'enable':
        return 'hypervisor not enabled'
    if op in _CELL_OPS and ref is not None:
        if errnum == errno.ENOENT:
            return ref.missing()
        if errnum == errno.EINVAL and is_root:
            return '%s (%s)' % (_ROOT_MESSAGES[op], _strerror(errnum))
    if errnum in (errno.EACCES, errno.EPERM) and (op, errnum) not in \
            _MESSAGES:
        return 'permission denied, are you root? (%s)' % _strerror(errnum)
    template = _MESSAGES.get((op, errnum))
    if errnum == errno.EPERM and locked is not None:
        if locked and op in _LOCKED_MESSAGES:
            template = _LOCKED_MESSAGES[op].replace(
                '{holders}', _holders(locked, op))
        elif not locked and op in _UNLOCKED_MESSAGES:
            template = _UNLOCKED_MESSAGES[op]
    if template is None:
        return _strerror(errnum)
    cell = ref.describe() if ref is not None else 'the cell'
    name = "'%s'" % ref.name if ref is not None and ref.name else 'so'
    text = template.format(cell=cell, name=name)
    if text.endswith('.'):
        return text[:-1]
    return '%s (%s)' % (text, _strerror(errnum))
