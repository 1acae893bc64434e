# SPDX-License-Identifier: GPL-2.0-only
# System tests of the x86-64 hypervisor on every x86 machine of
# tests/machines.py with 4 CPUs: QEMU q35 (AMD SVM with nested paging, no
# NRIP save), Bochs's Intel model (VT-x with EPT, jailhouse-intel.bin) and
# Bochs's AMD model (SVM with NRIP save).  The bare-metal root program
# tests/baremetal/x86/prog-jailhouse.c does what Linux and the driver do:
# it maps the hypervisor memory, places the vendor's image and the
# machine's system configuration, calls the entry as a C function on every
# CPU and issues hypercalls.  It runs one scenario per boot, named on the
# multiboot command line, prints "ROOT: ..." lines and ends the run with
# status 0 on success.

import re

import pytest

import hvroot
import machines
import rig
from conftest import run_scons

TIMEOUT = 120
# machine -> what the hypervisor says about the CPU's extension
MACHINES = {
    "x86-q35": "AMD-V with nested paging",
    "x86-bochs-ryzen": "AMD-V with nested paging, 32768 ASIDs, NRIP save",
    "x86-bochs-skylake": "Intel VT-x with EPT, unrestricted guest, VPID",
}


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    build_dir = str(tmp_path_factory.mktemp("hv-x86"))
    run_scons("ARCH=x86", "BUILD_DIR=" + build_dir, "hypervisor",
              "testprogs", "configs")
    return build_dir


@pytest.fixture(scope="module", params=sorted(MACHINES))
def machine(request):
    return rig.require(machines.get(request.param))


@pytest.fixture(scope="module")
def run(build_dir, machine, tmp_path_factory):
    """run(scenario) -> hvroot.Scenario, booted once per machine."""
    return hvroot.runner(build_dir, machine, tmp_path_factory, TIMEOUT)


@pytest.mark.qemu
def test_enable_disable_on_4_cpus(run, machine):
    r = run("enable").check(
        "ROOT: x86-64 root, scenario enable",
        "ROOT: failed entries rolled back on all CPUs",
        MACHINES[machine.name],
        "Activating hypervisor",
        "ROOT: enabled on 4 CPUs",
        "ROOT: hello through DEBUG_CONSOLE_PUTC",
        "ROOT: under the hypervisor on every CPU, state unchanged",
        "Shutting down hypervisor",
        "ROOT: disabled, every CPU back with its state")
    for cpu in range(4):
        assert r.output.count("CPU %d entered" % cpu) == 1, r
    # the failing entry was refused before the console was set up
    assert r.output.count("Initializing Jailhouse hypervisor") == 1, r


@pytest.mark.qemu
def test_enable_disable_cycles_keep_pool_use(run):
    r = run("cycles").check("ROOT: 20 enable/disable cycles, pool use")
    assert r.output.count("Activating hypervisor") == 20, r
    assert r.output.count("Shutting down hypervisor") == 20, r
    pools = set(re.findall(r"Page pool usage after early setup: (.*)",
                           r.output))
    assert len(pools) == 1, r


@pytest.mark.qemu
def test_unknown_scenario_fails(run):
    """The root program can fail: a wrong name ends with status 1."""
    r = run("no-such-scenario")
    assert r.run.status == 1, r
    assert "ROOT: RESULT FAIL (1 failures)" in r.output, r


@pytest.mark.qemu
def test_cells_tiny_demo_and_faulting_cell(run):
    r = run("cells").check(
        'Created cell "tiny-demo" (ID 1)', 'Started cell "tiny-demo"',
        "Hello from this tiny cell!",
        "tiny-demo: 64-bit mode, console JAILHOUSE, in a cell",
        "ROOT: tiny-demo ran in a cell",
        'Access violation on CPU 3 (cell "probe")',
        "ROOT: probe cell touching foreign memory stopped",
        'I/O port access denied on CPU 3 (cell "probe")',
        "ROOT: probe cell using a foreign port stopped",
        'Closing cell "probe"', 'Closing cell "tiny-demo"',
        "ROOT: cells destroyed, pool use back to",
        "ROOT: CPUs 2 and 3 restarted by the root after disable")
    # the root kept running: no hypervisor panic
    assert "hypervisor panic" not in r.output, r


@pytest.mark.qemu
def test_malformed_and_conflicting_cells_refused(run):
    run("badconfig").check("ROOT: malformed and conflicting cells refused",
                           "Shutting down hypervisor")


@pytest.mark.qemu
def test_inmates_run_in_a_cell(run):
    r = run("inmates").check(
        "ROOT: tiny-demo ran in the cell",
        "32-bit-demo: running in 32-bit protected mode",
        "32-bit-demo: done", "ROOT: 32-bit-demo ran in the cell",
        "ROOT: sse ran in the cell")
    results = re.findall(r"JAILHOUSE-TEST-RESULT: (.*)", r.output)
    assert results and all("failed=0" in line for line in results), r


@pytest.mark.qemu
def test_mmio_decoder_in_a_cell(run):
    r = run("mmio").check(
        'Created cell "mmio-access"',
        "mmio-access: testing at 0x200000",
        "ROOT: mmio-access passed in a cell",
        "MMIO at 80000: unknown instruction at RIP 10 (16-bit code",
        'Access violation on CPU 3 (cell "mmio-probe")',
        "ROOT: unknown MMIO instruction stopped the probe cell")
    results = re.findall(r"JAILHOUSE-TEST-RESULT: (.*)", r.output)
    assert results and all("failed=0" in line for line in results), r
    assert "hypervisor panic" not in r.output, r


def root_cell(machine):
    """The root cell's name in the system configuration of machine."""
    return "bochs-x86" if machine.emulator == "bochs" else "qemu-x86"


@pytest.mark.qemu
def test_ioapic_pins_isolated(run, machine):
    version = "170011" if machine.emulator == "bochs" else "170020"
    r = run("ioapic").check(
        "ROOT: IOAPIC version %s emulated for the root" % version,
        'IOAPIC: cell "%s" wrote pin 10 it does not own, ignored' %
        root_cell(machine),
        'IOAPIC: cell "ioapic-probe" wrote pin 11 it does not own, ignored',
        "ROOT: the probe owns pin 10 only, pin 11 unchanged",
        'IOAPIC: cell "ioapic-probe" may not route pin 10 to',
        'Access violation on CPU 3 (cell "ioapic-probe")',
        "ROOT: IOAPIC probe routing to a root CPU stopped, pin back")
    assert "hypervisor panic" not in r.output, r


# q35's devices and MMCONFIG: Bochs's i440FX has no MMCONFIG, its
# configuration no PCI devices
@pytest.mark.qemu
@pytest.mark.parametrize("machine", ["x86-q35"], indirect=True)
def test_pci_config_isolated(run):
    r = run("pci").check(
        "ROOT: the root sees its PCI devices, MSI to its CPU 1",
        'PCI: cell "qemu-x86" may not send MSIs of 00:02.0 to fee03000',
        "ROOT: the probe saw no device and changed nothing",
        'I/O port access denied on CPU 3 (cell "pci-probe")',
        "ROOT: probe using a foreign port stopped",
        'MSR 2ff: write not permitted to cell "pci-probe"',
        'Unhandled MSR access on CPU 3 (cell "pci-probe")',
        "ROOT: probe writing a forbidden MSR stopped")
    assert r.output.count("probe: ffffffff") == 2, r
    assert "probe: fee00" in r.output, r
    assert "hypervisor panic" not in r.output, r
