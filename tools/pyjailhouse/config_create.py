# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config create`, a system (or cell) configuration from the target
"""jailhouse config create [-h] [-g] [-r ROOT] [-d DTB] [--mem-inmates SIZE]
    [--mem-hv SIZE] [-t TEMPLATE_DIR] [-c CONSOLE]
    [--cell NAME [--cpus LIST] [--mem SIZE] [--mem-offset OFFSET]
    [--device NODE ...]] FILE

Reads the running system (or ROOT, a tree unpacked from `jailhouse config
collect`, or a device tree blob) and writes a C configuration for
configs/<arch>/.  Errors are one line: "jailhouse config create: ..."
"""

import argparse
import os
import sys

from . import cfgrender
from .sysroot import InputError, SysRoot, format_size, parse_size

PROG = 'jailhouse config create'
DEFAULT_MEM_HV = '6M'
DEFAULT_MEM_INMATES = '76M'
COMM_REGION_ARM = 0x80000000


def _size(text):
    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            'invalid size %r (NUMBER[K|M|G], NUMBER may be 0x...)' % text) \
            from None


def build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Create a Jailhouse system configuration (C source for '
        'configs/<arch>/) from the running system, from a tree collected '
        'with `jailhouse config collect`, or (ARM64) from a device tree '
        'blob. With --cell, create a non-root cell configuration that fits '
        'the system configuration the same inputs give.')
    parser.add_argument('-g', '--generate-collector', action='store_true',
                        help='write a shell script to FILE that collects '
                        'the input files on a target into a tarball '
                        '(what `jailhouse config collect` does)')
    parser.add_argument('-r', '--root', default='/',
                        help='read the inputs under ROOT instead of / '
                        '(an unpacked `config collect` tarball)')
    parser.add_argument('-d', '--dtb', metavar='DTB',
                        help='ARM64: read the device tree from this blob '
                        'instead of ROOT/proc/device-tree; the kernel '
                        'command line comes from its /chosen/bootargs')
    parser.add_argument('--mem-inmates', type=_size, metavar='SIZE',
                        default=_size(DEFAULT_MEM_INMATES),
                        help='memory for non-root cells (default %s), '
                        'format NUMBER[K|M|G]' % DEFAULT_MEM_INMATES)
    parser.add_argument('--mem-hv', type=_size, metavar='SIZE',
                        default=_size(DEFAULT_MEM_HV),
                        help='memory for the hypervisor (default %s)'
                        % DEFAULT_MEM_HV)
    parser.add_argument('-t', '--template-dir', metavar='TEMPLATE_DIR',
                        help='take the templates from this directory '
                        '(default: the installed ones)')
    parser.add_argument('-c', '--console', metavar='CONSOLE',
                        help='UART of the hypervisor\'s debug console: x86 '
                        'a tty name (ttyS0, the default); ARM64 a device '
                        'tree path, alias or tty name (default: '
                        '/chosen/stdout-path)')
    cell = parser.add_argument_group(
        'non-root cell (ARM64)',
        'With --cell, FILE is a cell configuration: the CPUs, RAM taken '
        'from the memory for non-root cells, the comm region, the debug '
        'console UART (shared with the root cell, output through the '
        'hypervisor permitted) and the devices named with --device.')
    cell.add_argument('--cell', metavar='NAME',
                      help='create a non-root cell configuration named NAME')
    cell.add_argument('--cpus', metavar='LIST',
                      help='CPU indices of the cell, e.g. 3 or 2-3 or 1,3 '
                      '(default: the last CPU)')
    cell.add_argument('--mem', type=_size, metavar='SIZE', default=0x100000,
                      help='RAM of the cell (default 1M)')
    cell.add_argument('--mem-offset', type=_size, metavar='OFFSET',
                      default=0,
                      help='where the cell\'s RAM starts in the memory for '
                      'non-root cells (default 0)')
    cell.add_argument('--device', metavar='NODE', action='append',
                      default=[],
                      help='give a device (device tree path or alias) to '
                      'the cell: its registers and interrupts; repeatable')
    parser.add_argument('file', metavar='FILE',
                        help='the configuration (.c) or collector script '
                        'to write')
    return parser


