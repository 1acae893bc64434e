# SPDX-License-Identifier: GPL-2.0-only
# A fake jailhouse driver for the tool tests: recorded-layout sysfs tree plus an ioctl backend
"""Stand-in for jailhouse.ko, so the jailhouse command runs without a kernel.

FakeJailhouse(directory) lays out

    DIR/sys/devices/jailhouse/...     the driver's sysfs tree (upstream names)
    DIR/dev/jailhouse                 the "device": a JSON file of settings
    DIR/dev/jailhouse.log             one JSON line per ioctl received
    DIR/dev/jailhouse.cells/<id>.cell configurations of the live cells

and FakeDevice is a backend for pyjailhouse.device (open/ioctl/read/close).
It decodes the ioctl numbers and argument structures on its own (struct
module, hand-computed _IOW values: an independent check of the tool), follows
the addresses inside them into the caller's memory, and models the driver's
answers: EBUSY when enabled twice, EINVAL when not enabled or for images
outside the cell's loadable memory, EEXIST, ENOENT, ... The settings file can
force an errno per operation ("fail": {"cell start": "EPERM"}), make opening
fail ("open_errno") and provide console text ("console").

The jailhouse script loads this file as its backend when run with the
environment of FakeJailhouse.env (JAILHOUSE_TEST_BACKEND and friends).
"""

import errno
import json
import os
import struct
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), 'tools')
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

_ffi = cffi.FFI()
_PTR = struct.calcsize('P')

# _IOW(0, nr, size) = 1 << 30 | size << 16 | nr; _IO(0, 1) = 1
REQUESTS = {
    0x40000000 | _PTR << 16: 'enable',
    0x00000001: 'disable',
    0x40100002: 'cell create',       # struct jailhouse_cell_create: 16 bytes
    0x40300003: 'cell load',         # struct jailhouse_cell_load: 48 bytes
    0x40280004: 'cell start',        # struct jailhouse_cell_id: 40 bytes
    0x40280005: 'cell destroy',
}

X86_STATS = ('vmexits_total', 'vmexits_mmio', 'vmexits_management',
             'vmexits_hypercall', 'vmexits_pio', 'vmexits_xapic', 'vmexits_cr',
             'vmexits_cpuid', 'vmexits_xsetbv', 'vmexits_exception',
             'vmexits_msr_other', 'vmexits_msr_x2apic_icr')

MEM_WRITE = 0x2
MEM_LOADABLE = 0x40


def cpu_list(cpus):
    """Linux's %*pbl format: 0-2,5"""
    cpus = sorted(cpus)
    parts = []
    start = prev = None
    for cpu in cpus + [None]:
        if start is not None and (cpu is None or cpu != prev + 1):
            parts.append(str(start) if start == prev else
                         '%d-%d' % (start, prev))
            start = None
        if cpu is not None and start is None:
            start = cpu
        prev = cpu
    return ','.join(parts)


def cpu_mask(cpus):
    """Linux's %*pb format (for up to 32 CPUs): 0000000f"""
    return '%08x' % sum(1 << c for c in cpus)


def read_memory(address, size):
    """size bytes at address in this process (what copy_from_user sees)."""
    if size == 0:
        return b''
    return bytes(_ffi.buffer(_ffi.cast('uint8_t *', address), size))


