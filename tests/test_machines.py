# SPDX-License-Identifier: GPL-2.0-only
# The machine table and the rig, without an emulator.

import subprocess
import sys

import pytest

import machines
import rig
from conftest import ARCHES


def test_every_architecture_has_a_machine():
    assert set(machines.MACHINES) == set(ARCHES)
    names = [m.name for m in machines.rows()]
    assert len(names) == len(set(names))
    for arch in ARCHES:
        assert machines.get(arch).arch == arch


def test_command_lines():
    arm64 = machines.get("arm64")
    assert arm64.command("p.elf", semihosting=True) == [
        "qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
        "-cpu", "cortex-a57", "-smp", "4", "-m", "1G", "-nographic",
        "-no-reboot", "-semihosting", "-kernel", "p.elf"]
    assert machines.for_arch("arm64", "gicv2").command(
        hyp=False, cpus=2, cpu_props=["cntfrq=1000000000"], icount=True,
        loaders=[("b.bin", 0x4ff00000)])[1:] == [
        "-M", "virt,gic-version=2", "-cpu", "cortex-a57,cntfrq=1000000000",
        "-smp", "2", "-m", "1G", "-nographic", "-no-reboot", "-icount",
        "shift=0,align=off,sleep=off", "-device",
        "loader,file=b.bin,addr=0x4ff00000,force-raw=on"]
    armv7 = machines.get("arm")
    assert armv7.command()[:6] == ["qemu-system-arm", "-M",
                                   "virt,virtualization=on,gic-version=2",
                                   "-cpu", "cortex-a15", "-smp"]
    x86 = machines.get("x86")
    assert x86.command("m.elf", append="console=ttyS0") == [
        "qemu-system-x86_64", "-M", "q35", "-cpu", "qemu64,+svm,+npt",
        "-smp", "4", "-m", "1G", "-nographic", "-no-reboot", "-device",
        "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", "m.elf",
        "-append", "console=ttyS0"]


def test_bochs_row_describes_but_does_not_run_yet():
    bochs = machines.get("x86-bochs-skylake")
    assert bochs.emulator == "bochs" and bochs.arch == "x86"
    with pytest.raises(NotImplementedError):
        bochs.command("x.bin")


def test_unknown_machine_is_named():
    with pytest.raises(KeyError, match="no machine 'vax'"):
        machines.get("vax")


def test_exit_status_decoding():
    assert machines.get("x86").exit_status(1) == 0
    assert machines.get("x86").exit_status(3) == 1
    assert machines.get("x86").exit_status(0) is None
    assert machines.get("arm64").exit_status(0) == 0
    assert machines.get("arm64").exit_status(-9) is None


def spawn(code):
    return subprocess.Popen([sys.executable, "-c", code],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_collect_stops_at_a_marker():
    process = spawn("import time; print('boot', flush=True); "
                    "print('ticks done', flush=True); time.sleep(30)")
    log, timed_out, marker = rig.collect(process, 20, {"ticks done": 0})
    assert marker == "ticks done" and not timed_out
    assert b"boot\nticks done" in log


def test_collect_times_out():
    process = spawn("import time; print('x', flush=True); time.sleep(30)")
    log, timed_out, marker = rig.collect(process, 0.5)
    assert timed_out and marker is None and log == b"x\n"


def test_collect_until_exit():
    process = spawn("import sys; print('a' * 100000); sys.exit(3)")
    log, timed_out, marker = rig.collect(process, 20)
    assert not timed_out and process.returncode == 3
    assert len(log) == 100001


def test_run_describes_itself():
    run = rig.Run(machines.get("arm64"), ["qemu", "-x"], "hello\n", 1,
                  False, None, 0.5)
    assert run.status == 1
    text = str(run)
    assert "arm64-virt-gicv3: qemu -x" in text and "hello" in text
    with pytest.raises(AssertionError, match="missing 'bye'"):
        run.expect("hello", "bye")
