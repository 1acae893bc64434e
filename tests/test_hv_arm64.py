# SPDX-License-Identifier: GPL-2.0-only
# System tests of the ARM64 hypervisor core in QEMU virt (GICv3, 4 x
# cortex-a57, the first arm64 row of tests/machines.py).  The bare-metal
# root program tests/baremetal/arm64/prog-jailhouse.c does what Linux and
# the driver do (hyp stub, firmware and config placement, entry through
# HVC_SOFT_RESTART on every CPU, hypercalls) and runs one scenario per boot,
# named as in its scenarios[] table (tests/hvroot.py puts the name where
# the root reads it).  The root reports "ROOT: ..." lines and leaves QEMU
# through semihosting with status 0 on success.

import os
import re
import struct

import pytest

import hvroot
import machines
from conftest import build_hv

TIMEOUT = 120
# busfault restarts a faulting cell 1000 times: minutes on a loaded machine
TIMEOUTS = {"busfault": 400}


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return build_hv(tmp_path_factory, "arm64")


def boot(build_dir, scenario, tmp_path):
    return hvroot.boot(build_dir, scenario, directory=tmp_path,
                       timeout=TIMEOUTS.get(scenario, TIMEOUT))


@pytest.fixture(scope="module")
def run(build_dir, tmp_path_factory):
    """run(scenario) -> hvroot.Scenario, booted once per module."""
    return hvroot.runner(build_dir, machines.get("arm64"), tmp_path_factory,
                         TIMEOUT, TIMEOUTS)


@pytest.mark.qemu
def test_enable_disable_on_4_cpus(run):
    r = run("enable").check(
        "ROOT: at EL1, scenario enable",
        "ROOT: failed entries rolled back on all CPUs",
        "Jailhouse entry failed: -22",
        "Activating hypervisor",
        "ROOT: enabled on 4 CPUs", "ROOT: hello through DEBUG_CONSOLE_PUTC",
        "Shutting down hypervisor", "ROOT: disabled",
        "ROOT: offline CPU powered off by disable, back through PSCI")
    for cpu in range(4):
        assert r.output.count("CPU %d entered" % cpu) >= 3, r.output
    # reading hypervisor memory from the root is refused (and reported)
    assert re.search(r"Access violation on CPU 0 \(cell \"qemu-arm64\"\).*"
                     r"IPA 7fc00000", r.output), r.output


@pytest.mark.qemu
def test_enable_disable_cycles_keep_pool_use(run):
    r = run("cycles").check("ROOT: 20 enable/disable cycles, pool use")
    assert r.output.count("Activating hypervisor") == 20, r.output
    assert r.output.count("Shutting down hypervisor") == 20, r.output


@pytest.mark.qemu
def test_cell_lifecycle_with_inmate(run):
    r = run("cells").check(
        'Created cell "probe-a" (ID 1)', 'Cell "probe-a" can be loaded',
        'Started cell "probe-a"', "INMATE: hello from a cell, mode r, "
        "comm region ok", "INMATE: via hypercall",
        "ROOT: cell 1 running, management from it refused",
        'Created cell "probe-b" (ID 2)',
        "ROOT: two cells running, cell 2 through the sub-page UART",
        "INMATE: shutdown approved", 'Closing cell "probe-a"',
        'Closing cell "probe-b"', "ROOT: cells destroyed")
    assert r.output.count("INMATE: hello from a cell") == 3, r.output


@pytest.mark.qemu
def test_cpus_return_to_root_after_destroy(run):
    run("cells").check("ROOT: CPUs 2 and 3 back in the root cell",
                       "ROOT: disabled")


@pytest.mark.qemu
def test_loadable_region_visible_only_while_loadable(run):
    r = run("cells").check()
    # the root's reads of the cell RAM after create and after start fault
    hits = re.findall(r"Access violation on CPU 0 \(cell \"qemu-arm64\"\).*"
                      r"IPA 70000000", r.output)
    assert len(hits) == 2, r.output


