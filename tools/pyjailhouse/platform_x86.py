# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: an x86 system config from /proc, /sys and the ACPI tables
"""x86 root cell: memory map (/proc/iomem) with the hypervisor reservation
(memmap=SIZE$ADDRESS on the kernel command line), port I/O (/proc/ioports),
PCI devices and their capabilities (/sys/bus/pci/devices/*/config and
resource), IOMMUs (DMAR or IVRS), IOAPICs (MADT), the PCI MMCONFIG area
(MCFG), the PM timer and the console UART (/sys/class/tty)."""

import re
import struct

from . import acpi_x86, cfgrender
from .sysroot import InputError, format_size

PAGE = 0x1000
PCI_CLASS_BRIDGE_PCI = 0x0604
IORESOURCE_IO = 0x100
IORESOURCE_MEM_64 = 0x100000

# Standard capability IDs: (name, length, writable).  MSI's length depends
# on its flags.  Unknown ones are listed read-only with length 2.
CAPS = {0x01: ('PCI_CAP_ID_PM', 8, True), 0x05: ('PCI_CAP_ID_MSI', 10, True),
        0x09: ('PCI_CAP_ID_VNDR', 2, False),
        0x10: ('PCI_CAP_ID_EXP', 20, False),
        0x11: ('PCI_CAP_ID_MSIX', 12, True),
        0x12: ('PCI_CAP_ID_SATA', 2, False),
        0x13: ('PCI_CAP_ID_AF', 2, False),
        0x0d: ('PCI_CAP_ID_SSVID', 2, False)}
EXT_CAPS = {0x01: 'PCI_EXT_CAP_ID_ERR', 0x03: 'PCI_EXT_CAP_ID_DSN',
            0x0b: 'PCI_EXT_CAP_ID_VNDR', 0x0e: 'PCI_EXT_CAP_ID_ARI',
            0x10: 'PCI_EXT_CAP_ID_SRIOV', 0x15: 'PCI_EXT_CAP_ID_REBAR',
            0x18: 'PCI_EXT_CAP_ID_LTR', 0x1e: 'PCI_EXT_CAP_ID_L1SS',
            0x19: 'PCI_EXT_CAP_ID_SECPCI', 0x0d: 'PCI_EXT_CAP_ID_ACS'}
LEGACY_COM = {'ttyS0': 0x3f8, 'ttyS1': 0x2f8, 'ttyS2': 0x3e8, 'ttyS3': 0x2e8}


class Resource:
    def __init__(self, start, end, name, depth):
        self.start = start
        self.end = end          # inclusive, as the kernel prints it
        self.name = name
        self.depth = depth
        self.children = []

    @property
    def size(self):
        return self.end - self.start + 1


def parse_resource_tree(text, what):
    """Top-level Resources of /proc/iomem or /proc/ioports text."""
    top = []
    stack = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = re.match(r'^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$', line)
        if not match:
            raise InputError('%s line %d: cannot parse "%s"'
                             % (what, number, line.strip()))
        depth = len(match.group(1)) // 2
        res = Resource(int(match.group(2), 16), int(match.group(3), 16),
                       match.group(4).strip(), depth)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        (stack[-1].children if stack else top).append(res)
        stack.append(res)
    if top and all(r.start == 0 and r.end == 0 for r in top):
        raise InputError('%s shows only zero addresses: read it as root'
                         % what)
    return top


def memmap_reservation(cmdline):
    """(start, size) of memmap=SIZE$START, or InputError."""
    from .sysroot import parse_size
    for word in cmdline.split():
        match = re.match(r'^memmap=([0-9a-fA-FxX]+[KMGkmg]?)\\?\$'
                         r'([0-9a-fA-FxX]+[KMGkmg]?)$', word)
        if match:
            try:
                return parse_size(match.group(2)), parse_size(match.group(1))
            except ValueError:
                raise InputError('kernel command line: cannot parse %s'
                                 % word) from None
    raise InputError('no memmap=SIZE$ADDRESS on the kernel command line: '
                     'reserve memory for the hypervisor and the cells, e.g. '
                     'memmap=82M$0x3a000000')


class PciDevice:
    def __init__(self, domain, bdf, bridge, caps, bars, msi, msix, name):
        self.domain = domain
        self.bdf = bdf
        self.bridge = bridge
        self.caps = caps          # [(id expr, start, len, writable)]
        self.bars = bars          # [mask] x 6
        self.msi = msi            # (vectors, 64bit, maskable) or None
        self.msix = msix          # (vectors, table address, size) or None
        self.name = name
        self.caps_start = 0
        self.iommu = 0
        self.config = b''         # the config space as read

    @property
    def text(self):
        return '%02x:%02x.%x' % (self.bdf >> 8, self.bdf >> 3 & 0x1f,
                                 self.bdf & 7)


