# SPDX-License-Identifier: GPL-2.0-only
# The jailhouse command's operations against the fake driver: exact ioctls, output and messages
"""In-process runs of pyjailhouse.cli.main against fake_jailhouse: which
ioctl each command issues with which bytes, what it prints, and the one-line
message and exit status of every failure."""

import io
import os
import struct

import pytest

import fake_jailhouse
from fake_jailhouse import FakeJailhouse, cell_config, system_config
from pyjailhouse import cli
from pyjailhouse.commands import Context

ARCH = fake_jailhouse.host_arch()
OTHER_ARCH = 'arm64' if ARCH == 'x86' else 'x86'
PTR = struct.calcsize('P')
ENABLE = 0x40000000 | PTR << 16


class Run:
    """Runs of the command against one fake; files in tmp_path."""

    def __init__(self, tmp_path, capsys):
        self.tmp = tmp_path
        self.capsys = capsys
        self.fake = FakeJailhouse(tmp_path / 'fake')
        self.sys_cell = self.file('sys.cell', system_config(ARCH))
        self.demo_cell = self.file('demo.cell', cell_config(ARCH))
        self.image = self.file('demo.bin', bytes(range(256)) * 4)

    def file(self, name, data):
        path = self.tmp / name
        path.write_bytes(data)
        return str(path)

    def __call__(self, *argv):
        """(exit status, stdout, stderr)."""
        self.capsys.readouterr()
        out = io.StringIO()
        ctx = Context(environ=self.fake.env, backend=self.fake.backend(),
                      stdout=out)
        status = cli.main(list(argv), ctx=ctx)
        captured = self.capsys.readouterr()
        return status, out.getvalue() + captured.out, captured.err

    def ok(self, *argv):
        status, out, err = self(*argv)
        assert (status, err) == (0, ''), err
        return out

    def fails(self, *argv, status=1):
        """The stderr line of a failing run."""
        got, out, err = self(*argv)
        assert got == status, (got, out, err)
        assert 'Traceback' not in err
        return err

    def enabled(self):
        self.ok('enable', self.sys_cell)
        return self

    def with_demo(self):
        self.enabled().ok('cell', 'create', self.demo_cell)
        return self


@pytest.fixture
def run(tmp_path, capsys):
    return Run(tmp_path, capsys)


def last_call(run):
    return run.fake.calls()[-1]


# -- enable / disable -------------------------------------------------------

def test_enable_passes_the_whole_config(run):
    assert run.ok('enable', run.sys_cell) == ''
    (call,) = run.fake.calls()
    with open(run.sys_cell, 'rb') as fileobj:
        assert call['request'] == ENABLE and call['arg'] == fileobj.read()
    assert run.fake.sysfs.enabled


def test_enable_twice(run):
    run.enabled()
    assert run.fails('enable', run.sys_cell) == \
        'jailhouse enable: hypervisor already enabled\n'


def test_enable_without_driver(run):
    run.fake.remove_device()
    assert run.fails('enable', run.sys_cell) == (
        'jailhouse enable: cannot open %s: No such file or directory '
        '(is jailhouse.ko loaded?)\n' % run.fake.device_path)


def test_enable_without_permission(run):
    run.fake.set(open_errno='EACCES')
    assert run.fails('disable') == (
        'jailhouse disable: cannot open %s: Permission denied '
        '(are you root?)\n' % run.fake.device_path)


@pytest.mark.parametrize('code, message', [
    ('ENODEV', 'hardware virtualization not available: VT-x/AMD-V off, '
               'Linux not started in EL2/HYP mode, or KVM holds it '
               '(No such device)'),
    ('ENOENT', 'hypervisor firmware not found: install jailhouse*.bin into '
               'the firmware directory (/lib/firmware) '
               '(No such file or directory)'),
    ('EINVAL', 'system configuration or hypervisor firmware rejected '
               '(Invalid argument)'),
    ('EPERM', 'permission denied, are you root? (Operation not permitted)'),
    ('EIO', 'the hypervisor failed to start (see `jailhouse console` or the '
            'kernel log) (Input/output error)'),
    ('ENOSPC', 'No space left on device'),
])
def test_enable_driver_errors(run, code, message):
    run.fake.fail('enable', code)
    assert run.fails('enable', run.sys_cell) == \
        'jailhouse enable: %s\n' % message


