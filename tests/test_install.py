# SPDX-License-Identifier: GPL-2.0-only
# Install targets: upstream Jailhouse's file layout under DESTDIR, the make
# shim giving the same tree, pyjailhouse through pip, PIP=: skipping it.

import glob
import os
import subprocess
import sys

import pytest

from conftest import REPO, SCONS, run_scons, tree

COMMON = [
    "usr/local/sbin/jailhouse",
    "usr/local/libexec/jailhouse/jailhouse-cell-linux",
    "usr/local/libexec/jailhouse/jailhouse-cell-stats",
    "usr/local/libexec/jailhouse/jailhouse-config-check",
    "usr/local/libexec/jailhouse/jailhouse-config-collect",
    "usr/local/libexec/jailhouse/jailhouse-config-create",
    "usr/local/libexec/jailhouse/jailhouse-hardware-check",
    "usr/local/libexec/jailhouse/linux-loader.bin",
    "usr/local/share/jailhouse/cell-config-arm64.c.tmpl",
    "usr/local/share/jailhouse/jailhouse-config-collect.tmpl",
    "usr/local/share/jailhouse/root-cell-config-arm64.c.tmpl",
    "usr/local/share/jailhouse/root-cell-config.c.tmpl",
    "usr/local/share/man/man8/jailhouse.8",
    "usr/local/share/man/man8/jailhouse-cell.8",
    "usr/local/share/man/man8/jailhouse-config.8",
    "usr/local/share/man/man8/jailhouse-enable.8",
    "usr/local/share/man/man8/jailhouse-hardware.8",
    "usr/share/bash-completion/completions/jailhouse",
]
FIRMWARE = {"arm64": ["lib/firmware/jailhouse.bin"],
            "arm": ["lib/firmware/jailhouse.bin"],
            "x86": ["lib/firmware/jailhouse-amd.bin",
                    "lib/firmware/jailhouse-intel.bin"]}
EXECUTABLES = ("sbin/jailhouse", "libexec/jailhouse/jailhouse-cell-linux")


@pytest.mark.parametrize("arch", ["x86", "arm64"])
def test_install_layout(tmp_path, built, arch):
    dest = tmp_path / "dest"
    run_scons("ARCH=" + arch, "BUILD_DIR=" + built(arch), "install",
              "DESTDIR=%s" % dest, "PIP=:")
    installed = tree(str(dest))
    assert sorted(installed) == sorted(COMMON + FIRMWARE[arch])
    for path in EXECUTABLES:
        assert installed["usr/local/" + path][0] == 0o755, path
    assert installed["usr/local/share/man/man8/jailhouse.8"][0] == 0o644
    firmware = FIRMWARE[arch][0]
    with open(os.path.join(built(arch), "hypervisor",
                           os.path.basename(firmware)), "rb") as f:
        assert installed[firmware][1] == f.read()


def test_packager_paths(tmp_path, built):
    dest = tmp_path / "dest"
    run_scons("ARCH=arm64", "BUILD_DIR=" + built("arm64"), "install", "PIP=:",
              "DESTDIR=%s" % dest, "prefix=/usr", "firmwaredir=/usr/lib/firmware",
              "completionsdir=/etc/bash_completion.d", "libexecdir=/usr/lib")
    installed = set(tree(str(dest)))
    assert "usr/sbin/jailhouse" in installed
    assert "usr/lib/firmware/jailhouse.bin" in installed
    assert "usr/lib/jailhouse/linux-loader.bin" in installed
    assert "usr/share/man/man8/jailhouse.8" in installed
    assert "etc/bash_completion.d/jailhouse" in installed
    assert not any(path.startswith("usr/local") for path in installed)


def test_partial_install_targets(tmp_path, built):
    for target, expected in (("firmware_install", ["lib/firmware/jailhouse.bin"]),
                             ("tool_inmates_install",
                              ["usr/local/libexec/jailhouse/linux-loader.bin"])):
        dest = tmp_path / target
        run_scons("ARCH=arm64", "BUILD_DIR=" + built("arm64"), target,
                  "DESTDIR=%s" % dest)
        assert sorted(tree(str(dest))) == expected


def test_makefile_shim_gives_the_same_tree(tmp_path):
    dests = {}
    for tool in ("scons", "make"):
        build_dir = tmp_path / ("build-" + tool)
        dest = tmp_path / ("dest-" + tool)
        args = ["ARCH=arm64", "BUILD_DIR=%s" % build_dir, "DESTDIR=%s" % dest,
                "PIP=:", "EXTRA_CFLAGS=-DSHIM_A -DSHIM_B", "V=1"]
        if tool == "scons":
            out = run_scons(*args, "install").stdout
        else:
            env = dict(os.environ, SCONS=SCONS)
            env.pop("MAKEFLAGS", None)
            result = subprocess.run(["make", "-C", REPO, "install", "-j2"] + args,
                                    capture_output=True, text=True, env=env)
            assert result.returncode == 0, result.stdout + result.stderr
            out = result.stdout
        assert "-DSHIM_A -DSHIM_B" in out
        dests[tool] = tree(str(dest))
    assert dests["make"] == dests["scons"]


def test_make_clean_and_unknown_target(tmp_path):
    env = dict(os.environ, SCONS=SCONS)
    env.pop("MAKEFLAGS", None)
    make = ["make", "-C", REPO, "ARCH=arm", "BUILD_DIR=%s" % tmp_path]
    assert subprocess.run(make + ["hypervisor"], env=env,
                          capture_output=True).returncode == 0
    assert (tmp_path / "hypervisor/jailhouse.bin").exists()
    assert subprocess.run(make + ["clean"], env=env, capture_output=True).returncode == 0
    assert not (tmp_path / "hypervisor/jailhouse.bin").exists()
    bad = subprocess.run(make + ["frobnicate"], env=env, capture_output=True,
                         text=True)
    assert bad.returncode != 0 and "unknown target 'frobnicate'" in bad.stderr


@pytest.mark.slow
def test_install_pyjailhouse_with_pip(tmp_path, built):
    dest = tmp_path / "dest"
    run_scons("ARCH=arm64", "BUILD_DIR=" + built("arm64"), "install",
              "DESTDIR=%s" % dest)
    packages = glob.glob(str(dest / "usr/local/lib/python3*/site-packages"))
    assert len(packages) == 1
    package = os.path.join(packages[0], "pyjailhouse")
    for name in ("__init__.py", "_version.py", "_abi.py", "_abi_ffi.py",
                 "_paths.py"):
        assert os.path.isfile(os.path.join(package, name)), name
    with open(os.path.join(package, "_paths.py")) as f:
        assert 'HELPER_DIR = "/usr/local/libexec/jailhouse"' in f.read()
    result = subprocess.run([sys.executable, str(dest / "usr/local/sbin/jailhouse"),
                             "--version"], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=packages[0]))
    assert result.returncode == 0
    with open(os.path.join(package, "_version.py")) as f:
        assert result.stdout.split()[-1] in f.read()