def _pci_caps(config):
    caps = []
    msi = msix = None
    status = struct.unpack_from('<H', config, 6)[0]
    if status & 0x10 and len(config) >= 64:
        pos = config[0x34] & ~3
        seen = set()
        while pos and pos not in seen and pos + 2 <= len(config):
            seen.add(pos)
            cap_id, nxt = config[pos], config[pos + 1]
            name, length, writable = CAPS.get(cap_id, ('%#x' % cap_id, 2,
                                                       False))
            if cap_id == 0x05:
                ctrl = struct.unpack_from('<H', config, pos + 2)[0]
                length = 10 + (4 if ctrl & 0x80 else 0) + \
                    (10 if ctrl & 0x100 else 0)
                msi = (1 << (ctrl >> 1 & 7), bool(ctrl & 0x80),
                       bool(ctrl & 0x100))
            elif cap_id == 0x11:
                ctrl, table = struct.unpack_from('<HI', config, pos + 2)
                msix = ((ctrl & 0x7ff) + 1, table & 7, table & ~7)
            elif cap_id == 0x10:
                version = struct.unpack_from('<H', config, pos + 2)[0] & 0xf
                length = 60 if version >= 2 else 20
            caps.append((name, pos, length, writable))
            pos = nxt & ~3
    if len(config) > 0x100:
        pos = 0x100
        seen = set()
        while pos and pos not in seen and pos + 4 <= len(config):
            seen.add(pos)
            (header,) = struct.unpack_from('<I', config, pos)
            cap_id = header & 0xffff
            if cap_id == 0 or header == 0xffffffff:
                break
            name = EXT_CAPS.get(cap_id, '%#x' % cap_id)
            caps.append((name + ' | JAILHOUSE_PCI_EXT_CAP', pos, 4, False))
            pos = header >> 20 & ~3
    return caps, msi, msix


def _bars(resource_text):
    """The six BAR masks and the BAR start addresses from sysfs resource."""
    lines = resource_text.split('\n')
    entries = []
    for line in lines[:6]:
        parts = line.split()
        if len(parts) == 3:
            entries.append(tuple(int(p, 16) for p in parts))
        else:
            entries.append((0, 0, 0))
    while len(entries) < 6:
        entries.append((0, 0, 0))
    masks = [0] * 6
    i = 0
    while i < 6:
        start, end, flags = entries[i]
        if end:
            size = end - start + 1
            mask = ~(size - 1) & 0xffffffffffffffff
            masks[i] = mask & 0xffffffff
            if flags & IORESOURCE_MEM_64 and i < 5:
                masks[i + 1] = mask >> 32
                i += 1
        i += 1
    return masks, [e[0] for e in entries]


def pci_devices(sysroot):
    result = []
    base = '/sys/bus/pci/devices'
    if not sysroot.isdir(base):
        return result
    for name in sysroot.listdir(base):
        match = re.match(r'^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.'
                         r'([0-7])$', name)
        if not match:
            continue
        domain = int(match.group(1), 16)
        bdf = int(match.group(2), 16) << 8 | int(match.group(3), 16) << 3 | \
            int(match.group(4))
        config = sysroot.read_bytes('%s/%s/config' % (base, name))
        if len(config) < 64:
            raise InputError('%s/%s/config: %d bytes, 64 needed (read it '
                             'as root)' % (sysroot.describe(base), name,
                                           len(config)))
        if config[:4] == b'\xff\xff\xff\xff':
            continue        # reads as all ones: disabled
        pclass = int(sysroot.read_text('%s/%s/class' % (base, name)), 16)
        caps, msi, msix = _pci_caps(config)
        masks, starts = _bars(sysroot.read_optional(
            '%s/%s/resource' % (base, name), ''))
        msix_info = None
        if msix:
            vectors, bir, offset = msix
            msix_info = (vectors, starts[bir] + offset if bir < 6 else 0,
                         (vectors * 16 + PAGE - 1) & ~(PAGE - 1))
        dev = PciDevice(domain, bdf, pclass >> 8 == PCI_CLASS_BRIDGE_PCI,
                        caps, masks, msi, msix_info, name)
        dev.config = config
        result.append(dev)
    return result