@pytest.mark.parametrize('content, message', [
    (b'', '{path}: empty file'),
    (b'hello world', "{path}: not a Jailhouse configuration (signature "
                     "'hello', expected 'JHSYS' or 'JHCLL')"),
    (b'JHSYST' + bytes(600), '{path}: configuration in an old format '
                             '(signature JHSYST, before revision 14): '
                             'rebuild it'),
])
def test_enable_refuses_what_is_no_system_config(run, content, message):
    path = run.file('bad.cell', content)
    assert run.fails('enable', path) == \
        'jailhouse enable: %s\n' % message.format(path=path)
    assert run.fake.calls() == []


def test_enable_refuses_a_cell_config(run):
    assert run.fails('enable', run.demo_cell) == (
        'jailhouse enable: %s: is a cell configuration, expected a system '
        'configuration\n' % run.demo_cell)
    assert run.fake.calls() == []


def test_enable_refuses_another_architecture(run):
    path = run.file('other.cell', system_config(OTHER_ARCH))
    assert run.fails('enable', path) == (
        'jailhouse enable: %s: configuration for %s, this machine is %s\n'
        % (path, OTHER_ARCH, ARCH))
    assert run.fake.calls() == []


def test_enable_refuses_a_config_with_problems(run):
    from pyjailhouse import config
    system = config.parse(system_config(ARCH))
    system.hypervisor_memory.size = 0x600001
    path = run.file('odd.cell', system.to_bytes())
    assert run.fails('enable', path) == (
        'jailhouse enable: %s: hypervisor memory (0x3b000000+0x600001) not '
        'page aligned\n' % path)
    assert run.fake.calls() == []


def test_enable_missing_file(run):
    assert run.fails('enable', str(run.tmp / 'nope.cell')) == (
        'jailhouse enable: cannot read %s: No such file or directory\n'
        % (run.tmp / 'nope.cell'))


def test_disable(run):
    run.enabled()
    assert run.ok('disable') == ''
    call = last_call(run)
    assert (call['request'], call['arg']) == (1, None)
    assert not run.fake.sysfs.enabled


def test_disable_when_not_enabled(run):
    assert run.fails('disable') == \
        'jailhouse disable: hypervisor not enabled\n'


@pytest.mark.parametrize('code, message', [
    ('EBUSY', 'CPUs of the root cell are offline: bring them online first '
              '(Device or resource busy)'),
    ('EPERM', 'a cell refused to shut down (Operation not permitted)'),
])
def test_disable_errors(run, code, message):
    run.enabled().fake.fail('disable', code)
    assert run.fails('disable') == 'jailhouse disable: %s\n' % message


def test_disable_refused_names_the_lock_holder(run):
    """EPERM with a cell in state running/locked: that cell is the cause;
    without sysfs states the message names both possible causes."""
    run.with_demo().fake.fail('disable', 'EPERM')
    run.fake.sysfs.set_state(1, 'running/locked')
    assert run.fails('disable') == (
        "jailhouse disable: cell 'demo' holds the configuration lock "
        "(Operation not permitted)\n")
    run.fake.sysfs.add_cell(2, 'other', [2], state='running/locked')
    assert run.fails('disable') == (
        "jailhouse disable: cells 'demo', 'other' hold the configuration "
        "lock (Operation not permitted)\n")
    for cell_id in (0, 1, 2):
        os.remove(os.path.join(run.fake.sysfs.root, 'cells/%d/state'
                               % cell_id))
    assert run.fails('disable') == (
        'jailhouse disable: a cell holds the configuration lock or refused '
        'to shut down (Operation not permitted)\n')


# -- cell create --------------------------------------------------------------

def test_cell_create_struct(run):
    run.enabled().ok('cell', 'create', run.demo_cell)
    call = last_call(run)
    with open(run.demo_cell, 'rb') as fileobj:
        config = fileobj.read()
    assert call['request'] == 0x40100002
    assert len(call['arg']) == 16
    assert call['arg'][8:] == struct.pack('<II', len(config), 0)
    assert call['config'] == config
    assert run.ok('cell', 'list').splitlines()[2].split() == \
        ['1', 'demo', 'shut', 'down', '3']


