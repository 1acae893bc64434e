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


def multiboot_elf(path):
    """A tiny ELF64 with a multiboot header using the a.out kludge."""
    import struct
    load, entry = 0x200000, 0x200020
    header = struct.pack("<III", 0x1BADB002, 0x10000,
                         -(0x1BADB002 + 0x10000) & 0xffffffff)
    header += struct.pack("<IIIII", load, load, load + 0x40, load + 0x3000,
                          entry)
    body = header.ljust(0x40, b"\x90")
    ehdr = b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack(
        "<HHIQQQIHHHHHH", 2, 62, 1, entry, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 7, 0x1000, load, load, len(body),
                       0x3000, 0x1000)
    with open(path, "wb") as f:
        f.write((ehdr + phdr).ljust(0x1000, b"\0") + body)
    return str(path)


def test_bochs_run_files(tmp_path):
    bochs = machines.get("x86-bochs-skylake")
    assert bochs.emulator == "bochs" and bochs.arch == "x86"
    elf = multiboot_elf(tmp_path / "prog.elf")
    argv = bochs.command(elf, append="enable", workdir=str(tmp_path))
    assert argv == ["bochs", "-f", str(tmp_path / "bochsrc"), "-rc",
                    str(tmp_path / "cmds")]
    rc = (tmp_path / "bochsrc").read_text()
    assert "cpu: model=corei7_skylake_x, count=4," in rc
    assert "megs: 1024" in rc and "display_library: rfb" in rc
    assert "optramimage1: file=%s, address=0x200000" % (
        tmp_path / "image.bin") in rc
    assert (tmp_path / "image.bin").read_bytes()[:4] == \
        b"\x02\xb0\xad\x1b"
    assert (tmp_path / "cmds").read_text() == \
        "xp /1wx 0x200000\ncontinue\nquit\n"
    floppy = (tmp_path / "boot.img").read_bytes()
    assert len(floppy) == 1474560 and floppy[510:512] == b"\x55\xaa"
    params = floppy[0x100:0x200]
    assert params.startswith(b"JHBOOT01" + bytes.fromhex(
        "20002000" "40002000" "00302000" "00fc0f00"))
    assert params[24:].startswith(b"prog.elf enable\0")


def test_bochs_multiboot_modules(tmp_path):
    """QEMU's -initrd syntax under Bochs: the modules follow the bss,
    page-aligned, named by a multiboot information structure that a stub
    hands to the program's entry."""
    import struct
    bochs = machines.get("x86-bochs-skylake")
    (tmp_path / "a.bin").write_bytes(b"AAAA")
    (tmp_path / "b,c").write_bytes(b"BB")
    elf = multiboot_elf(tmp_path / "prog.elf")
    bochs.command(elf, workdir=str(tmp_path), initrd="%s x=1,%s" % (
        tmp_path / "a.bin", str(tmp_path / "b,c").replace(",", ",,")))
    image = (tmp_path / "image.bin").read_bytes()
    # bss ends at 0x203000: the modules at 0x203000 and 0x204000, then the
    # information structure and the stub
    assert image[0x3000:0x3004] == b"AAAA" and image[0x4000:0x4002] == b"BB"
    mbi = 0x205000
    flags, = struct.unpack_from("<I", image, mbi - 0x200000)
    count, mods = struct.unpack_from("<II", image, mbi - 0x200000 + 20)
    assert flags & 8 and count == 2
    first = struct.unpack_from("<IIII", image, mods - 0x200000)
    assert first[:2] == (0x203000, 0x203004)
    string = image[first[2] - 0x200000:].split(b"\0")[0]
    assert string == ("%s x=1" % (tmp_path / "a.bin")).encode()
    second = struct.unpack_from("<IIII", image, mods - 0x200000 + 16)
    assert image[second[2] - 0x200000:].split(b"\0")[0] == \
        str(tmp_path / "b,c").encode()
    stub = len(image) - 17
    assert image[stub:stub + 5] == b"\xb8" + struct.pack("<I", 0x2badb002)
    assert struct.unpack_from("<I", image, stub + 11)[0] == 0x200020
    params = (tmp_path / "boot.img").read_bytes()[0x100:0x200]
    assert struct.unpack_from("<I", params, 8)[0] == 0x200000 + stub


def test_bochs_refuses_what_it_cannot_do(tmp_path):
    bochs = machines.get("x86-bochs-ryzen")
    with pytest.raises(Exception, match="no icount, semihosting"):
        bochs.command(multiboot_elf(tmp_path / "p.elf"), icount=True,
                      semihosting=True, workdir=str(tmp_path))
    (tmp_path / "plain.elf").write_bytes(b"\x7fELF\x02" + bytes(100))
    with pytest.raises(Exception, match="no loadable segment"):
        bochs.command(str(tmp_path / "plain.elf"), workdir=str(tmp_path))


def test_bochs_exit_status():
    bochs = machines.get("x86-bochs-skylake")
    assert bochs.exit_status(0) == 0
    assert bochs.exit_status(1, "p[UNMAP ] Shutdown port: shutdown "
                                "requested") == 1
    # a triple fault of the whole machine reports no status
    assert bochs.exit_status(1, "3rd (13) exception with no resolution") \
        is None
    assert bochs.exit_status(-9) is None


def test_missing_bochs_fails_with_one_line(monkeypatch):
    bochs = machines.get("x86-bochs-skylake")
    monkeypatch.setattr(type(bochs), "available", lambda self: False)
    with pytest.raises(pytest.fail.Exception,
                       match="bochs not installed .*quickstart"):
        rig.require(bochs)


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
