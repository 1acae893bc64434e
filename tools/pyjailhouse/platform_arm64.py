# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: what an ARM64 system config needs, read from its device tree
"""Platform facts for an ARM64 root cell, from a devtree.Tree:

    plat = Arm64Platform.from_tree(tree, cmdline, mem_hv, mem_inmates)

RAM (/memory nodes), the hypervisor region (a no-map /reserved-memory
node named jailhouse, or the RAM Linux leaves alone after mem=), CPUs and
their MPIDRs, the GIC, the console UART, the PCI host bridge and every
other device with registers (root cell regions, with their interrupts).
Problems are InputError with one line naming what is missing.
"""

import re

from .sysroot import InputError, format_size

PAGE = 0x1000
HV_ALIGN = 0x200000
# The hypervisor's stage-2 tables cover a 39-bit guest physical address
# space (ARM_GUEST_PHYS_BITS, hypervisor/arch/arm64/include/asm/mmu.h):
# devices above stay unmapped.
GUEST_PHYS_LIMIT = 1 << 39

GICV3 = ('arm,gic-v3',)
GICV2 = ('arm,gic-400', 'arm,cortex-a15-gic', 'arm,cortex-a9-gic',
         'arm,cortex-a7-gic', 'arm,gic-v2', 'arm,arm11mp-gic',
         'arm,cortex-a5-gic', 'arm,pl390', 'qcom,msm-qgic2')
PL011 = ('arm,pl011', 'arm,sbsa-uart')
UART_8250 = ('ns16550a', 'ns16550', 'ns16450', 'ns8250',
             'snps,dw-apb-uart', 'ti,omap4-uart', 'nvidia,tegra20-uart',
             'marvell,armada-38x-uart')
PCI_ECAM = ('pci-host-ecam-generic', 'pci-host-cam-generic')

# Nodes that have registers but are not devices of the root cell.
SKIP_NODES = ('memory', 'cpus', 'reserved-memory', 'chosen', 'aliases',
              '__symbols__')


class Region:
    """A root cell memory region: [start, start + size), kind 'ram' or
    'io', and the names of what it holds."""

    def __init__(self, start, size, kind, names=(), irqs=()):
        self.start = start
        self.size = size
        self.kind = kind
        self.names = list(names)
        self.irqs = list(irqs)

    @property
    def end(self):
        return self.start + self.size

    def __repr__(self):
        return 'Region(%#x, %#x, %s, %s)' % (self.start, self.size,
                                              self.kind, self.names)


def _subtract(ranges, start, end):
    """[(s, e)] ranges without [start, end)."""
    result = []
    for s, e in ranges:
        if e <= start or s >= end:
            result.append((s, e))
            continue
        if s < start:
            result.append((s, start))
        if e > end:
            result.append((end, e))
    return result


def cmdline_size(cmdline, option):
    """Value of option=SIZE on a kernel command line (last one wins)."""
    from .sysroot import parse_size
    value = None
    for word in cmdline.split():
        if word.startswith(option + '='):
            try:
                value = parse_size(word[len(option) + 1:])
            except ValueError:
                raise InputError('kernel command line: cannot parse %s'
                                 % word) from None
    return value


