# SPDX-License-Identifier: GPL-2.0-only
# Shared fixtures: running scons on this tree into throw-away build
# directories, and the markers of the test tiers.

import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHES = ("x86", "arm", "arm64")
SCONS = os.path.join(os.path.dirname(sys.executable), "scons")


def pytest_configure(config):
    config.addinivalue_line("markers", "qemu: boots QEMU (system tests)")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


def run_scons(*args, cwd=REPO, env=None, check=True, timeout=600):
    """Run scons with args; returns the CompletedProcess (text output)."""
    process_env = dict(os.environ)
    process_env.pop("MAKEFLAGS", None)
    if env:
        process_env.update(env)
    result = subprocess.run([SCONS, "-Q"] + list(args), cwd=cwd, env=process_env,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        pytest.fail("scons %s failed (%d):\n%s\n%s" % (
            " ".join(args), result.returncode, result.stdout, result.stderr))
    return result


def build_hv(tmp_path_factory, arch, *options, name=None):
    """Build what the QEMU tests boot - hypervisor, test programs, configs -
    for arch into a new temporary directory (called name, default
    "hv-<arch>"); options are more scons arguments (CONFIG_X=y, targets
    such as inmates).  Returns the build directory."""
    build_dir = str(tmp_path_factory.mktemp(name or "hv-" + arch))
    run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, *options,
              "hypervisor", "testprogs", "configs")
    return build_dir


def artifacts(build_dir):
    """Relative paths of the reproducible outputs: firmware, .cell, inmates."""
    found = []
    for root, _dirs, files in os.walk(build_dir):
        for name in files:
            if name.endswith((".bin", ".cell")):
                found.append(os.path.relpath(os.path.join(root, name), build_dir))
    return sorted(found)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tree(root):
    """{relative path: (mode, bytes)} of every file below root."""
    result = {}
    for base, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            result[os.path.relpath(path, root)] = (
                os.stat(path).st_mode & 0o777, read(path))
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """build(arch) -> build dir of a clean default build plus the test
    programs (`all testprogs`), made once per session."""
    cache = {}

    def build(arch):
        if arch not in cache:
            build_dir = str(tmp_path_factory.mktemp("build-" + arch))
            run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, "all",
                      "testprogs")
            cache[arch] = build_dir
        return cache[arch]
    return build


def copy_tree(destination):
    """Copy the checked-in sources (no build output, no venv) elsewhere."""
    ignore = shutil.ignore_patterns("build", ".venv", "__pycache__",
                                    ".pytest_cache", ".sconsign*",
                                    # `make`'s in-tree copies
                                    "*.cell", "*.dtb", "*.bin", "*.ko")
    shutil.copytree(REPO, destination, ignore=ignore, symlinks=True)
    return destination


@pytest.fixture(scope="session")
def inmates(tmp_path_factory):
    """inmates(arch) -> the inmates directory of `scons inmates testprogs`
    (the bare/ images are test programs) for arch, made once."""
    cache = {}

    def build(arch):
        if arch not in cache:
            build_dir = str(tmp_path_factory.mktemp("inmates-" + arch))
            run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, "inmates",
                      "testprogs")
            cache[arch] = os.path.join(build_dir, "inmates")
        return cache[arch]
    return build
