# SPDX-License-Identifier: GPL-2.0-only
# `jailhouse hardware check` against recorded trees: each requirement, the verdict and the exit status

import io
import os
import re

import pytest

from confgen_data import dtb_tree, unpack
import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import hardware_check  # noqa: E402


def check(root):
    out = io.StringIO()
    status = hardware_check.main(['-r', str(root)], out=out)
    return status, out.getvalue()


def state(text, what):
    match = re.search(r'^%s\s+(ok|missing|absent|unknown)' % re.escape(what),
                      text, re.M)
    assert match, (what, text)
    return match.group(1)


def test_x86_qemu_svm_without_iommu(tmp_path):
    """q35 with -cpu qemu64,+svm,+npt under TCG: SVM and NPT are there,
    x2APIC and the IOMMU are not: the verdict is FAILED (exit 2)."""
    status, text = check(unpack('x86/qemu-q35.tar.gz', tmp_path))
    assert text.startswith('Jailhouse hardware check (x86)\n')
    assert state(text, 'Number of CPUs > 1') == 'ok'
    assert state(text, 'Long mode') == 'ok'
    assert state(text, 'x2APIC') == 'absent'
    assert state(text, 'PCI MMCONFIG (ACPI MCFG)') == 'ok'
    assert state(text, 'AMD-V (SVM)') == 'ok'
    assert state(text, '  NPT') == 'ok'
    assert state(text, '  Decode assist') == 'absent'
    assert state(text, '  SVM not disabled by firmware (VM_CR.SVMDIS)') == \
        'unknown'
    assert state(text, 'AMD-Vi (IVRS table with IOMMU units)') == 'missing'
    assert text.endswith('\nCheck FAILED: Jailhouse cannot run here.\n')
    assert status == 2


IOMMU_BASE = 0xfed80000


def _iommu_root(tmp_path, control=0, efr=0, vm_cr=0):
    """q35 with QEMU's amd-iommu as recorded, plus the live files a root
    user has: /dev/cpu/0/msr (VM_CR) and /dev/mem (the IOMMU's control
    and extended feature registers), as sparse files."""
    root = unpack('x86/qemu-q35-iommu.tar.gz', tmp_path)
    os.makedirs(os.path.join(root, 'dev/cpu/0'))
    with open(os.path.join(root, 'dev/cpu/0/msr'), 'wb') as f:
        f.seek(hardware_check.AMD_VM_CR)
        f.write(vm_cr.to_bytes(8, 'little'))
    with open(os.path.join(root, 'dev/mem'), 'wb') as f:
        f.seek(IOMMU_BASE + hardware_check.AMD_MMIO_CONTROL)
        f.write(control.to_bytes(8, 'little'))
        f.seek(IOMMU_BASE + hardware_check.AMD_MMIO_EFR)
        f.write(efr.to_bytes(8, 'little'))
        f.truncate(IOMMU_BASE + hardware_check.AMD_MMIO_SIZE)
    return root


def test_x86_amd_iommu_unit_passes_without_smi_filter(tmp_path):
    """QEMU's amd-iommu left off by Linux: every requirement of this
    hypervisor is met; the SMI filter (upstream's hypervisor requires it,
    QEMU has none) is optional here."""
    status, text = check(_iommu_root(tmp_path))
    assert state(text, 'AMD-Vi (IOMMU #0)') == 'ok'
    assert '00:03.0, registers at 0xfed80000' in text
    assert state(text, '  Extended feature register') == 'ok'
    assert state(text, '  Valid base register') == 'ok'
    assert state(text, '  Left off by the OS (Linux: amd_iommu=off)') == 'ok'
    assert state(text, '  SMI filter') == 'absent'
    assert state(text, '  SVM not disabled by firmware (VM_CR.SVMDIS)') == \
        'ok'
    assert text.endswith('\nCheck passed: Jailhouse can run here.\n'), text
    assert status == 0


@pytest.mark.parametrize('field,efr,events', [
    (0x44, 1 << 8, 'absent'),   # recorded field: HESup (bit 7) clear
    (0xc4, 0, 'ok'),            # the firmware's field says yes
    (0, 1 << 8, 'ok'),          # no field: the register's HESup (bit 8)
])
def test_x86_amd_iommu_hardware_events(tmp_path, field, efr, events):
    """The IVHD type 10h feature field (HESup is its bit 7) overrides the
    extended feature register (HESup is bit 8 there)."""
    root = _iommu_root(tmp_path, efr=efr)
    path = os.path.join(root, 'sys/firmware/acpi/tables/IVRS')
    with open(path, 'rb') as f:
        table = bytearray(f.read())
    assert table[48] == 0x10
    table[48 + 20:48 + 24] = field.to_bytes(4, 'little')
    with open(path, 'wb') as f:
        f.write(table)
    _status, text = check(root)
    assert state(text, '  Hardware events') == events


