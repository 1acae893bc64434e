# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: the /dev/jailhouse ioctl layer
"""Talk to the jailhouse driver through its misc device.

    with Device() as dev:
        dev.cell_start(CellRef(name='apic-demo'))

Argument structures are built with cffi from include/jailhouse/ioctl.h
(pyjailhouse.abi) and the ioctl numbers are the header's, so nothing here
retypes a layout or a number. Every pointer the driver follows (the config
blob, the images) points into a cffi buffer that IoctlArg keeps alive until
the call has returned.

The system calls go through a backend object with four methods, so that
tests can replace the kernel:

    open(path, flags) -> handle          raises OSError
    ioctl(handle, number, buffer) -> int raises OSError; buffer is a
                                         writable buffer or None (no argument)
    read(handle, size) -> bytes          raises OSError
    close(handle)

OsBackend is the real one. Environment, for testing only:
    JAILHOUSE_DEVICE        path of the device (default /dev/jailhouse)
    JAILHOUSE_TEST_BACKEND  absolute path of a Python file whose backend(environ)
                            returns the backend to use instead of OsBackend;
                            refused unless the file is owned by the caller or
                            root and not writable by group or others
"""

import fcntl
import importlib.util
import os
import stat

from .abi import C, TARGET_BITS, ffi
from .errors import IoctlError, JailhouseError

DEFAULT_PATH = '/dev/jailhouse'
ENV_DEVICE = 'JAILHOUSE_DEVICE'
ENV_BACKEND = 'JAILHOUSE_TEST_BACKEND'

REQUESTS = ('JAILHOUSE_ENABLE', 'JAILHOUSE_DISABLE', 'JAILHOUSE_CELL_CREATE',
            'JAILHOUSE_CELL_LOAD', 'JAILHOUSE_CELL_START',
            'JAILHOUSE_CELL_DESTROY')


def request_number(name):
    """The ioctl number `name` has in ioctl.h for this process.

    JAILHOUSE_ENABLE encodes sizeof(void *): the value pyjailhouse.abi holds
    was computed by the compiler it was generated with (the target's when
    installed, cc in the source tree). Refuse rather than send a wrong
    number when that compiler's pointer size is not this Python's.
    """
    if name not in REQUESTS:
        raise KeyError(name)
    if name == 'JAILHOUSE_ENABLE' and TARGET_BITS != 8 * ffi.sizeof('void *'):
        raise JailhouseError(
            'pyjailhouse was generated for a %d-bit target but runs in a '
            '%d-bit Python: JAILHOUSE_ENABLE would be wrong (reinstall the '
            'tools built for this system)'
            % (TARGET_BITS, 8 * ffi.sizeof('void *')))
    return C[name]


def request_name(number):
    """Reverse of request_number (for logs and fakes); None if unknown."""
    for name in REQUESTS:
        if C[name] == number:
            return name
    return None


# ---------------------------------------------------------------------------
# Argument structures
# ---------------------------------------------------------------------------

class IoctlArg:
    """An ioctl argument: `data` (a cdata pointer or array) is what the
    argument pointer points to; `keep` holds the buffers its embedded
    addresses refer to."""

    def __init__(self, data, keep=()):
        self.data = data
        self.keep = list(keep)

    def buffer(self):
        """The argument bytes as a writable buffer (for fcntl.ioctl)."""
        return ffi.buffer(self.data)

    def to_bytes(self):
        return bytes(self.buffer())


def _raw(data):
    """A cffi-owned copy of data and its address."""
    buf = ffi.new('uint8_t[]', max(len(data), 1))
    ffi.memmove(buf, data, len(data))
    return buf, int(ffi.cast('uintptr_t', buf))


def enable_arg(config):
    """JAILHOUSE_ENABLE: a pointer to the system configuration itself."""
    buf, _ = _raw(config)
    return IoctlArg(buf, [buf])


def cell_id_struct(ref, target=None):
    """Fill (or create) a struct jailhouse_cell_id for a CellRef."""
    cid = target if target is not None else \
        ffi.new('struct jailhouse_cell_id *')
    ffi.memmove(cid, b'\0' * ffi.sizeof('struct jailhouse_cell_id'),
                ffi.sizeof('struct jailhouse_cell_id'))
    if ref.id is not None:
        cid.id = ref.id
    else:
        cid.id = C.JAILHOUSE_CELL_ID_UNUSED
        name = ref.name_bytes
        if len(name) > C.JAILHOUSE_CELL_ID_NAMELEN:
            raise ValueError('cell name too long')
        ffi.memmove(cid.name, name, len(name))
    return cid


def cell_id_arg(ref):
    """JAILHOUSE_CELL_START / JAILHOUSE_CELL_DESTROY."""
    cid = cell_id_struct(ref)
    return IoctlArg(cid, [cid])


def cell_create_arg(config):
    """JAILHOUSE_CELL_CREATE: {config_address, config_size}."""
    buf, address = _raw(config)
    create = ffi.new('struct jailhouse_cell_create *')
    create.config_address = address
    create.config_size = len(config)
    return IoctlArg(create, [create, buf])


