# SPDX-License-Identifier: GPL-2.0-only
# System tests of the ARMv7 hypervisor in QEMU virt (cortex-a15 in HYP
# mode, GICv2, the first arm row of tests/machines.py).  The bare-metal
# root program tests/baremetal/arm/prog-jailhouse.c does what Linux and the
# driver do (hyp stub, firmware and config placement, entry through
# HVC_SOFT_RESTART on every CPU, hypercalls) and runs one scenario per boot,
# named as in its scenarios[] table; the cells run the inmates' gic-demo
# and fault-demo, and the hostile probe inmate tests/baremetal/arm/inmate.  The root reports "ROOT: ..." lines and leaves QEMU
# through semihosting with status 0 on success.

import os
import re
import struct

import pytest

import hvroot
import machines
from conftest import build_hv

TIMEOUT = 120
ARMV7 = machines.get("arm")


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm", "inmates")


@pytest.fixture(scope="module")
def run(build_dir, tmp_path_factory):
    """run(scenario) -> hvroot.Scenario, booted once per module."""
    return hvroot.runner(build_dir, ARMV7, tmp_path_factory, TIMEOUT)


@pytest.mark.qemu
def test_enable_disable_on_4_cpus(run):
    r = run("enable").check(
        "ROOT: in SVC mode, scenario enable",
        "ROOT: failed entries rolled back on all CPUs",
        "Jailhouse entry failed: -22", "Activating hypervisor",
        "ROOT: enabled on 4 CPUs", "ROOT: hello through DEBUG_CONSOLE_PUTC",
        "Shutting down hypervisor", "ROOT: disabled",
        "ROOT: offline CPU powered off by disable, back through PSCI")
    for cpu in range(4):
        assert r.output.count("CPU %d entered" % cpu) >= 3, r
    # the root's read of hypervisor memory is refused (and reported)
    assert re.search(r"Access violation on CPU 0 \(cell \"qemu-arm\"\).*"
                     r"IPA 7fc00000", r.output), r


@pytest.mark.qemu
def test_enable_disable_cycles_keep_pool_use(run):
    r = run("cycles").check("ROOT: 10 enable/disable cycles, pool use")
    assert r.output.count("Activating hypervisor") == 10, r


@pytest.mark.qemu
def test_gic_demo_cell_lifecycle(run):
    """gic-demo in a cell: its timer interrupts arrive through the virtual
    GICv2; the cell's RAM is visible to the root only while loadable; 10
    create/destroy cycles keep the pool use; the CPU returns to the root."""
    r = run("cells").check(
        'Created cell "gic-demo" (ID 1)', 'Started cell "gic-demo"',
        "Initializing the GIC (v2)...", "ROOT: gic-demo ran in cell 1",
        "ROOT: 10 create/destroy cycles, pool use",
        "ROOT: CPU 3 back in the root cell", "ROOT: disabled")
    # the demo shares the UART with the hypervisor: lines may interleave,
    # the root's counters (injected interrupts, destroy results) are exact
    assert "Timer fired, jitter:" in r.output, r


@pytest.mark.qemu
def test_faulting_cell_fails_others_run_on(run):
    run("fault").check(
        "fault-demo: reading 0x40000000, outside this cell",
        'FATAL: Access violation; stopping cell "faulty" (CPU 3 failed)',
        "ROOT: faulty cell failed, healthy cell and root run on")


REFUSED = {
    "signature": -22, "revision": -22, "architecture": -22,
    "unterminated name": -22, "huge region count": -22, "too large": -7,
    "unknown cell flag": -22, "no CPU": -22, "nonexistent CPU": -22,
    "calling CPU": -16, "online root CPU": -16, "unknown memory flag": -22,
    "unaligned RAM": -22, "overlapping regions": -22,
    "loadable comm region": -22, "two comm regions": -22,
    "wrapping region": -22, "hypervisor memory": -22,
    "beyond IPA space": -22, "wrapping guest-physical range": -22,
    "wrapping physical range": -22, "hypervisor memory + 4 GiB size": -22,
    "GIC CPU interface": -22,
    "private interrupt": -22, "duplicate name": -17,
    "memory of another cell": -16, "CPU of another cell": -16,
}


@pytest.mark.qemu
def test_malformed_or_conflicting_configs_refused(run):
    r = run("badconfig").check("ROOT: refused arguments")
    found = dict((what, int(err)) for what, err in
                 re.findall(r"ROOT: refused (.+): (-?\d+)\n", r.output))
    assert found == REFUSED, r


@pytest.mark.qemu
def test_interrupts_a_cell_owns_leave_the_root(run):
    run("gic").check(
        'Created cell "spi-owner" (ID 1)',
        "ROOT: foreign interrupts untouched, SPI 100 back in the root cell")


