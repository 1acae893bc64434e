# SPDX-License-Identifier: GPL-2.0-only
# jailhouse.ko through the kernel's Kbuild, against Debian's amd64 headers
# (installed by ./quickstart): built in the build directory, installable.

import glob
import os
import shutil

import pytest

from conftest import REPO, copy_tree, run_scons, tree

HEADERS = sorted(glob.glob("/usr/src/linux-headers-*-amd64"))
needs_headers = pytest.mark.skipif(not HEADERS, reason="linux-headers-amd64 "
                                   "not installed (./quickstart installs it)")


@needs_headers
@pytest.mark.slow
def test_module_builds_out_of_the_source_tree(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    before = tree(src)
    build_dir = tmp_path / "build"
    run_scons("ARCH=x86", "KDIR=" + HEADERS[-1], "BUILD_DIR=%s" % build_dir,
              "driver", cwd=src)
    module = build_dir / "driver/jailhouse.ko"
    release = os.path.basename(HEADERS[-1])[len("linux-headers-"):]
    with open(module, "rb") as f:
        assert b"vermagic=" + release.encode() in f.read()
    assert tree(src) == before

    # Rebuilding is a no-op; modules_install places it under INSTALL_MOD_PATH.
    question = run_scons("ARCH=x86", "KDIR=" + HEADERS[-1],
                         "BUILD_DIR=%s" % build_dir, "driver", "-q", cwd=src,
                         check=False)
    assert question.returncode == 0
    run_scons("ARCH=x86", "KDIR=" + HEADERS[-1], "BUILD_DIR=%s" % build_dir,
              "modules_install", "INSTALL_MOD_PATH=%s" % (tmp_path / "mods"),
              cwd=src)
    installed = glob.glob(str(tmp_path / "mods/lib/modules/*/extra/driver/"
                                           "jailhouse.ko"))
    assert len(installed) == 1


def _private_kdir(destination):
    """A copy of Debian's amd64 headers directory (links made absolute)."""
    shutil.copytree(HEADERS[-1], destination, symlinks=True)
    for name in os.listdir(destination):
        path = os.path.join(destination, name)
        if os.path.islink(path):
            target = os.path.realpath(os.path.join(HEADERS[-1], name))
            os.unlink(path)
            os.symlink(target, path)
    return destination


@needs_headers
@pytest.mark.slow
def test_kbuild_runs_again_when_the_kernel_tree_changes(tmp_path):
    """New headers installed at the same KDIR path rebuild the module; an
    unchanged tree is a no-op that does not start Kbuild.  Kbuild gets the
    job count scons was given."""
    kdir = _private_kdir(str(tmp_path / "kdir"))
    args = ["ARCH=x86", "KDIR=" + kdir, "BUILD_DIR=%s" % (tmp_path / "b"),
            "driver"]
    first = run_scons(*args, "-j2", "V=1").stdout
    assert "make -C %s" % kdir in first and " -j2 " in first
    assert run_scons(*args, "-q", check=False).returncode == 0
    # The same path, other contents: as when a new headers package of the
    # same release is installed.
    with open(os.path.join(kdir, "Module.symvers"), "a") as f:
        f.write("0x12345678\tjh_test_new_symbol\tvmlinux\tEXPORT_SYMBOL\t\n")
    assert run_scons(*args, "-q", check=False).returncode != 0
    again = run_scons(*args).stdout
    assert "KBUILD" in again, again


@needs_headers
def test_dry_run_of_a_fresh_driver_build(tmp_path):
    """`scons -n driver` before anything is built prints the Kbuild command
    with scons's job count (the staged copies it scans do not exist yet)."""
    result = run_scons("ARCH=x86", "KDIR=" + HEADERS[-1], "-n", "-j3", "V=1",
                       "BUILD_DIR=%s" % (tmp_path / "b"), "driver")
    assert "make -C %s M=" % HEADERS[-1] in result.stdout
    assert " -j3 " in result.stdout
    assert not (tmp_path / "b" / "driver" / "jailhouse.ko").exists()


def _undefined_symbols(module):
    from elftools.elf.elffile import ELFFile  # pylint: disable=import-outside-toplevel
    with open(module, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        return {sym.name for sym in symtab.iter_symbols()
                if sym.name and sym["st_shndx"] == "SHN_UNDEF"}


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["x86", "arm64", "arm"])
def test_module_builds_against_the_fetched_debian_headers(tmp_path, arch):
    """Debian's stock headers of each architecture, as the full-stack
    tests boot them: the module needs only what the kernel exports."""
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    try:
        kernel = debian.kernel(arch=arch)
    except debian.FetchError as err:
        pytest.fail("Debian %s kernel unavailable: %s" % (arch, err))
    build_dir = tmp_path / "build"
    run_scons("ARCH=" + arch, "KDIR=" + kernel["kdir"],
              "BUILD_DIR=%s" % build_dir, "driver")
    module = str(build_dir / "driver/jailhouse.ko")
    with open(module, "rb") as f:
        data = f.read()
    assert b"vermagic=" + kernel["release"].encode() in data
    # Each architecture's own hints: kvm-arm.mode exists on arm64 only.
    assert (b"kvm-arm.mode=none" in data) == (arch == "arm64"), arch
    if arch == "arm":
        assert b"HYP mode did not run the hypervisor entry: another " \
            b"hypervisor owns HYP mode" in data
    with open(os.path.join(kernel["kdir"], "Module.symvers")) as f:
        exported = {line.split("\t")[1] for line in f if "\t" in line}
    missing = _undefined_symbols(module) - exported
    assert not missing, "not exported by Debian's %s kernel: %s" % (
        kernel["release"], sorted(missing))
