# SPDX-License-Identifier: GPL-2.0-only
# The jailhouse script as a process against the fake driver: the README's demo session, helpers, backend safety
"""Runs of the real `jailhouse` script (a copy of tools/ with a generated
_abi.py, as installed, so no compiler runs per call) in a subprocess, with
the environment that makes it use tests/fake_jailhouse.py."""

import os
import shutil
import stat
import struct
import subprocess
import sys

import pytest

from conftest import REPO
import fake_jailhouse
from fake_jailhouse import FakeJailhouse, cell_config, system_config

ARCH = fake_jailhouse.host_arch()
TOOLS = os.path.join(REPO, 'tools')


@pytest.fixture(scope='module')
def tools(tmp_path_factory):
    """A copy of the tools with pyjailhouse/_abi.py generated."""
    from pyjailhouse import abigen
    top = tmp_path_factory.mktemp('tools')
    os.makedirs(str(top / 'pyjailhouse'))
    for name in os.listdir(TOOLS):
        if name.startswith('jailhouse'):
            shutil.copy2(os.path.join(TOOLS, name), str(top / name))
    for name in os.listdir(os.path.join(TOOLS, 'pyjailhouse')):
        if name.endswith('.py') and not name.startswith('_abi'):
            shutil.copy2(os.path.join(TOOLS, 'pyjailhouse', name),
                         str(top / 'pyjailhouse' / name))
    abigen.generate(os.environ.get('CC', 'cc'), os.path.join(REPO, 'include'),
                    str(top / 'pyjailhouse' / '_abi.py'))
    return top


class Session:
    def __init__(self, tools, tmp_path):
        self.tools = tools
        self.tmp = tmp_path
        self.fake = FakeJailhouse(tmp_path / 'fake')
        self.env = dict(os.environ, **self.fake.env)
        self.env.pop('PYJAILHOUSE_REGEN_ABI', None)

    def file(self, name, data):
        path = self.tmp / name
        path.write_bytes(data)
        return str(path)

    def run(self, *argv, script='jailhouse', env=None):
        return subprocess.run(
            [sys.executable, str(self.tools / script)] + list(argv),
            env=env or self.env, capture_output=True, text=True, timeout=30)

    def ok(self, *argv, **kwargs):
        result = self.run(*argv, **kwargs)
        assert (result.returncode, result.stderr) == (0, ''), result.stderr
        return result.stdout

    def fails(self, *argv, **kwargs):
        result = self.run(*argv, **kwargs)
        assert result.returncode == 1, result
        assert 'Traceback' not in result.stderr
        return result.stderr


@pytest.fixture
def session(tools, tmp_path):
    return Session(tools, tmp_path)


def test_readme_demo_session(session):
    sys_cell = session.file('qemu.cell', system_config(ARCH))
    demo_cell = session.file('apic-demo.cell',
                             cell_config(ARCH, name='apic-demo'))
    image = session.file('apic-demo.bin', b'\xeb\xfe' * 300)

    assert session.ok('enable', sys_cell) == ''
    session.ok('cell', 'create', demo_cell)
    session.ok('cell', 'load', 'apic-demo', image, '-s', 'con-base=0x2f8',
               '-a', '0x1000')
    session.ok('cell', 'start', 'apic-demo')
    assert [l.rstrip() for l in session.ok('cell', 'list').splitlines()] == [
        'ID      Name                    State             Assigned CPUs      '
        '     Failed CPUs',
        '0       RootCell                running           0-2',
        '1       apic-demo               running           3']
    session.fake.sysfs.set_stat(1, 'vmexits_total', 42)
    session.fake.sysfs.set_stat(1, 'vmexits_pio', 40)
    session.fake.sysfs.set_stat(1, 'vmexits_total', 42, cpu=3)
    stats = session.ok('cell', 'stats', 'apic-demo', '--once').splitlines()
    assert stats[:4] == ["Statistics for cell 'apic-demo' (ID 1), all CPUs",
                         'COUNTER                              SUM',
                         'vmexits_total                         42',
                         'vmexits_pio                           40']
    session.ok('cell', 'shutdown', 'apic-demo')
    session.ok('cell', 'destroy', 'apic-demo')
    session.ok('disable')

    calls = session.fake.calls()
    assert [(c['op'], c['request']) for c in calls] == [
        ('enable', 0x40000000 | struct.calcsize('P') << 16),
        ('cell create', 0x40100002),
        ('cell load', 0x40300003),
        ('cell start', 0x40280004),
        ('cell load', 0x40300003),
        ('cell destroy', 0x40280005),
        ('disable', 0x00000001)]
    assert all('errno' not in c for c in calls)
    with open(image, 'rb') as fileobj:
        assert [i['data'] for i in calls[2]['images']] == \
            [fileobj.read(), b'con-base=0x2f8\0']
    assert calls[3]['arg'] == struct.pack('<iI32s', -1, 0, b'apic-demo')
    assert calls[4]['arg'] == struct.pack('<iI32sII', -1, 0, b'apic-demo',
                                          0, 0)


