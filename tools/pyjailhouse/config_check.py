# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config check`, consistency of system and cell configs
"""Check a system configuration and the cell configurations meant to run
on it, alone and together. Every finding is printed as one line

    jailhouse config check: FILE: problem             (an error)
    jailhouse config check: FILE: warning: problem    (accepted, suspicious)
    jailhouse config check: FILE: note: remark        (accepted)

Errors are what the hypervisor refuses or what would break isolation; the
exit status is 1 if there was any, 0 (after an OK line) if not.
"""

import argparse
import sys

from . import config as jhconfig
from . import config_ivshmem
from .abi import C

PROG = 'jailhouse config check'


def _gaps(ranges, start, end):
    """The [s, e) parts of [start, end) that no range of ranges covers."""
    gaps = []
    pos = start
    for rstart, rend in sorted(ranges):
        if rend <= pos:
            continue
        if rstart >= end:
            break
        if rstart > pos:
            gaps.append((pos, rstart))
        pos = max(pos, rend)
    if pos < end:
        gaps.append((pos, end))
    return gaps


def _outside_root_clash(root, region):
    """(gap start, gap end, root index) of the first part of a LOADABLE
    cell region that no root region covers but that lies in the root's
    guest-physical range of a root region; or None.  While the cell is
    loadable, the hypervisor shows that memory to the root at its physical
    address, which must be free there: `cell create` refuses the cell."""
    if not region.flags & C.JAILHOUSE_MEM_LOADABLE:
        return None
    regions = [(i, r) for i, r in enumerate(root.memory_regions)
               if r.size and not r.is_comm_region]
    covered = [(r.phys_start, r.phys_end) for _, r in regions]
    for start, end in _gaps(covered, region.phys_start, region.phys_end):
        for index, other in regions:
            if jhconfig.overlaps(start, end, other.virt_start,
                                 other.virt_end):
                return start, end, index
    return None


def _real_regions(cell):
    """(index, region) of regions backed by physical memory."""
    return [(i, r) for i, r in enumerate(cell.memory_regions)
            if not r.is_placeholder and not r.is_comm_region and r.size]


GIC_GAP = ('the GIC span between its frames (the ITS, a DMA master, or '
           'a GICv2m MSI frame)')


def hypervisor_windows(system):
    """(name, start, end) of the physical ranges the hypervisor emulates or
    keeps for itself: no non-root cell may map them."""
    hv = system.hypervisor_memory
    info = system.platform_info
    windows = [('hypervisor memory', hv.phys_start, hv.phys_end)]
    if system.architecture == C.JAILHOUSE_X86:
        windows.append(('the local APIC', 0xfee00000, 0xfee01000))
        for chip in system.root_cell.irqchips:
            if chip.address:
                windows.append(('the IOAPIC at %#x' % chip.address,
                                chip.address, chip.address + 0x1000))
    else:
        gic = info.arm
        cpus = max(system.root_cell.cpus, default=0) + 1
        frames = [(name, base, base + size) for name, base, size in (
            ('the GIC distributor', gic.gicd_base, 0x10000),
            ('the GIC redistributors', gic.gicr_base
             if gic.gic_version == 3 else 0, cpus * 0x20000),
            ('the GIC CPU interface', gic.gicc_base, 0x2000),
            ('the GIC hypervisor interface', gic.gich_base, 0x2000),
            ('the GIC virtual CPU interface', gic.gicv_base, 0x2000))
            if base]
        windows += frames
        # The span from the first to the last frame is the GIC's block; on
        # the usual layouts it also holds the ITS (a DMA master) or GICv2m
        # MSI frames (which pend any SPI of their range): the hypervisor
        # keeps the whole span out of cells.
        end = min((start for _, start, _ in frames), default=0)
        for _, start, stop in sorted(frames, key=lambda f: f[1]):
            if start > end:
                windows.append((GIC_GAP, end, start))
            end = max(end, stop)
    if info.pci_mmconfig_base:
        windows.append(('the PCI configuration window',
                        info.pci_mmconfig_base, info.pci_mmconfig_base +
                        ((info.pci_mmconfig_end_bus + 1) << 20)))
    for index, unit in enumerate(system.iommu_units):
        if unit.type and unit.base and unit.size:
            windows.append(('IOMMU unit %d' % index, unit.base,
                            unit.base + unit.size))
    return windows


def check_together(system, cells, system_path='system configuration'):
    """Findings between a system configuration (read from system_path) and
    cells (list of (path, cell) pairs, created in that order): yields
    (path, Finding)."""
    for path, finding in _together(system, cells):
        if not isinstance(finding, jhconfig.Finding):
            finding = jhconfig.Finding(finding)
        yield path, finding
    for path, severity, text in config_ivshmem.link_findings(system, cells):
        yield (system_path if path is None else path,
               jhconfig.Finding(text, severity))