class Arm64Platform:
    def __init__(self):
        self.model = ''
        self.ram = []            # [(start, end)] from /memory
        self.hv = None           # (start, size)
        self.hv_source = ''
        self.inmates = None      # (start, size)
        self.cpus = []           # [(index, mpidr, node name)]
        self.gic = {}            # version, gicd, gicr, gicc, gich, gicv, ...
        self.console = None      # dict: type, address, flags, node
        self.pci_hosts = []      # [dict(node, ecam, size, buses)]
        self.devices = []        # [Region] of devices (not merged)
        self.max_spi = 159
        self.psci = None
        self.unmapped = []       # [Region] beyond GUEST_PHYS_LIMIT

    # -- the parts ------------------------------------------------------

    @classmethod
    def from_tree(cls, tree, cmdline, mem_hv, mem_inmates, console=None,
                  sysroot=None):
        plat = cls()
        root = tree.root
        plat.model = root.string('model') or (root.compatible or [''])[0]
        plat._memory(tree)
        plat._gic(tree)
        plat._cpus(tree)
        plat._psci(tree)
        plat._hypervisor(tree, cmdline, mem_hv, mem_inmates)
        plat._console(tree, console, sysroot)
        plat._devices(tree)
        return plat

    def _memory(self, tree):
        for node in tree.root.children:
            if node.string('device_type') == 'memory' and node.enabled:
                self.ram.extend((s, s + n) for s, n in node.reg() if n)
        self.ram.sort()
        if not self.ram:
            raise InputError('%s: no memory node (device_type = "memory") '
                             'with a reg property' % tree.source)

    def _gic(self, tree):
        v3 = tree.compatible(*GICV3)
        v2 = tree.compatible(*GICV2)
        node = (v3 or v2 or [None])[0]
        if node is None:
            raise InputError('%s: no GIC: no interrupt controller '
                             'compatible with %s' % (
                                 tree.source, ', '.join(GICV3 + GICV2[:2])))
        regs = node.reg()
        gic = {'node': node, 'version': 3 if v3 else 2,
               'gicd': 0, 'gicr': 0, 'gicc': 0, 'gich': 0, 'gicv': 0,
               'frames': regs}
        names = ['gicd', 'gicr', 'gicc', 'gich', 'gicv'] if v3 else \
            ['gicd', 'gicc', 'gich', 'gicv']
        if v3:
            # reg: GICD, #redistributor-regions GICR regions, then the
            # optional GICv2 compatibility frames GICC, GICH, GICV.
            nr = node.cell('#redistributor-regions', 1)
            names = ['gicd'] + ['gicr'] + [None] * (nr - 1) + \
                ['gicc', 'gich', 'gicv']
        for name, (addr, _size) in zip(names, regs):
            if name:
                gic[name] = addr
        if not gic['gicd']:
            raise InputError('%s: %s has no distributor registers (reg)'
                             % (tree.source, node.path))
        if v3 and not gic['gicr']:
            raise InputError('%s: %s has no redistributor registers'
                             % (tree.source, node.path))
        if not v3 and not (gic['gich'] and gic['gicv']):
            raise InputError('%s: %s lacks the virtualization extension '
                             '(GICH and GICV registers in reg)'
                             % (tree.source, node.path))
        irqs = _gic_irqs(node, node.cells('interrupts') or [])
        ppis = [n for kind, n in irqs if kind == 'PPI']
        if not ppis:
            raise InputError('%s: %s has no maintenance interrupt '
                             '(interrupts)' % (tree.source, node.path))
        gic['maintenance_irq'] = ppis[0]
        self.gic = gic

    def _cpus(self, tree):
        cpus = tree.find('/cpus')
        if cpus is None:
            raise InputError('%s: no /cpus node' % tree.source)
        acells = cpus.address_cells()
        index = 0
        for node in cpus.children:
            if node.string('device_type') != 'cpu' or not node.enabled:
                continue
            reg = node.cells('reg')
            if not reg:
                raise InputError('%s: %s has no reg (MPIDR)'
                                 % (tree.source, node.path))
            mpidr = 0
            for cell in reg[:acells]:
                mpidr = mpidr << 32 | cell
            self.cpus.append((index, mpidr, node.name,
                              node.string('enable-method', '')))
            index += 1
        if not self.cpus:
            raise InputError('%s: no CPU nodes under /cpus' % tree.source)

    def _psci(self, tree):
        nodes = tree.compatible('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci')
        if nodes:
            self.psci = {'method': nodes[0].string('method', ''),
                         'versions': nodes[0].compatible}

    def _hypervisor(self, tree, cmdline, mem_hv, mem_inmates):
        total = mem_hv + mem_inmates
        reserved = tree.find('/reserved-memory')
        for node in (reserved.children if reserved else []):
            if 'jailhouse' in node.name.lower() or \
                    node.is_compatible('jailhouse'):
                regs = node.reg()
                if not regs:
                    raise InputError('%s: %s has no reg property'
                                     % (tree.source, node.path))
                if not node.has('no-map'):
                    raise InputError('%s: %s lacks no-map: Linux would use '
                                     'that memory' % (tree.source,
                                                      node.path))
                start, size = regs[0]
                self._place(start, start + size, mem_hv, mem_inmates,
                            '%s reserved-memory' % node.path)
                return
        limit = cmdline_size(cmdline, 'mem')
        if limit is None:
            raise InputError(
                'no memory for the hypervisor: boot Linux with mem=SIZE '
                '(leaving at least %s of RAM unused) or add a no-map '
                '/reserved-memory node named jailhouse' % format_size(total))
        # Linux keeps the lowest `limit` bytes of RAM.
        seen = 0
        free_start = None
        for start, end in self.ram:
            if seen + (end - start) >= limit:
                free_start = start + (limit - seen)
                break
            seen += end - start
        if free_start is None:
            raise InputError('mem=%s on the kernel command line covers all '
                             '%s of RAM: nothing left for the hypervisor'
                             % (format_size(limit),
                                format_size(sum(e - s for s, e in self.ram))))
        bank = [r for r in self.ram if r[0] <= free_start < r[1] or
                r[0] >= free_start]
        # The top of the last bank above the limit.
        start, end = max(bank, key=lambda r: r[1])
        self._place(max(start, free_start), end, mem_hv, mem_inmates,
                    'mem=%s' % format_size(limit))

    def _place(self, start, end, mem_hv, mem_inmates, source):
        """Hypervisor at the 2 MiB aligned top of [start, end), memory for
        cells below it."""
        hv_start = (end - mem_hv) & ~(HV_ALIGN - 1)
        inmates_start = (hv_start - mem_inmates) & ~(PAGE - 1)
        if mem_hv % PAGE or mem_hv == 0:
            raise InputError('--mem-hv %#x is not a non-zero multiple of '
                             '4 KiB' % mem_hv)
        if inmates_start < start or hv_start < start:
            raise InputError(
                '%s leaves %s unused at %#x-%#x, the hypervisor (--mem-hv '
                '%s) and the cells (--mem-inmates %s) need more'
                % (source, format_size(end - start), start, end - 1,
                   format_size(mem_hv), format_size(mem_inmates)))
        self.hv = (hv_start, mem_hv)
        self.inmates = (inmates_start, hv_start - inmates_start)
        self.hv_source = source

    def _console(self, tree, wanted, sysroot):
        node = None
        if wanted:
            node = tree.find(wanted)
            if node is None and sysroot is not None:
                node = _tty_node(tree, sysroot, wanted)
            if node is None:
                raise InputError('console %s: no such device tree node, '
                                 'alias or tty with a device tree node'
                                 % wanted)
        else:
            chosen = tree.find('/chosen')
            path = chosen.string('stdout-path') if chosen else None
            if not path and chosen is not None:
                path = chosen.string('linux,stdout-path')
            if path:
                node = tree.find(path.split(':')[0])
        if node is None:
            self.console = None
            return
        regs = node.reg()
        if not regs:
            raise InputError('console %s has no registers (reg)' % node.path)
        if node.is_compatible(*PL011):
            ctype = 'PL011'
            regdist4 = True
        elif node.is_compatible(*UART_8250):
            ctype = '8250'
            regdist4 = node.cell('reg-shift', 0) == 2
        else:
            raise InputError('console %s (%s) is neither a PL011 nor an '
                             '8250 UART' % (node.path, ', '.join(
                                 node.compatible) or 'no compatible'))
        self.console = {'node': node, 'type': ctype, 'address': regs[0][0],
                        'regdist4': regdist4}

    def _devices(self, tree):
        gic = self.gic['node']
        top = []
        for node in tree.root.children:
            if node.unit_name in SKIP_NODES or \
                    node.string('device_type') == 'memory':
                continue
            top.append(node)
        spis = []
        for base in top:
            for node in base.walk():
                if not node.enabled:
                    continue
                if _under_pci(node):
                    continue
                irqs = [n for kind, n in self._irqs(tree, node)
                        if kind == 'SPI']
                spis.extend(irqs)
                if node is gic:
                    continue
                if node.is_compatible(*PCI_ECAM):
                    self._pci_host(tree, node)
                    continue
                if node.is_compatible('arm,gic-v2m-frame'):
                    first = node.cell('arm,msi-base-spi')
                    count = node.cell('arm,msi-num-spis')
                    if first is not None and count:
                        spis.append(first + count - 1)
                for start, size in node.reg():
                    if size:
                        self.devices.append(Region(start, size, 'io',
                                                   [node.name], irqs))
        for host in self.pci_hosts:
            spis.extend(host['spis'])
        if spis:
            self.max_spi = max(self.max_spi, max(spis))

    def _irqs(self, tree, node):
        """[(kind, GIC interrupt ID)] of a node's interrupts at the GIC."""
        gic = self.gic['node']
        if node.has('interrupts-extended'):
            cells = node.cells('interrupts-extended')
            result = []
            pos = 0
            while pos < len(cells):
                ctrl = tree.by_phandle(cells[pos])
                count = ctrl.cell('#interrupt-cells', 3) if ctrl else 3
                if ctrl is gic:
                    result.extend(_gic_irqs(gic, cells[pos + 1:pos + 1 +
                                                     count]))
                pos += 1 + count
            return result
        if not node.has('interrupts'):
            return []
        if tree.interrupt_parent(node) is not gic:
            return []
        return _gic_irqs(gic, node.cells('interrupts'))

    def _pci_host(self, tree, node):
        regs = node.reg()
        if not regs:
            raise InputError('%s: PCI host %s has no ECAM registers (reg)'
                             % (tree.source, node.path))
        buses = node.cells('bus-range') or [0, 0xff]
        spis = []
        imap = node.cells('interrupt-map') or []
        child = node.address_cells() + node.cell('#interrupt-cells', 1)
        pos = 0
        while pos + child < len(imap):
            parent = tree.by_phandle(imap[pos + child])
            if parent is None:
                break
            pa = parent.cell('#address-cells', 0)
            pi = parent.cell('#interrupt-cells', 3)
            spec = imap[pos + child + 1 + pa:pos + child + 1 + pa + pi]
            if parent is self.gic['node']:
                spis.extend(n for kind, n in _gic_irqs(parent, spec)
                            if kind == 'SPI')
            pos += child + 1 + pa + pi
        windows = []
        for cells, cpu, size in node.ranges():
            space = (cells[0] >> 24) & 3 if cells else 2
            windows.append((cpu, size, {1: 'I/O', 2: 'MEM32',
                                        3: 'MEM64'}.get(space, 'CFG')))
        self.pci_hosts.append({'node': node, 'ecam': regs[0][0],
                               'size': regs[0][1], 'buses': buses[:2],
                               'domain': node.cell('linux,pci-domain', 0),
                               'windows': windows, 'spis': sorted(set(spis))})

    # -- what the root cell gets ----------------------------------------

    def ram_regions(self):
        """RAM of the root cell: all RAM without the hypervisor."""
        ranges = _subtract(self.ram, self.hv[0], self.hv[0] + self.hv[1])
        return [Region(s, e - s, 'ram') for s, e in ranges]

    def io_regions(self):
        """Device regions of the root cell, whole pages, merged when they
        touch."""
        regions = []
        for dev in self.devices:
            regions.append(Region(dev.start & ~(PAGE - 1),
                                  _page_up(dev.end) - (dev.start &
                                                       ~(PAGE - 1)),
                                  'io', dev.names, dev.irqs))
        for host in self.pci_hosts:
            name = host['node'].name
            regions.append(Region(host['ecam'], _page_up(host['size']), 'io',
                                  ['%s ECAM (buses %d-%d)' % (
                                      name, host['buses'][0],
                                      host['buses'][-1])]))
            for cpu, size, kind in host['windows']:
                regions.append(Region(cpu & ~(PAGE - 1),
                                      _page_up(cpu + size) -
                                      (cpu & ~(PAGE - 1)), 'io',
                                      ['%s %s window' % (name, kind)]))
        regions.sort(key=lambda r: (r.start, r.end))
        merged = []
        for region in regions:
            if merged and region.start <= merged[-1].end:
                last = merged[-1]
                end = max(last.end, region.end)
                last.size = end - last.start
                last.names.extend(n for n in region.names
                                  if n not in last.names)
                last.irqs.extend(i for i in region.irqs if i not in last.irqs)
            else:
                merged.append(Region(region.start, region.size, 'io',
                                     list(region.names), list(region.irqs)))
        self.unmapped = [r for r in merged if r.end > GUEST_PHYS_LIMIT]
        merged = [r for r in merged if r.end <= GUEST_PHYS_LIMIT]
        hv_start, hv_size = self.hv
        for region in merged:
            for start, end in self.ram + [(hv_start, hv_start + hv_size)]:
                if region.start < end and start < region.end:
                    raise InputError('device registers at %#x-%#x (%s) '
                                     'overlap RAM' % (
                                         region.start, region.end - 1,
                                         ', '.join(region.names)))
        return merged

    def irqchip_blocks(self):
        """pin_base values of the root's GIC pin bitmaps (128 pins each)
        covering every SPI up to the highest one in use."""
        return list(range(32, self.max_spi + 1, 128))


def _page_up(value):
    return (value + PAGE - 1) & ~(PAGE - 1)


def _under_pci(node):
    parent = node.parent
    while parent is not None:
        if parent.string('device_type') == 'pci':
            return True
        parent = parent.parent
    return False


def _gic_irqs(gic, cells):
    """[(kind, ID)] of a GIC interrupt specifier list (3 or 4 cells)."""
    width = gic.cell('#interrupt-cells', 3) if gic is not None else 3
    result = []
    for i in range(0, len(cells) - width + 1, width):
        kind, number = cells[i], cells[i + 1]
        if kind == 0:
            result.append(('SPI', number + 32))
        elif kind == 1:
            result.append(('PPI', number + 16))
    return result


def _tty_node(tree, sysroot, name):
    """The device tree node of /sys/class/tty/NAME, if the kernel says."""
    name = re.sub(r'^/dev/', '', name)
    link = sysroot.path('/sys/class/tty/%s/device/of_node' % name)
    import os
    try:
        target = os.readlink(link)
    except OSError:
        return None
    marker = 'device-tree/'
    if marker not in target:
        return None
    return tree.find('/' + target.split(marker, 1)[1])
