# SPDX-License-Identifier: GPL-2.0-only
# Install targets: upstream Jailhouse's file layout under DESTDIR, path by
# path with modes, the make shim giving the same tree, pyjailhouse through
# pip, PIP=: skipping it, and nothing written outside DESTDIR.

import glob
import os
import subprocess
import sys

import pytest

from conftest import REPO, SCONS, run_scons, tree
from install_layout import layout, modes

@pytest.mark.parametrize("arch", ["x86", "arm64"])
def test_install_layout(tmp_path, built, arch):
    dest = tmp_path / "dest"
    run_scons("ARCH=" + arch, "BUILD_DIR=" + built(arch), "install",
              "DESTDIR=%s" % dest, "PIP=:")
    installed = tree(str(dest))
    assert modes(installed) == layout(arch)
    firmware = sorted(layout(arch, tools=False, tool_inmates=False))[0]
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
    parts = {"firmware_install": dict(tools=False, tool_inmates=False),
             "tool_inmates_install": dict(tools=False, firmware=False),
             "tools_install": dict(firmware=False, tool_inmates=False)}
    for target, only in parts.items():
        dest = tmp_path / target
        run_scons("ARCH=arm64", "BUILD_DIR=" + built("arm64"), target,
                  "DESTDIR=%s" % dest, "PIP=:")
        assert modes(tree(str(dest))) == layout("arm64", **only), target


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
        assert result.stdout.split()[-1].strip("()") in f.read()