def test_cell_create_twice(run):
    run.with_demo()
    assert run.fails('cell', 'create', run.demo_cell) == \
        "jailhouse cell create: a cell named 'demo' already exists\n"


def test_cell_create_not_enabled(run):
    assert run.fails('cell', 'create', run.demo_cell) == \
        'jailhouse cell create: hypervisor not enabled\n'


def test_cell_create_cpus_taken(run):
    run.with_demo()
    other = run.file('other.cell', cell_config(ARCH, name='other'))
    assert run.fails('cell', 'create', other) == (
        'jailhouse cell create: CPUs, memory or interrupts of the cell are '
        'not available in the root cell (Device or resource busy)\n')


@pytest.mark.parametrize('code, message', [
    ('EINVAL', 'config rejected by the hypervisor (Invalid argument)'),
    ('ENOMEM', 'not enough hypervisor memory (Cannot allocate memory)'),
    ('E2BIG', 'config too large for the hypervisor (Argument list too '
              'long)'),
    ('EPERM', 'cell configuration is locked by a running cell (Operation '
              'not permitted)'),
])
def test_cell_create_errors(run, code, message):
    run.enabled().fake.fail('cell create', code)
    assert run.fails('cell', 'create', run.demo_cell) == \
        'jailhouse cell create: %s\n' % message


def test_cell_create_and_destroy_name_the_lock_holder(run):
    run.with_demo()
    run.fake.sysfs.set_state(1, 'running/locked')
    other = run.file('other.cell', cell_config(ARCH, name='other',
                                               cpus=(2,)))
    run.fake.fail('cell create', 'EPERM')
    assert run.fails('cell', 'create', other) == (
        "jailhouse cell create: cell configuration is locked by cell 'demo' "
        "(Operation not permitted)\n")
    # A cell's own lock is no cause of its destruction's refusal.
    run.fake.sysfs.add_cell(2, 'other', [2], state='running')
    run.fake.fail('cell destroy', 'EPERM')
    assert run.fails('cell', 'destroy', 'demo') == (
        "jailhouse cell destroy: cell 'demo' refused to shut down "
        "(Operation not permitted)\n")
    assert run.fails('cell', 'destroy', 'other') == (
        "jailhouse cell destroy: cell configuration is locked by cell "
        "'demo' (Operation not permitted)\n")


def test_cell_create_refuses_a_system_config(run):
    assert run.fails('cell', 'create', run.sys_cell) == (
        'jailhouse cell create: %s: is a system configuration, expected a '
        'cell configuration\n' % run.sys_cell)


def test_cell_create_truncated_file(run):
    with open(run.demo_cell, 'rb') as fileobj:
        path = run.file('cut.cell', fileobj.read()[:150])
    err = run.fails('cell', 'create', path)
    assert err.startswith('jailhouse cell create: %s: ' % path)
    assert run.fake.calls() == []


# -- cell load / shutdown -------------------------------------------------------

def test_cell_load_images_strings_addresses(run):
    run.with_demo()
    second = run.file('second.bin', b'\xcc' * 10)
    run.ok('cell', 'load', 'demo', run.image, '-s', 'con-base=0x2f8',
           '-a', '0x1000', second, '--address', '010000')
    call = last_call(run)
    assert call['request'] == 0x40300003
    assert call['arg'][:48] == struct.pack('<iI32sII', -1, 0, b'demo', 3, 0)
    assert len(call['arg']) == 48 + 3 * 32
    with open(run.image, 'rb') as fileobj:
        image = fileobj.read()
    assert [(i['data'], i['target']) for i in call['images']] == [
        (image, 0), (b'con-base=0x2f8\0', 0x1000), (b'\xcc' * 10, 0o10000)]
    for n, (data, target) in enumerate([(image, 0), (None, 0x1000),
                                        (None, 0o10000)]):
        size, tgt, pad = struct.unpack('<QQQ',
                                       call['arg'][56 + 32 * n:80 + 32 * n])
        assert (tgt, pad) == (target, 0)


def test_cell_load_by_id(run):
    run.with_demo()
    run.ok('cell', 'load', '1', '--string', 'x')
    assert last_call(run)['arg'][:48] == \
        struct.pack('<iI32sII', 1, 0, b'', 1, 0)