@pytest.mark.qemu
def test_cells_cannot_send_route_or_enable_foreign_interrupts(run):
    """Two probe cells: each sends SGI 9 to the other's CPU and SGI 10 to
    "all but itself" (GICD_SGIR TargetListFilter 1; its own SGI 5 to
    itself arrives), enables and routes SPI 33 of the root; nothing
    arrives, nothing changes, both run on."""
    run("hostile").check(
        'Created cell "prober" (ID 1)', 'Created cell "victim" (ID 2)',
        "ROOT: SGIs stayed in their cells, foreign SPI untouched",
        'Closing cell "victim"', 'Closing cell "prober"')


@pytest.mark.qemu
def test_cell_psci_reset_and_off_stop_only_the_cell(run):
    """PSCI_VERSION, FEATURES, SMCCC_VERSION, AFFINITY_INFO answered; CPU_ON
    of another cell's CPU refused; SYSTEM_RESET restarts the cell,
    SYSTEM_OFF shuts it down, a bystander cell's timer ticks on; the cell
    CPU's PSCI and SMCCC exit counters match the calls made."""
    r = run("psci").check(
        "PROBE: SYSTEM_RESET", 'Cell "psci" reset itself',
        "PROBE: SYSTEM_OFF", 'Cell "psci" powered itself off',
        "ROOT: cell reset and powered off itself, the rest runs on")
    assert "ERROR still running" not in r.output, r


@pytest.mark.qemu
def test_device_abort_for_a_cell_stops_only_the_cell(run):
    """A bus error while the hypervisor performs a cell's sub-page access
    fails the cell, never the hypervisor; 20 times, pool use unchanged."""
    r = run("busfault").check(
        "ROOT: 20 bus faults stopped only the cell, pool use unchanged",
        'FATAL: Access violation; stopping cell "bus" (CPU 3 failed)',
        "Shutting down hypervisor")
    assert r.output.count(
        'Device at 9100000 aborted a 4-byte access of cell "bus"') == 20, r
    assert "Exception in the hypervisor" not in r.output, r
    assert "ERROR still running" not in r.output, r


@pytest.mark.qemu
def test_actlr_pmu_debug_trapped(run):
    """ACTLR writes of a cell are ignored, its PMU and debug registers read
    as zero; every access is a counted exit (vmexits_cp15)."""
    run("cp15").check("ROOT: ACTLR, PMU and debug registers trapped")


@pytest.mark.qemu
def test_set_way_cache_maintenance_trapped(build_dir, tmp_path):
    """A cell's DCISW (which could discard other cells' and the
    hypervisor's dirty lines), DCCSW and DCCISW trap (HCR.TSW) and are
    carried out as clean and invalidate, each a vmexits_cache_setway exit
    (QEMU has no caches: the test sees the traps, not the data).  QEMU's
    cortex-a15 does not model the trap: this runs the cp15 scenario on its
    ARMv8 core in AArch32 state, which does."""
    machine = machines.get("arm-virt-max-gicv2")
    r = hvroot.boot(build_dir, "cp15", machine=machine, directory=tmp_path,
                    timeout=TIMEOUT)
    r.check("ROOT: ACTLR, PMU and debug registers trapped",
            "ROOT: 3 set/way cache maintenance exits",
            "ROOT: conditional trapped instructions follow their condition")


@pytest.mark.qemu
def test_conditional_trapped_instructions(run):
    """A conditional MRC whose condition fails has no effect, one that
    passes is trapped and emulated; in a Thumb ITE block the trapped first
    instruction is skipped with ITSTATE advanced, so the else instruction
    after it does not run.  (QEMU skips failing conditional instructions
    itself; the hypervisor's check of HSR.CV/COND and ITSTATE for the
    hardware that traps them is host-tested: test_arm_condition.c.)"""
    run("cp15").check(
        "ROOT: conditional trapped instructions follow their condition")


@pytest.mark.qemu
def test_mmio_emulation_uses_banked_registers(run):
    """A trapped MMIO store or load names a register of the mode it runs
    in: FIQ mode's r8 and r12, the sp and lr of FIQ, IRQ, SVC, ABT and UND
    mode and SYS mode's sp are banked, and the hypervisor reads and writes
    that mode's copy (MRS/MSR banked), not USR mode's nor zero."""
    run("banked").check(
        "ROOT: emulated MMIO used the banked registers of the trapping mode")


@pytest.mark.qemu
def test_serror_of_a_cell_and_of_the_root(tmp_path_factory, tmp_path):
    """As on ARM64 (test_hv_arm64.py): with a CONFIG_ARM_TEST_SERROR
    hypervisor, HVC #0x5e55 stands for the caller's SError (QEMU raises
    no physical one).  A cell's stops it, the rest runs on; the root's
    comes back as a virtual abort (HCR.VA: pending in ISR while masked,
    taken when unmasked); one the root leaves pending on a CPU does not
    reach the CPU's next cell."""
    build_dir = build_hv(tmp_path_factory, "arm", "CONFIG_ARM_TEST_SERROR=y",
                         "inmates", name="hv-arm-serror")
    r = hvroot.boot(build_dir, "serror", machine=ARMV7, directory=tmp_path,
                    timeout=TIMEOUT).check(
        'FATAL: SError; stopping cell "serror" (CPU 3 failed)',
        "ROOT: a cell's SError stopped it, the root runs on",
        "ROOT: the root's SError came back to it as a virtual one",
        "ROOT: an SError pending on a CPU does not reach its next owner")
    assert "ERROR still running" not in r.output, r.output


