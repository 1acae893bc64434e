# SPDX-License-Identifier: GPL-2.0-only
# jailhouse.ko through the kernel's Kbuild, against Debian's amd64 headers
# (installed by ./quickstart): built in the build directory, installable.

import glob
import os

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
    installed = glob.glob(str(tmp_path / "mods/lib/modules/*/extra/jailhouse.ko"))
    assert len(installed) == 1
