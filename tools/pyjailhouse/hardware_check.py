# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse hardware check`, can Jailhouse run on this machine?
"""jailhouse hardware check [-r ROOT]

Prints each requirement with "ok" or "missing" (optional features with
"ok" or "absent") and a verdict. Exit status: 0 when Jailhouse can run,
2 when a requirement is missing, 1 when an essential check could not be
made (no MSR access, no kernel log): run it as root on the target.

x86 (as upstream): /proc/cpuinfo, the VMX capability MSRs through
/dev/cpu/0/msr, the ACPI tables (DMAR, IVRS, MCFG) in
/sys/firmware/acpi/tables. ARM64: EL2 for the hypervisor (the driver's
probe when the module has reported, else the kernel log, the command line
and the device tree), the GIC (version 2 or 3; GICv2 needs its
virtualization frames), PSCI method.
"""

import argparse
import os
import struct
import sys

from .sysroot import InputError, SysRoot

PROG = 'jailhouse hardware check'

IA32_FEATURE_CONTROL = 0x3a
IA32_VMX_BASIC = 0x480
IA32_VMX_PINBASED_CTLS = 0x481
IA32_VMX_PROCBASED_CTLS = 0x482
IA32_VMX_EXIT_CTLS = 0x483
IA32_VMX_ENTRY_CTLS = 0x484
IA32_VMX_MISC = 0x485
IA32_VMX_PROCBASED_CTLS2 = 0x48b
IA32_VMX_EPT_VPID_CAP = 0x48c
IA32_VMX_TRUE_PROCBASED_CTLS = 0x48e
AMD_VM_CR = 0xc0010114


class Checker:
    def __init__(self, out):
        self.out = out
        self.failed = False
        self.skipped = False

    def section(self, title):
        self.out.write('\n%s\n%s\n' % (title, '-' * len(title)))

    def check(self, what, present, optional=False, note=''):
        """present: True/False, or None when it could not be determined."""
        if present is None:
            state = 'unknown'
            if not optional:
                self.skipped = True
        elif present:
            state = 'ok'
        else:
            state = 'absent' if optional else 'missing'
            if not optional:
                self.failed = True
        line = '%-44s %s' % (what, state)
        if note:
            line += '  (%s)' % note
        self.out.write(line.rstrip() + '\n')
        return present

    def verdict(self):
        if self.failed:
            self.out.write('\nCheck FAILED: Jailhouse cannot run here.\n')
            return 2
        if self.skipped:
            self.out.write('\nCheck INCOMPLETE: essential checks could not '
                           'be made (run as root on the target).\n')
            return 1
        self.out.write('\nCheck passed: Jailhouse can run here.\n')
        return 0


def cpuinfo(sysroot):
    """(vendor, set of flags, number of processors, machine words)."""
    text = sysroot.read_text('/proc/cpuinfo')
    vendor = ''
    flags = set()
    count = 0
    for line in text.splitlines():
        key, _sep, value = line.partition(':')
        key = key.strip()
        if key == 'processor':
            count += 1
        elif key == 'vendor_id' and not vendor:
            vendor = value.strip()
        elif key in ('flags', 'Features') and not flags:
            flags = set(value.split())
    return vendor, flags, count, text


class Msr:
    """MSRs of CPU 0 through /dev/cpu/0/msr (the msr module, root)."""

    def __init__(self, sysroot):
        self.path = sysroot.path('/dev/cpu/0/msr')
        self.error = None
        self.fd = None
        try:
            self.fd = os.open(self.path, os.O_RDONLY)
        except OSError as err:
            self.error = '%s: %s (load the msr module, run as root)' % (
                self.path, os.strerror(err.errno))

    def read(self, index):
        if self.fd is None:
            return None
        try:
            data = os.pread(self.fd, 8, index)
        except OSError:
            return None
        return struct.unpack('<Q', data)[0] if len(data) == 8 else None


def _bit(value, bit):
    return None if value is None else bool(value >> bit & 1)


def acpi_table(sysroot, name):
    data = sysroot.read_optional_bytes('/sys/firmware/acpi/tables/' + name)
    if data is None or data[:4] != name.encode():
        return None
    return data


def _iommu_units(sysroot, vendor):
    """Number of IOMMU units in DMAR (Intel) or IVRS (AMD), None if the
    table is missing."""
    if vendor == 'GenuineIntel':
        table = acpi_table(sysroot, 'DMAR')
        if table is None:
            return None
        pos, count = 48, 0
        while pos + 4 <= len(table):
            kind, length = struct.unpack_from('<HH', table, pos)
            if length < 4:
                break
            count += kind == 0
            pos += length
        return count
    table = acpi_table(sysroot, 'IVRS')
    if table is None:
        return None
    pos, count = 48, 0
    while pos + 4 <= len(table):
        kind, _flags, length = struct.unpack_from('<BBH', table, pos)
        if length < 4:
            break
        count += kind in (0x10, 0x11, 0x40)
        pos += length
    return count


