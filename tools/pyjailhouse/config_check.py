# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config check`, consistency of system and cell configs
"""Check a system configuration and the cell configurations meant to run
on it, alone and together. Every problem is printed as one line

    jailhouse config check: FILE: problem

and the exit status is 1 if there was any, 0 (after an OK line) if not.
"""

import argparse
import sys

from . import config as jhconfig
from .abi import C

PROG = 'jailhouse config check'


def _ranges_cover(ranges, start, end):
    """Whether the union of [s, e) ranges covers [start, end)."""
    pos = start
    for rstart, rend in sorted(ranges):
        if rstart > pos:
            break
        pos = max(pos, rend)
        if pos >= end:
            return True
    return pos >= end


def _real_regions(cell):
    """(index, region) of regions backed by physical memory."""
    return [(i, r) for i, r in enumerate(cell.memory_regions)
            if not r.is_placeholder and not r.is_comm_region and r.size]


def check_together(system, cells):
    """Problems between a system configuration and cells (list of
    (path, cell) pairs): yields (path, message)."""
    root = system.root_cell
    hv = system.hypervisor_memory
    root_ranges = [(r.phys_start, r.phys_end) for _, r in _real_regions(root)]
    console = system.debug_console
    console_ports = (console.address, console.address + 8) \
        if console.type == C.JAILHOUSE_CON_TYPE_8250 and \
        not console.flags & C.JAILHOUSE_CON_ACCESS_MMIO else (0, 0)

    usable = []
    for path, cell in cells:
        if cell.architecture != system.architecture:
            yield path, ('architecture %s does not match the system '
                         'configuration (%s)' % (cell.arch, system.arch))
        else:
            usable.append((path, cell))

    # Names and CPUs.
    names = {}
    cpu_owner = {}
    for path, cell in usable:
        if cell.name in names:
            yield path, 'cell name "%s" also used by %s' % (cell.name,
                                                           names[cell.name])
        names.setdefault(cell.name, path)
        foreign = cell.cpus - root.cpus
        if foreign:
            yield path, ('CPUs %s are not CPUs of the root cell'
                         % ', '.join(str(c) for c in sorted(foreign)))
        for cpu in sorted(cell.cpus):
            if cpu in cpu_owner:
                yield path, 'CPU %d also given to cell "%s" (%s)' % (
                    cpu, cpu_owner[cpu][1].name, cpu_owner[cpu][0])
            else:
                cpu_owner[cpu] = (path, cell)
    if root.cpus and root.cpus <= set(cpu_owner):
        yield usable[-1][0], 'the root cell would be left without CPUs'

    # Memory.
    seen = []
    for path, cell in usable:
        for index, region in _real_regions(cell):
            label = jhconfig.mem_label(index, region)
            if jhconfig.overlaps(region.phys_start, region.phys_end,
                                 hv.phys_start, hv.phys_end):
                yield path, '%s overlaps hypervisor memory' % label
            elif not _ranges_cover(root_ranges, region.phys_start,
                                   region.phys_end):
                yield path, '%s is not memory of the root cell' % label
            shared = region.flags & C.JAILHOUSE_MEM_ROOTSHARED
            for other_path, other_cell, other_index, other in seen:
                if other_cell is cell:
                    continue
                if not jhconfig.overlaps(region.phys_start, region.phys_end,
                                         other.phys_start, other.phys_end):
                    continue
                if shared and other.flags & C.JAILHOUSE_MEM_ROOTSHARED:
                    continue
                yield path, '%s overlaps %s of cell "%s" (%s) and is not ' \
                    'shared (JAILHOUSE_MEM_ROOTSHARED in both)' % (
                        label, jhconfig.mem_label(other_index, other),
                        other_cell.name, other_path)
            seen.append((path, cell, index, region))

    # Port I/O.
    pio_seen = []
    for path, cell in usable:
        for index, pio in enumerate(cell.pio_regions):
            for other_path, other_cell, other_index, other in pio_seen:
                if not jhconfig.overlaps(pio.base, pio.end, other.base,
                                         other.end):
                    continue
                if console_ports[0] <= max(pio.base, other.base) and \
                        min(pio.end, other.end) <= console_ports[1]:
                    continue
                yield path, ('PIO region %d (%#x+%#x) overlaps PIO region %d '
                             'of cell "%s" (%s)'
                             % (index, pio.base, pio.length, other_index,
                                other_cell.name, other_path))
            pio_seen.append((path, cell, index, pio))

    # Interrupt pins.
    root_pins = {}
    for chip in root.irqchips:
        root_pins.setdefault(chip.address, set()).update(chip.pins)
    pin_owner = {}
    for path, cell in usable:
        for index, chip in enumerate(cell.irqchips):
            if chip.address not in root_pins:
                yield path, ('irqchip %d at %#x is not an irqchip of the '
                             'root cell' % (index, chip.address))
                continue
            foreign = chip.pins - root_pins[chip.address]
            if foreign:
                yield path, ('irqchip %d: pins %s are not pins of the root '
                             'cell' % (index, ', '.join(
                                 str(p) for p in sorted(foreign))))
            for pin in sorted(chip.pins):
                key = (chip.address, pin)
                if key in pin_owner and pin_owner[key][1] is not cell:
                    yield path, ('irqchip %d: pin %d also given to cell "%s" '
                                 '(%s)' % (index, pin,
                                           pin_owner[key][1].name,
                                           pin_owner[key][0]))
                else:
                    pin_owner[key] = (path, cell)

    # PCI devices.
    root_devices = {(d.domain, d.bdf): d for d in root.pci_devices}
    dev_owner = {}
    ivshmem = {}
    for dev in root.pci_devices:
        if dev.is_ivshmem:
            ivshmem.setdefault((dev.domain, dev.bdf), []).append(
                ('root cell', dev))
    for path, cell in usable:
        for dev in cell.pci_devices:
            key = (dev.domain, dev.bdf)
            label = 'PCI device %s' % dev.bdf_str
            if dev.is_ivshmem:
                ivshmem.setdefault(key, []).append(
                    ('cell "%s" (%s)' % (cell.name, path), dev, path))
                continue
            if key not in root_devices or root_devices[key].is_ivshmem:
                yield path, '%s is not a device of the root cell' % label
            if key in dev_owner:
                yield path, '%s also given to cell "%s" (%s)' % (
                    label, dev_owner[key][1].name, dev_owner[key][0])
            else:
                dev_owner[key] = (path, cell)
    for key, peers in sorted(ivshmem.items()):
        first = peers[0][1]
        ids = {}
        for entry in peers:
            owner, dev = entry[0], entry[1]
            path = entry[2] if len(entry) > 2 else None
            if path is None:
                continue  # root cell problems are reported per file
            label = 'ivshmem device %s' % dev.bdf_str
            if dev.shmem_peers != first.shmem_peers or \
                    dev.shmem_protocol != first.shmem_protocol:
                yield path, ('%s: peers/protocol (%d/%#x) differ from %s '
                             '(%d/%#x)' % (label, dev.shmem_peers,
                                           dev.shmem_protocol, peers[0][0],
                                           first.shmem_peers,
                                           first.shmem_protocol))
        for entry in peers:
            owner, dev = entry[0], entry[1]
            if dev.shmem_dev_id in ids:
                path = entry[2] if len(entry) > 2 else peers[0][0]
                yield path, ('ivshmem device %s: peer ID %d also used by %s'
                             % (dev.bdf_str, dev.shmem_dev_id,
                                ids[dev.shmem_dev_id]))
            else:
                ids[dev.shmem_dev_id] = owner


