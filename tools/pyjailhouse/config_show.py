# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config show`, readable dump of a .cell file
"""Print the contents of system and cell configurations."""

import argparse
import sys

from . import config as jhconfig
from .abi import C

PROG = 'jailhouse config show'


def _flags(names):
    return ' | '.join(names) if names else '0'


def _console_line(console):
    if console.type == C.JAILHOUSE_CON_TYPE_NONE and console.address == 0:
        return 'none'
    text = '%s at %#x' % (console.type_name, console.address)
    if console.size:
        text += ' size %#x' % console.size
    text += ', flags %s' % _flags(console.flag_names())
    if console.divider:
        text += ', divider %d' % console.divider
    if console.clock_reg:
        text += ', clock gate %d at %#x' % (console.gate_nr, console.clock_reg)
    return text


def _cpus(cpus):
    if not cpus:
        return 'none'
    ranges = []
    for cpu in sorted(cpus):
        if ranges and ranges[-1][1] == cpu - 1:
            ranges[-1][1] = cpu
        else:
            ranges.append([cpu, cpu])
    return ','.join(str(a) if a == b else '%d-%d' % (a, b) for a, b in ranges)


def format_cell(cell, arch, out):
    out.append('  name:              %s' % cell.name)
    out.append('  flags:             %s' % _flags(cell.flag_names()))
    out.append('  CPUs:              %s (cpu_set_size %d)'
               % (_cpus(cell.cpus), cell.cpu_set_size))
    if not cell.root:
        out.append('  console:           %s' % _console_line(cell.console))
        out.append('  reset address:     %#x' % cell.cpu_reset_address)
        out.append('  msg reply timeout: %d' % cell.msg_reply_timeout)
    if cell.vpci_irq_base:
        out.append('  vPCI IRQ base:     %d' % cell.vpci_irq_base)
    out.append('  memory regions (%d):' % len(cell.memory_regions))
    for index, reg in enumerate(cell.memory_regions):
        if reg.is_placeholder:
            out.append('    %2d: (unused)' % index)
            continue
        if reg.is_comm_region:
            where = 'comm region       -> %#014x' % reg.virt_start
        else:
            where = '%#014x-%#014x' % (reg.phys_start,
                                       reg.phys_end - 1 if reg.size else
                                       reg.phys_start)
            if reg.virt_start != reg.phys_start:
                where += ' -> %#x' % reg.virt_start
        out.append('    %2d: %s size %#x, %s'
                   % (index, where, reg.size, _flags(reg.flag_names())))
    if cell.cache_regions:
        out.append('  cache regions (%d):' % len(cell.cache_regions))
        for index, cache in enumerate(cell.cache_regions):
            out.append('    %2d: start %d size %d type %#x flags %#x'
                       % (index, cache.start, cache.size, cache.type,
                          cache.flags))
    if cell.irqchips:
        out.append('  irqchips (%d):' % len(cell.irqchips))
        for index, chip in enumerate(cell.irqchips):
            pins = sorted(chip.pins)
            out.append('    %2d: %#x id %#x, pins %s'
                       % (index, chip.address, chip.id,
                          _cpus(pins) if pins else 'none'))
    if cell.pio_regions:
        out.append('  PIO regions (%d):' % len(cell.pio_regions))
        for index, pio in enumerate(cell.pio_regions):
            out.append('    %2d: %#06x-%#06x' % (index, pio.base,
                                                 pio.end - 1))
    if cell.pci_devices:
        out.append('  PCI devices (%d):' % len(cell.pci_devices))
        for index, dev in enumerate(cell.pci_devices):
            line = '    %2d: %s %s' % (index, dev.bdf_str, dev.type_name)
            if dev.iommu:
                line += ', iommu %d' % dev.iommu
            if dev.num_caps:
                line += ', caps %d..%d' % (dev.caps_start,
                                           dev.caps_start + dev.num_caps - 1)
            if dev.num_msi_vectors:
                line += ', %d MSI%s%s' % (
                    dev.num_msi_vectors, ' 64-bit' if dev.msi_64bits else '',
                    ' maskable' if dev.msi_maskable else '')
            if dev.num_msix_vectors and dev.is_ivshmem:
                line += ', %d MSI-X' % dev.num_msix_vectors
            elif dev.num_msix_vectors:
                line += ', %d MSI-X at %#x size %#x' % (
                    dev.num_msix_vectors, dev.msix_address,
                    dev.msix_region_size)
            if dev.is_ivshmem:
                line += ', regions from %d, peer %d of %d, protocol %#x' % (
                    dev.shmem_regions_start, dev.shmem_dev_id,
                    dev.shmem_peers, dev.shmem_protocol)
            out.append(line)
            masks = dev.bar_mask
            if any(masks):
                out.append('        BAR masks: %s'
                           % ' '.join('%08x' % m for m in masks))
    if cell.pci_caps:
        out.append('  PCI capabilities (%d):' % len(cell.pci_caps))
        for index, cap in enumerate(cell.pci_caps):
            ext = cap.id & C.JAILHOUSE_PCI_EXT_CAP
            out.append('    %2d: %sid %#x at %#x len %d%s'
                       % (index, 'extended ' if ext else '',
                          cap.id & ~C.JAILHOUSE_PCI_EXT_CAP, cap.start,
                          cap.len, ', writable'
                          if cap.flags & C.JAILHOUSE_PCICAPS_WRITE else ''))
    if cell.stream_ids:
        out.append('  stream IDs: %s' % ', '.join(
            '%#x' % sid.id for sid in cell.stream_ids))