@pytest.mark.qemu
def test_faulting_cell_fails_others_run_on(run):
    r = run("fault").check(
        "INMATE: touching memory outside my regions",
        'Access violation on CPU 2 (cell "faulty")',
        'FATAL: Access violation; stopping cell "faulty" (CPU 2 failed)',
        "ROOT: faulty cell failed, healthy cell and root run on",
        'Closing cell "faulty"', 'Closing cell "healthy"')
    assert "INMATE: ERROR still running after the fault" not in r.output


@pytest.mark.qemu
def test_two_cpu_cell_psci_and_fault_stop(run):
    run("smp").check("INMATE: second CPU running",
                     "ROOT: two-CPU cell running",
                     'FATAL: Access violation; stopping cell "smp" (CPU 2 failed)',
                     "ROOT: fault stopped both CPUs of the cell",
                     'Closing cell "smp"')


@pytest.mark.qemu
def test_virtual_gic_isolates_interrupts(run):
    """SGIs reach only CPUs of the sender's cell (to another cell's CPU, to
    "all but self" with ICC_SGI1R.IRM), a burst larger than the
    list registers arrives completely (maintenance interrupt), enabling or
    routing interrupts a cell does not own changes nothing, an owned SPI is
    injected and returns to the root on destroy."""
    r = run("gic").check(
        "INMATE: interrupt tests done",
        "ROOT: SGIs stayed in their cells, list register overflow handled",
        "ROOT: foreign interrupts untouched, owned SPI delivered",
        'Created cell "gic-a" (ID 2)', 'Closing cell "gic-a"',
        "ROOT: SPI 100 back in the root cell")
    assert r.output.count("INMATE: interrupt tests done") == 2, r.output


@pytest.mark.qemu
def test_virtual_console_refused_without_permission(run):
    r = run("gic").check("ROOT: virtual console refused without permission")
    # only gic-a (permitted) printed through the hypercall
    assert r.output.count("INMATE: via hypercall") == 1, r.output


@pytest.mark.qemu
def test_cell_psci_reset_and_off_stop_only_the_cell(run):
    r = run("psci").check(
        "INMATE: SYSTEM_RESET", 'Cell "psci" reset itself',
        "INMATE: SYSTEM_OFF", 'Cell "psci" powered itself off',
        "ROOT: cell reset and powered off itself, the rest runs on",
        'Closing cell "psci"', 'Closing cell "bystander"')
    assert r.output.count("INMATE: hello from a cell, mode p") == 2, r.output
    assert "ERROR still running" not in r.output, r.output


@pytest.mark.qemu
def test_gic_demo_timer_in_a_cell(build_dir, tmp_path):
    """gic-demo.bin (inmates/) in a cell: its generic timer interrupts arrive
    through the virtual GIC.  The root idles for good afterwards, so QEMU
    is stopped here once the demo is done (as scripts/bench-irq-latency
    does, which also uses this scenario)."""
    r = hvroot.boot(build_dir, "bench", "ticks=5 hz=100 latency",
                    directory=tmp_path, timeout=TIMEOUT, icount=True,
                    until=["ticks done"])
    text = r.output
    assert "ROOT: FAIL" not in text, r
    assert r.run.marker == "ticks done", r
    assert 'Started cell "bench"' in text, r
    assert "Initializing the GIC (v3)..." in text, r
    assert text.count("Timer fired, jitter:") == 5, r
    assert len(re.findall(r"Latency: vector entry \+\d+ ticks", text)) == 5, r
    assert "gic-demo: 5 ticks done" in text, r


REFUSED = {
    "signature": -22, "revision": -22, "architecture": -22,
    "unterminated name": -22, "huge region count": -22, "too large": -7,
    "unknown cell flag": -22, "AArch32 cell": -22, "no CPU": -22,
    "nonexistent CPU": -22, "calling CPU": -16, "online root CPU": -16,
    "unknown memory flag": -22, "unaligned RAM": -22,
    "overlapping regions": -22, "beyond IPA space": -22,
    "hypervisor memory": -22, "loadable comm region": -22,
    "stream IDs": -22, "two comm regions": -22,
    "wrapping region": -22, "duplicate name": -17,
    "memory of another cell": -16, "CPU of another cell": -16,
}