def test_cell_load_does_not_fit(run):
    run.with_demo()
    assert run.fails('cell', 'load', 'demo', run.image, '-a',
                     '0xfffff0') == (
        "jailhouse cell load: an image does not fit into the loadable memory "
        "of cell 'demo': each image must lie inside one writable region "
        "flagged LOADABLE, at its -a address (default 0) (Invalid argument)"
        "\n")


def test_cell_load_root_cell(run):
    run.enabled()
    assert run.fails('cell', 'load', 'RootCell', run.image) == \
        'jailhouse cell load: the root cell cannot be loaded ' \
        '(Invalid argument)\n'


def test_cell_load_unknown_cell(run):
    run.enabled()
    assert run.fails('cell', 'load', 'foo', run.image) == \
        "jailhouse cell load: no cell named 'foo'\n"
    assert run.fails('cell', 'load', '0x7', run.image) == \
        'jailhouse cell load: no cell with ID 7\n'


def test_cell_load_missing_image(run):
    run.with_demo()
    calls = len(run.fake.calls())
    assert run.fails('cell', 'load', 'demo', str(run.tmp / 'x.bin')) == \
        'jailhouse cell load: cannot read %s: No such file or directory\n' \
        % (run.tmp / 'x.bin')
    assert len(run.fake.calls()) == calls


@pytest.mark.parametrize('code, message', [
    ('E2BIG', "an image is larger than the loadable memory region at its "
              "address in cell 'demo' (Argument list too long)"),
    ('EPERM', "cell 'demo' refused to shut down (Operation not permitted)"),
    ('EBUSY', "cannot map the memory of cell 'demo' (Device or resource "
              "busy)"),
])
def test_cell_load_errors(run, code, message):
    run.with_demo().fake.fail('cell load', code)
    assert run.fails('cell', 'load', 'demo', run.image) == \
        'jailhouse cell load: %s\n' % message


def test_cell_shutdown(run):
    run.with_demo()
    run.ok('cell', 'start', 'demo')
    run.ok('cell', 'shutdown', 'demo')
    call = last_call(run)
    assert call['request'] == 0x40300003
    assert call['arg'] == struct.pack('<iI32sII', -1, 0, b'demo', 0, 0)
    assert run.fake.sysfs.read('cells/1/state') == 'shut down'


def test_cell_shutdown_errors(run):
    run.with_demo()
    assert run.fails('cell', 'shutdown', '0') == (
        'jailhouse cell shutdown: the root cell cannot be shut down, use '
        '`jailhouse disable` (Invalid argument)\n')
    run.fake.fail('cell load', 'EPERM')
    assert run.fails('cell', 'shutdown', '1') == (
        'jailhouse cell shutdown: cell 1 refused to shut down (Operation '
        'not permitted)\n')


# -- cell start / destroy -------------------------------------------------------

def test_cell_start_and_destroy_structs(run):
    run.with_demo()
    run.ok('cell', 'start', '--name', 'demo')
    assert (last_call(run)['request'], last_call(run)['arg']) == \
        (0x40280004, struct.pack('<iI32s', -1, 0, b'demo'))
    assert run.fake.sysfs.read('cells/1/state') == 'running'
    run.ok('cell', 'destroy', '1')
    assert (last_call(run)['request'], last_call(run)['arg']) == \
        (0x40280005, struct.pack('<iI32s', 1, 0, b''))
    assert run.fake.sysfs.cell_ids() == [0]


def test_numeric_name_needs_name_option(run):
    run.enabled()
    run('cell', 'start', '--name', '12')
    assert last_call(run)['arg'] == struct.pack('<iI32s', -1, 0, b'12')
    run('cell', 'start', '-5')
    assert last_call(run)['arg'] == struct.pack('<iI32s', -1, 0, b'-5')


