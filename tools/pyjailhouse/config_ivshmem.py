# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: the hypervisor's ivshmem rules for `jailhouse config check` and the build
"""What hypervisor/ivshmem.c (and, on ARM, arm-common/vpci.c) refuses of
ivshmem functions, for the checks of tools/pyjailhouse: one endpoint on
its own (endpoint_problems(), per config file), the ends of a link
together and the ARM INTx interrupts between cells (link_findings(), a
system config with its cells).  Results are (severity, text) with the
severities of config.py ('error', 'warning', 'note').

The hypervisor accepts what upstream's accepts: a peer ID below
IVSHMEM_MAX_PEERS whatever shmem_peers says, ends of a link that disagree
on peer and vector counts or on the sections both declare (a warning: each
end sees only its own), and on ARM INTx interrupts a cell does not own (a
warning: they raise nothing)."""

from .abi import C

IVSHMEM_MAX_PEERS = 16
IVSHMEM_MSIX_VECTORS = 16
MAX_LINKS = 32
PAGE_SIZE = 0x1000
# BAR 0: the registers up to and with the state register (0x10);
# BAR 1: the MSI-X table and its pending bits for IVSHMEM_MSIX_VECTORS
BAR0_MIN = 0x14
BAR1_MIN = 2 * 16 * IVSHMEM_MSIX_VECTORS
SHMEM_BAD_FLAGS = (C.JAILHOUSE_MEM_COMM_REGION | C.JAILHOUSE_MEM_LOADABLE |
                   C.JAILHOUSE_MEM_IO)
SECTION_NAMES = ('state table', 'read-write section')
# ARM: GIC interrupt IDs below this exist
MAX_IRQS = 1024

ERROR = 'error'
WARNING = 'warning'
NOTE = 'note'


def section_name(n):
    return SECTION_NAMES[n] if n < 2 else 'output section %d' % (n - 2)


def _bar_mask_ok(mask, minimum):
    """As the hypervisor: no flag bits, 2^n bytes, at least minimum (the
    size of a 32-bit mask is ~mask + 1, mask 0 being 4 GiB)."""
    size = (~mask & 0xffffffff) + 1
    return not mask & 0xf and not size & (size - 1) and size >= minimum


