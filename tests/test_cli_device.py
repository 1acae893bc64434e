# SPDX-License-Identifier: GPL-2.0-only
# The ioctl layer of the jailhouse command: numbers, exact argument bytes, backends
"""pyjailhouse.device against hand-computed expectations: the _IOW numbers
of ioctl.h, the bytes of every argument structure, the memory their
addresses point to, and the choice of backend."""

import errno
import gc
import os
import struct

import pytest

from conftest import REPO
import fake_jailhouse
from pyjailhouse import device
from pyjailhouse.cellref import CellRef
from pyjailhouse.errors import IoctlError, JailhouseError

PTR = struct.calcsize('P')


def memory(address, size):
    return fake_jailhouse.read_memory(address, size)


@pytest.mark.parametrize('name, number', [
    ('JAILHOUSE_ENABLE', 0x40000000 | PTR << 16),
    ('JAILHOUSE_DISABLE', 0x00000001),
    ('JAILHOUSE_CELL_CREATE', 0x40100002),
    ('JAILHOUSE_CELL_LOAD', 0x40300003),
    ('JAILHOUSE_CELL_START', 0x40280004),
    ('JAILHOUSE_CELL_DESTROY', 0x40280005),
])
def test_ioctl_numbers(name, number):
    assert device.request_number(name) == number
    assert device.request_name(number) == name


def test_enable_number_refused_for_another_pointer_size(monkeypatch):
    monkeypatch.setattr(device, 'TARGET_BITS', 96 - 8 * PTR)
    with pytest.raises(JailhouseError, match='JAILHOUSE_ENABLE would be '
                       'wrong'):
        device.request_number('JAILHOUSE_ENABLE')
    assert device.request_number('JAILHOUSE_CELL_START') == 0x40280004


def test_cell_id_by_number():
    arg = device.cell_id_arg(CellRef(cell_id=7))
    assert arg.to_bytes() == struct.pack('<iI32s', 7, 0, b'')


def test_cell_id_by_name():
    arg = device.cell_id_arg(CellRef(name='apic-demo'))
    assert arg.to_bytes() == struct.pack('<iI32s', -1, 0, b'apic-demo')
    longest = 'n' * 31
    arg = device.cell_id_arg(CellRef(name=longest))
    assert arg.to_bytes() == struct.pack('<iI32s', -1, 0, longest.encode())


def test_enable_passes_the_config_itself():
    config = bytes(range(256)) * 3
    arg = device.enable_arg(config)
    assert arg.to_bytes() == config


def test_cell_create_points_at_the_config():
    config = b'JHCLL' + bytes(range(200))
    arg = device.cell_create_arg(config)
    raw = arg.to_bytes()
    address, size, padding = struct.unpack('<QII', raw)
    assert len(raw) == 16 and size == len(config) and padding == 0
    gc.collect()
    assert memory(address, size) == config


def test_cell_load_layout():
    images = [device.Image(b'\x90' * 100, 0, 'a.bin'),
              device.Image(b'con-base=0x2f8\0', 0x1000, 'string'),
              device.Image(b'', 0xffffffff00000000, 'empty')]
    arg = device.cell_load_arg(CellRef(name='demo'), images)
    raw = arg.to_bytes()
    assert len(raw) == 48 + 3 * 32
    assert raw[:48] == struct.pack('<iI32sII', -1, 0, b'demo', 3, 0)
    gc.collect()
    for n, image in enumerate(images):
        source, size, target, padding = struct.unpack(
            '<QQQQ', raw[48 + 32 * n:80 + 32 * n])
        assert (size, target, padding) == (len(image.data),
                                           image.target_address, 0)
        assert memory(source, size) == image.data


def test_shutdown_is_a_load_without_images():
    arg = device.cell_load_arg(CellRef(cell_id=2), [])
    assert arg.to_bytes() == struct.pack('<iI32sII', 2, 0, b'', 0, 0)


