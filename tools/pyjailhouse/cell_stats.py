# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse cell stats`, per-cause exit counters of a cell
"""Show the VM-exit counters of a cell from sysfs (statistics/vmexits_*).

Interactive (a terminal, curses available): a full-screen view refreshed
every interval, counters sorted by rate; keys q quit, c next CPU, a all
CPUs. Otherwise (--once, or output not a terminal): plain tables, once or
every interval until interrupted.
"""

import time

from .errors import JailhouseError, file_message

TOTAL = 'vmexits_total'
ROW = '%-30s%10s%10s'
ROW_ONCE = '%-30s%10s'


def order(values, rates=None):
    """Counter names: the total first, then by rate (if known), value, name."""
    def key(name):
        rate = rates.get(name) if rates else None
        return (name != TOTAL, -(rate or 0), -values[name], name)
    return sorted(values, key=key)


def title(cell_id, name, cpu):
    where = 'all CPUs' if cpu is None else 'CPU %d' % cpu
    return "Statistics for cell '%s' (ID %d), %s" % (name, cell_id, where)


def table(values, rates=None):
    """Lines of the counter table; rates None: no PER SEC column."""
    if rates is None:
        lines = [ROW_ONCE % ('COUNTER', 'SUM')]
        lines += [ROW_ONCE % (n, values[n]) for n in order(values)]
        return lines
    lines = [ROW % ('COUNTER', 'SUM', 'PER SEC')]
    for name in order(values, rates):
        rate = rates.get(name)
        lines.append((ROW % (name, values[name],
                             '' if rate is None else '%d' % round(rate)))
                     .rstrip())
    return lines


class Sampler:
    """Successive readings of one cell's counters, with rates per second."""

    def __init__(self, sysfs, cell_id, cpu=None, clock=time.monotonic):
        self.sysfs = sysfs
        self.cell_id = cell_id
        self.cpu = cpu
        self.clock = clock
        self.previous = None

    def reset(self, cpu):
        self.cpu = cpu
        self.previous = None

    def sample(self):
        """(values, rates); rates is {} on the first reading."""
        try:
            values = self.sysfs.statistics(self.cell_id, self.cpu)
        except OSError as err:
            raise JailhouseError(file_message(err.filename, err)) from None
        now = self.clock()
        rates = {}
        if self.previous is not None:
            then, old = self.previous
            elapsed = max(now - then, 1e-9)
            rates = {n: (v - old.get(n, v)) / elapsed
                     for n, v in values.items()}
        self.previous = (now, values)
        return values, rates


def run_once(out, sampler, name):
    values, _ = sampler.sample()
    out.write('\n'.join([title(sampler.cell_id, name, sampler.cpu)] +
                        table(values)) + '\n')


def run_stream(out, sampler, name, interval, sleep=time.sleep, rounds=None):
    """Tables every interval (for pipes); rounds None: until interrupted."""
    done = 0
    while rounds is None or done < rounds:
        if done:
            sleep(interval)
        values, rates = sampler.sample()
        out.write('\n'.join([title(sampler.cell_id, name, sampler.cpu)] +
                            table(values, rates)) + '\n\n')
        out.flush()
        done += 1


def run_curses(sampler, name, interval, cpus):
    """The full-screen view; returns when the user quits."""
    import curses

    def view(screen):
        try:
            curses.curs_set(0)
            curses.use_default_colors()
        except curses.error:
            pass
        screen.timeout(int(interval * 1000))
        choice = -1                      # index into cpus, -1: all
        while True:
            values, rates = sampler.sample()
            height, width = screen.getmaxyx()
            screen.erase()
            lines = [title(sampler.cell_id, name, sampler.cpu), ''] + \
                table(values, rates)
            for row, line in enumerate(lines[:height - 1]):
                attr = curses.A_REVERSE if row == 2 else curses.A_NORMAL
                _put(screen, row, line.ljust(width - 1), attr)
            _put(screen, height - 1,
                 ' q: quit | c: next CPU | a: all CPUs'.ljust(width - 1),
                 curses.A_REVERSE)
            screen.refresh()
            key = screen.getch()
            if key in (ord('q'), ord('Q')):
                return
            if key in (ord('c'), ord('C')) and cpus:
                choice = (choice + 1) % len(cpus)
                sampler.reset(cpus[choice])
            elif key in (ord('a'), ord('A')):
                choice = -1
                sampler.reset(None)

    curses.wrapper(view)


def _put(screen, row, text, attr):
    import curses
    try:
        screen.addnstr(row, 0, text, max(screen.getmaxyx()[1] - 1, 0), attr)
    except curses.error:
        pass


def _interactive(out):
    try:
        import curses  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return hasattr(out, 'isatty') and out.isatty()


def run(ctx, ref, once=False, cpu=None, interval=1.0, rounds=None):
    """`jailhouse cell stats` for the cell ref names (a CellRef)."""
    sysfs = ctx.sysfs
    if not sysfs.exists():
        raise JailhouseError('cannot read %s: No such file or directory '
                             '(is jailhouse.ko loaded?)' % sysfs.path)
    cell_id = sysfs.find(ref)
    if cell_id is None:
        raise JailhouseError(ref.missing())
    try:
        name = sysfs.read('cells', cell_id, 'name')
        cpus = sysfs.stat_cpus(cell_id)
    except OSError as err:
        raise JailhouseError(file_message(err.filename, err)) from None
    if cpu is not None and cpu not in cpus:
        raise JailhouseError("CPU %d is not a CPU of cell '%s' (CPUs: %s)"
                             % (cpu, name, ', '.join(map(str, cpus))
                                or 'none'))
    sampler = Sampler(sysfs, cell_id, cpu)
    out = ctx.stdout
    try:
        if once:
            run_once(out, sampler, name)
        elif rounds is None and _interactive(out):
            run_curses(sampler, name, interval, cpus)
        else:
            run_stream(out, sampler, name, interval, rounds=rounds)
    except KeyboardInterrupt:
        pass


def main(argv=None):
    """Entry point of the jailhouse-cell-stats helper."""
    import sys  # pylint: disable=import-outside-toplevel
    from . import cli  # pylint: disable=import-outside-toplevel
    argv = sys.argv[1:] if argv is None else argv
    return cli.main(['cell', 'stats'] + list(argv))