@pytest.mark.qemu
def test_malformed_or_conflicting_configs_refused(run):
    r = run("badconfig").check("ROOT: refused arguments")
    found = dict((what, int(err)) for what, err in
                 re.findall(r"ROOT: refused (.+): (-?\d+)\n", r.output))
    assert found == REFUSED, r.output


@pytest.mark.qemu
def test_create_destroy_cycles_keep_pool_use(run):
    r = run("cellcycles").check("ROOT: 20 create/destroy cycles, pool use")
    assert r.output.count('Closing cell "cycler"') == 20, r.output


@pytest.mark.qemu
def test_comm_region_protocol(run):
    run("comm").check("ROOT: running/locked respected",
                      "INMATE: denying shutdown",
                      "ROOT: denied shutdown respected",
                      'Cell "locker" did not reply in time, stopping it',
                      "ROOT: reply timeout handled",
                      "ROOT: silent cell without reply timeout destroyed",
                      "ROOT: passive comm region cell destroyed")


# ---- isolation (issue #9): one hostile test per finding ----

@pytest.mark.qemu
def test_device_abort_for_a_cell_stops_only_the_cell(run):
    """#9.1: a bus error while the hypervisor performs a cell's sub-page
    access fails the cell (state and CPU failed, console message), its
    management completes, the rest runs on and disable succeeds."""
    r = run("busfault").check(
        "ROOT: bus fault stopped only the cell, its management completes",
        'Device at 9100000 aborted a 4-byte access of cell "bus"',
        'FATAL: Access violation; stopping cell "bus" (CPU 2 failed)',
        "Shutting down hypervisor")
    assert "Exception in the hypervisor" not in r.output, r.output


@pytest.mark.qemu
def test_subpage_regions_allow_only_their_widths(run):
    """#9.1: only the access widths a sub-page region's flags name; no
    width flag allows none (as upstream)."""
    run("busfault").check("ROOT: sub-page regions allow only their access "
                          "widths")


@pytest.mark.qemu
def test_1000_contained_faults_leak_nothing(run):
    """#9.6: the pools are where they were after 1000 bus faults."""
    r = run("busfault").check("ROOT: 1000 bus faults, pool use unchanged")
    assert r.output.count('aborted a 4-byte access of cell "bus"') >= 1001


@pytest.mark.qemu
def test_comm_region_never_reaches_the_root(run):
    """#9.2: a loadable comm region pointing at a running cell's RAM is
    refused; the root never maps what it does not own."""
    run("rootreach").check(
        "ROOT: comm regions are the hypervisor's, never loadable")


@pytest.mark.qemu
def test_rootshared_stays_and_root_view_restored(run):
    """#9.4: ROOTSHARED|LOADABLE stays with the root while the cell runs;
    after destroy the root's mappings are those before create."""
    run("rootreach").check(
        "ROOT: ROOTSHARED stays with the root, its view is restored")


@pytest.mark.qemu
def test_root_cannot_power_off_under_cells(run):
    """#9.5: PSCI SYSTEM_OFF/RESET of the root answer NOT_SUPPORTED while
    cells exist (QEMU would otherwise have ended here)."""
    run("rootreach").check(
        "ROOT: no firmware power-off or reset under running cells")


@pytest.mark.qemu
def test_refused_disable_leaves_nothing_behind(run):
    """#9.11: a DISABLE refused on one CPU does not poison the next."""
    run("rootreach").check("ROOT: DISABLE is all or nothing")


@pytest.mark.qemu
def test_cell_ram_scrubbed_before_the_root_gets_it(run):
    """#9.13: the inmate's secret and image are gone after destroy."""
    run("rootreach").check(
        "ROOT: cell RAM scrubbed before it returned to the root")


@pytest.mark.qemu
def test_cpu_passes_no_state_to_the_next_cell(run):
    """#9.7: PMU, breakpoints, watchpoints and timer compare values left by
    one cell are reset for the next."""
    run("cpustate").check("ROOT: a CPU passes no state to its next cell")


@pytest.mark.qemu
def test_actlr_pmu_debug_trapped(run):
    """#9.10: ACTLR_EL1, PMU and debug register accesses of a cell trap;
    its cycle counter does not count (nor see EL2)."""
    run("cpustate").check("ROOT: ACTLR, PMU and debug registers trapped")