# AMD-Vi: the IOMMU capability block in PCI config space and the MMIO
# registers (AMD I/O Virtualization Technology Specification 48882).
AMD_CAP_EFR_SUPPORTED = 1 << 27
AMD_MMIO_CONTROL = 0x18
AMD_MMIO_EFR = 0x30
AMD_MMIO_SMI_FILTER0 = 0x60
AMD_MMIO_SIZE = 0x4000


class Mmio:
    """Read-only window on physical memory through /dev/mem (root; the
    kernel must not restrict the range)."""

    def __init__(self, sysroot, base, size):
        import mmap  # pylint: disable=import-outside-toplevel
        self.map = None
        self.error = None
        if sysroot.read_optional('/sys/devices/jailhouse/enabled',
                                 '0').strip() == '1':
            # The unit is the hypervisor's: the root touching it is a
            # violation.
            self.error = 'Jailhouse is enabled: not read'
            return
        path = sysroot.path('/dev/mem')
        try:
            fd = os.open(path, os.O_RDONLY | os.O_SYNC)
        except OSError as err:
            self.error = '%s: %s' % (path, os.strerror(err.errno))
            return
        try:
            self.map = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ,
                                 offset=base)
        except (OSError, ValueError) as err:
            self.error = '%s at %#x: %s' % (
                path, base, os.strerror(err.errno) if getattr(err, 'errno', None)
                else err)
        finally:
            os.close(fd)

    def read64(self, offset):
        if self.map is None:
            return None
        return struct.unpack_from('<Q', self.map, offset)[0]


def check_amd_iommus(sysroot, chk):
    """What upstream's check reads of each AMD IOMMU, with this
    hypervisor's needs: it takes a unit the OS left off (Linux:
    amd_iommu=off) and needs no SMI filter (upstream's does)."""
    from . import acpi_x86  # pylint: disable=import-outside-toplevel
    table = acpi_table(sysroot, 'IVRS')
    for index, unit in enumerate(acpi_x86.ivrs(table)['units']):
        bdf = unit['bdf']
        chk.check('AMD-Vi (IOMMU #%d)' % index, bool(unit['base']),
                  note='%02x:%02x.%x, registers at %#x' % (
                      bdf >> 8, bdf >> 3 & 0x1f, bdf & 7, unit['base']))
        config = sysroot.read_optional_bytes(
            '/sys/bus/pci/devices/0000:%02x:%02x.%x/config'
            % (bdf >> 8, bdf >> 3 & 0x1f, bdf & 7))
        cap = unit['cap']
        if config is None or len(config) < cap + 12:
            header = base = None
        else:
            header, low, high = struct.unpack_from('<III', config, cap)
            base = high << 32 | low
        chk.check('  Extended feature register', None if header is None
                  else bool(header & AMD_CAP_EFR_SUPPORTED))
        chk.check('  Valid base register', None if base is None else
                  not base & 1 or base == unit['base'] | 1)
        mmio = Mmio(sysroot, unit['base'], AMD_MMIO_SIZE)
        control = mmio.read64(AMD_MMIO_CONTROL)
        chk.check('  Left off by the OS (Linux: amd_iommu=off)',
                  None if control is None else not control & 1,
                  note=mmio.error or '')
        efr = mmio.read64(AMD_MMIO_EFR)
        smi = None if efr is None else (efr >> 16 & 3) == 1
        if smi:
            for reg in range(1 << (efr >> 18 & 7)):
                value = mmio.read64(AMD_MMIO_SMI_FILTER0 + 8 * reg)
                # locked to match one device: SMIs cannot be filtered
                if value is not None and value >> 16 & 3 == 3:
                    smi = False
        chk.check('  SMI filter', smi, optional=True,
                  note='not used here; upstream\'s hypervisor needs it')
        # the firmware's type 10h feature field overrides the register
        if unit['features']:
            events = bool(unit['features'] & acpi_x86.IVHD10_HE_SUP)
        else:
            source = efr if efr is not None else unit['efr']
            events = None if source is None else \
                bool(source & acpi_x86.EFR_HE_SUP)
        chk.check('  Hardware events', events, optional=True)


