# SPDX-License-Identifier: GPL-2.0-only
# The x86 inmate library, demos and tests without the hypervisor: QEMU q35
# (the x86 row of tests/machines.py) boots a test-only multiboot loader
# that starts the inmate as a cell CPU starts (real mode at address 0,
# command line at 0x1000, optionally a comm region at 0x100000); the inmate
# ends the run through isa-debug-exit (see tests/inmate_images.py).

import os
import re

import pytest
from elftools.elf.elffile import ELFFile

from inmate_images import boot_x86, build_x86_loader, check_summary, \
    x86_comm_region

BARE_NOTE = "no comm region at 0x100000, running without the hypervisor"
TICK = re.compile(r"Timer fired, jitter: +(-?\d+) ns, min: +(-?\d+) ns, "
                  r"max: +(-?\d+) ns")
BITS = ["", "-32"]


@pytest.fixture(scope="module")
def x86(inmates, tmp_path_factory):
    build = inmates("x86")
    loader = build_x86_loader(tmp_path_factory.mktemp("x86-loader"))

    def boot(kind, name, cmdline="", **options):
        """Boot inmates/<kind>/x86/<name>.bin (or the generic
        <kind>/<name>.bin); a rig.Run."""
        image = os.path.join(build, kind, "x86", name + ".bin")
        if not os.path.isfile(image):
            image = os.path.join(build, kind, name + ".bin")
        assert os.path.isfile(image), image
        return boot_x86(loader, image, cmdline, **options)
    boot.build = build
    return boot


def passed(run):
    """The run ended with guest status 0 and printed the bare note."""
    assert run.status == 0, run
    assert BARE_NOTE in run.log, run
    assert "FATAL" not in run.log, run
    return run


# Layout (no QEMU)

def test_images_start_at_0_with_cmdline_at_0x1000(inmates):
    build = inmates("x86")
    images = [os.path.join(root, name)
              for root, _dirs, files in os.walk(build)
              for name in files if name.endswith(".elf")]
    names = set(os.path.basename(p) for p in images)
    for name in ("tiny-demo", "apic-demo", "ioapic-demo", "pci-demo",
                 "smp-demo"):
        assert name + ".elf" in names and name + "-32.elf" in names, names
    # 32-bit only, under upstream's name
    assert "32-bit-demo.elf" in names, names
    assert "32-bit-demo-32.elf" not in names, names
    assert {"mmio-access.elf", "sse.elf"} <= names, names
    # 32-bit only tests (tests/x86-32), under their plain names
    assert "pae-paging.elf" in names and "pae-paging-32.elf" not in names
    for path in images:
        with open(path, "rb") as f:
            elf = ELFFile(f)
            bits32 = path.endswith(("-32.elf", "32-bit-demo.elf")) or \
                os.path.basename(os.path.dirname(path)) == "x86-32"
            assert elf.elfclass == (32 if bits32 else 64), path
            assert elf.header["e_entry"] == 0, path
            assert elf.get_section_by_name(".cmdline")["sh_addr"] == \
                0x1000, path
            assert elf.get_section_by_name(".boot")["sh_addr"] == 0, path


# Demos

@pytest.mark.qemu
@pytest.mark.parametrize("bits", BITS)
def test_tiny_demo(x86, bits):
    r = passed(x86("demos", "tiny-demo" + bits))
    r.expect("Hello from this tiny cell!",
             "tiny-demo: %s mode, console 8250, bare" %
             ("32-bit" if bits else "64-bit"))


@pytest.mark.qemu
def test_32_bit_demo_runs_in_protected_mode(x86):
    r = passed(x86("demos", "32-bit-demo"))
    r.expect("32-bit-demo: running in 32-bit protected mode (long is 4 "
             "bytes)", "32-bit-demo: done")
    waited = int(re.search(r"waited (\d+) us", r.log).group(1))
    assert 5000 <= waited < 50000, r


@pytest.mark.qemu
@pytest.mark.parametrize("bits", BITS)
def test_apic_demo_ticks_with_jitter(x86, bits):
    r = passed(x86("demos", "apic-demo" + bits, "ticks=6 hz=50"))
    r.expect("apic-demo: 6 ticks done")
    khz = re.search(r"Calibrated APIC frequency: (\d+) kHz, TSC (\d+) kHz",
                    r.log)
    assert khz and int(khz.group(1)) > 1000 and int(khz.group(2)) > 1000, r
    ticks = [tuple(int(v) for v in m.groups()) for m in TICK.finditer(r.log)]
    assert len(ticks) == 6, r
    low, high = None, None
    for jitter, minimum, maximum in ticks:
        # never before the deadline (PM timer resolution: 280 ns)
        assert jitter > -300, r
        low = jitter if low is None else min(low, jitter)
        high = jitter if high is None else max(high, jitter)
        assert (minimum, maximum) == (low, high), r


@pytest.mark.qemu
def test_apic_demo_runs_until_stopped(x86):
    r = x86("demos", "apic-demo", timeout=4)
    assert r.timed_out, r
    assert len(TICK.findall(r.log)) >= 3, r


@pytest.mark.qemu
def test_apic_demo_latency_mode(x86):
    """Option latency (scripts/bench-irq-latency): a periodic timer, the
    ticks since each expiry printed at the end; under -icount they repeat
    exactly."""
    r = x86("demos", "apic-demo", "latency ticks=5 hz=1000", icount=True,
            until=["ticks done"], timeout=30)
    samples = re.findall(r"Latency: handler \+(\d+) ticks", r.log)
    assert len(samples) == 5 and len(set(samples[1:])) == 1, r
    assert 0 < int(samples[1]) < 1000, r