def _subtract(start, end, holes):
    """The pieces of [start, end) outside every (hole_start, hole_end)."""
    pieces = [(start, end)]
    for hole_start, hole_end in holes:
        pieces = [piece for s, e in pieces
                  for piece in ((s, min(e, hole_start)),
                                (max(s, hole_end), e))
                  if piece[1] > piece[0]]
    return pieces


def _memory_regions(iomem, hv_start, hv_end, rmrr, holes=()):
    """[(start, size, kind, name)] of the root cell from /proc/iomem,
    without the hypervisor reservation and the holes (page-aligned ranges
    the hypervisor emulates: MSI-X tables, which it refuses to find mapped).
    """
    holes = [(hv_start, hv_end)] + list(holes)
    out = []

    def add(res, kind):
        out.append((res.start, res.size, kind, res.name))

    def visit(res, inside_bus):
        name = res.name
        if name.startswith('PCI Bus') and not inside_bus:
            # Device BARs and bridge windows below the root bus; an empty
            # window is mapped only below 1 MiB (legacy VGA).
            if res.children:
                for child in res.children:
                    visit(child, True)
            elif res.end < 0x100000:
                add(res, 'io')
            return
        if name == 'System RAM' or name == 'RAM buffer':
            add(res, 'ram')
        elif name.startswith(('ACPI Tables', 'ACPI Non-volatile')):
            add(res, 'ro')
        elif name in ('Video ROM', 'System ROM', 'Adapter ROM'):
            add(res, 'ro')
        elif name in ('reserved', 'Reserved') and res.start == 0 and \
                res.end < PAGE:
            out.append((res.start, res.size, 'ram', 'System RAM'))  # page 0
        elif name in ('reserved', 'Reserved') and not inside_bus and \
                res.end < 1 << 32 and \
                not any(c.name.startswith('PCI MMCONFIG') for c in
                        res.children):
            add(res, 'ro')     # firmware data (ACPI tables on QEMU, EBDA)
        elif name in ('reserved', 'Local APIC', 'Reserved') or \
                name.startswith(('IOAPIC', 'PCI MMCONFIG', 'dmar',
                                 'amd_iommu', 'pnp ', 'Kernel ')):
            return
        else:
            add(res, 'io')

    for res in iomem:
        visit(res, False)
    for start, end, _devs in rmrr:
        out.append((start, end - start, 'dma', 'ACPI DMAR RMRR'))
    regions = []
    for start, size, kind, name in sorted(out):
        end = start + size
        start &= ~(PAGE - 1)
        end = (end + PAGE - 1) & ~(PAGE - 1)
        # Keep the reservation and the holes out of everything.
        for s, e in _subtract(start, end, holes):
            prev_end = regions[-1][0] + regions[-1][1] if regions else 0
            if regions and (s < prev_end or (s == prev_end and kind == 'ram'
                                             == regions[-1][2])):
                prev = regions[-1]
                if prev[2] == kind:
                    new_end = max(prev[0] + prev[1], e)
                    regions[-1] = (prev[0], new_end - prev[0], kind,
                                   prev[3] if name in prev[3] else
                                   prev[3] + ', ' + name)
                    continue
                s = prev[0] + prev[1]
                if s >= e:
                    continue
            regions.append((s, e - s, kind, name))
    return regions


def _pio_regions(ioports):
    out = []
    for res in ioports:
        if res.name == 'PCI conf1':
            continue        # PCI config space: intercepted
        if res.name.startswith('PCI Bus') and res.children:
            out.extend((c.start, c.size, c.name) for c in res.children)
        else:
            out.append((res.start, res.size, res.name))
    merged = []
    for start, size, name in sorted(out):
        if merged and start < merged[-1][0] + merged[-1][1]:
            prev = merged[-1]
            end = max(prev[0] + prev[1], start + size)
            merged[-1] = (prev[0], end - prev[0], prev[2] if name in prev[2]
                          else prev[2] + ', ' + name)
        else:
            merged.append((start, size, name))
    return [(s, min(n, 0x10000 - s), name) for s, n, name in merged
            if s < 0x10000]