def check_files(sysconfig_path, cell_paths):
    """All problems of the given files: list of (path, message)."""
    problems = []
    system = None
    try:
        system = jhconfig.load(sysconfig_path, kind='system')
        problems.extend((sysconfig_path, p) for p in system.problems())
    except jhconfig.ConfigError as err:
        problems.append((err.path, err.message))
    cells = []
    for path in cell_paths:
        try:
            cell = jhconfig.load(path, kind='cell')
        except jhconfig.ConfigError as err:
            problems.append((err.path, err.message))
            continue
        problems.extend((path, p) for p in cell.problems())
        cells.append((path, cell))
    if system is not None:
        problems.extend(check_together(system, cells))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Check a system configuration and cell configurations '
        'for consistency: overlapping or missing memory, hypervisor memory, '
        'port I/O, interrupt pins, PCI devices, CPUs, alignment, sizes, '
        'flags and architecture.')
    parser.add_argument('sysconfig', metavar='SYSCONFIG',
                        help='system configuration (.cell)')
    parser.add_argument('cells', metavar='CELLCONFIG', nargs='*',
                        help='non-root cell configurations (.cell)')
    args = parser.parse_args(argv)
    problems = check_files(args.sysconfig, args.cells)
    for path, message in problems:
        print('%s: %s: %s' % (PROG, path, message))
    if problems:
        print('%s: %d problem%s found' % (PROG, len(problems),
                                          '' if len(problems) == 1 else 's'),
              file=sys.stderr)
        return 1
    count = len(args.cells)
    print('%s: OK: %s and %d cell configuration%s, no problems found'
          % (PROG, args.sysconfig, count, '' if count == 1 else 's'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