@pytest.mark.qemu
def test_comm_region_protocol(run):
    r = run("comm").check(
        "ROOT: denied and approved shutdown respected",
        'Cell "talker" did not reply in time, stopping it',
        "ROOT: silent cell stopped after its reply timeout")
    assert r.output.count("PROBE: hello from a 32-bit cell") == 2, r


@pytest.mark.qemu
def test_gic_demo_timer_in_a_cell_under_icount(build_dir, tmp_path):
    """The bench scenario of scripts/bench-irq-latency: gic-demo in a cell
    under -icount reports its interrupt latency on every tick."""
    r = hvroot.boot(build_dir, "bench", "ticks=5 hz=100 latency",
                    machine=ARMV7, directory=tmp_path, timeout=TIMEOUT,
                    icount=True, until=["ticks done"])
    assert "ROOT: FAIL" not in r.output, r
    assert r.run.marker == "ticks done", r
    assert r.output.count("Timer fired, jitter:") == 5, r
    assert len(re.findall(r"Latency: vector entry \+\d+ ticks",
                          r.output)) == 5, r


@pytest.mark.qemu
def test_uart_demo_in_a_cell(build_dir, tmp_path):
    r = hvroot.boot(build_dir, "uart", "count=3 interval-ms=20",
                    machine=ARMV7, directory=tmp_path, timeout=TIMEOUT,
                    until=["uart-demo: done after 3 lines"])
    assert "ROOT: FAIL" not in r.output, r
    assert r.run.marker == "uart-demo: done after 3 lines", r
    assert 'Started cell "uart-demo"' in r.output, r
    assert "uart-demo: console PL011" in r.output, r
    assert "uart-demo: hello #3 from the cell" in r.output, r


@pytest.mark.qemu
def test_lock_demo_in_a_cell(run):
    """lock-demo holds the reconfiguration lock: a new cell and the first
    destroy are refused (-EPERM), the second destroy succeeds."""
    run("lock").check(
        "lock-demo: cell is running/locked",
        "lock-demo: shutdown request denied",
        "lock-demo: second shutdown request: unlocking and approving",
        "ROOT: locked cell refused a new cell and the first destroy")


@pytest.mark.qemu
def test_cpu_passes_no_state_to_the_next_owner(run):
    """A cell's floating point registers, FPSCR, timer compare values and
    PAR (its last address translation's result), the root's counting PMU with overflow interrupt, breakpoint and
    watchpoint on a CPU: all reset before the CPU runs its next owner
    (arm-common/cpu-state.c, shared with ARM64)."""
    run("cpustate").check("ROOT: a CPU passes no state to its next owner")


@pytest.mark.qemu
def test_40_bit_addresses_above_4_gib(build_dir, tmp_path):
    """QEMU with 4 GiB of RAM (0x40000000-0x13fffffff): root regions
    with physical and guest-physical addresses above 4 GiB are accepted and
    mapped (the root writes and reads high RAM through a window), the probe
    runs in a cell whose RAM is above 4 GiB and whose last page is the top
    page of the 40-bit guest-physical space; regions beyond 40 bits or
    wrapping are refused."""
    r = hvroot.boot(build_dir, "highmem", machine=ARMV7, directory=tmp_path,
                    timeout=TIMEOUT, memory="4G")
    r.check("ROOT: root regions above 4 GiB accepted and mapped",
            "PROBE: hello from a 32-bit cell",
            "ROOT: cell ran in RAM above 4 GiB, memory returned",
            "ROOT: 40-bit addresses checked in 64 bits")


def test_image_header(build_dir):
    """jailhouse.bin starts with the header of include/jailhouse/header.h."""
    with open(os.path.join(build_dir, "hypervisor/jailhouse.bin"), "rb") as f:
        image = f.read()
    (signature, revision, arch, entry, core_size, percpu_size, console_page,
     max_cpus) = struct.unpack_from("<8sIIQQQQI", image)
    assert signature == b"JHIMAGE\0" and revision == 1 and arch == 1
    assert 0x80 <= entry < len(image)
    assert core_size % 4096 == 0 and core_size >= len(image)
    assert percpu_size % 4096 == 0 and percpu_size > 16384
    assert console_page % 4096 == 0 and len(image) <= console_page < core_size


@pytest.mark.qemu
def test_ivshmem_doorbells_between_root_and_cell(run):
    """The ivshmem scenario of the ARM64 tests (test_hv_arm64.py) on
    ARMv7: the same root code (tests/baremetal/arm-common/ivshmem-root.c)
    and peer inmate, an 8-byte access there being an ldrd."""
    hvroot.check_ivshmem(run)