@pytest.mark.parametrize('argv, message', [
    (['cell', 'start', 'foo'], "jailhouse cell start: no cell named 'foo'"),
    (['cell', 'destroy', '9'], 'jailhouse cell destroy: no cell with ID 9'),
    (['cell', 'start', 'RootCell'], 'jailhouse cell start: the root cell '
     'cannot be started (Invalid argument)'),
    (['cell', 'destroy', '0'], 'jailhouse cell destroy: the root cell cannot '
     'be destroyed, use `jailhouse disable` (Invalid argument)'),
])
def test_cell_start_destroy_errors(run, argv, message):
    run.enabled()
    assert run.fails(*argv) == message + '\n'


def test_cell_commands_when_not_enabled(run):
    for argv in (['cell', 'start', 'demo'], ['cell', 'destroy', 'demo'],
                 ['cell', 'shutdown', 'demo'],
                 ['cell', 'load', 'demo', '-s', 'x']):
        assert run.fails(*argv) == 'jailhouse %s: hypervisor not enabled\n' \
            % ' '.join(argv[:2])


@pytest.mark.parametrize('op, code, message', [
    ('cell start', 'EPERM', "cell 'demo' refused to shut down (a running "
     "cell is shut down before it starts again) (Operation not permitted)"),
    ('cell destroy', 'EPERM', "cell 'demo' refused to shut down (Operation "
     "not permitted)"),
    ('cell destroy', 'ENOMEM', 'Cannot allocate memory'),
])
def test_cell_start_destroy_driver_errors(run, op, code, message):
    run.with_demo().fake.fail(op, code)
    assert run.fails(*op.split(), 'demo') == \
        'jailhouse %s: %s\n' % (op, message)


# -- cell list ------------------------------------------------------------------

def test_cell_list_format(run):
    run.with_demo()
    run.fake.sysfs.add_cell(2, 'a-long-cell-name', [4, 5, 6, 8],
                            state='failed', failed=[5])
    assert run.ok('cell', 'list') == (
        'ID      Name                    State             Assigned CPUs      '
        '     Failed CPUs             \n'
        '0       RootCell                running           0-2                '
        '                             \n'
        '1       demo                    shut down         3                  '
        '                             \n'
        '2       a-long-cell-name        failed            4-6,8              '
        '     5                       \n')


def test_cell_list_long_values_keep_columns(run):
    """Upstream's widths, but a 31-byte name or a long CPU list widens its
    column (every row alike) instead of running into the next one."""
    run.with_demo()
    name = 'a-cell-name-of-31-characters-xy'
    assert len(name) == 31
    cpus = list(range(0, 40, 2))
    run.fake.sysfs.add_cell(2, name, cpus, state='running/locked')
    lines = run.ok('cell', 'list').splitlines()
    assigned = ','.join(str(c) for c in cpus)
    assert len(assigned) > 24
    assert lines[0] == 'ID      ' + 'Name'.ljust(32) + 'State'.ljust(18) + \
        'Assigned CPUs'.ljust(len(assigned) + 1) + 'Failed CPUs'.ljust(24)
    assert lines[3] == '2       ' + name + ' ' + 'running/locked    ' + \
        assigned + ' ' + ' ' * 24
    # The State column starts at the same place in every row.
    for line in lines:
        assert line.index(line.split()[2]) == 40, line
    rows = [line.split(None, 3) for line in lines[1:]]
    assert [row[1] for row in rows] == ['RootCell', 'demo', name]


def test_cell_list_without_driver_or_cells(run, tmp_path):
    assert run.ok('cell', 'list') == ''
    ctx = Context(environ={'JAILHOUSE_SYSFS': str(tmp_path / 'none')},
                  stdout=io.StringIO())
    assert cli.main(['cell', 'list'], ctx=ctx) == 0
    assert ctx.stdout.getvalue() == ''


# -- console ----------------------------------------------------------------------

def test_console(run):
    run.enabled().fake.set(console='Initializing Jailhouse\n' + 'x' * 5000)
    assert run.ok('console') == 'Initializing Jailhouse\n' + 'x' * 5000
    assert run.ok('console', '--follow').startswith('Initializing')


def test_console_follow_ignores_further_words(run):
    # As upstream's tool: only the first word after `console` counts.
    run.enabled().fake.set(console='hello\n')
    assert run.ok('console', '-f', 'extra', 'words') == 'hello\n'


def test_disable_ignores_further_words(run):
    run.enabled()
    run.ok('disable', 'now', 'please')
    assert not run.fake.sysfs.enabled