def check_x86(sysroot, chk):
    vendor, flags, count, _text = cpuinfo(sysroot)
    chk.section('Generic')
    chk.check('Number of CPUs > 1', count > 1)
    chk.check('Long mode', 'lm' in flags)
    chk.check('x2APIC', 'x2apic' in flags, optional=True)
    chk.check('PCI MMCONFIG (ACPI MCFG)', acpi_table(sysroot, 'MCFG')
              is not None)
    msr = Msr(sysroot)
    if vendor == 'GenuineIntel':
        chk.section('Intel VT-x')
        chk.check('VT-x (VMX)', 'vmx' in flags)
        if msr.error:
            chk.out.write('MSRs not readable: %s\n' % msr.error)
        feat = msr.read(IA32_FEATURE_CONTROL)
        chk.check('  VMX outside SMX', _bit(feat, 2))
        chk.check('  VMX inside SMX', _bit(feat, 1), optional=True)
        chk.check('  IA32_TRUE_*_CTLS', _bit(msr.read(IA32_VMX_BASIC), 55))
        pin = msr.read(IA32_VMX_PINBASED_CTLS)
        chk.check('  NMI exiting', _bit(pin, 35))
        chk.check('  Preemption timer', _bit(pin, 38))
        proc = msr.read(IA32_VMX_PROCBASED_CTLS)
        chk.check('  I/O bitmap', _bit(proc, 57))
        chk.check('  MSR bitmap', _bit(proc, 60))
        chk.check('  Secondary controls', _bit(proc, 63))
        true_proc = msr.read(IA32_VMX_TRUE_PROCBASED_CTLS)
        chk.check('  Optional CR3 interception', None if true_proc is None
                  else (true_proc >> 15 & 3) == 0)
        proc2 = msr.read(IA32_VMX_PROCBASED_CTLS2)
        chk.check('  Virtualize APIC access', _bit(proc2, 32))
        chk.check('  RDTSCP', _bit(proc2, 35), optional='rdtscp' not in flags)
        chk.check('  Unrestricted guest', _bit(proc2, 39))
        chk.check('  EPT', _bit(proc2, 33))
        ept = msr.read(IA32_VMX_EPT_VPID_CAP)
        chk.check('    4-level page walk', _bit(ept, 6))
        chk.check('    EPTP write-back', _bit(ept, 14))
        chk.check('    2M pages', _bit(ept, 16), optional=True)
        chk.check('    1G pages', _bit(ept, 17), optional=True)
        chk.check('    INVEPT', _bit(ept, 20))
        chk.check('      Single or all-context', None if ept is None
                  else bool(ept >> 25 & 3))
        exit_ctls = msr.read(IA32_VMX_EXIT_CTLS)
        for name, bit in (('save IA32_PAT', 50), ('load IA32_PAT', 51),
                          ('save IA32_EFER', 52), ('load IA32_EFER', 53)):
            chk.check('  VM-exit ' + name, _bit(exit_ctls, bit))
        entry = msr.read(IA32_VMX_ENTRY_CTLS)
        chk.check('  VM-entry load IA32_PAT', _bit(entry, 46))
        chk.check('  VM-entry load IA32_EFER', _bit(entry, 47))
        chk.check('  Activity state HLT', _bit(msr.read(IA32_VMX_MISC), 6))
        chk.section('Intel VT-d')
        units = _iommu_units(sysroot, vendor)
        chk.check('VT-d (DMAR table with IOMMU units)', bool(units),
                  note='%d units' % units if units else 'no DMAR table'
                  if units is None else 'no units')
    elif vendor == 'AuthenticAMD':
        chk.section('AMD-V')
        chk.check('AMD-V (SVM)', 'svm' in flags)
        vm_cr = msr.read(AMD_VM_CR)
        chk.check('  SVM not disabled by firmware (VM_CR.SVMDIS)',
                  None if vm_cr is None else not vm_cr >> 4 & 1,
                  note=msr.error or '')
        chk.check('  NPT', 'npt' in flags)
        chk.check('  Decode assist', 'decodeassists' in flags, optional=True)
        chk.check('  AVIC', 'avic' in flags, optional=True)
        chk.check('  Flush by ASID', 'flushbyasid' in flags, optional=True)
        chk.section('AMD-Vi')
        units = _iommu_units(sysroot, vendor)
        chk.check('AMD-Vi (IVRS table with IOMMU units)', bool(units),
                  note='%d units' % units if units else 'no IVRS table'
                  if units is None else 'no units')
        if units:
            check_amd_iommus(sysroot, chk)
    else:
        chk.check('CPU vendor Intel or AMD', False, note=vendor or 'unknown')