def endpoint_problems(cell, dev):
    """[(severity, text)] of ivshmem function dev of cell on its own, as
    the hypervisor checks it when the cell joins the link (text without
    the device's label)."""
    out = []
    peers = dev.shmem_peers
    if dev.shmem_dev_id >= IVSHMEM_MAX_PEERS:
        out.append((ERROR, 'shmem_dev_id %d, at most %d peers per link'
                    % (dev.shmem_dev_id, IVSHMEM_MAX_PEERS)))
    if not 1 <= peers <= IVSHMEM_MAX_PEERS:
        out.append((ERROR, 'shmem_peers %d, the hypervisor takes 1 to %d'
                    % (peers, IVSHMEM_MAX_PEERS)))
    elif dev.shmem_dev_id >= peers and \
            dev.shmem_dev_id < IVSHMEM_MAX_PEERS:
        out.append((NOTE, 'shmem_dev_id %d not below shmem_peers %d: this '
                    'cell has no output section of its own'
                    % (dev.shmem_dev_id, peers)))
    if dev.num_msix_vectors > IVSHMEM_MSIX_VECTORS:
        out.append((ERROR, '%d MSI-X vectors, an ivshmem function has at '
                    'most %d' % (dev.num_msix_vectors,
                                 IVSHMEM_MSIX_VECTORS)))
    if not _bar_mask_ok(dev.bar_mask[0], BAR0_MIN):
        out.append((ERROR, 'BAR 0 mask %#x is not that of a 32-bit memory '
                    'BAR of 2^n bytes, at least %#x'
                    % (dev.bar_mask[0], BAR0_MIN)))
    if dev.num_msix_vectors and not _bar_mask_ok(dev.bar_mask[1], BAR1_MIN):
        out.append((ERROR, 'BAR 1 mask %#x is not that of a 32-bit memory '
                    'BAR of 2^n bytes, at least %#x (MSI-X table and '
                    'pending bits)' % (dev.bar_mask[1], BAR1_MIN)))
    elif not dev.num_msix_vectors and dev.bar_mask[1]:
        out.append((ERROR, 'BAR 1 mask %#x without MSI-X vectors (must be '
                    '0)' % dev.bar_mask[1]))
    for bar in range(2, 6):
        if dev.bar_mask[bar]:
            out.append((ERROR, 'BAR %d mask %#x: an ivshmem function has '
                        'BARs 0 and 1 only' % (bar, dev.bar_mask[bar])))
    if not 1 <= peers <= IVSHMEM_MAX_PEERS:
        return out
    first = dev.shmem_regions_start
    regions = cell.memory_regions
    if first + peers + 2 > len(regions):
        out.append((ERROR, 'shared memory regions %d..%d beyond the %d '
                    'memory regions' % (first, first + peers + 1,
                                        len(regions))))
        return out
    shmem = regions[first:first + peers + 2]
    own = 2 + dev.shmem_dev_id

    def bad(n, text):
        out.append((ERROR, 'shared memory region %d (%s): %s'
                    % (first + n, section_name(n), text)))

    state = shmem[0]
    need = max(peers, dev.shmem_dev_id + 1) * 4
    if state.size < need:
        bad(0, 'size %#x, the state table of %d peers needs %#x'
            % (state.size, max(peers, dev.shmem_dev_id + 1), need))
    if state.flags & C.JAILHOUSE_MEM_WRITE:
        bad(0, 'writable (the hypervisor writes the state table, peers '
            'read it)')
    for n, region in enumerate(shmem):
        if region.flags & SHMEM_BAD_FLAGS:
            bad(n, 'a comm, loadable or I/O region')
        if (region.phys_start | region.virt_start | region.size) % \
                PAGE_SIZE:
            bad(n, 'not page aligned (%#x+%#x at guest %#x)'
                % (region.phys_start, region.size, region.virt_start))
        if region.size and not region.flags & C.JAILHOUSE_MEM_READ:
            bad(n, 'not readable')
        if n >= 2 and region.size != shmem[2].size:
            bad(n, 'size %#x, output section 0 has %#x (all outputs '
                'are of one size)' % (region.size, shmem[2].size))
        if n >= 2 and n != own and region.flags & C.JAILHOUSE_MEM_WRITE:
            bad(n, 'writable, but the output of peer %d, not of this cell '
                '(peer %d)' % (n - 2, dev.shmem_dev_id))
        for m in range(n):
            other = shmem[m]
            if region.phys_start < other.phys_start + other.size and \
                    other.phys_start < region.phys_start + region.size:
                bad(n, 'overlaps region %d (%s)'
                    % (first + m, section_name(m)))
    return out


def _sections(cell, dev):
    first = dev.shmem_regions_start
    return cell.memory_regions[first:first + dev.shmem_peers + 2]


def _refused(cell, dev):
    return any(sev == ERROR for sev, _ in endpoint_problems(cell, dev))


def _disagreement(end, other):
    """Text of the first section both ends declare that differs, or None
    (as the hypervisor compares a joining end with one already there)."""
    (_, cell, dev), (other_owner, other_cell, other_dev) = end, other
    mine, theirs = _sections(cell, dev), _sections(other_cell, other_dev)
    for n in range(min(dev.shmem_peers, other_dev.shmem_peers) + 2):
        a, b = mine[n], theirs[n]
        if a.size != b.size or (a.size and a.phys_start != b.phys_start):
            return ('%s (region %d, %#x bytes at %#x) differs from that of '
                    '%s (region %d, %#x bytes at %#x)'
                    % (section_name(n), dev.shmem_regions_start + n, a.size,
                       a.phys_start, other_owner,
                       other_dev.shmem_regions_start + n, b.size,
                       b.phys_start))
    return None