def test_console_not_enabled(run):
    assert run.fails('console') == 'jailhouse console: hypervisor not ' \
        'enabled\n'


def test_console_not_available(run):
    run.enabled().fake.set(read_errno='EPERM')
    assert run.fails('console', '-f') == (
        'jailhouse console: the hypervisor has no virtual console: set '
        'JAILHOUSE_SYS_VIRTUAL_DEBUG_CONSOLE in the flags of the system '
        'configuration\n')


def test_console_falls_back_to_sysfs(run):
    run.enabled().fake.set(read_errno='EINVAL')
    run.fake.sysfs.write('console', 'from sysfs\n')
    assert run.ok('console') == 'from sysfs\n'


# -- usage -----------------------------------------------------------------------

@pytest.mark.parametrize('argv, message', [
    (['enable'], 'jailhouse enable: missing SYSCONFIG'),
    (['enable', 'a', 'b'], "jailhouse enable: unexpected argument 'b'"),
    (['console', '-x'], "jailhouse console: unexpected argument '-x'"),
    (['cell', 'create'], 'jailhouse cell create: missing CELLCONFIG'),
    (['cell', 'list', 'x'], "jailhouse cell list: unexpected argument 'x'"),
    (['cell', 'start'], 'jailhouse cell start: missing cell ID or name'),
    (['cell', 'start', '--name'], 'jailhouse cell start: --name needs a '
     'cell name'),
    (['cell', 'start', 'a', 'b'], "jailhouse cell start: unexpected "
     "argument 'b'"),
    (['cell', 'destroy', 'x' * 32], "jailhouse cell destroy: cell name '%s' "
     "longer than 31 bytes" % ('x' * 32)),
    (['cell', 'start', '4294967296'], 'jailhouse cell start: cell ID '
     '4294967296 out of range'),
    (['cell', 'load', 'demo'], 'jailhouse cell load: missing image'),
    (['cell', 'load', 'demo', '-a', '0'], 'jailhouse cell load: -a without '
     'an image before it'),
    (['cell', 'load', 'demo', 'x', '-a'], 'jailhouse cell load: -a needs an '
     'address'),
    (['cell', 'load', 'demo', 'x', '-a', '12k'], "jailhouse cell load: "
     "invalid address '12k'"),
    (['cell', 'load', 'demo', 'x', '-a', '-0x10000000000000000'],
     "jailhouse cell load: invalid address '-0x10000000000000000'"),
    (['cell', 'load', 'demo', '-s'], 'jailhouse cell load: -s needs a '
     'string'),
    (['cell', 'stats'], 'jailhouse cell stats: missing cell ID or name'),
    (['cell', 'stats', 'x', '--cpu', 'one'], "jailhouse cell stats: invalid "
     "--cpu value 'one'"),
    (['cell', 'stats', 'x', '--interval', '0'], "jailhouse cell stats: "
     "invalid --interval value '0'"),
])
def test_usage_errors(run, argv, message):
    err = run.fails(*argv, status=1)     # upstream's status for bad usage
    first, second = err.splitlines()
    assert first == message
    assert second.startswith('Usage: jailhouse %s' % ' '.join(argv[:2])
                             if argv[0] == 'cell' else
                             'Usage: jailhouse ' + argv[0])
    assert run.fake.calls() == []


@pytest.mark.parametrize('words', sorted(set(cli.COMMANDS) -
                                         set(cli.MODULE_COMMANDS) -
                                         set(cli.HELPER_COMMANDS)))
def test_help_of_every_command(run, words):
    for option in ('-h', '--help'):
        out = run.ok(*words, option)
        assert out.startswith('Usage: jailhouse %s' % ' '.join(words))
    assert run.ok(*words, '--version').startswith(
        'Jailhouse management tool ')


def test_group_help(run):
    out = run.ok('cell', '--help')
    assert out.startswith('Usage: jailhouse cell { SUBCOMMAND | --help }')
    assert '   cell load' in out and 'enable' not in out
    status, out, _ = run('cell')
    assert status == 1 and 'cell create CELLCONFIG' in out


def test_console_empty_while_enabled(run):
    run.enabled().fake.set(read_errno='EAGAIN')
    assert run.ok('console') == ''
