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
    binary = os.path.join(build_inmates, "tests/arm-common/test-cmdline.bin")
    with open(binary, "rb") as f:
        assert f.read()[0x1000:].startswith(b"builtin int=42 ")
