# SPDX-License-Identifier: GPL-2.0-only
# Inmate images outside a cell: paths in a build, command lines patched in,
# bare runs on the machines of tests/machines.py, the test library summary.

"""Used by tests/test_inmates_<arch>.py and scripts/bench-irq-latency.

The ARM bare/ images (inmates/bare/..., linked at 0x40080000, built by
`testprogs`) boot directly in QEMU virt at
EL1 (SVC on ARMv7), exactly as an inmate starts in a cell.  Command lines
are put into a copy of the image the way `jailhouse cell load -s ... -a
0x1000` does."""

import os
import re
import shutil
import struct

import machines
import rig

SUMMARY = re.compile(r"Testing finished \((\d+) passed, (\d+) failed\)")
MARKER = re.compile(r"JAILHOUSE-TEST-RESULT: (PASS|FAIL) passed=(\d+) "
                    r"failed=(\d+)")
# CPUs of a bare inmate run (the cells of the demos have at most two).
BARE_CPUS = 2


def bare(build_inmates, kind, subdir, name):
    """The image of kind/subdir/name.c linked to boot without the
    hypervisor: build_inmates/bare/kind/subdir/name.elf."""
    return path(build_inmates, os.path.join("bare", kind), subdir,
                name + ".elf")


def arm_bare(build_inmates, kind, name):
    """bare/ image of an ARM demo or test: kind/arm-common/name.c, or a
    generic kind/name.c."""
    shared = os.path.join(build_inmates, "bare", kind, "arm-common",
                          name + ".elf")
    return bare(build_inmates, kind,
                "arm-common" if os.path.isfile(shared) else "", name)


def path(build_inmates, kind, subdir, name):
    """build_inmates/kind/subdir/name, which must exist."""
    result = os.path.join(build_inmates, kind, subdir, name)
    assert os.path.isfile(result), result
    return result


def with_cmdline(elf, cmdline, directory):
    """Copy of elf whose .cmdline section holds cmdline (NUL-terminated)."""
    from elftools.elf.elffile import ELFFile

    base = os.path.basename(elf).rsplit(".", 1)[0]
    patched = os.path.join(str(directory), base + "-cmdline.elf")
    shutil.copyfile(elf, patched)
    with open(patched, "r+b") as f:
        section = ELFFile(f).get_section_by_name(".cmdline")
        data = cmdline.encode() + b"\0"
        if len(data) > section["sh_size"]:
            raise ValueError("command line too long for %s" % elf)
        f.seek(section["sh_offset"])
        f.write(data)
    return patched


def arm_machine(arch, gic=3):
    return machines.for_arch(arch, "gicv%d" % gic)


def boot_arm(arch, elf, gic=3, timeout=30, **options):
    """Boot a bare ARM inmate at EL1/SVC on arch's virt machine with GIC
    version gic; a rig.Run (skips when QEMU is missing)."""
    machine = rig.require(arm_machine(arch, gic))
    options.setdefault("cpus", BARE_CPUS)
    return rig.boot(machine, elf, hyp=False, timeout=timeout, **options)


def check_summary(run):
    """Assert the test library's summary and result marker agree on a
    pass; returns the number of passed checks."""
    log = run.log
    summary, marker = SUMMARY.search(log), MARKER.search(log)
    assert summary and marker, run
    passed, failed = int(summary.group(1)), int(summary.group(2))
    assert marker.group(1) == "PASS" and failed == 0 and passed > 0, run
    assert (int(marker.group(2)), int(marker.group(3))) == \
        (passed, failed), run
    assert "FAIL:" not in log, run
    return passed


def check_arm_layout(build_inmates):
    """Every ARM image starts at its base (0, or 0x40080000 for bare/) and
    has its .cmdline section at image offset 0x1000."""
    from elftools.elf.elffile import ELFFile

    images = [os.path.join(root, name)
              for root, _dirs, files in os.walk(build_inmates)
              for name in files if name.endswith(".elf")]
    assert len(images) >= 10, images
    for image in images:
        with open(image, "rb") as f:
            elf = ELFFile(f)
            base = 0x40080000 if "/bare/" in image else 0
            assert elf.header["e_entry"] == base, image
            assert elf.get_section_by_name(".cmdline")["sh_addr"] == \
                base + 0x1000, image
    binary = os.path.join(build_inmates, "tests/test-cmdline.bin")
    with open(binary, "rb") as f:
        assert f.read()[0x1000:].startswith(b"builtin int=42 ")


# x86: QEMU q35 boots the test-only multiboot loader
# (tests/baremetal/inmate-loader-x86.S), which starts the inmate image in
# real mode at address 0 as a cell CPU starts, its command line at 0x1000.
X86_LOADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "baremetal", "inmate-loader-x86.S")


def build_x86_loader(directory, cc="gcc"):
    """Assemble the loader into directory; its path."""
    import subprocess

    elf = os.path.join(str(directory), "inmate-loader-x86.elf")
    subprocess.run([cc, "-m32", "-nostdlib", "-static", "-no-pie",
                    "-Wl,--build-id=none", "-Wl,-Ttext=0x200000", "-o", elf,
                    X86_LOADER], check=True, capture_output=True)
    return elf


def boot_x86(loader, image, cmdline="", comm_region=None, timeout=30,
             machine="x86", **options):
    """Boot the x86 inmate image (a .bin) bare on q35 (or on the machine
    row called machine, e.g. a Bochs one); a rig.Run (skips when QEMU is
    missing).  comm_region: a file the loader puts at 0x100000.  On q35
    the CPUs do not get SVM: a cell CPU does not see it either."""
    machine = rig.require(machines.get(machine))
    modules = [image + (" " + cmdline if cmdline else "")]
    if comm_region:
        modules.append(str(comm_region))
    initrd = ",".join(m.replace(",", ",,") for m in modules)
    return rig.boot(machine, loader, hyp=False, initrd=initrd,
                    timeout=timeout, **options)


def x86_comm_region(path, revision=2, num_cpus=1, pm_timer=0x608,
                    tsc_khz=0, apic_khz=0, console_type=2, console_base=0x3f8,
                    flags=0):
    """Write a comm region as the hypervisor fills it for an x86 cell (ABI
    2: generic part, then PM timer port, CPUs, TSC and APIC kHz)."""
    console = struct.pack("<QIHHIIQ", console_base, 8, console_type, 0, 0,
                          0, 0)
    data = b"JHCOMM" + struct.pack("<HIIII", revision, 0, 0, 0, flags) + \
        console + struct.pack("<Q", 0) + \
        struct.pack("<HHII", pm_timer, num_cpus, tsc_khz, apic_khz)
    assert len(data) == 76
    with open(str(path), "wb") as f:
        f.write(data)
    return path
