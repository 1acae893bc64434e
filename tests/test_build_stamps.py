# SPDX-License-Identifier: GPL-2.0-only
# No-op runs answered from stamps (site_scons/jhbuild/uptodate.py): answered only while nothing changed; every change that needs a rebuild rebuilds

"""A plain repeated build is answered before SCons reads the SConscripts;
SCons's own run (which rewrites the .sconsign) shows that a change took
the run through SCons.  Each test changes one kind of input and expects
the rebuild it needs."""

import os
import shutil
import subprocess

import pytest

from conftest import SCONS, copy_tree, run_scons

BUILD = "build/arm64"


@pytest.fixture
def tree(tmp_path):
    return copy_tree(str(tmp_path / "src"))


def scons(tree, *args, env=None, check=True):
    return run_scons("ARCH=arm64", *args, cwd=tree, env=env, check=check)


def sconsign_stamp(tree):
    st = os.stat(os.path.join(tree, BUILD, ".sconsign.dblite"))
    return st.st_mtime_ns, st.st_ino


def built_files(result):
    """Build directory paths of the files a run made (quiet output)."""
    return [line.split()[-1] for line in result.stdout.splitlines()
            if line.startswith("  ")]


def answered(tree, *args, env=None):
    """Run; True if the stamps answered it (SCons never ran: the .sconsign
    is untouched and nothing was built)."""
    before = sconsign_stamp(tree)
    result = scons(tree, *args, env=env)
    if sconsign_stamp(tree) != before:
        return False
    assert built_files(result) == [], result.stdout
    return True


def append(tree, path, text="\n/* changed */\n"):
    with open(os.path.join(tree, path), "a") as f:
        f.write(text)


def test_noop_is_answered_and_says_what_scons_says(tree):
    first = scons(tree, "hypervisor")
    assert "hypervisor/jailhouse.bin" in " ".join(built_files(first))
    assert answered(tree, "hypervisor")
    again = scons(tree, "hypervisor")
    assert again.stdout == "scons: `hypervisor' is up to date.\n"
    # -j and -Q do not matter; without -Q, SCons's progress lines
    assert answered(tree, "-j1", "hypervisor")
    full = run_scons_plain(tree, "hypervisor")
    assert full.splitlines()[1:] == [
        "scons: done reading SConscript files.", "scons: Building targets ...",
        "scons: `hypervisor' is up to date.", "scons: done building targets."]
    # another invocation is recorded on its own, both are remembered
    scons(tree, "configs")
    assert answered(tree, "configs") and answered(tree, "hypervisor")
    # the default target prints the driver notice as before
    scons(tree)
    default = scons(tree)
    assert "scons: `all' is up to date." in default.stdout
    assert "driver: skipped" in default.stdout


def run_scons_plain(tree, *args):
    """scons without -Q (run_scons always passes it)."""
    result = subprocess.run([SCONS, "ARCH=arm64"] + list(args), cwd=tree,
                            capture_output=True, text=True, timeout=600,
                            check=True)
    return result.stdout


def test_options_other_than_j_q_k_go_through_scons(tree):
    scons(tree, "hypervisor")
    assert answered(tree, "hypervisor")
    for option in ("-n", "--debug=explain", "-s"):
        before = sconsign_stamp(tree)
        scons(tree, option, "hypervisor")
        if option != "-n":          # a dry run writes no .sconsign
            assert sconsign_stamp(tree) != before, option


def test_source_and_header_edits_rebuild(tree):
    scons(tree, "hypervisor")
    append(tree, "hypervisor/control.c")
    assert "build/arm64/hypervisor/control.o" in \
        built_files(scons(tree, "hypervisor"))
    assert answered(tree, "hypervisor")
    append(tree, "hypervisor/arch/arm-common/include/asm/percpu.h")
    rebuilt = built_files(scons(tree, "hypervisor"))
    assert "build/arm64/hypervisor/control.o" in rebuilt, rebuilt


def test_shadowing_header_rebuilds(tree):
    """A new header earlier on the include path than the one in use."""
    scons(tree, "hypervisor")
    assert answered(tree, "hypervisor")
    with open(os.path.join(tree, "hypervisor/arch/arm64/include/asm/"
                                 "percpu.h"), "w") as f:
        f.write("#error the shadowing header is used\n")
    result = scons(tree, "hypervisor", check=False)
    assert result.returncode != 0
    assert "the shadowing header is used" in result.stderr