def parse_cpu_list(text, count):
    cpus = set()
    for part in text.split(','):
        part = part.strip()
        try:
            if '-' in part:
                first, last = (int(x, 0) for x in part.split('-', 1))
                cpus.update(range(first, last + 1))
            else:
                cpus.add(int(part, 0))
        except ValueError:
            raise InputError('--cpus %s: not a CPU list like 3, 2-3 or 1,3'
                             % text) from None
    bad = sorted(c for c in cpus if not 0 <= c < count)
    if bad:
        raise InputError('--cpus %s: CPU %d does not exist (CPUs 0-%d)'
                         % (text, bad[0], count - 1))
    return sorted(cpus)


def detect_arch(sysroot, args):
    if args.dtb:
        return 'arm64'
    cpuinfo = sysroot.read_optional('/proc/cpuinfo', '')
    if 'vendor_id' in cpuinfo or 'GenuineIntel' in cpuinfo or \
            'AuthenticAMD' in cpuinfo:
        return 'x86'
    if 'CPU implementer' in cpuinfo or sysroot.isdir('/proc/device-tree'):
        return 'arm64'
    if not cpuinfo:
        raise InputError('cannot tell the architecture: %s is missing or '
                         'empty' % sysroot.describe('/proc/cpuinfo'))
    raise InputError('cannot tell the architecture from %s'
                     % sysroot.describe('/proc/cpuinfo'))


def _arm64_inputs(sysroot, args):
    from . import devtree  # pylint: disable=import-outside-toplevel
    if args.dtb:
        try:
            with open(args.dtb, 'rb') as fileobj:
                data = fileobj.read()
        except OSError as err:
            raise InputError('cannot read %s: %s'
                             % (args.dtb, os.strerror(err.errno))) from None
        tree = devtree.from_dtb(data, args.dtb)
        chosen = tree.find('/chosen')
        cmdline = chosen.string('bootargs', '') if chosen else ''
        source = os.path.basename(args.dtb)
    else:
        tree = devtree.from_dir(sysroot)
        cmdline = sysroot.read_text('/proc/cmdline')
        # The same text live and from a collected tree: same output.
        source = '/proc/device-tree'
    return tree, cmdline, source


def arm64_platform(sysroot, args):
    from .platform_arm64 import Arm64Platform  # pylint: disable=import-outside-toplevel
    tree, cmdline, source = _arm64_inputs(sysroot, args)
    plat = Arm64Platform.from_tree(tree, cmdline, args.mem_hv,
                                   args.mem_inmates, args.console,
                                   None if args.dtb else sysroot)
    return plat, tree, source


def _name_from_model(model):
    name = ''.join(c if c.isalnum() else '-' for c in model.lower())
    name = '-'.join(p for p in name.split('-') if p) or 'root'
    return name[:31]


def _console_flags(console):
    if console is None:
        return None, []
    flags = ['JAILHOUSE_CON_ACCESS_MMIO']
    if console['regdist4']:
        flags.append('JAILHOUSE_CON_REGDIST_4')
    return console['type'], flags


def _range(start, size):
    return '%#x-%#x' % (start, start + size - 1)


