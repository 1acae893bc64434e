# SPDX-License-Identifier: GPL-2.0-only
# Bad build input: a one-line error that names the problem and the fix, a
# non-zero exit status, and nothing written to the build directory.

import os

import pytest

from conftest import run_scons


def one_line_error(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scons: *** ")
    return lines[0]


@pytest.mark.parametrize("args, expected", [
    (["ARCH=sparc"], ["ARCH=sparc is not supported", "x86, arm or arm64"]),
    (["ARCH=arm64", "CROSS_COMPILE=no-such-toolchain-"],
     ["'no-such-toolchain-gcc' not found", "install gcc-aarch64-linux-gnu",
      "CROSS_COMPILE"]),
    (["ARCH=arm64", "KDIR=/nonexistent/kernel"],
     ["KDIR=/nonexistent/kernel: no such directory"]),
    (["ARCH=arm64", "KDIR=/tmp"], ["is not a kernel build tree"]),
    (["ARCH=arm64", "frobnicate"], ["unknown target 'frobnicate'", "known targets"]),
    (["ARCH=arm64", "DESTIDR=/tmp/x", "install"],
     ["unknown variable DESTIDR=/tmp/x (did you mean DESTDIR?): refusing to "
      "install"]),
    (["ARCH=arm64", "INSTALL_MOD_PAT=/tmp/x", "modules_install"],
     ["did you mean INSTALL_MOD_PATH?"]),
    (["ARCH=arm64", "CONFIG_TRACE_ERRR=y"], ["CONFIG_TRACE_ERRR=y",
                                             "no such Kconfig option"]),
    (["ARCH=arm64", "defconfig", "hypervisor"], ["run 'defconfig' on its own"]),
    (["ARCH=arm64", "CC=/no/such/gcc --sysroot=/x"],
     ["CC=/no/such/gcc --sysroot=/x: '/no/such/gcc' not found"]),
])
def test_bad_input(tmp_path, args, expected):
    build_dir = tmp_path / "build"
    result = run_scons("BUILD_DIR=%s" % build_dir, *args, check=False)
    line = one_line_error(result)
    for fragment in expected:
        assert fragment in line
    assert not build_dir.exists(), os.listdir(build_dir)


def test_broken_dot_config(tmp_path):
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    (build_dir / ".config").write_text("CONFIG_TRACE_ERROR=y\nCONFIG_NO_SUCH=y\n")
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % build_dir, check=False)
    line = one_line_error(result)
    assert "NO_SUCH" in line and ".config:2" in line and "olddefconfig" in line
    assert sorted(os.listdir(build_dir)) == [".config"]


def test_unconfigured_kdir(tmp_path):
    kdir = tmp_path / "kernel"
    kdir.mkdir()
    (kdir / "Makefile").write_text("all:\n")
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % (tmp_path / "b"),
                       "KDIR=%s" % kdir, check=False)
    assert "is not configured" in one_line_error(result)


def test_kdir_for_another_architecture(tmp_path):
    kdir = tmp_path / "kernel"
    kdir.mkdir()
    (kdir / "Makefile").write_text("all:\n")
    (kdir / ".config").write_text("CONFIG_X86_64=y\n")
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % (tmp_path / "b"),
                       "KDIR=%s" % kdir, check=False)
    assert "configured for x86, not ARCH=arm64" in one_line_error(result)


@pytest.mark.parametrize("target", ["driver", "modules_install"])
def test_explicit_driver_without_kdir_fails(tmp_path, target):
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % (tmp_path / "b"), target,
                       check=False)
    line = one_line_error(result)
    assert "%s needs a kernel build tree (cross build for arm64 and no KDIR " \
        "given): give KDIR=" % target in line
    assert not (tmp_path / "b").exists()


def test_unknown_variable_warns_with_the_nearest_known_one(tmp_path):
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "configs",
                       "CROSS_COMPLE=x-", "HAS_PYTHON_MAKO=no", "CFLAGS=-O3",
                       "AM_UPDATE_INFO_DIR=no")
    warnings = [l for l in result.stderr.splitlines() if "warning" in l]
    assert warnings == ["scons: warning: unknown variable CROSS_COMPLE=x- "
                        "ignored (did you mean CROSS_COMPILE?)"], result.stderr


def test_help_needs_no_toolchain():
    result = run_scons("-h", "ARCH=sparc", check=False)
    assert result.returncode == 0
    assert "firmware_install" in result.stdout and "CROSS_COMPILE" in result.stdout