def test_missing_or_changed_output_rebuilds(tree):
    scons(tree, "hypervisor")
    os.remove(os.path.join(tree, BUILD, "hypervisor/jailhouse.bin"))
    assert "build/arm64/hypervisor/jailhouse.bin" in \
        built_files(scons(tree, "hypervisor"))
    # An intermediate file changed behind SCons's back: SCons decides
    # (it links the changed object again).
    append(tree, BUILD + "/hypervisor/control.o", "garbage")
    assert "build/arm64/hypervisor/jailhouse.elf" in \
        built_files(scons(tree, "hypervisor"))
    assert answered(tree, "hypervisor")


def test_new_config_source_is_built(tree):
    scons(tree, "configs")
    assert answered(tree, "configs")
    shutil.copy(os.path.join(tree, "configs/arm64/qemu-arm64-inmate-demo.c"),
                os.path.join(tree, "configs/arm64/zz-new-demo.c"))
    assert "build/arm64/configs/arm64/zz-new-demo.cell" in \
        built_files(scons(tree, "configs"))


def test_any_new_file_in_the_tree_goes_through_scons(tree):
    scons(tree, "hypervisor")
    open(os.path.join(tree, "docs", "notes.txt"), "w").close()
    assert not answered(tree, "hypervisor")
    assert answered(tree, "hypervisor")


def test_build_logic_edits_go_through_scons(tree):
    scons(tree, "hypervisor")
    for path in ("hypervisor/SConscript", "site_scons/jhbuild/arch.py",
                 "SConstruct", "hypervisor/arch/arm64/Kconfig"):
        append(tree, path, "\n# changed\n")
        assert not answered(tree, "hypervisor"), path
        assert answered(tree, "hypervisor"), path


def test_variables_environment_config_and_version_rebuild(tree):
    scons(tree, "hypervisor")
    control = "build/arm64/hypervisor/control.o"
    assert control in built_files(scons(tree, "hypervisor",
                                        "EXTRA_CFLAGS=-DSTAMPS_TEST"))
    assert answered(tree, "hypervisor", "EXTRA_CFLAGS=-DSTAMPS_TEST")
    # back to the first invocation: its outputs have changed since
    assert control in built_files(scons(tree, "hypervisor"))
    # a variable from the environment
    assert control in built_files(scons(tree, "hypervisor",
                                        env={"EXTRA_CFLAGS": "-DFROM_ENV"}))
    assert answered(tree, "hypervisor", env={"EXTRA_CFLAGS": "-DFROM_ENV"})
    assert not answered(tree, "hypervisor",
                        env={"EXTRA_CFLAGS": "-DFROM_ENV",
                             "SOURCE_DATE_EPOCH": "1700000000"})
    # the version (VERSION file) reaches version.h
    scons(tree, "hypervisor")
    with open(os.path.join(tree, "VERSION"), "w") as f:
        f.write("9.99\n")
    assert not answered(tree, "hypervisor")
    with open(os.path.join(tree, BUILD, "include/generated/version.h")) as f:
        assert '"9.99' in f.read()
    # .config edited by hand
    with open(os.path.join(tree, BUILD, ".config")) as f:
        config = f.read()
    assert "CONFIG_MAX_CPUS=64\n" in config
    with open(os.path.join(tree, BUILD, ".config"), "w") as f:
        f.write(config.replace("CONFIG_MAX_CPUS=64\n", "CONFIG_MAX_CPUS=32\n"))
    assert control in built_files(scons(tree, "hypervisor"))
    with open(os.path.join(tree, BUILD, "include/generated/config.h")) as f:
        assert "CONFIG_MAX_CPUS 32" in f.read()
    assert answered(tree, "hypervisor")


def test_content_change_under_an_old_mtime_rebuilds(tree):
    """A file replaced by one of the same size, its mtime set back (what
    `cp -p` or `tar x` of another version can do)."""
    scons(tree, "hypervisor")
    path = os.path.join(tree, "hypervisor/control.c")
    st = os.stat(path)
    with open(path, "r+") as f:
        text = f.read()
        f.seek(0)
        f.write(text.replace("int ", "int\t", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size
    assert "build/arm64/hypervisor/control.o" in \
        built_files(scons(tree, "hypervisor"))