def _together(system, cells):
    root = system.root_cell
    root_ranges = [(r.phys_start, r.phys_end) for _, r in _real_regions(root)]
    windows = hypervisor_windows(system)
    console = system.debug_console
    console_ports = (console.address, console.address + 8) \
        if console.type == C.JAILHOUSE_CON_TYPE_8250 and \
        not console.flags & C.JAILHOUSE_CON_ACCESS_MMIO else (0, 0)
    arm = system.architecture != C.JAILHOUSE_X86

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
            clash = [name for name, start, end in windows
                     if jhconfig.overlaps(region.phys_start, region.phys_end,
                                          start, end)]
            outside = _outside_root_clash(root, region)
            if clash:
                yield path, '%s overlaps %s' % (label, ' and '.join(clash))
            elif outside:
                start, end, index = outside
                yield path, (
                    '%s: %#x-%#x is not memory of the root cell; while '
                    'loadable, it would appear in the root at that address, '
                    'where root memory region %d (guest %#x-%#x) is mapped' % (label, start, end - 1, index,
                                   root.memory_regions[index].virt_start,
                                   root.memory_regions[index].virt_end - 1))
            elif _gaps(root_ranges, region.phys_start, region.phys_end):
                # Memory kept away from the root (e.g. reserved from
                # Linux and not listed in the system config): accepted.
                yield path, jhconfig.Finding(
                    '%s is not (entirely) memory of the root cell: the '
                    'rest is taken as it is' % label, jhconfig.NOTE)
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
        if chip.address:
            root_pins.setdefault(chip.address, set()).update(chip.pins)
    gicd = system.platform_info.arm.gicd_base if arm else None
    pin_owner = {}
    for path, cell in usable:
        for index, chip in enumerate(cell.irqchips):
            if chip.address == 0:
                continue  # an unused slot, noted per file
            if arm and chip.address != gicd:
                yield path, jhconfig.Finding(
                    'irqchip %d at %#x is not the GIC distributor (%#x): '
                    'ignored' % (index, chip.address, gicd), jhconfig.WARNING)
                continue
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
                ('root cell', dev, None))
    for path, cell in usable:
        for dev in cell.pci_devices:
            key = (dev.domain, dev.bdf)
            label = 'PCI device %s' % dev.bdf_str
            if dev.is_ivshmem:
                ivshmem.setdefault(key, []).append(
                    ('cell "%s" (%s)' % (cell.name, path), dev, path))
                continue
            if key not in root_devices or root_devices[key].is_ivshmem:
                yield path, jhconfig.Finding(
                    '%s is not a device of the root cell' % label,
                    jhconfig.WARNING)
            if key in dev_owner:
                yield path, '%s also given to cell "%s" (%s)' % (
                    label, dev_owner[key][1].name, dev_owner[key][0])
            else:
                dev_owner[key] = (path, cell)
    for key, peers in sorted(ivshmem.items()):
        first = peers[0][1]
        most = max(dev.shmem_peers for _, dev, _ in peers)
        for owner, dev, path in peers:
            label = 'ivshmem device %s' % dev.bdf_str
            report = path if path is not None else peers[-1][2]
            if path is not None and (
                    dev.shmem_peers != first.shmem_peers or
                    (dev.shmem_protocol ^ first.shmem_protocol) &
                    ~jhconfig.SHMEM_PROTO_BACKEND_BIT):
                yield path, jhconfig.Finding(
                    '%s: peers/protocol (%d/%#x) differ from %s (%d/%#x)'
                    % (label, dev.shmem_peers, dev.shmem_protocol,
                       peers[0][0], first.shmem_peers, first.shmem_protocol),
                    jhconfig.WARNING)
            if report is not None and dev.shmem_dev_id >= most and \
                    len(peers) > 1:
                yield report, jhconfig.Finding(
                    '%s: %s has peer ID %d, but no end of the link declares '
                    'more than %d peers: it cannot send'
                    % (label, owner, dev.shmem_dev_id, most),
                    jhconfig.WARNING)
            # peer IDs taken twice: config_ivshmem.link_findings()