def _console(sysroot, name):
    name = re.sub(r'^/dev/', '', name or 'ttyS0')
    base = '/sys/class/tty/%s' % name
    port = sysroot.read_optional(base + '/port')
    io_type = sysroot.read_optional(base + '/io_type', '0')
    if port is None and name in LEGACY_COM:
        return {'address': LEGACY_COM[name], 'mmio': False, 'regdist4': False,
                'name': name + ' (standard port, no sysfs entry)'}
    if port is None:
        raise InputError('console %s: %s/port is missing (not a 8250 '
                         'UART?)' % (name, sysroot.describe(base)))
    io_type = int(io_type.strip() or '0', 0)
    if io_type == 0:
        address = int(port.strip(), 0)
        if address == 0:
            raise InputError('console %s has no I/O port (%s/port is 0)'
                             % (name, sysroot.describe(base)))
        return {'address': address, 'mmio': False, 'regdist4': False,
                'name': name}
    mmio = int(sysroot.read_text(base + '/iomem_base').strip(), 0)
    shift = int((sysroot.read_optional(base + '/iomem_reg_shift', '0')
                 .strip() or '0'), 0)
    return {'address': mmio, 'mmio': True, 'regdist4': shift == 2,
            'name': name}


def system_config(sysroot, args):
    R = cfgrender
    cmdline = sysroot.read_text('/proc/cmdline')
    hv_start, reserved = memmap_reservation(cmdline)
    need = args.mem_hv + args.mem_inmates
    if need > reserved:
        raise InputError('memmap= reserves %s at %#x, the hypervisor '
                         '(--mem-hv %s) and the cells (--mem-inmates %s) '
                         'need %s' % (format_size(reserved), hv_start,
                                      format_size(args.mem_hv),
                                      format_size(args.mem_inmates),
                                      format_size(need)))
    if hv_start % PAGE or args.mem_hv % PAGE or args.mem_inmates % PAGE:
        raise InputError('memmap= start, --mem-hv and --mem-inmates must be '
                         'multiples of 4 KiB')
    iomem = parse_resource_tree(sysroot.read_text('/proc/iomem'),
                                sysroot.describe('/proc/iomem'))
    ioports = parse_resource_tree(sysroot.read_optional('/proc/ioports', ''),
                                  sysroot.describe('/proc/ioports'))
    tables = {n: sysroot.read_optional_bytes('/sys/firmware/acpi/tables/'
                                             + n)
              for n in ('MCFG', 'APIC', 'DMAR', 'IVRS', 'FACP')}
    mcfg = acpi_x86.mcfg(tables['MCFG'])
    if not mcfg:
        raise InputError('no PCI MMCONFIG area: ACPI table MCFG missing '
                         '(%s)' % sysroot.describe(
                             '/sys/firmware/acpi/tables/MCFG'))
    intel = acpi_x86.dmar(tables['DMAR'])
    amd = acpi_x86.ivrs(tables['IVRS'])
    ioapics = acpi_x86.madt_ioapics(tables['APIC'])
    if not ioapics:
        for res in iomem:
            for item in [res] + res.children:
                if item.name.startswith('IOAPIC'):
                    ioapics.append((len(ioapics), item.start, 0))
    pm_timer = 0
    for res in ioports:
        for item in [res] + res.children:
            if item.name == 'ACPI PM_TMR':
                pm_timer = item.start
    pm_timer = pm_timer or acpi_x86.fadt_pm_timer(tables['FACP'])
    if not pm_timer:
        raise InputError('no ACPI PM timer: neither /proc/ioports nor the '
                         'FACP table name one')
    possible = sysroot.read_text('/sys/devices/system/cpu/possible').strip()
    cpus = set()
    for part in possible.split(','):
        first, _sep, last = part.partition('-')
        cpus.update(range(int(first), int(last or first) + 1))
    devices = pci_devices(sysroot)
    con = _console(sysroot, args.console)

    # IOMMU units
    units = []
    if intel['units']:
        for base, size, segment, _all, _scopes in intel['units'][:8]:
            units.append(('JAILHOUSE_IOMMU_INTEL', base, max(size, PAGE),
                          None))
    elif amd['units']:
        for unit in amd['units'][:8]:
            msi_cap = 0
            for dev in devices:
                if dev.bdf == unit['bdf']:
                    msi_cap = next((start for name, start, _l, _w in dev.caps
                                    if name == 'PCI_CAP_ID_MSI'), 0)
            units.append(('JAILHOUSE_IOMMU_AMD', unit['base'], 0x80000,
                          (unit['bdf'], unit['cap'], msi_cap,
                           unit['features'])))
    ioapic_ids = intel['ioapics'] or amd['ioapics']
    # An AMD unit's own PCI function is the hypervisor's, no cell's.
    own = {unit['bdf'] for unit in amd['units'][:8]} if not intel['units'] \
        else set()
    devices = [dev for dev in devices if dev.bdf not in own]
    for dev in devices:
        dev.iommu = 0
        for index, (_b, _s, _seg, _all, scopes) in enumerate(intel['units']):
            if any(bdf == dev.bdf for _t, _e, bdf in scopes):
                dev.iommu = index
        if not intel['units']:
            dev.iommu = next((index for index, unit in
                              enumerate(amd['units'][:8])
                              if any(first <= dev.bdf <= last
                                     for first, last in unit['devices'])), 0)

    hv_end = hv_start + args.mem_hv
    inmates_end = hv_end + args.mem_inmates
    regions = []
    msix_tables = [(dev.msix[1] & ~(PAGE - 1),
                    (dev.msix[1] + dev.msix[2] + PAGE - 1) & ~(PAGE - 1))
                   for dev in devices if dev.msix and dev.msix[1]]
    # the units' registers are the hypervisor's too
    unit_mmio = [(base & ~(PAGE - 1), (base + size + PAGE - 1) & ~(PAGE - 1))
                 for _type, base, size, _amd in units]
    mem = _memory_regions(iomem, hv_start, hv_start + reserved,
                          intel['rmrr'], msix_tables + unit_mmio)
    flags = {'ram': ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
                     'JAILHOUSE_MEM_EXECUTE', 'JAILHOUSE_MEM_DMA'],
             'dma': ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
                     'JAILHOUSE_MEM_EXECUTE', 'JAILHOUSE_MEM_DMA'],
             'ro': ['JAILHOUSE_MEM_READ'],
             'io': ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE',
                    'JAILHOUSE_MEM_IO']}
    mem.append((hv_end, args.mem_inmates, 'ram',
                'memory for non-root cells'))
    mem.sort()
    for start, size, kind, name in mem:
        regions.append(R.wrap_comment('%s: %s' % (len(regions), name)) +
                       '\n' + R.mem_region(start, start, size, flags[kind]))
    chips = []
    for index, (ioapic_id, address, gsi) in enumerate(ioapics):
        unit, bdf = ioapic_ids.get(ioapic_id, (0, 0xff00 | ioapic_id))
        chips.append('\n'.join([
            '\t\t/* IOAPIC %d, GSI base %d */ {' % (ioapic_id, gsi),
            '\t\t\t.address = %s,' % R.hexnum(address),
            '\t\t\t.id = %#x,' % (unit << 16 | bdf),
            '\t\t\t.pin_bitmap = {',
            '\t\t\t\t0xffffff,',
            '\t\t\t},',
            '\t\t},']))
    pio = ['\t\tPIO_RANGE(%#x, %#x),\t/* %s */' % (s, n, name[:40])
           for s, n, name in _pio_regions(ioports)]
    caps = []
    cap_lists = []
    devs = []
    for dev in devices:
        key = tuple(dev.caps)
        if dev.caps:
            if key in cap_lists:
                dev.caps_start = sum(len(c) for c in
                                     cap_lists[:cap_lists.index(key)])
            else:
                dev.caps_start = sum(len(c) for c in cap_lists)
                cap_lists.append(key)
                for i, (name, start, length, writable) in enumerate(key):
                    head = '\t\t/* %d: %s */ {' % (dev.caps_start + i,
                                                   dev.text) \
                        if i == 0 else '\t\t{'
                    caps.append('\n'.join([
                        head, '\t\t\t.id = %s,' % name,
                        '\t\t\t.start = %#x,' % start,
                        '\t\t\t.len = %d,' % length,
                        '\t\t\t.flags = %s,' % ('JAILHOUSE_PCICAPS_WRITE'
                                                if writable else '0'),
                        '\t\t},']))
        lines = ['\t\t/* %s */ {' % dev.text,
                 '\t\t\t.type = JAILHOUSE_PCI_TYPE_%s,' % (
                     'BRIDGE' if dev.bridge else 'DEVICE'),
                 '\t\t\t.iommu = %d,' % dev.iommu,
                 '\t\t\t.domain = %#x,' % dev.domain,
                 '\t\t\t.bdf = %#x,' % dev.bdf,
                 '\t\t\t.bar_mask = {',
                 '\t\t\t\t%s,' % ', '.join(R.hexnum(m) for m in dev.bars[:3]),
                 '\t\t\t\t%s,' % ', '.join(R.hexnum(m) for m in dev.bars[3:]),
                 '\t\t\t},']
        if dev.caps:
            lines += ['\t\t\t.caps_start = %d,' % dev.caps_start,
                      '\t\t\t.num_caps = %d,' % len(dev.caps)]
        if dev.msi:
            lines += ['\t\t\t.num_msi_vectors = %d,' % dev.msi[0],
                      '\t\t\t.msi_64bits = %d,' % dev.msi[1],
                      '\t\t\t.msi_maskable = %d,' % dev.msi[2]]
        if dev.msix:
            lines += ['\t\t\t.num_msix_vectors = %d,' % dev.msix[0],
                      '\t\t\t.msix_region_size = %#x,' % dev.msix[2],
                      '\t\t\t.msix_address = %s,' % R.hexnum(dev.msix[1])]
        devs.append('\n'.join(lines + ['\t\t},']))
    iommu_text = []
    for index, (kind, base, size, amd_info) in enumerate(units):
        lines = ['\t\t\t\t{',
                 '\t\t\t\t\t.type = %s,' % kind,
                 '\t\t\t\t\t.base = %s,' % R.hexnum(base),
                 '\t\t\t\t\t.size = %#x,' % size]
        if amd_info:
            lines += ['\t\t\t\t\t.amd = {',
                      '\t\t\t\t\t\t.bdf = %#x,' % amd_info[0],
                      '\t\t\t\t\t\t.base_cap = %#x,' % amd_info[1],
                      '\t\t\t\t\t\t.msi_cap = %#x,' % amd_info[2],
                      '\t\t\t\t\t\t.features = %#x,' % amd_info[3],
                      '\t\t\t\t\t},']
        iommu_text.append('\n'.join(lines + ['\t\t\t\t},']))
    mcfg_base, _seg, _first, mcfg_end = mcfg[0]
    vendor = (sysroot.read_optional('/sys/class/dmi/id/sys_vendor', '') +
              ' ' + sysroot.read_optional('/sys/class/dmi/id/product_name',
                                          '')).split()
    model = ' '.join(vendor) or 'an x86 machine'
    ctype_flags = ['JAILHOUSE_CON_ACCESS_MMIO' if con['mmio'] else
                   'JAILHOUSE_CON_ACCESS_PIO']
    if con['regdist4']:
        ctype_flags.append('JAILHOUSE_CON_REGDIST_4')
    cpu_text, words = R.cpu_words(sorted(cpus))

    values = dict(
        model=model, hv_range='%#x-%#x' % (hv_start, hv_end - 1),
        inmates_range='%#x-%#x' % (hv_end, inmates_end - 1),
        reserved='%s at %#x' % (format_size(reserved), hv_start),
        cpu_words=words, num_regions=len(regions),
        hv_start=R.hexnum(hv_start), hv_size=R.hexnum(args.mem_hv),
        console=R.console('8250', con['address'], ctype_flags,
                          size=0x1000 if con['mmio'] else 8)
        .replace('\t\t\t.size = 0x0008,\n', ''),
        console_name=con['name'],
        mmconfig=R.hexnum(mcfg_base), mmconfig_end=R.hexnum(mcfg_end, 2),
        pm_timer='%#x' % pm_timer,
        iommus='\n'.join(iommu_text) or '\t\t\t\t/* none found */',
        vtd_limit=256 if intel['units'] else 0,
        name=re.sub(r'[^a-z0-9]+', '-', model.lower()).strip('-')[:31] or
        'root',
        cpus=cpu_text, regions='\n'.join(regions),
        irqchips='\n'.join(chips), pio='\n'.join(pio),
        pci_devices='\n'.join(devs), pci_caps='\n'.join(caps),
        num_irqchips=len(chips), num_pio=len(pio), num_pci=len(devs),
        num_caps=len(caps))
    text = R.render('root-cell-config.c.tmpl', args.template_dir, **values)
    # Empty tables: drop their members, counts and initialisers.
    for field, count in (('irqchips', len(chips)), ('pio_regions', len(pio)),
                         ('pci_devices', len(devs)), ('pci_caps',
                                                      len(caps))):
        if count:
            continue
        text = re.sub(r'\tstruct jailhouse_\w+ %s\[0\];\n' % field, '', text)
        text = re.sub(r'\t\t\t\.num_%s = ARRAY_SIZE\(config\.%s\),\n'
                      % (field, field), '', text)
        text = re.sub(r'\n\t\.%s = \{\n\n\t\},\n' % field, '', text)
    return text