@pytest.mark.qemu
@pytest.mark.parametrize("bits", BITS)
def test_smp_demo_starts_all_cpus(x86, bits):
    r = passed(x86("demos", "smp-demo" + bits, "num-cpus=4"))
    for apic_id in (1, 2, 3):
        r.expect("smp-demo: CPU with APIC ID %d up" % apic_id)
    r.expect("smp-demo: 4 of 4 CPUs online",
             "smp-demo: fixed IPIs to and from 3 of 3 CPUs arrived")


@pytest.mark.qemu
@pytest.mark.parametrize("bits", BITS)
def test_pci_demo_takes_msis(x86, bits):
    r = passed(x86("demos", "pci-demo" + bits, "irqs=4",
                   extra=["-device", "edu"]))
    r.expect("pci-demo: found 1234:11e8", "ID register 10000ed",
             "pci-demo: 4 of 4 MSIs received")


@pytest.mark.qemu
def test_pci_demo_without_its_device(x86):
    r = passed(x86("demos", "pci-demo"))
    r.expect("pci-demo: no device 1234:11e8")


@pytest.mark.qemu
@pytest.mark.parametrize("bits", BITS)
def test_ioapic_demo_pm_timer_interrupts(x86, bits):
    # The PM timer overflows every 4.7 s of virtual time: -icount skips
    # the waits.
    r = passed(x86("demos", "ioapic-demo" + bits, "irqs=2", icount=True))
    assert r.log.count("ACPI IRQ received, status: 0001") == 2, r
    r.expect("ioapic-demo: 2 interrupts done")


# Tests

@pytest.mark.qemu
def test_sse_state_survives(x86):
    r = passed(x86("tests", "sse"))
    assert check_summary(r) == 6


@pytest.mark.qemu
def test_mmio_access_forms(x86):
    r = passed(x86("tests", "mmio-access"))
    assert check_summary(r) == 18


# Generic library tests

@pytest.mark.qemu
def test_cmdline_builtin_and_given_at_load_time(x86):
    r = passed(x86("tests", "test-cmdline"))
    assert check_summary(r) > 5
    r = passed(x86("tests", "test-cmdline",
                   "int=5 hex=0x10 neg=-1 flag  str=abc off=no"))
    r.expect("parsed: int=5 hex=16 neg=-1 flag=1 off=0 str=abc missing=-1")
    assert "Testing finished" not in r.log, r


@pytest.mark.qemu
def test_comm_region_protocol(x86, tmp_path):
    """Bare: the lock/shutdown protocol helpers against a region in RAM;
    with a comm region at 0x100000, the real one is checked too."""
    assert check_summary(passed(x86("tests", "test-comm-region"))) == 15
    comm = x86_comm_region(tmp_path / "comm.bin")
    r = x86("tests", "test-comm-region", comm_region=comm, timeout=10,
            until={"JAILHOUSE-TEST-RESULT": 0.5})
    assert BARE_NOTE not in r.log, r
    assert r.marker == "JAILHOUSE-TEST-RESULT", r
    assert check_summary(r) == 18


# Library behaviour

@pytest.mark.qemu
def test_console_none_is_silent(x86):
    r = x86("demos", "tiny-demo", "con-type=NONE")
    assert r.status == 0, r
    assert "tiny cell" not in r.log and BARE_NOTE not in r.log, r


@pytest.mark.qemu
def test_virtual_console_needs_the_hypervisor(x86):
    # bare, the hypercall console falls back to the default 8250
    r = passed(x86("demos", "tiny-demo", "con-type=JAILHOUSE"))
    r.expect("tiny-demo: 64-bit mode, console 8250, bare")


@pytest.mark.qemu
def test_console_base_from_cmdline(x86):
    # COM2 at 0x2f8 is not where QEMU's console is: nothing appears
    r = x86("demos", "tiny-demo", "con-base=0x2f8")
    assert r.status == 0, r
    assert "tiny cell" not in r.log, r


@pytest.mark.qemu
def test_comm_region_found(x86, tmp_path):
    comm = x86_comm_region(tmp_path / "comm.bin", num_cpus=2,
                           tsc_khz=1234567)
    r = x86("demos", "32-bit-demo", comm_region=comm, timeout=10,
            until=["32-bit-demo: done"])
    assert r.marker == "32-bit-demo: done", r
    assert BARE_NOTE not in r.log, r
    r.expect("32-bit-demo: comm region revision 2, 2 CPUs, TSC 1234567 kHz",
             "32-bit-demo: TSC at 1234567 kHz")


@pytest.mark.qemu
def test_smp_demo_takes_cpu_count_from_comm_region(x86, tmp_path):
    comm = x86_comm_region(tmp_path / "comm.bin", num_cpus=2)
    r = x86("demos", "smp-demo", comm_region=comm, timeout=10,
            until=["CPUs online"])
    r.expect("smp-demo: 2 CPUs", "smp-demo: 2 of 2 CPUs online")
    assert "APIC ID 2 up" not in r.log, r


@pytest.mark.qemu
def test_comm_region_abi_mismatch_stops_the_inmate(x86, tmp_path):
    comm = x86_comm_region(tmp_path / "comm.bin", revision=1)
    r = x86("demos", "tiny-demo", comm_region=comm, timeout=3)
    assert r.timed_out, r
    r.expect("Comm region ABI revision 1, this inmate speaks 2")
    assert "tiny cell" not in r.log, r