def link_findings(system, cells):
    """(path, severity, text) of ivshmem links: the root cell (path None)
    joins first, then cells in the order given (list of (path, cell)), as
    `jailhouse enable` and `cell create` in that order would."""
    parties = [(None, 'the root cell', system.root_cell)] + [
        (path, 'cell "%s" (%s)' % (cell.name, path), cell)
        for path, cell in cells]
    links = {}
    for path, owner, cell in parties:
        for dev in cell.pci_devices:
            if not dev.is_ivshmem or _refused(cell, dev):
                continue
            key = (dev.domain, dev.bdf)
            label = 'ivshmem device %s' % dev.bdf_str
            ends = links.get(key)
            if ends is None:
                if len(links) == MAX_LINKS:
                    yield path, ERROR, ('%s: a link more than the %d the '
                                        'hypervisor holds' % (label,
                                                              MAX_LINKS))
                    continue
                links[key] = {dev.shmem_dev_id: (owner, cell, dev)}
                continue
            other = ends[min(ends)]
            differs = _disagreement((owner, cell, dev), other)
            if differs:
                # accepted as by upstream: each end sees only its own
                yield path, WARNING, ('%s: %s; the peers will not see each '
                                      'other\'s memory' % (label, differs))
            if dev.shmem_dev_id in ends:
                yield path, ERROR, ('%s: peer ID %d also used by %s'
                                    % (label, dev.shmem_dev_id,
                                       ends[dev.shmem_dev_id][0]))
            else:
                ends[dev.shmem_dev_id] = (owner, cell, dev)
    if system.architecture != C.JAILHOUSE_X86:
        yield from _intx_findings(system, parties)


def _on_host(info, dev):
    return bool(info.pci_mmconfig_base and info.pci_is_virtual and
                dev.domain == info.pci_domain and
                dev.bdf >> 8 <= info.pci_mmconfig_end_bus)


def _spis(system, cell):
    gicd = system.platform_info.arm.gicd_base
    return {pin for chip in cell.irqchips if chip.address == gicd
            for pin in chip.pins if 32 <= pin < MAX_IRQS}


def _intx_spi(cell, dev):
    """The GIC interrupt INTx of dev raises in cell (as vpci.c numbers
    it: pins rotate with the device number)."""
    return 32 + cell.vpci_irq_base + ((dev.bdf >> 3) & 3)


def _intx_findings(system, parties):
    """ARM: a function's INTx that is not an interrupt of its own cell's
    irqchips, or that a new cell's irqchips take, raises nothing (the
    hypervisor accepts both, as upstream's does)."""
    info = system.platform_info
    existing = []
    for path, owner, cell in parties:
        users = []
        for dev in cell.pci_devices:
            if not dev.is_ivshmem:
                continue
            label = 'ivshmem device %s' % dev.bdf_str
            if not _on_host(info, dev):
                yield path, WARNING, (
                    '%s is not on the virtual PCI host (platform '
                    'pci_mmconfig_base, pci_is_virtual, pci_domain, end '
                    'bus): ignored by the hypervisor' % label)
                continue
            if dev.num_msix_vectors:
                yield path, WARNING, (
                    '%s has MSI-X vectors, the virtual PCI host on ARM '
                    'only INTx: it raises no interrupt' % label)
                continue
            spi = _intx_spi(cell, dev)
            users.append((spi, label))
            if spi not in _spis(system, cell):
                yield path, WARNING, (
                    '%s: its INTx interrupt %d (32 + vpci_irq_base %d + '
                    'pin %d - 1) is not one of the cell\'s irqchip '
                    'interrupts: it raises none' % (label, spi,
                                                    cell.vpci_irq_base,
                                    ((dev.bdf >> 3) & 3) + 1))
        if path is not None:
            mine = _spis(system, cell)
            for other_owner, other_users in existing:
                taken = [(spi, label) for spi, label in other_users
                         if spi in mine]
                if taken:
                    spi, label = taken[0]
                    yield path, WARNING, (
                        'its irqchips take interrupt %d, the INTx of %s of '
                        '%s: it raises none there' % (spi, label,
                                                      other_owner))
        existing.append((owner, users))