def test_x86_amd_iommu_in_use_by_the_os_fails(tmp_path):
    status, text = check(_iommu_root(tmp_path, control=1,
                                     efr=1 << 16 | 1 << 8))
    assert state(text, '  Left off by the OS (Linux: amd_iommu=off)') == \
        'missing'
    assert state(text, '  SMI filter') == 'ok'
    assert 'Check FAILED' in text and status == 2


def test_x86_amd_iommu_registers_not_read_while_enabled(tmp_path):
    """With Jailhouse enabled the unit is the hypervisor's: the check does
    not touch it (the root would be stopped) and says so."""
    root = _iommu_root(tmp_path)
    os.makedirs(os.path.join(root, 'sys/devices/jailhouse'))
    with open(os.path.join(root, 'sys/devices/jailhouse/enabled'), 'w') as f:
        f.write('1\n')
    status, text = check(root)
    assert state(text, '  Left off by the OS (Linux: amd_iommu=off)') == \
        'unknown'
    assert 'Jailhouse is enabled: not read' in text
    assert status == 1


def test_x86_msrs_unknown_alone_make_the_check_incomplete(tmp_path):
    root = _iommu_root(tmp_path)
    os.remove(os.path.join(root, 'dev/cpu/0/msr'))
    with open(os.path.join(root, 'proc/cpuinfo')) as f:
        cpuinfo = f.read()
    with open(os.path.join(root, 'proc/cpuinfo'), 'w') as f:
        f.write(cpuinfo.replace(' svm', ' svm x2apic'))
    status, text = check(root)
    assert state(text, 'AMD-Vi (IVRS table with IOMMU units)') == 'ok'
    assert state(text, '  SVM not disabled by firmware (VM_CR.SVMDIS)') == \
        'unknown'
    assert not re.search(r' (missing|unknown)', text.replace(
        'SVMDIS) unknown', '')), text
    assert 'Check INCOMPLETE' in text and status == 1


def _arm64(tmp_path, dtb, cmdline, log):
    root = dtb_tree(dtb, tmp_path, cmdline=cmdline)
    if log is not None:
        os.makedirs(os.path.join(root, 'var/log'))
        with open(os.path.join(root, 'var/log/dmesg'), 'w') as f:
            f.write(log)
    return check(root)


BOOT_LOG = 'CPU: All CPU(s) started at EL2\n'


def test_arm64_gicv3_at_el2_passes(tmp_path):
    status, text = _arm64(tmp_path, 'qemu-virt-gicv3.dtb',
                          'mem=768M kvm-arm.mode=none', BOOT_LOG)
    assert text.startswith('Jailhouse hardware check (ARM64)\n')
    assert state(text, 'Linux booted at EL2') == 'ok'
    assert state(text, 'EL2 not taken by KVM') == 'ok'
    assert state(text, 'GIC') == 'ok' and 'GICv3' in text
    assert state(text, '  PSCI through SMC (EL3 firmware)') == 'ok'
    assert status == 0 and 'Check passed' in text


def test_arm64_kvm_fails_gicv2_is_fine(tmp_path):
    status, text = _arm64(tmp_path, 'qemu-virt-gicv2.dtb', 'mem=768M',
                          BOOT_LOG + 'kvm [1]: Hyp mode initialized '
                          'successfully\n')
    assert state(text, 'EL2 not taken by KVM') == 'missing'
    assert state(text, '  GICv2 virtualization (GICH, GICV in reg)') == 'ok'
    assert status == 2


def test_arm64_real_board_gicv2_passes(tmp_path):
    status, text = _arm64(tmp_path, 'juno-r2-excerpt.dtb',
                          'kvm-arm.mode=none', BOOT_LOG)
    assert state(text, '  GICv2 virtualization (GICH, GICV in reg)') == 'ok'
    assert status == 0


def test_arm64_driver_probe_is_the_source_of_truth(tmp_path):
    status, text = _arm64(tmp_path, 'qemu-virt-gicv3.dtb',
                          'kvm-arm.mode=none', BOOT_LOG +
                          'jailhouse: this CPU does not implement EL2\n')
    assert state(text, "EL2 (the driver's probe)") == 'missing'
    assert status == 2


def test_arm64_without_kernel_log_is_incomplete(tmp_path):
    status, text = _arm64(tmp_path, 'qemu-virt-gicv3.dtb', 'mem=768M', None)
    assert state(text, 'Linux booted at EL2') == 'unknown'
    assert status == 1 and 'Check INCOMPLETE' in text


def test_unreadable_cpuinfo_is_one_line(tmp_path, capsys):
    root = unpack('x86/qemu-q35.tar.gz', tmp_path)
    os.unlink(os.path.join(root, 'proc/cpuinfo'))
    status, _text = check(root)
    assert status == 1
    assert capsys.readouterr().err == (
        'jailhouse hardware check: cannot read %s/proc/cpuinfo: No such '
        'file or directory\n' % root)