def format_config(cfg, path):
    out = []
    if isinstance(cfg, jhconfig.SystemConfig):
        out.append('%s: system configuration, %s, revision %d'
                   % (path, cfg.arch, cfg.revision))
        out.append('  flags:             %s' % _flags(cfg.flag_names()))
        hv = cfg.hypervisor_memory
        out.append('  hypervisor memory: %#x-%#x (%d KiB)'
                   % (hv.phys_start, hv.phys_end - 1 if hv.size else
                      hv.phys_start, hv.size // 1024))
        out.append('  debug console:     %s'
                   % _console_line(cfg.debug_console))
        info = cfg.platform_info
        if info.pci_mmconfig_base:
            out.append('  PCI:               MMCONFIG %#x, end bus %d, '
                       'domain %d%s' % (info.pci_mmconfig_base,
                                        info.pci_mmconfig_end_bus,
                                        info.pci_domain,
                                        ', virtual' if info.pci_is_virtual
                                        else ''))
        if cfg.architecture == C.JAILHOUSE_X86:
            x86 = info.x86
            out.append('  x86:               PM timer %#x, APIC mode %d, '
                       'TSC %d kHz, APIC %d kHz, VT-d IRQ limit %d'
                       % (x86.pm_timer_address, x86.apic_mode, x86.tsc_khz,
                          x86.apic_khz, x86.vtd_interrupt_limit))
        else:
            arm = info.arm
            out.append('  GIC:               v%d, maintenance IRQ %d'
                       % (arm.gic_version, arm.maintenance_irq))
            for field in ('gicd_base', 'gicc_base', 'gich_base', 'gicv_base',
                          'gicr_base'):
                value = getattr(arm, field)
                if value:
                    out.append('    %-9s        %#x' % (field + ':', value))
        for index, unit in enumerate(cfg.iommu_units):
            if unit.type:
                out.append('  IOMMU %d:           %s at %#x size %#x'
                           % (index, unit.type_name, unit.base, unit.size))
        out.append('root cell:')
        format_cell(cfg.root_cell, cfg.architecture, out)
    else:
        out.append('%s: cell configuration, %s, revision %d'
                   % (path, cfg.arch, cfg.revision))
        format_cell(cfg, cfg.architecture, out)
    return '\n'.join(out) + '\n'


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG, description='Show the contents of system or cell '
        'configuration files (.cell).')
    parser.add_argument('files', metavar='FILE', nargs='+',
                        help='configuration file (.cell)')
    args = parser.parse_args(argv)
    status = 0
    for index, path in enumerate(args.files):
        try:
            cfg = jhconfig.load(path)
        except jhconfig.ConfigError as err:
            print('%s: %s' % (PROG, err), file=sys.stderr)
            status = 1
            continue
        if index:
            sys.stdout.write('\n')
        sys.stdout.write(format_config(cfg, path))
    return status


if __name__ == '__main__':
    sys.exit(main())