def _kernel_log(sysroot):
    """The kernel log as text, or None (dmesg restricted, not live)."""
    if not sysroot.live:
        return sysroot.read_optional('/var/log/dmesg')
    try:
        fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    lines = []
    try:
        while True:
            try:
                record = os.read(fd, 8192)
            except BlockingIOError:
                break
            except OSError:
                continue      # EPIPE: overwritten records, go on
            if not record:
                break
            lines.append(record.decode('utf-8', 'replace').split(';', 1)[-1])
    finally:
        os.close(fd)
    return ''.join(lines)


def check_arm64(sysroot, chk):
    from . import devtree  # pylint: disable=import-outside-toplevel
    _vendor, flags, count, _text = cpuinfo(sysroot)
    cmdline = sysroot.read_optional('/proc/cmdline', '')
    chk.section('Generic')
    chk.check('Number of CPUs > 1', count > 1)
    chk.check('AArch64', 'fp' in flags or 'asimd' in flags or
              sysroot.exists('/proc/device-tree/cpus'))
    chk.section('EL2 for the hypervisor')
    enabled = sysroot.read_optional('/sys/devices/jailhouse/enabled')
    log = _kernel_log(sysroot)
    driver_said = None
    if log is not None:
        for line in log.splitlines():
            if 'jailhouse:' in line and ('EL2' in line or
                                         'kvm-arm.mode' in line):
                driver_said = line.strip()
    if enabled is not None and enabled.strip() == '1':
        chk.check('EL2 (the driver runs the hypervisor)', True)
    elif driver_said:
        chk.check('EL2 (the driver\'s probe)', False, note=driver_said)
    else:
        at_el2 = None
        if log is not None:
            if 'started at EL2' in log:
                at_el2 = True
            elif 'started at EL1' in log:
                at_el2 = False
        chk.check('Linux booted at EL2', at_el2,
                  note='no kernel log: run as root' if log is None else '')
        kvm_took = None
        if 'kvm-arm.mode=none' in cmdline:
            kvm_took = False
        elif log is not None:
            kvm_took = 'Hyp mode initialized' in log or \
                'VHE mode initialized' in log or \
                'nVHE mode initialized' in log
        chk.check('EL2 not taken by KVM', None if kvm_took is None
                  else not kvm_took,
                  note='boot with kvm-arm.mode=none' if kvm_took else '')
    try:
        tree = devtree.from_dir(sysroot)
    except InputError as err:
        chk.check('Device tree', None, note=str(err))
        return
    chk.section('Interrupt controller and firmware')
    from .platform_arm64 import GICV2, GICV3  # pylint: disable=import-outside-toplevel
    v3 = tree.compatible(*GICV3)
    v2 = tree.compatible(*GICV2)
    version = 3 if v3 else 2 if v2 else None
    chk.check('GIC', version is not None,
              note='GICv%d' % version if version else 'none in the device '
              'tree')
    if version == 2:
        chk.check('  GICv2 virtualization (GICH, GICV in reg)',
                  len(v2[0].reg()) >= 4)
    psci = tree.compatible('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci')
    method = psci[0].string('method', '') if psci else ''
    chk.check('PSCI', bool(psci), note=', '.join(psci[0].compatible)
              if psci else 'no psci node')
    if psci:
        chk.check('  PSCI through SMC (EL3 firmware)', method == 'smc',
                  note='method "%s"%s' % (method, ': a hypervisor runs '
                                          'below Linux' if method == 'hvc'
                                          else ''))


def main(argv=None, out=None):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Check whether this machine can run Jailhouse: print '
        'each requirement (ok / missing, optional features ok / absent) '
        'and a verdict. Exit status 0: it can; 2: a requirement is '
        'missing; 1: essential checks could not be made (run as root).')
    parser.add_argument('-r', '--root', default='/',
                        help='read /proc and /sys under ROOT (a collected '
                        'tree) instead of the running system')
    args = parser.parse_args(argv)
    out = out or sys.stdout
    sysroot = SysRoot(args.root)
    try:
        _vendor, _flags, _count, text = cpuinfo(sysroot)
        x86 = 'vendor_id' in text
        out.write('Jailhouse hardware check (%s)\n' % ('x86' if x86 else
                                                         'ARM64'))
        chk = Checker(out)
        if x86:
            check_x86(sysroot, chk)
        else:
            check_arm64(sysroot, chk)
    except InputError as err:
        sys.stderr.write('%s: %s\n' % (PROG, err))
        return 1
    return chk.verdict()


if __name__ == '__main__':
    sys.exit(main())