@pytest.mark.qemu
def test_set_way_cache_maintenance_trapped(run):
    """A cell's DC ISW (which could discard other cells' and the
    hypervisor's dirty lines), DC CSW and DC CISW trap (HCR_EL2.TSW) and are
    carried out as clean and invalidate, each a vmexits_cache_setway exit
    (QEMU has no caches: the test sees the traps, not the data)."""
    run("cpustate").check("ROOT: set/way cache maintenance trapped")


@pytest.mark.qemu
def test_exits_from_aarch32_el0(run):
    """A cell's AArch32 EL0 code (what Linux' compat tasks are) reads an
    emulated GIC register and takes a physical interrupt (its virtual
    timer) there.  With EL1 in AArch64 (HCR_EL2.RW) both exits arrive
    at the hypervisor's lower-EL AArch64 vectors: the stage-2 abort is
    decoded with AArch32 register numbers, the interrupt injected, and the
    cell runs on."""
    run("cpustate").check("ROOT: exits from AArch32 EL0 handled")


@pytest.mark.qemu
def test_own_redistributor_hides_the_roots_lpi_tables(run):
    """The root programmed GICR_PROPBASER/PENDBASER of a CPU it then gives
    to a cell: the cell reads them as zero in its own redistributor frame
    (it cannot write them either), not the root's table addresses."""
    run("cpustate").check("ROOT: a cell does not read the root's LPI "
                          "tables in its redistributor")


@pytest.mark.qemu
def test_foreign_redistributor_identification_only(run):
    """#9.9: another CPU's GICR_PROPBASER/PENDBASER read as zero."""
    run("cpustate").check(
        "ROOT: foreign redistributors show identification only")


OWNERSHIP_REFUSED = {
    "the ITS": -22, "part of the ITS": -22, "the GIC distributor": -22,
    "a redistributor": -22, "the virtual PCI config window": -22,
    "stream IDs": -22, "a physical PCI device": -22,
    "an ivshmem device without its regions": -22,
    "PCI window half covered by aliases": -22,
    "outside memory of another cell": -16, "outside memory on the GIC": -22,
    "loadable outside memory where the root maps other memory": -22,
    "loadable outside memory running into a root mapping": -22,
}


@pytest.mark.qemu
def test_dma_masters_and_hypervisor_devices_refused(run):
    """#9.3, #9.12: the ITS, the GIC, the PCI config window, stream IDs and
    physical PCI devices never go to a cell; cache regions (not
    implemented yet) are accepted and reported, only what is not zero;
    the root's ivshmem functions are linked, one without its regions is
    refused."""
    r = run("ownership").check(
        "ROOT: DMA masters and hypervisor devices stay out of cells",
        "ROOT: cache regions accepted",
        'Cell "unimplemented": not implemented yet, ignored: 1 cache '
        'regions',
        'Cell "qemu-arm64": ivshmem 0001:00:00.0 peer 0 of 3',
        'Cell "qemu-arm64": ivshmem 0001:00:01.0 peer 0 of 2')
    assert "ignored: 0" not in r.output, r
    assert 'Cell "qemu-arm64": not implemented yet' not in r.output, r
    assert refusals(r) == OWNERSHIP_REFUSED, r.output


def refusals(scenario):
    """{what: errno} of the ROOT: refused lines."""
    return dict((what, int(err)) for what, err in
                re.findall(r"ROOT: refused (.+): (-?\d+)\n", scenario.output))


@pytest.mark.qemu
def test_aliased_root_regions_counted_once(run):
    """#9.8: coverage on physical ranges; a cell takes both aliases."""
    run("ownership").check(
        "ROOT: aliased root regions: ownership on physical ranges")


@pytest.mark.qemu
def test_overlapping_root_regions_later_wins(run):
    """#11.2: overlapping root regions are accepted, the later one wins,
    also while and after a cell takes the memory underneath."""
    run("ownership").check("ROOT: overlapping root regions: the later one "
                           "wins")


