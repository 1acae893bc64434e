# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: command line of the jailhouse tool (syntax, help, dispatch)
"""The `jailhouse` command line: upstream Jailhouse's syntax, word for word.

    jailhouse enable SYSCONFIG
    jailhouse cell load { ID | [--name] NAME } { IMAGE | -s STRING } [-a ADDR] ...

main(argv) returns the exit status as upstream's tool does: 0 success
(and `jailhouse --help`), 1 failure (one line "jailhouse OPERATION:
problem" on stderr) and bad usage, `-h` and `help` included. `cell linux`,
`config create`, `config collect` and `hardware check` run the helper
scripts jailhouse-<command>-<subcommand>, looked up next to the jailhouse
script, in the configured libexec directory, the usual libexec directories
and on PATH (found helpers see the first two in front of their PATH, as
upstream's tool arranges).
"""

import os
import sys

from .errors import JailhouseError, UsageError

# pyjailhouse.cellref, .commands and .device need the ABI description
# (pyjailhouse.abi); they are imported on first use so that --help and
# --version work without it.

ID_OR_NAME = '{ ID | [--name] NAME }'

# command words -> (usage after "jailhouse", description)
COMMANDS = {
    ('enable',): ('enable SYSCONFIG',
                  'Start the hypervisor with the system configuration '
                  'SYSCONFIG (a .cell\nfile); the running Linux becomes the '
                  'root cell.'),
    ('disable',): ('disable',
                   'Stop the hypervisor, destroying all non-root cells; '
                   'Linux runs on the\nbare machine again.'),
    ('console',): ('console [-f | --follow]',
                   'Print the hypervisor console. -f, --follow: keep '
                   'printing new output\nuntil interrupted.'),
    ('cell', 'create'): ('cell create CELLCONFIG',
                         'Create a cell from the configuration CELLCONFIG; '
                         'its CPUs, memory and\ndevices leave the root '
                         'cell. The cell stays stopped.'),
    ('cell', 'list'): ('cell list',
                       'List the cells: ID, name, state, assigned and failed '
                       'CPUs.'),
    ('cell', 'load'): ('cell load %s { IMAGE | { -s | --string } "STRING" }\n'
                       '             [-a | --address ADDRESS] ...'
                       % ID_OR_NAME,
                       'Stop the cell and copy images (files, or strings '
                       'with their terminating\nNUL) into its loadable '
                       'memory, each at the cell address after -a\n'
                       '(default 0). ADDRESS is read as strtoull() reads it: '
                       '0x... hex,\n0... octal, a minus sign counts back '
                       'from 2^64.'),
    ('cell', 'start'): ('cell start ' + ID_OR_NAME,
                        'Start the cell at its reset address.'),
    ('cell', 'shutdown'): ('cell shutdown ' + ID_OR_NAME,
                           'Stop the cell (asking it first if it '
                           'takes part in the shutdown protocol).'),
    ('cell', 'destroy'): ('cell destroy ' + ID_OR_NAME,
                          'Stop the cell and give its resources back to '
                          'the root cell.'),
    ('cell', 'linux'): ('cell linux CELLCONFIG KERNEL [-d | --dtb DTB] '
                        '[-i | --initrd INITRD]\n'
                        '             [-c | --cmdline "CMDLINE"] '
                        '[-w | --write-params PARAMS_FILE]\n'
                        '             [-a | --arch ARCH] '
                        '[-k | --kernel-decomp-factor FACTOR]', None),
    ('cell', 'stats'): ('cell stats %s [--once] [--cpu CPU]\n'
                        '             [--interval SECONDS] [--count N]'
                        % ID_OR_NAME,
                        'Show the cell\'s VM exits per cause, refreshed '
                        'every SECONDS (default 1):\na full-screen view on '
                        'a terminal (q quit, c next CPU, a all CPUs),\n'
                        'tables with the rates per second otherwise.\n'
                        '  --once      print the counters once and exit\n'
                        '  --count N   print N tables, then exit\n'
                        '  --cpu CPU   counters of this CPU of the cell '
                        'only'),
    ('config', 'create'): ('config create [-h] [-g] [-r ROOT] '
                           '[--mem-inmates SIZE] [--mem-hv SIZE]\n'
                           '             [-t TEMPLATE_DIR] [-c CONSOLE] FILE',
                           None),
    ('config', 'check'): ('config check SYSCONFIG [CELLCONFIG ...]', None),
    ('config', 'show'): ('config show FILE', None),
    ('config', 'collect'): ('config collect FILE.TAR', None),
    ('hardware', 'check'): ('hardware check', None),
}