def arm64_system(plat, source, args):
    R = cfgrender
    regions = []
    for region in plat.ram_regions():
        note = 'RAM'
        ins, isize = plat.inmates
        if region.start <= ins < region.end:
            note = 'RAM, including the memory for non-root cells (%s)' % \
                _range(ins, isize)
        regions.append(R.wrap_comment(note) + '\n' + R.mem_region(
            region.start, region.start, region.size,
            ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
             'JAILHOUSE_MEM_EXECUTE']))
    for region in plat.io_regions():
        names = region.names
        text = ', '.join(names[:4])
        if len(names) > 4:
            text += ' and %d more' % (len(names) - 4)
        if region.irqs:
            irqs = sorted(set(region.irqs))
            text += '; SPI %s' % ', '.join(str(i) for i in irqs[:6])
            if len(irqs) > 6:
                text += ', ...'
        regions.append(R.wrap_comment(text) + '\n' + R.mem_region(
            region.start, region.start, region.size,
            ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
             'JAILHOUSE_MEM_IO']).lstrip('\n'))
    gic = plat.gic
    chips = []
    for base in plat.irqchip_blocks():
        chips.append(R.irqchip(gic['gicd'], base, range(base, base + 128),
                               'GIC distributor: SPIs %d-%d start with the '
                               'root cell' % (base, base + 127)))
    ctype, cflags = _console_flags(plat.console)
    cpus, words = R.cpu_words([c[0] for c in plat.cpus])
    pci_note = ''
    for host in plat.pci_hosts:
        pci_note += (' * PCI host %s: ECAM %s (buses %d-%d),\n'
                     ' * passed through to the root cell.\n' % (
                         host['node'].path, _range(host['ecam'],
                                                   host['size']),
                         host['buses'][0], host['buses'][-1]))
    for region in plat.unmapped:
        pci_note += (' * Not mapped, beyond the hypervisor\'s 39-bit guest '
                     'physical space:\n *   %s (%s)\n' % (
                         _range(region.start, region.size),
                         ', '.join(region.names)))
    return R.render(
        'root-cell-config-arm64.c.tmpl', args.template_dir,
        model=plat.model or 'an ARM64 machine', source=source,
        hv_range=_range(*plat.hv), hv_source=plat.hv_source,
        inmates_range=_range(*plat.inmates),
        cpu_list=', '.join('%d: %#x' % (i, m) for i, m, _n, _e
                           in plat.cpus),
        gic_version=gic['version'], pci_note=pci_note,
        gic_note='the distributor and redistributors are emulated by the\n'
        ' * hypervisor and need no memory region.' if gic['version'] == 3 else
        'the distributor is emulated by the hypervisor, the root cell\n'
        ' * sees the virtual CPU interface (GICV) at the GICC address.',
        cpu_words=words, num_regions=len(regions),
        num_irqchips=len(chips),
        hv_start=R.hexnum(plat.hv[0]), hv_size=R.hexnum(plat.hv[1]),
        console=R.console(ctype, plat.console['address']
                          if plat.console else 0, cflags),
        gicd=R.hexnum(gic['gicd']), gicr=R.hexnum(gic['gicr']),
        gicc=R.hexnum(gic['gicc']), gich=R.hexnum(gic['gich']),
        gicv=R.hexnum(gic['gicv']), maintenance_irq=gic['maintenance_irq'],
        name=_name_from_model(plat.model), cpus=cpus,
        regions='\n'.join(regions), irqchips='\n'.join(chips))