def device_findings(cell, root, architecture, system=None):
    """What the hypervisor refuses or ignores of a cell's devices: stream
    IDs and physical PCI devices name DMA masters.  On x86 a non-root
    cell's physical PCI devices need an AMD IOMMU unit in the system
    config (system; an error without one); on ARM no IOMMU confines them
    yet (an error in a non-root cell), and cache, PIO and physical PCI
    parts are not implemented yet (a note); ivshmem functions are."""
    if architecture == C.JAILHOUSE_X86:
        units = [u for u in system.iommu_units
                 if u.type == C.JAILHOUSE_IOMMU_AMD] if system else [True]
        if not root and not units:
            for dev in cell.pci_devices:
                if not dev.is_ivshmem:
                    yield jhconfig.Finding(
                        'PCI device %s: a DMA master, refused: the system '
                        'config names no AMD IOMMU unit to confine it'
                        % dev.bdf_str, jhconfig.ERROR)
        return
    dma = jhconfig.ERROR
    streams = len(cell.stream_ids)
    if streams and not root:
        yield jhconfig.Finding(
            '%s: DMA masters no IOMMU confines (no IOMMU support yet)'
            % _count(streams, 'stream ID'), dma)
    elif streams:
        yield jhconfig.Finding(
            '%s ignored: no IOMMU support yet, the root cell\'s DMA is not '
            'confined' % _count(streams, 'stream ID'), jhconfig.WARNING)
    if not root:
        for dev in cell.pci_devices:
            if not dev.is_ivshmem:
                yield jhconfig.Finding(
                    'PCI device %s: a DMA master no IOMMU confines (no IOMMU '
                    'support yet)' % dev.bdf_str, dma)
    ignored = [_count(len(parts), what) for parts, what in (
        (cell.cache_regions, 'cache region'),
        (cell.pio_regions, 'PIO region'),
        ([d for d in cell.pci_devices if not d.is_ivshmem], 'PCI device'),
        (cell.pci_caps, 'PCI capabilit')) if parts]
    if ignored:
        yield jhconfig.Finding('not implemented yet, ignored by the '
                               'hypervisor: %s' % ', '.join(ignored),
                               jhconfig.NOTE)


def check_files(sysconfig_path, cell_paths):
    """All findings of the given files: list of (path, Finding); a
    Finding's .severity is 'error', 'warning' or 'note'."""
    findings = []
    system = None
    try:
        system = jhconfig.load(sysconfig_path, kind='system')
        findings.extend((sysconfig_path, p) for p in system.findings())
        findings.extend((sysconfig_path, p)
                        for p in device_findings(system.root_cell, True,
                                                system.architecture))
    except jhconfig.ConfigError as err:
        findings.append((err.path, jhconfig.Finding(err.message)))
    cells = []
    for path in cell_paths:
        try:
            cell = jhconfig.load(path, kind='cell')
        except jhconfig.ConfigError as err:
            findings.append((err.path, jhconfig.Finding(err.message)))
            continue
        findings.extend((path, p) for p in cell.findings())
        findings.extend((path, p) for p in device_findings(
            cell, False, cell.architecture, system))
        cells.append((path, cell))
    if system is not None:
        findings.extend(check_together(system, cells, sysconfig_path))
    return findings


def format_finding(path, finding, prog=PROG):
    """One output line: errors plain, others with their severity."""
    if finding.severity == jhconfig.ERROR:
        return '%s: %s: %s' % (prog, path, finding)
    return '%s: %s: %s: %s' % (prog, path, finding.severity, finding)


def _count(number, word):
    if word.endswith('capabilit'):
        return '%d %s%s' % (number, word, 'y' if number == 1 else 'ies')
    return '%d %s%s' % (number, word, '' if number == 1 else 's')


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Check a system configuration and cell configurations '
        'for consistency: overlapping or missing memory, hypervisor memory, '
        'port I/O, interrupt pins, PCI devices, ivshmem endpoints and '
        'links (cells join them in the order given), CPUs, alignment, '
        'sizes, flags and architecture. Errors (what the hypervisor refuses, '
        'what breaks isolation, and overlapping root regions, which the '
        'hypervisor accepts) are printed plainly and make the exit '
        'status 1; warnings (accepted, but suspicious or unable to work) '
        'and notes (accepted, worth knowing) are marked as such and leave '
        'it 0.')
    parser.add_argument('sysconfig', metavar='SYSCONFIG',
                        help='system configuration (.cell)')
    parser.add_argument('cells', metavar='CELLCONFIG', nargs='*',
                        help='non-root cell configurations (.cell)')
    args = parser.parse_args(argv)
    findings = check_files(args.sysconfig, args.cells)
    order = {jhconfig.ERROR: 0, jhconfig.WARNING: 1, jhconfig.NOTE: 2}
    findings.sort(key=lambda item: order[item[1].severity])
    for path, finding in findings:
        print(format_finding(path, finding))
    errors = sum(1 for _, f in findings if f.severity == jhconfig.ERROR)
    warnings = sum(1 for _, f in findings if f.severity == jhconfig.WARNING)
    notes = len(findings) - errors - warnings
    if errors:
        print('%s: %s found (and %s, %s)'
              % (PROG, _count(errors, 'error'), _count(warnings, 'warning'),
                 _count(notes, 'note')), file=sys.stderr)
        return 1
    count = len(args.cells)
    extra = ''
    if warnings or notes:
        extra = ' (%s, %s)' % (_count(warnings, 'warning'),
                               _count(notes, 'note'))
    print('%s: OK: %s and %s, no errors found%s'
          % (PROG, args.sysconfig, _count(count, 'cell configuration'),
             extra))
    return 0


if __name__ == '__main__':
    sys.exit(main())