# Listed in the overview (upstream's order; config show is ours).
OVERVIEW = [('enable',), ('disable',), ('console',), ('cell', 'create'),
            ('cell', 'list'), ('cell', 'load'), ('cell', 'start'),
            ('cell', 'shutdown'), ('cell', 'destroy'), ('cell', 'linux'),
            ('cell', 'stats'), ('config', 'create'), ('config', 'collect'),
            ('config', 'check'), ('config', 'show'), ('hardware', 'check')]

# Implemented by pyjailhouse modules with their own main(argv).
MODULE_COMMANDS = {('config', 'check'): 'config_check',
                   ('config', 'show'): 'config_show'}

# Implemented by helper scripts (upstream's extension mechanism).
HELPER_COMMANDS = (('cell', 'linux'), ('config', 'create'),
                   ('config', 'collect'), ('hardware', 'check'))

HELPER_DIRS = ('../libexec/jailhouse', '../lib/jailhouse',
               '/usr/libexec/jailhouse', '/usr/local/libexec/jailhouse',
               '/usr/lib/jailhouse')


def usage_text(group=None):
    """The overview of all commands, or of one command group ('cell')."""
    head = 'jailhouse { COMMAND | --help | --version }' if group is None \
        else 'jailhouse %s { SUBCOMMAND | --help }' % group
    lines = ['Usage: ' + head, '', 'Available commands:']
    for words in OVERVIEW:
        if group is None or words[0] == group:
            lines.append('   ' + COMMANDS[words][0])
    return '\n'.join(lines) + '\n'


def command_help(words):
    usage, description = COMMANDS[words]
    text = 'Usage: jailhouse %s\n' % ' '.join(usage.split())
    if description:
        text += '\n%s\n' % description
    return text


def version_line():
    """Upstream's form first ('Jailhouse management tool v0.12'), then
    the full version (with the git commit) in parentheses."""
    full = version()
    base = full.split('+', 1)[0].split(' ', 1)[0]
    line = 'Jailhouse management tool v%s' % base
    if full != base:
        line += ' (%s)' % full
    return line + '\n'


def version():
    """The version string: pyjailhouse/_version.py (generated at build
    time), else the source tree's VERSION file."""
    try:
        from ._version import VERSION  # pylint: disable=import-outside-toplevel
        return VERSION
    except ImportError:
        pass
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    try:
        with open(os.path.join(top, 'VERSION')) as fileobj:
            return fileobj.read().strip() + ' (source tree)'
    except OSError:
        return 'unknown'


# ---------------------------------------------------------------------------
# Argument parsing of the device commands
# ---------------------------------------------------------------------------

def _ref_only(args):
    ref, used = _ref(args)
    if used != len(args):
        raise UsageError("unexpected argument '%s'" % args[used])
    return ref


def _ref(args):
    from . import cellref  # pylint: disable=import-outside-toplevel
    try:
        return cellref.parse(args)
    except ValueError as err:
        raise UsageError(str(err)) from None


def _address(text):
    from . import cellref  # pylint: disable=import-outside-toplevel
    value = cellref.parse_strtoull(text)
    if value is None:
        raise UsageError("invalid address '%s'" % text)
    return value


def parse_load(args):
    """(CellRef, [(kind, value, address)]) of `cell load` arguments; kind is
    'file' or 'string'."""
    ref, pos = _ref(args)
    items = []
    while pos < len(args):
        word = args[pos]
        if word in ('-a', '--address'):
            raise UsageError('%s without an image before it' % word)
        if word in ('-s', '--string'):
            if pos + 1 >= len(args):
                raise UsageError('%s needs a string' % word)
            kind, value = 'string', args[pos + 1]
            pos += 2
        else:
            kind, value = 'file', word
            pos += 1
        address = 0
        if pos < len(args) and args[pos] in ('-a', '--address'):
            if pos + 1 >= len(args):
                raise UsageError('%s needs an address' % args[pos])
            address = _address(args[pos + 1])
            pos += 2
        items.append((kind, value, address))
    if not items:
        raise UsageError('missing image')
    return ref, items