def arm64_cell(plat, tree, source, args):
    R = cfgrender
    count = len(plat.cpus)
    if count < 2:
        raise InputError('the system has one CPU: none left for a cell')
    cpus = parse_cpu_list(args.cpus, count) if args.cpus else [count - 1]
    if len(cpus) == count:
        raise InputError('--cpus %s: the root cell needs at least one CPU'
                         % args.cpus)
    name = args.cell
    if not name or len(name.encode()) > 31 or '"' in name or '\\' in name:
        raise InputError('--cell %r: the name needs 1 to 31 characters '
                         'without quotes or backslashes' % name)
    ins, isize = plat.inmates
    if args.mem == 0 or args.mem % 0x1000 or args.mem_offset % 0x1000:
        raise InputError('--mem and --mem-offset must be multiples of 4 KiB '
                         '(and --mem non-zero)')
    if args.mem_offset + args.mem > isize:
        raise InputError('--mem-offset %#x + --mem %s exceed the %s of '
                         'memory for non-root cells (--mem-inmates)'
                         % (args.mem_offset, format_size(args.mem),
                            format_size(isize)))
    ram = ins + args.mem_offset
    regions = []
    con = plat.console
    ctype, cflags = _console_flags(con)
    if con is not None:
        regions.append(R.mem_region(
            con['address'] & ~0xfff, con['address'] & ~0xfff, 0x1000,
            ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_IO',
             'JAILHOUSE_MEM_ROOTSHARED'],
            'UART %s, shared with the root cell' % con['node'].name))
    regions.append(R.mem_region(ram, 0, args.mem,
                                ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
                                 'JAILHOUSE_MEM_EXECUTE',
                                 'JAILHOUSE_MEM_LOADABLE'], 'RAM'))
    regions.append(R.mem_region(None, COMM_REGION_ARM, 0x1000,
                                ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
                                 'JAILHOUSE_MEM_COMM_REGION'],
                                'comm region'))
    spis = []
    for wanted in args.device:
        node = tree.find(wanted)
        if node is None:
            raise InputError('--device %s: no such device tree node or '
                             'alias' % wanted)
        regs = node.reg()
        if not regs:
            raise InputError('--device %s: %s has no registers'
                             % (wanted, node.path))
        if con is not None and node is con['node']:
            raise InputError('--device %s is the debug console, shared '
                             'already' % wanted)
        for start, size in regs:
            base = start & ~0xfff
            end = (start + size + 0xfff) & ~0xfff
            regions.append(R.mem_region(base, base, end - base,
                                        ['JAILHOUSE_MEM_READ',
                                         'JAILHOUSE_MEM_WRITE',
                                         'JAILHOUSE_MEM_IO'], node.name))
        spis.extend(n for kind, n in plat._irqs(tree, node)  # pylint: disable=protected-access
                    if kind == 'SPI')
    chips = []
    for base in sorted({32 + (s - 32) // 128 * 128 for s in spis}):
        chips.append(R.irqchip(plat.gic['gicd'], base,
                               [s for s in spis if base <= s < base + 128],
                               'SPIs of the devices'))
    cpu_text, words = R.cpu_words(cpus)
    flags = ['JAILHOUSE_CELL_PASSIVE_COMMREG',
             'JAILHOUSE_CELL_VIRTUAL_CONSOLE_PERMITTED']
    irq_values = {'irqchip_member': '', 'irqchip_count': '',
                  'irqchip_init': ''}
    if chips:
        irq_values = {
            'irqchip_member': '\tstruct jailhouse_irqchip irqchips[%d];\n'
                              % len(chips),
            'irqchip_count': '\t\t.num_irqchips = '
                             'ARRAY_SIZE(config.irqchips),\n',
            'irqchip_init': '\n\t.irqchips = {\n%s\n\t},\n'
                            % '\n'.join(chips)}
    return R.render(
        'cell-config-arm64.c.tmpl', args.template_dir,
        name=name, model=plat.model or 'an ARM64 machine', source=source,
        cpu_text=','.join(str(c) for c in cpus),
        mem_text=format_size(args.mem), ram_range=_range(ram, args.mem),
        cpu_words=words, num_regions=len(regions),
        flags=cfgrender.flags_expr(flags, '\t\t'),
        console=R.console(ctype, con['address'] if con else 0, cflags),
        cpus=cpu_text, regions='\n'.join(regions), **irq_values)


def collector_script(args):
    from .config_collect import collector_script as script  # pylint: disable=import-outside-toplevel
    return script(args.template_dir)


def generate(args):
    """The text to write to args.file."""
    if args.generate_collector:
        return collector_script(args)
    sysroot = SysRoot(args.root)
    if not args.dtb and not os.path.isdir(args.root):
        raise InputError('-r %s: no such directory' % args.root)
    enabled = sysroot.read_optional('/sys/devices/jailhouse/enabled', '0')
    if enabled.strip() == '1' and not args.dtb:
        raise InputError('Jailhouse is enabled: the root cell sees only '
                         'part of the machine; disable it first')
    arch = detect_arch(sysroot, args)
    if arch == 'arm64':
        plat, tree, source = arm64_platform(sysroot, args)
        if args.cell:
            return arm64_cell(plat, tree, source, args)
        if args.cpus or args.device:
            raise InputError('--cpus and --device need --cell NAME')
        return arm64_system(plat, source, args)
    if args.cell or args.dtb:
        raise InputError('--cell and --dtb are for ARM64 targets')
    from . import platform_x86  # pylint: disable=import-outside-toplevel
    return platform_x86.system_config(sysroot, args)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        text = generate(args)
    except InputError as err:
        sys.stderr.write('%s: %s\n' % (PROG, err))
        return 1
    try:
        with open(args.file, 'w', encoding='utf-8') as fileobj:
            fileobj.write(text)
        if args.generate_collector:
            os.chmod(args.file, 0o755)
    except OSError as err:
        sys.stderr.write('%s: cannot write %s: %s\n'
                         % (PROG, args.file, os.strerror(err.errno)))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