class Image:
    """One preload image: its bytes and the cell address to load them to."""

    def __init__(self, data, target_address=0, label=None):
        self.data = bytes(data)
        self.target_address = target_address
        self.label = label

    def __repr__(self):
        return 'Image(%s, %d bytes, %#x)' % (self.label, len(self.data),
                                             self.target_address)


def cell_load_arg(ref, images):
    """JAILHOUSE_CELL_LOAD: struct jailhouse_cell_load followed by one
    struct jailhouse_preload_image per image (none: shut the cell down)."""
    size = ffi.sizeof('struct jailhouse_cell_load') + \
        len(images) * ffi.sizeof('struct jailhouse_preload_image')
    raw = ffi.new('uint8_t[]', size)
    load = ffi.cast('struct jailhouse_cell_load *', raw)
    cell_id_struct(ref, ffi.addressof(load, 'cell_id'))
    load.num_preload_images = len(images)
    keep = [raw]
    for n, image in enumerate(images):
        buf, address = _raw(image.data)
        keep.append(buf)
        load.image[n].source_address = address
        load.image[n].size = len(image.data)
        load.image[n].target_address = image.target_address
    return IoctlArg(raw, keep)


# ---------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------

class OsBackend:
    """The kernel: os.open, fcntl.ioctl, os.read."""

    def open(self, path, flags):
        return os.open(path, flags)

    def ioctl(self, handle, number, buffer):
        if buffer is None:
            return fcntl.ioctl(handle, number, 0)
        # A writable buffer is passed by address (fcntl copies buffers of
        # up to 1 KiB to a scratch area first: same bytes, and the
        # addresses inside still point at our buffers).
        return fcntl.ioctl(handle, number, buffer, True)

    def read(self, handle, size):
        return os.read(handle, size)

    def close(self, handle):
        os.close(handle)


def _check_test_module(path):
    if os.getuid() != os.geteuid():
        raise JailhouseError('%s is not honoured in set-user-ID programs'
                             % ENV_BACKEND)
    if not os.path.isabs(path):
        raise JailhouseError('%s must be an absolute path' % ENV_BACKEND)
    try:
        info = os.stat(path)
    except OSError as err:
        raise JailhouseError('%s: %s: %s' % (ENV_BACKEND, path,
                                             err.strerror)) from None
    if not stat.S_ISREG(info.st_mode) or not path.endswith('.py'):
        raise JailhouseError('%s: %s is not a Python file'
                             % (ENV_BACKEND, path))
    if info.st_uid not in (0, os.geteuid()) or \
            info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise JailhouseError('%s: refusing %s: owned by another user or '
                             'writable by others' % (ENV_BACKEND, path))


def load_backend(environ=None):
    """OsBackend, or the test backend JAILHOUSE_TEST_BACKEND names."""
    environ = os.environ if environ is None else environ
    path = environ.get(ENV_BACKEND)
    if not path:
        return OsBackend()
    _check_test_module(path)
    spec = importlib.util.spec_from_file_location('_jailhouse_test_backend',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.backend(environ)


def device_path(environ=None):
    environ = os.environ if environ is None else environ
    return environ.get(ENV_DEVICE) or DEFAULT_PATH


# ---------------------------------------------------------------------------
# The device
# ---------------------------------------------------------------------------

class Device:
    """An open /dev/jailhouse. Methods raise IoctlError(name, errno) when
    the driver refuses; opening raises OSError (with .filename)."""

    def __init__(self, path=None, backend=None, nonblock=False):
        self.path = path or device_path()
        self.backend = backend if backend is not None else load_backend()
        flags = os.O_RDWR | (os.O_NONBLOCK if nonblock else 0)
        try:
            self.handle = self.backend.open(self.path, flags)
        except OSError as err:
            if err.filename is None:
                err.filename = self.path
            raise

    def close(self):
        if self.handle is not None:
            self.backend.close(self.handle)
            self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, name, arg=None):
        """Issue ioctl `name` with an IoctlArg (or none); returns its
        result, raises IoctlError."""
        number = request_number(name)
        try:
            return self.backend.ioctl(self.handle, number,
                                      None if arg is None else arg.buffer())
        except OSError as err:
            raise IoctlError(name, err.errno) from None

    def enable(self, config):
        return self.call('JAILHOUSE_ENABLE', enable_arg(config))

    def disable(self):
        return self.call('JAILHOUSE_DISABLE')

    def cell_create(self, config):
        return self.call('JAILHOUSE_CELL_CREATE', cell_create_arg(config))

    def cell_load(self, ref, images):
        return self.call('JAILHOUSE_CELL_LOAD', cell_load_arg(ref, images))

    def cell_shutdown(self, ref):
        return self.cell_load(ref, [])

    def cell_start(self, ref):
        return self.call('JAILHOUSE_CELL_START', cell_id_arg(ref))

    def cell_destroy(self, ref):
        return self.call('JAILHOUSE_CELL_DESTROY', cell_id_arg(ref))

    def read(self, size=4096):
        """One read() of the hypervisor console (OSError on failure)."""
        return self.backend.read(self.handle, size)