def load_images(items):
    """Image objects for parse_load()'s items; files are read now."""
    from . import commands  # pylint: disable=import-outside-toplevel
    from .device import Image  # pylint: disable=import-outside-toplevel
    images = []
    for kind, value, address in items:
        if kind == 'string':
            data = os.fsencode(value) + b'\0'
            images.append(Image(data, address, 'string'))
        else:
            images.append(Image(commands.read_file(value), address, value))
    return images


def parse_stats(args):
    """(CellRef, once, cpu, interval, count) of `cell stats` arguments."""
    once, cpu, interval, count = False, None, 1.0, None
    rest = []
    pos = 0
    while pos < len(args):
        word = args[pos]
        if word == '--once':
            once = True
        elif word in ('--cpu', '--interval', '--count'):
            if pos + 1 >= len(args):
                raise UsageError('%s needs a value' % word)
            value = args[pos + 1]
            pos += 1
            try:
                if word in ('--cpu', '--count'):
                    number = int(value, 10)
                    if number < (0 if word == '--cpu' else 1):
                        raise ValueError
                    if word == '--cpu':
                        cpu = number
                    else:
                        count = number
                else:
                    interval = float(value)
                    if not 0.05 <= interval <= 3600:
                        raise ValueError
            except ValueError:
                raise UsageError("invalid %s value '%s'" % (word, value)) \
                    from None
        elif word == '--name':
            rest.extend(args[pos:pos + 2])
            pos += 1
        else:
            rest.append(word)
        pos += 1
    return _ref_only(rest), once, cpu, interval, count


# ---------------------------------------------------------------------------
# Handlers: (ctx, args) -> exit status
# ---------------------------------------------------------------------------

def _ops():
    """pyjailhouse.commands, imported on first use."""
    from . import commands  # pylint: disable=import-outside-toplevel
    return commands


def _no_args(args):
    if args:
        raise UsageError("unexpected argument '%s'" % args[0])


def _one_arg(args, what):
    if not args:
        raise UsageError('missing ' + what)
    if len(args) > 1:
        raise UsageError("unexpected argument '%s'" % args[1])
    return args[0]


def do_enable(ctx, args):
    _ops().enable(ctx, _one_arg(args, 'SYSCONFIG'))


def do_disable(ctx, args):
    # Upstream's tool ignores anything after `disable`; so do we.
    del args
    _ops().disable(ctx)


def do_console(ctx, args):
    follow = False
    if args:
        if args[0] not in ('-f', '--follow'):
            raise UsageError("unexpected argument '%s'" % args[0])
        follow = True   # further words are ignored
    _ops().console(ctx, follow)


def do_cell_create(ctx, args):
    _ops().cell_create(ctx, _one_arg(args, 'CELLCONFIG'))


def do_cell_list(ctx, args):
    _no_args(args)
    _ops().cell_list(ctx)


def do_cell_load(ctx, args):
    ref, items = parse_load(args)
    _ops().cell_load(ctx, ref, load_images(items))


def do_cell_shutdown(ctx, args):
    _ops().cell_load(ctx, _ref_only(args), [])


def do_cell_start(ctx, args):
    _ops().cell_start(ctx, _ref_only(args))


def do_cell_destroy(ctx, args):
    _ops().cell_destroy(ctx, _ref_only(args))


def do_cell_stats(ctx, args):
    from . import cell_stats  # pylint: disable=import-outside-toplevel
    ref, once, cpu, interval, count = parse_stats(args)
    cell_stats.run(ctx, ref, once=once, cpu=cpu, interval=interval,
                   rounds=count)


HANDLERS = {
    ('enable',): do_enable,
    ('disable',): do_disable,
    ('console',): do_console,
    ('cell', 'create'): do_cell_create,
    ('cell', 'list'): do_cell_list,
    ('cell', 'load'): do_cell_load,
    ('cell', 'start'): do_cell_start,
    ('cell', 'shutdown'): do_cell_shutdown,
    ('cell', 'destroy'): do_cell_destroy,
    ('cell', 'stats'): do_cell_stats,
}


# ---------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------

def configured_helper_dir():
    """$libexecdir/jailhouse as configured at build time (_paths.py), or
    None when running from the source tree."""
    try:
        from ._paths import HELPER_DIR  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return HELPER_DIR