class Recorder:
    """A backend remembering what it was asked."""

    def __init__(self, fail=None):
        self.calls = []
        self.fail = fail

    def open(self, path, flags):
        self.calls.append(('open', path, flags))
        return 42

    def ioctl(self, handle, number, buffer):
        self.calls.append(('ioctl', handle, number,
                           None if buffer is None else bytes(buffer)))
        if self.fail:
            raise OSError(self.fail, os.strerror(self.fail))
        return 0

    def read(self, handle, size):
        return b''

    def close(self, handle):
        self.calls.append(('close', handle))


def test_device_calls_go_through_the_backend():
    backend = Recorder()
    with device.Device('/x/jailhouse', backend) as dev:
        dev.disable()
        dev.cell_start(CellRef(cell_id=1))
        dev.cell_destroy(CellRef(name='x'))
        dev.cell_shutdown(CellRef(name='x'))
    assert backend.calls == [
        ('open', '/x/jailhouse', os.O_RDWR),
        ('ioctl', 42, 1, None),
        ('ioctl', 42, 0x40280004, struct.pack('<iI32s', 1, 0, b'')),
        ('ioctl', 42, 0x40280005, struct.pack('<iI32s', -1, 0, b'x')),
        ('ioctl', 42, 0x40300003, struct.pack('<iI32sII', -1, 0, b'x', 0,
                                              0)),
        ('close', 42)]


def test_device_errors_carry_the_request_and_errno():
    with device.Device('/x', Recorder(fail=errno.EBUSY)) as dev:
        with pytest.raises(IoctlError) as info:
            dev.enable(b'JHSYS')
    assert (info.value.request, info.value.errno) == ('JAILHOUSE_ENABLE',
                                                      errno.EBUSY)


def test_os_backend_really_calls_ioctl():
    # /dev/null has no ioctls: the kernel answers ENOTTY, which proves the
    # call went through fcntl.ioctl with our buffers. (Not a regular file:
    # there _IO(0, 1), JAILHOUSE_DISABLE, is the VFS's FIBMAP.)
    with device.Device('/dev/null', device.OsBackend()) as dev:
        for call in (dev.disable, lambda: dev.cell_start(CellRef(cell_id=1)),
                     lambda: dev.enable(b'x' * 4000)):
            with pytest.raises(IoctlError) as info:
                call()
            assert info.value.errno == errno.ENOTTY


def test_os_backend_open_error_names_the_path(tmp_path):
    missing = str(tmp_path / 'jailhouse')
    with pytest.raises(OSError) as info:
        device.Device(missing, device.OsBackend())
    assert info.value.errno == errno.ENOENT and info.value.filename == missing


def test_default_backend_and_paths():
    assert isinstance(device.load_backend({}), device.OsBackend)
    assert device.device_path({}) == '/dev/jailhouse'
    assert device.device_path({'JAILHOUSE_DEVICE': '/tmp/d'}) == '/tmp/d'


def test_test_backend_is_loaded_from_a_file():
    path = os.path.join(REPO, 'tests', 'fake_jailhouse.py')
    if os.stat(path).st_mode & 0o022:
        pytest.skip('checkout is group/world writable')
    backend = device.load_backend({'JAILHOUSE_TEST_BACKEND': path,
                                   'JAILHOUSE_SYSFS': '/nonexistent/x'})
    assert type(backend).__name__ == 'FakeDevice'


@pytest.mark.parametrize('setup, message', [
    (lambda p: 'relative.py', 'must be an absolute path'),
    (lambda p: str(p / 'missing.py'), 'No such file or directory'),
    (lambda p: str(p), 'is not a Python file'),
    (lambda p: _write(p / 'open.py', 0o666), 'writable by others'),
    (lambda p: _write(p / 'group.py', 0o664), 'writable by others'),
])
def test_test_backend_refusals(tmp_path, setup, message):
    with pytest.raises(JailhouseError, match=message):
        device.load_backend({'JAILHOUSE_TEST_BACKEND': setup(tmp_path)})


def _write(path, mode):
    path.write_text('def backend(environ):\n    return None\n')
    os.chmod(str(path), mode)
    return str(path)