@pytest.mark.qemu
def test_cell_memory_outside_the_root(run):
    """#11.2: memory no root region covers goes to a cell, reaches the
    root only while loadable, and keeps every other check; loadable, it
    is refused where it would land on another mapping of the root (the
    refusals are in OWNERSHIP_REFUSED)."""
    r = run("ownership").check("ROOT: cell memory outside the root cell")
    # Whole lines: the root waits for the cell's greeting before it (or
    # the hypervisor, reporting the root's aborts) uses the UART again.
    assert "\nINMATE: hello from a cell, mode o, comm region ok\n" \
        in r.output, r.output


@pytest.mark.qemu
def test_trace_error_prints_source_locations(tmp_path_factory, tmp_path):
    build_dir = build_hv(tmp_path_factory, "arm64",
                         "CONFIG_TRACE_ERROR=y", name="hv-arm64-trace")
    r = boot(build_dir, "badconfig", tmp_path).check()
    assert re.search(r"hypervisor/control\.c:\d+: returning error -22",
                     r.output), r.output
    assert re.search(r"hypervisor/control\.c:\d+: returning error -16",
                     r.output), r.output


@pytest.mark.qemu
def test_crash_cell_on_panic_build_runs_cells(tmp_path_factory, tmp_path):
    build_dir = build_hv(tmp_path_factory, "arm64",
                         "CONFIG_CRASH_CELL_ON_PANIC=y", name="hv-arm64-crash")
    boot(build_dir, "fault", tmp_path).check(
        "ROOT: faulty cell failed, healthy cell and root run on")


@pytest.mark.qemu
def test_serror_of_a_cell_and_of_the_root(tmp_path_factory, tmp_path):
    """SErrors go to EL2 (HCR_EL2.AMO).  QEMU raises no physical one, so
    a CONFIG_ARM_TEST_SERROR hypervisor takes HVC #0x5e55 for the caller's
    SError: a cell's stops it (the rest runs on), the root's comes back
    to it as a virtual SError (HCR_EL2.VSE: pending in ISR_EL1 while it
    masks SErrors, taken when it unmasks them), and one the root leaves
    pending on a CPU does not reach the CPU's next cell.  Not shown here:
    the routing itself and the drain of a physical SError at a CPU's
    hand-over (arm_drain_serror())."""
    build_dir = build_hv(tmp_path_factory, "arm64",
                         "CONFIG_ARM_TEST_SERROR=y", name="hv-arm64-serror")
    r = boot(build_dir, "serror", tmp_path).check(
        'SError on CPU 2 (cell "serror")',
        'FATAL: SError; stopping cell "serror" (CPU 2 failed)',
        "ROOT: a cell's SError stopped it, the root runs on",
        'SError on CPU 0 (cell "qemu-arm64")',
        "ROOT: the root's SError came back to it as a virtual one",
        "ROOT: an SError pending on a CPU does not reach its next owner")
    assert "ERROR still running" not in r.output, r.output


@pytest.mark.qemu
def test_keep_cell_memory_build_keeps_it(tmp_path_factory, tmp_path):
    """#9.13: CONFIG_KEEP_CELL_MEMORY hands the RAM back as the cell left
    it (the probe's secret is still there)."""
    build_dir = build_hv(tmp_path_factory, "arm64",
                         "CONFIG_KEEP_CELL_MEMORY=y", name="hv-arm64-keep")
    r = hvroot.boot(build_dir, "scrub", "1", directory=tmp_path,
                    timeout=TIMEOUT).check()
    assert "ROOT: its secret after destroy: 5ec7e7" in r.output, r.output

# ---- the same root program on GICv2 (QEMU virt,gic-version=2) ----

GICV2 = machines.get("arm64-virt-gicv2")


@pytest.fixture(scope="module")
def run_gicv2(build_dir, tmp_path_factory):
    """run_gicv2(scenario) -> hvroot.Scenario on the GICv2 machine."""
    return hvroot.runner(build_dir, GICV2, tmp_path_factory, TIMEOUT)


@pytest.mark.qemu
def test_gicv2_enable_disable_on_4_cpus(run_gicv2):
    r = run_gicv2("enable").check(
        "ROOT: GICv2", "ROOT: failed entries rolled back on all CPUs",
        "ROOT: enabled on 4 CPUs", "ROOT: disabled",
        "ROOT: offline CPU powered off by disable, back through PSCI")
    assert r.output.count("Activating hypervisor") == 3, r


