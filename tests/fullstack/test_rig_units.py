# SPDX-License-Identifier: GPL-2.0-only
# Host-only checks of the full-stack rig: the newc writer and the fetch cache (no QEMU, no network).

import json
import os
import stat

import pytest

from fullstack import debian, initramfs, rig


def parse_newc(data):
    """[(name, mode, rdev_major, rdev_minor, bytes)] of a newc archive."""
    entries, offset = [], 0
    while True:
        header = data[offset:offset + 110]
        assert header[:6] == b"070701", offset
        fields = [int(header[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, size, rmajor, rminor, namesize = (fields[1], fields[6], fields[9],
                                                fields[10], fields[11])
        name_end = offset + 110 + namesize
        name = data[offset + 110:name_end - 1].decode()
        assert data[name_end - 1] == 0
        offset = (name_end + 3) & ~3
        body = data[offset:offset + size]
        offset = (offset + size + 3) & ~3
        if name == "TRAILER!!!":
            assert len(data) % 512 == 0
            return entries
        entries.append((name, mode, rmajor, rminor, body))


def test_newc_archive_round_trip(tmp_path):
    (tmp_path / "tree/sub").mkdir(parents=True)
    (tmp_path / "tree/sub/a.txt").write_text("hello")
    (tmp_path / "tree/link").symlink_to("sub/a.txt")
    archive = initramfs.Archive()
    archive.file("init", "#!/bin/sh\n", 0o755)
    archive.char_device("dev/console", 5, 1)
    archive.host_tree("opt", str(tmp_path / "tree"))
    entries = {e[0]: e[1:] for e in parse_newc(archive.bytes())}
    assert stat.S_ISDIR(entries["dev"][0]) and stat.S_ISDIR(entries["opt/sub"][0])
    assert entries["init"][0] == stat.S_IFREG | 0o755
    assert entries["init"][3] == b"#!/bin/sh\n"
    assert stat.S_ISCHR(entries["dev/console"][0])
    assert entries["dev/console"][1:3] == (5, 1)
    assert entries["opt/sub/a.txt"][3] == b"hello"
    assert stat.S_ISLNK(entries["opt/link"][0])
    assert entries["opt/link"][3] == b"sub/a.txt"
    # Parents come before children.
    names = [e[0] for e in parse_newc(archive.bytes())]
    assert names.index("opt") < names.index("opt/sub") < names.index("opt/sub/a.txt")


def test_guest_result_parsing():
    log = ("boot\nJH-GUEST-START\nline 1\n[ 1.0] WARNING: CPU: 1 at x\n"
           "JH-GUEST-EXIT: 3\npower down\n")
    result = rig.GuestResult(log, 3, 0, False, 1.0)
    assert result.output == "line 1\n[ 1.0] WARNING: CPU: 1 at x\n"
    assert result.kernel_trouble == ["[ 1.0] WARNING: CPU: 1 at x"]
    assert rig.EXIT_RE.findall(log) == ["3"]


def test_complete_cache_is_used_without_apt(tmp_path, monkeypatch):
    """A cache with complete stamps answers without running any command."""
    monkeypatch.setenv("JH_DEBIAN_CACHE", str(tmp_path))
    arm = tmp_path / "arm64"
    arm.mkdir()
    for name in ("vmlinuz", "kdir", "modules", "root", "busybox", "python"):
        (arm / name).write_text("")
    (arm / "kernel.json").write_text(json.dumps(dict(
        {key: str(arm / key) for key in ("vmlinuz", "kdir", "modules")},
        layout=debian.KERNEL_LAYOUT)))
    (arm / "userland.json").write_text(json.dumps(dict(
        {key: str(arm / key) for key in ("root", "busybox", "python")},
        layout=debian.USERLAND_LAYOUT)))

    def no_commands(*args, **kwargs):
        pytest.fail("ran a command: %s" % (args,))
    monkeypatch.setattr(debian, "_run", no_commands)
    parts = debian.fetch_all()
    assert parts["kernel"]["vmlinuz"] == str(arm / "vmlinuz")
    assert parts["userland"]["python"] == str(arm / "python")
    assert os.path.exists(tmp_path / ".lock")


def test_kernel_replacement_is_atomic_for_readers(tmp_path, monkeypatch):
    """A refetch never changes a tree a stamp named: the new kernel goes
    to a new generation directory, complete before the stamp (replaced by
    rename) names it; the previous generation stays for running readers,
    older ones go."""
    monkeypatch.setenv("JH_DEBIAN_CACHE", str(tmp_path))
    row = debian.debian_arch("arm64")
    release = "6.1.0-99-arm64"
    fetches = []

    def unpack(debs, destination):
        partial = destination + ".partial"
        for name, text in (
                ("boot/vmlinuz-" + release, "kernel %d" % len(fetches)),
                ("usr/src/linux-headers-%s/Makefile" % release,
                 "include /usr/src/linux-headers-6.1.0-99-common/Makefile"),
                ("lib/modules/%s/modules.dep" % release, "")):
            path = os.path.join(partial, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        fetches.append(destination)
        return partial

    def write_stamp(path, data, real=debian._write_stamp):
        # What a reader finds through the new stamp is complete already,
        # and the tree the old stamp names is still there.
        assert os.path.isfile(data["vmlinuz"]), data
        old = debian._load_stamp(path)
        if old:
            assert os.path.isfile(old["vmlinuz"]), old
        real(path, data)
        assert not os.path.exists(path + ".tmp")

    monkeypatch.setattr(debian, "_prepare_apt", lambda row: None)
    monkeypatch.setattr(debian, "_kernel_abi",
                        lambda row, refresh: ("6.1.0-99", "6.1.99-1"))
    monkeypatch.setattr(debian, "_download", lambda specs, debs: [])
    monkeypatch.setattr(debian, "_unpack", unpack)
    monkeypatch.setattr(debian, "_write_stamp", write_stamp)
    stamps = []
    for layout in range(3):
        # A changed layout makes the cached tree stale: fetched again.
        monkeypatch.setattr(row, "layout", 100 + layout)
        stamps.append(debian.kernel(arch="arm64"))
        with open(stamps[-1]["vmlinuz"]) as f:
            assert f.read() == "kernel %d" % layout
    roots = [stamp["root"] for stamp in stamps]
    assert len(set(roots)) == 3 and roots == fetches
    # A run that read the second stamp reads its kernel still, unchanged.
    with open(stamps[1]["vmlinuz"]) as f:
        assert f.read() == "kernel 1"
    assert not os.path.exists(roots[0])
    assert sorted(os.listdir(tmp_path / "arm64")) == sorted(
        [os.path.basename(roots[1]), os.path.basename(roots[2]),
         "kernel.json"])
    assert debian.kernel(arch="arm64") == stamps[2]


def test_architectures_have_their_debian_names_and_command_lines():
    assert debian.debian_arch("x86").dpkg == "amd64"
    assert debian.debian_arch("amd64").arch == "x86"
    assert debian.debian_arch().dpkg == "arm64"
    assert debian.debian_arch("arm").dpkg == "armhf"
    assert debian.debian_arch("armhf").flavour == "armmp-lpae"
    assert "libgcc-s1" in debian.debian_arch("arm").libraries
    with pytest.raises(debian.FetchError, match="known: arm, arm64, x86"):
        debian.debian_arch("sparc64")
    x86 = rig.boot_append("x86").split()
    assert "console=ttyS0" in x86 and "memmap=82M$0x3a000000" in x86
    arm64 = rig.boot_append("arm64").split()
    assert "console=ttyAMA0" in arm64 and "kvm-arm.mode=none" in arm64
    assert "kvm-arm.mode=none" not in rig.boot_append("arm64", kvm_off=False)
    # 32-bit ARM has no KVM to keep off HYP mode.
    arm = rig.boot_append("arm").split()
    assert "console=ttyAMA0" in arm and "mem=768M" in arm
    assert not any(word.startswith("kvm") for word in arm)
    # The Python libraries of either architecture are trimmed alike.
    for triplet in ("aarch64-linux-gnu", "arm-linux-gnueabihf",
                    "x86_64-linux-gnu"):
        assert rig.PYTHON_SKIP.match("usr/lib/%s/gconv/x.so" % triplet)
        assert not rig.PYTHON_SKIP.match("lib/%s/libc.so.6" % triplet)


def fake_vmlinuz(path, entry=0x1000123):
    """A bzImage stand-in: junk, then an xz-compressed ELF64 with one
    PT_LOAD at 16 MiB and a PT_NOTE holding Xen's PVH entry note."""
    import lzma
    import struct
    note = struct.pack("<III", 4, 4, 18) + b"Xen\0" + struct.pack("<I", entry)
    body = b"KERNEL" + bytes(10)
    elf = bytearray(0x200)
    elf[0:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
    struct.pack_into("<HHIQQQIHHHHHH", elf, 16, 2, 62, 1, 0, 64, 0, 0, 64,
                     56, 2, 0, 0, 0)
    struct.pack_into("<IIQQQQQQ", elf, 64, 1, 7, 0x100, 0x1000000,
                     0x1000000, len(body), 0x3000, 0x1000)
    struct.pack_into("<IIQQQQQQ", elf, 120, 4, 4, 0x180, 0, 0, len(note),
                     len(note), 4)
    elf[0x100:0x100 + len(body)] = body
    elf[0x180:0x180 + len(note)] = note
    with open(path, "wb") as f:
        f.write(b"MZ" + bytes(100) + lzma.compress(bytes(elf)))
    return str(path)


def test_pvh_program(tmp_path):
    """Kernel and initramfs as one multiboot program for Bochs: the stub
    enters the PVH entry with %ebx at a start info naming the command
    line, the memory map and the initramfs (after the kernel's memory)."""
    import struct
    from fullstack import pvh
    import bochs
    out = pvh.program(fake_vmlinuz(tmp_path / "vmlinuz"), b"INITRD",
                      "console=ttyS0", 1024, str(tmp_path / "linux.elf"))
    base, image, _bss, _end, entry = bochs.multiboot_layout(out)
    assert base == pvh.LOAD and entry == pvh.LOAD + pvh.STUB

    def at(address, size):
        return image[address - base:address - base + size]
    assert at(entry, 12) == b"\xbb" + struct.pack("<I", pvh.START_INFO) + \
        b"\xb8" + struct.pack("<I", 0x1000123) + b"\xff\xe0"
    assert at(0x1000000, 6) == b"KERNEL"
    info = struct.unpack("<IIIIQQQQII", at(pvh.START_INFO, 56))
    assert info[:4] == (0x336ec578, 1, 0, 1)
    assert at(info[5], 14) == b"console=ttyS0\0"
    initrd_at, size = struct.unpack("<QQ", at(info[4], 16))
    assert initrd_at == 0x1100000 and at(initrd_at, size) == b"INITRD"
    memmap = [struct.unpack_from("<QQI", at(info[7], 24 * info[8]), 24 * n)
              for n in range(info[8])]
    assert memmap[-1] == (0x3fff0000, 0x10000, 3)
    assert (0x100000, 0x3fef0000, 1) in memmap


def test_pvh_refuses_kernels_without_entry(tmp_path):
    from fullstack import pvh
    path = tmp_path / "vmlinuz"
    path.write_bytes(b"no kernel here")
    with pytest.raises(pvh.PvhError, match="no xz-compressed kernel"):
        pvh.program(str(path), b"", "", 1024, str(tmp_path / "x.elf"))