def helper_path_prefix(script_dir=None):
    """Directories put in front of PATH for helpers (upstream's tool does
    the same): the jailhouse script's and the configured libexec one."""
    return [d for d in (script_dir, configured_helper_dir()) if d]


def find_helper(name, script_dir=None):
    """Path of helper script `name`, or None: next to the jailhouse
    script, in the configured and the usual libexec directories, then on
    PATH."""
    dirs = []
    if script_dir:
        dirs.append(script_dir)
    if configured_helper_dir():
        dirs.append(configured_helper_dir())
    if script_dir:
        dirs.extend(os.path.normpath(os.path.join(script_dir, d))
                    for d in HELPER_DIRS if not os.path.isabs(d))
    dirs.extend(d for d in HELPER_DIRS if os.path.isabs(d))
    dirs.extend(d for d in os.environ.get('PATH', '').split(os.pathsep) if d)
    for directory in dirs:
        path = os.path.join(directory, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def run_helper(words, args, script_dir, execv):
    name = 'jailhouse-%s-%s' % words
    path = find_helper(name, script_dir)
    if path is None:
        raise JailhouseError('helper %s not found next to jailhouse, in '
                             'the libexec directories or on PATH (is it '
                             'installed?)' % name)
    prefix = helper_path_prefix(script_dir)
    if prefix:
        os.environ['PATH'] = os.pathsep.join(
            prefix + [os.environ.get('PATH', '')])
    with open(path, 'rb') as fileobj:
        first = fileobj.readline()
    if first.startswith(b'#!') and b'python' in first:
        execv(sys.executable, [sys.executable, path] + list(args))
    else:
        execv(path, [path] + list(args))
    return 1  # only reached with a test execv


def _split(argv):
    """(command words, rest) or raises LookupError(text) for unknown."""
    command = argv[0]
    if (command,) in COMMANDS:
        return (command,), argv[1:]
    if not any(w[0] == command for w in COMMANDS):
        raise LookupError("unknown command '%s'" % command)
    if len(argv) < 2 or argv[1] in ('-h', '--help'):
        return (command,), argv[1:]
    if (command, argv[1]) not in COMMANDS:
        raise LookupError("unknown command '%s %s'" % (command, argv[1]))
    return (command, argv[1]), argv[2:]


def main(argv, ctx=None, script_dir=None, execv=os.execv):
    """Run the jailhouse command with argv (without the program name)."""
    out = ctx.stdout if ctx is not None else sys.stdout
    # As upstream: only --help succeeds; no command, -h and help are usage
    # errors (status 1) that print the same text.
    if not argv or argv[0] in ('-h', 'help'):
        out.write(usage_text())
        return 1
    if argv[0] == '--help':
        out.write(usage_text())
        return 0
    if argv[0] in ('-V', '--version'):
        out.write(version_line())
        return 0
    try:
        words, args = _split(argv)
    except LookupError as err:
        sys.stderr.write(usage_text())
        sys.stderr.write('jailhouse: %s\n' % err)
        return 1
    if words not in COMMANDS:       # a command group alone or with --help
        out.write(usage_text(words[0]))
        return 0 if args == ['--help'] else 1
    if args in (['-h'], ['--help']) and words not in MODULE_COMMANDS and \
            words not in HELPER_COMMANDS:
        out.write(command_help(words))
        return 0
    if args in (['-V'], ['--version']):
        out.write(version_line())
        return 0
    prog = 'jailhouse ' + ' '.join(words)
    try:
        if words in MODULE_COMMANDS:
            import importlib  # pylint: disable=import-outside-toplevel
            module = importlib.import_module('pyjailhouse.' +
                                             MODULE_COMMANDS[words])
            return module.main(args)
        if words in HELPER_COMMANDS:
            return run_helper(words, args, script_dir, execv)
        if ctx is None:
            ctx = _ops().Context()
        result = HANDLERS[words](ctx, args)
        return 0 if result is None else result
    except UsageError as err:
        sys.stderr.write('%s: %s\n%s' % (prog, err, command_help(words)
                                         .split('\n\n')[0] + '\n'))
        return 1
    except JailhouseError as err:
        sys.stderr.write('%s: %s\n' % (prog, err))
        return 1
    except ImportError as err:      # no ABI description (see pyjailhouse.abi)
        sys.stderr.write('%s: %s\n' % (prog, err))
        return 1
    except BrokenPipeError:
        return 1