class FakeSysfs:
    """The driver's sysfs directory tree, written as plain files."""

    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, 'cells'), exist_ok=True)
        for name, value in (('enabled', '0'), ('mem_pool_size', '0'),
                            ('mem_pool_used', '0'), ('remap_pool_size', '0'),
                            ('remap_pool_used', '0'), ('console', '')):
            path = os.path.join(root, name)
            if not os.path.exists(path):
                self.write(name, value + ('\n' if value else ''))

    def write(self, relpath, text):
        path = os.path.join(self.root, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as fileobj:
            fileobj.write(text)

    def read(self, relpath):
        with open(os.path.join(self.root, relpath)) as fileobj:
            return fileobj.read().rstrip('\n')

    @property
    def enabled(self):
        return self.read('enabled') == '1'

    def set_enabled(self, value):
        self.write('enabled', '%d\n' % bool(value))

    def cell_ids(self):
        return sorted(int(n) for n in os.listdir(os.path.join(self.root,
                                                              'cells')))

    def add_cell(self, cell_id, name, cpus, state='shut down', failed=(),
                 stats=None, cpu_stats=None):
        base = 'cells/%d/' % cell_id
        self.write(base + 'name', name + '\n')
        self.write(base + 'state', state + '\n')
        self.set_cpus(cell_id, cpus, failed)
        for counter in X86_STATS:
            self.write(base + 'statistics/' + counter,
                       '%d\n' % (stats or {}).get(counter, 0))
            for cpu in cpus:
                value = (cpu_stats or {}).get(cpu, {}).get(counter, 0)
                self.write(base + 'statistics/cpu%d/%s' % (cpu, counter),
                           '%d\n' % value)

    def set_cpus(self, cell_id, cpus, failed=()):
        base = 'cells/%d/' % cell_id
        self.write(base + 'cpus_assigned', cpu_mask(cpus) + '\n')
        self.write(base + 'cpus_assigned_list', cpu_list(cpus) + '\n')
        self.write(base + 'cpus_failed', cpu_mask(failed) + '\n')
        self.write(base + 'cpus_failed_list', cpu_list(failed) + '\n')

    def cpus(self, cell_id):
        text = self.read('cells/%d/cpus_assigned_list' % cell_id)
        cpus = set()
        for part in filter(None, text.split(',')):
            low, _, high = part.partition('-')
            cpus.update(range(int(low), int(high or low) + 1))
        return cpus

    def set_state(self, cell_id, state):
        self.write('cells/%d/state' % cell_id, state + '\n')

    def set_stat(self, cell_id, counter, value, cpu=None):
        where = 'statistics/' if cpu is None else 'statistics/cpu%d/' % cpu
        self.write('cells/%d/%s%s' % (cell_id, where, counter),
                   '%d\n' % value)

    def remove_cell(self, cell_id):
        top = os.path.join(self.root, 'cells', str(cell_id))
        for base, dirs, files in os.walk(top, topdown=False):
            for name in files:
                os.unlink(os.path.join(base, name))
            for name in dirs:
                os.rmdir(os.path.join(base, name))
        os.rmdir(top)

    def find(self, cell_id, name):
        for existing in self.cell_ids():
            if existing == cell_id or (
                    cell_id == -1 and
                    self.read('cells/%d/name' % existing) == name):
                return existing
        return None


class _Handle:
    def __init__(self, path, flags):
        self.path = path
        self.flags = flags
        self.console_pos = 0


class FakeDevice:
    """pyjailhouse.device backend modelling jailhouse.ko."""

    def __init__(self, sysfs_root):
        self.sysfs = FakeSysfs(sysfs_root)

    # settings and records next to the device file --------------------
    @staticmethod
    def settings(path):
        with open(path) as fileobj:
            text = fileobj.read()
        return json.loads(text) if text.strip() else {}

    @staticmethod
    def _log(path, record):
        with open(path + '.log', 'a') as fileobj:
            fileobj.write(json.dumps(record) + '\n')

    @staticmethod
    def _config_path(path, cell_id):
        return os.path.join(path + '.cells', '%d.cell' % cell_id)

    def _store_config(self, path, cell_id, data):
        os.makedirs(path + '.cells', exist_ok=True)
        with open(self._config_path(path, cell_id), 'wb') as fileobj:
            fileobj.write(data)

    # backend interface --------------------------------------------------
    def open(self, path, flags):
        if not os.path.isfile(path):
            raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        code = self.settings(path).get('open_errno')
        if code:
            num = getattr(errno, code)
            raise OSError(num, os.strerror(num), path)
        return _Handle(path, flags)

    def close(self, handle):
        handle.path = None

    def read(self, handle, size):
        settings = self.settings(handle.path)
        code = settings.get('read_errno')
        if code:
            num = getattr(errno, code)
            raise OSError(num, os.strerror(num))
        data = settings.get('console', '').encode()
        chunk = data[handle.console_pos:handle.console_pos + size]
        handle.console_pos += len(chunk)
        if not chunk and not self.sysfs.enabled and \
                handle.flags & os.O_NONBLOCK:
            raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        return chunk

    def ioctl(self, handle, number, buffer):
        arg = None if buffer is None else bytes(buffer)
        op = REQUESTS.get(number)
        record = {'request': number, 'op': op,
                  'arg': None if arg is None else arg.hex()}
        try:
            if op is None:
                raise OSError(errno.EINVAL, 'unknown ioctl')
            forced = self.settings(handle.path).get('fail', {}).get(op)
            model = getattr(self, '_' + op.replace(' ', '_'))
            result = model(handle.path, arg, record, forced)
        except OSError as err:
            record['errno'] = errno.errorcode.get(err.errno, err.errno)
            self._log(handle.path, record)
            raise
        self._log(handle.path, record)
        return result

    # the driver's behaviour -----------------------------------------------
    @staticmethod
    def _refuse(code):
        num = getattr(errno, code)
        raise OSError(num, os.strerror(num))

    def _check(self, forced):
        if forced:
            self._refuse(forced)

    def _parse(self, data, kind):
        from pyjailhouse import config  # pylint: disable=import-outside-toplevel
        try:
            return config.parse(data, kind=kind)
        except config.ConfigError:
            return self._refuse('EINVAL')

    def _enable(self, path, arg, record, forced):
        record['config'] = arg.hex()
        self._check(forced)
        if self.sysfs.enabled:
            self._refuse('EBUSY')
        system = self._parse(arg, 'system')
        self._store_config(path, 0, arg)
        self.sysfs.add_cell(0, system.root_cell.name,
                            sorted(system.root_cell.cpus), state='running')
        self.sysfs.set_enabled(True)
        return 0

    def _disable(self, path, arg, record, forced):
        self._check(forced)
        if not self.sysfs.enabled:
            self._refuse('EINVAL')
        for cell_id in self.sysfs.cell_ids():
            self.sysfs.remove_cell(cell_id)
        self.sysfs.set_enabled(False)
        return 0

    def _cell_create(self, path, arg, record, forced):
        address, size, padding = struct.unpack('<QII', arg)
        data = read_memory(address, size)
        record['config'] = data.hex()
        self._check(forced)
        if padding or not self.sysfs.enabled:
            self._refuse('EINVAL')
        cell = self._parse(data, 'cell')
        if self.sysfs.find(-1, cell.name) is not None:
            self._refuse('EEXIST')
        root_cpus = self.sysfs.cpus(0)
        if not cell.cpus <= root_cpus:
            self._refuse('EBUSY')
        cell_id = 1
        while cell_id in self.sysfs.cell_ids():
            cell_id += 1
        self.sysfs.set_cpus(0, sorted(root_cpus - cell.cpus))
        self._store_config(path, cell_id, data)
        self.sysfs.add_cell(cell_id, cell.name, sorted(cell.cpus))
        return 0

    def _target(self, arg):
        cell_id, padding, raw = struct.unpack('<iI32s', arg[:40])
        name = raw.split(b'\0', 1)[0].decode()
        if padding:
            self._refuse('EINVAL')
        if not self.sysfs.enabled:
            self._refuse('EINVAL')
        found = self.sysfs.find(cell_id, name)
        if found is None:
            self._refuse('ENOENT')
        if found == 0:
            self._refuse('EINVAL')
        return found

    def _cell_load(self, path, arg, record, forced):
        count, padding = struct.unpack('<II', arg[40:48])
        images = []
        for n in range(count):
            source, size, target, pad = struct.unpack(
                '<QQQQ', arg[48 + 32 * n:80 + 32 * n])
            images.append((read_memory(source, size), target, pad))
        record['images'] = [{'data': d.hex(), 'target': t}
                            for d, t, _ in images]
        self._check(forced)
        cell_id = self._target(arg)
        from pyjailhouse import config  # pylint: disable=import-outside-toplevel
        with open(self._config_path(path, cell_id), 'rb') as fileobj:
            cell = config.parse(fileobj.read())
        self.sysfs.set_state(cell_id, 'shut down')
        for data, target, pad in images:
            if not data:
                continue
            if pad or padding:
                self._refuse('EINVAL')
            for region in cell.memory_regions:
                offset = target - region.virt_start
                if target >= region.virt_start and offset < region.size:
                    if len(data) > region.size - offset or \
                            region.flags & (MEM_WRITE | MEM_LOADABLE) != \
                            MEM_WRITE | MEM_LOADABLE:
                        self._refuse('EINVAL')
                    break
            else:
                self._refuse('EINVAL')
        return 0

    def _cell_start(self, path, arg, record, forced):
        self._check(forced)
        cell_id = self._target(arg)
        self.sysfs.set_state(cell_id, 'running')
        return 0

    def _cell_destroy(self, path, arg, record, forced):
        self._check(forced)
        cell_id = self._target(arg)
        cpus = self.sysfs.cpus(cell_id)
        self.sysfs.remove_cell(cell_id)
        self.sysfs.set_cpus(0, sorted(self.sysfs.cpus(0) | cpus))
        os.unlink(self._config_path(path, cell_id))
        return 0


def backend(environ):
    """Entry point for JAILHOUSE_TEST_BACKEND."""
    return FakeDevice(environ['JAILHOUSE_SYSFS'])


class FakeJailhouse:
    """A fake driver installation in `directory`, for one test."""

    def __init__(self, directory):
        directory = str(directory)
        self.sysfs_root = os.path.join(directory, 'sys', 'devices',
                                       'jailhouse')
        self.sysfs = FakeSysfs(self.sysfs_root)
        self.device_path = os.path.join(directory, 'dev', 'jailhouse')
        os.makedirs(os.path.dirname(self.device_path), exist_ok=True)
        self._settings = {}
        self._save()

    @property
    def env(self):
        """Environment making the jailhouse script use this fake."""
        return {'JAILHOUSE_TEST_BACKEND': os.path.abspath(__file__),
                'JAILHOUSE_DEVICE': self.device_path,
                'JAILHOUSE_SYSFS': self.sysfs_root}

    def backend(self):
        return FakeDevice(self.sysfs_root)

    def _save(self):
        with open(self.device_path, 'w') as fileobj:
            json.dump(self._settings, fileobj)

    def fail(self, op, code):
        """Make operation `op` ('enable', 'cell start', ...) fail with errno
        name `code`."""
        self._settings.setdefault('fail', {})[op] = code
        self._save()

    def set(self, **settings):
        self._settings.update(settings)
        self._save()

    def remove_device(self):
        os.unlink(self.device_path)

    def calls(self):
        """The ioctls received so far, oldest first (list of dicts; 'arg'
        and image data as bytes)."""
        try:
            with open(self.device_path + '.log') as fileobj:
                lines = fileobj.read().splitlines()
        except FileNotFoundError:
            return []
        records = []
        for line in lines:
            record = json.loads(line)
            for key in ('arg', 'config'):
                if record.get(key) is not None:
                    record[key] = bytes.fromhex(record[key])
            for image in record.get('images', []):
                image['data'] = bytes.fromhex(image['data'])
            records.append(record)
        return records


# ---------------------------------------------------------------------------
# Small valid configurations for the tests
# ---------------------------------------------------------------------------

def host_arch():
    """The architecture the tool will expect configurations for."""
    from pyjailhouse.commands import host_arch as arch  # pylint: disable=import-outside-toplevel
    return arch() or 'x86'


def system_config(arch, name='RootCell', cpus=(0, 1, 2, 3)):
    """Bytes of a minimal system configuration that passes the checks."""
    from pyjailhouse import config  # pylint: disable=import-outside-toplevel
    rwx = 0x1 | 0x2 | 0x4
    root = config.CellConfig(name=name, cpus=set(cpus), root=True,
                             memory_regions=[config.MemRegion(
                                 phys_start=0, virt_start=0,
                                 size=0x3b000000, flags=rwx | 0x8)])
    system = config.SystemConfig(arch=arch, root_cell=root,
                                 hypervisor_memory=config.MemRegion(
                                     phys_start=0x3b000000, size=0x600000))
    info = system.platform_info
    if arch == 'x86':
        info.x86.pm_timer_address = 0x608
    else:
        info.arm.gic_version = 3
        info.arm.gicd_base = 0x8000000
        info.arm.gicr_base = 0x80a0000
        info.arm.maintenance_irq = 25
    assert not system.problems(), system.problems()
    return system.to_bytes()


def cell_config(arch, name='demo', cpus=(3,), loadable=(0, 0x100000)):
    """Bytes of a minimal cell configuration: one loadable RAM region at
    guest address loadable[0] of size loadable[1], plus a comm region."""
    from pyjailhouse import config  # pylint: disable=import-outside-toplevel
    rwx = 0x1 | 0x2 | 0x4
    regions = [config.MemRegion(phys_start=0x3a600000,
                                virt_start=loadable[0], size=loadable[1],
                                flags=rwx | MEM_LOADABLE),
               config.MemRegion(phys_start=0,
                                virt_start=0x100000 if arch == 'x86'
                                else 0x80000000,
                                size=0x1000, flags=0x1 | 0x2 | 0x20)]
    cell = config.CellConfig(name=name, arch=arch, cpus=set(cpus),
                             memory_regions=regions)
    assert not cell.problems(), cell.problems()
    return cell.to_bytes()