def test_cell_stats_helper_script(session):
    session.ok('enable', session.file('s.cell', system_config(ARCH)))
    session.ok('cell', 'create', session.file('d.cell', cell_config(ARCH)))
    out = session.ok('1', '--once', '--cpu', '3',
                     script='jailhouse-cell-stats')
    assert out.splitlines()[0] == "Statistics for cell 'demo' (ID 1), CPU 3"
    out = session.ok('--name', 'demo', '--interval', '0.05', '--count', '2',
                     script='jailhouse-cell-stats')
    first, second = out.split('\n\n')[:2]
    assert first.splitlines()[1] == 'COUNTER                              ' \
        'SUM   PER SEC'
    assert second.splitlines()[2] == 'vmexits_total                          ' \
        '0         0'
    assert session.fails('nope', '--once', script='jailhouse-cell-stats') \
        == "jailhouse cell stats: no cell named 'nope'\n"


def test_failures_are_one_line(session):
    sys_cell = session.file('s.cell', system_config(ARCH))
    session.ok('enable', sys_cell)
    assert session.fails('enable', sys_cell) == \
        'jailhouse enable: hypervisor already enabled\n'
    assert session.fails('cell', 'start', 'foo') == \
        "jailhouse cell start: no cell named 'foo'\n"
    session.fake.fail('cell create', 'EINVAL')
    assert session.fails('cell', 'create', session.file(
        'd.cell', cell_config(ARCH))) == (
        'jailhouse cell create: config rejected by the hypervisor (Invalid '
        'argument)\n')


def test_console_follow(session):
    session.ok('enable', session.file('s.cell', system_config(ARCH)))
    session.fake.set(console='Initializing Jailhouse hypervisor\n')
    assert session.ok('console', '-f') == \
        'Initializing Jailhouse hypervisor\n'


def test_backend_module_must_be_safe(session, tmp_path):
    unsafe = tmp_path / 'fake_copy.py'
    shutil.copy2(fake_jailhouse.__file__, str(unsafe))
    os.chmod(str(unsafe), 0o666)
    env = dict(session.env, JAILHOUSE_TEST_BACKEND=str(unsafe))
    assert session.fails('disable', env=env) == (
        'jailhouse disable: JAILHOUSE_TEST_BACKEND: refusing %s: owned by '
        'another user or writable by others\n' % unsafe)
    assert os.stat(str(unsafe)).st_mode & stat.S_IWOTH


def test_without_test_backend_the_device_is_opened(session, tmp_path):
    env = dict(os.environ, JAILHOUSE_DEVICE=str(tmp_path / 'no-device'))
    assert session.fails('disable', env=env) == (
        'jailhouse disable: cannot open %s: No such file or directory (is '
        'jailhouse.ko loaded?)\n' % (tmp_path / 'no-device'))


def test_helper_commands_run_the_helper_scripts(session):
    result = session.run('cell', 'linux', 'x.cell', 'bzImage')
    assert result.returncode == 1
    assert result.stderr == 'jailhouse cell linux: cannot read x.cell: No ' \
        'such file or directory\n'
    os.unlink(str(session.tools / 'jailhouse-hardware-check'))
    try:
        assert session.fails('hardware', 'check').startswith(
            'jailhouse hardware check: helper jailhouse-hardware-check not '
            'found ')
    finally:
        shutil.copy2(os.path.join(TOOLS, 'jailhouse-hardware-check'),
                     str(session.tools / 'jailhouse-hardware-check'))


def test_source_tree_script(session):
    # Without _abi.py: pyjailhouse derives the ABI with the host compiler.
    result = subprocess.run(
        [sys.executable, os.path.join(TOOLS, 'jailhouse'), 'cell', 'start',
         '7'], env=session.env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        1, 'jailhouse cell start: hypervisor not enabled\n')
    assert session.fake.calls()[0]['arg'] == struct.pack('<iI32s', 7, 0, b'')


def test_cell_stats_full_screen(session):
    """The curses view on a pseudo terminal: c cycles CPUs, a all, q quits."""
    import pty
    import select
    import time
    fake = session.fake
    fake.sysfs.set_enabled(True)
    fake.sysfs.add_cell(0, 'RootCell', [0, 1, 2], state='running')
    fake.sysfs.add_cell(1, 'demo', [3, 4], state='running',
                        stats={'vmexits_total': 99})
    env = dict(session.env, TERM='xterm')
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover (child)
        os.execve(sys.executable, [sys.executable,
                                   str(session.tools / 'jailhouse'), 'cell',
                                   'stats', 'demo', '--interval', '0.1'], env)
    screen = b''

    def pump(seconds):
        nonlocal screen
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    return
    try:
        for key, wait in ((None, 1.0), (b'c', 0.5), (b'a', 0.5), (b'q', 1.0)):
            if key:
                os.write(fd, key)
            pump(wait)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = screen.decode('latin-1')
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, text
    assert "Statistics for cell 'demo' (ID 1), all CPUs" in text
    assert 'CPU 3' in text         # curses repaints only what changed
    assert 'q: quit' in text and 'vmexits_total' in text
    assert 'Traceback' not in text