@pytest.mark.qemu
def test_gicv2_cell_lifecycle(run_gicv2):
    run_gicv2("cells").check(
        "ROOT: GICv2", 'Started cell "probe-a"',
        "ROOT: two cells running, cell 2 through the sub-page UART",
        "ROOT: cells destroyed", "ROOT: CPUs 2 and 3 back in the root cell")


@pytest.mark.qemu
def test_gicv2_faulting_cell_fails_others_run_on(run_gicv2):
    run_gicv2("fault").check(
        'FATAL: Access violation; stopping cell "faulty" (CPU 2 failed)',
        "ROOT: faulty cell failed, healthy cell and root run on")


@pytest.mark.qemu
def test_gicv2_two_cpu_cell(run_gicv2):
    run_gicv2("smp").check("INMATE: second CPU running",
                           "ROOT: fault stopped both CPUs of the cell")


@pytest.mark.qemu
def test_gicv2_virtual_gic_isolates_interrupts(run_gicv2):
    """As on GICv3: SGIs (GICD_SGIR) reach only the sender's cell, list
    register overflow is handled through the maintenance interrupt,
    enabling or targeting (ITARGETSR) interrupts a cell does not own
    changes nothing, an owned SPI is delivered and returns to the root."""
    r = run_gicv2("gic").check(
        "ROOT: GICv2", "INMATE: interrupt tests done",
        "ROOT: SGIs stayed in their cells, list register overflow handled",
        "ROOT: foreign interrupts untouched, owned SPI delivered",
        "ROOT: SPI 100 back in the root cell")
    assert r.output.count("INMATE: interrupt tests done") == 2, r


@pytest.mark.qemu
def test_gicv2_cell_psci(run_gicv2):
    run_gicv2("psci").check(
        "ROOT: cell reset and powered off itself, the rest runs on")


@pytest.mark.qemu
def test_gicv2_gic_demo_timer_in_a_cell(build_dir, tmp_path):
    r = hvroot.boot(build_dir, "bench", "ticks=5 hz=100 latency",
                    machine=GICV2, directory=tmp_path, timeout=TIMEOUT,
                    icount=True, until=["ticks done"])
    text = r.output
    assert "ROOT: FAIL" not in text, r
    assert r.run.marker == "ticks done", r
    assert "Initializing the GIC (v2)..." in text, r
    assert text.count("Timer fired, jitter:") == 5, r
    assert len(re.findall(r"Latency: vector entry \+\d+ ticks", text)) == 5, r
    assert "gic-demo: 5 ticks done" in text, r


def test_image_header(build_dir):
    """jailhouse.bin starts with the header of include/jailhouse/header.h."""
    with open(os.path.join(build_dir, "hypervisor/jailhouse.bin"), "rb") as f:
        image = f.read()
    (signature, revision, arch, entry, core_size, percpu_size, console_page,
     max_cpus) = struct.unpack_from("<8sIIQQQQI", image)
    assert signature == b"JHIMAGE\0" and revision == 1 and arch == 2
    assert 0x80 <= entry < len(image)
    assert core_size % 4096 == 0 and core_size >= len(image)
    assert percpu_size % 4096 == 0 and percpu_size > 16384
    assert console_page % 4096 == 0 and len(image) <= console_page < core_size
    assert max_cpus == 64
    assert image[56:128] == bytes(72)       # driver and runtime fields


@pytest.mark.qemu
def test_ivshmem_doorbells_between_root_and_cell(run):
    """The root and the ivshmem-demo cell are the two peers of an ivshmem
    function on the virtual PCI host: configuration space through ECAM,
    doorbells both ways as INTx (SPI 128 in the root, 140 in the cell);
    the cell reaches no other function, its doorbells to missing peers and
    vectors raise nothing, an 8-byte configuration access, a read beyond
    the window and a write to the root's output section stop it; INTx
    interrupts not the cell's own or taken from the root are refused."""
    hvroot.check_ivshmem(run)


@pytest.mark.qemu
def test_gicv2_ivshmem_doorbells_between_root_and_cell(run_gicv2):
    hvroot.check_ivshmem(run_gicv2)
