# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: copies of the results at upstream's in-tree paths.
#
# Distribution recipes written for upstream's make pick files up from the
# source tree after `make`:
#   configs/<arch>/*.cell, configs/<arch>/dts/*.dtb, inmates/demos/<arch>/*.bin,
#   hypervisor/jailhouse*.bin, driver/jailhouse.ko
# The `intree` target (which the Makefile adds to its build targets) copies
# them there from the build directory, as plain files with mode 0644 (a
# symlink would be copied as a dangling link by `cp -a`, as dh_install does).
# `scons -c intree` removes them; `distclean` removes them for every
# architecture.

import glob
import os
import shutil

import SCons.Action

# What `distclean` removes below the source tree, for any architecture.
PATTERNS = ("configs/*/*.cell", "configs/*/dts/*.dtb", "inmates/demos/*/*.bin",
            "hypervisor/jailhouse*.bin", "driver/jailhouse.ko")


def _copy(target, source, env):
    tmp = target[0].abspath + ".tmp"
    shutil.copyfile(source[0].abspath, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target[0].abspath)


def define(env, arch, nodes):
    """The `intree` alias: one copy per result at its upstream path."""
    action = SCons.Action.Action(_copy, "$COPYSTR")
    wanted = []
    for node in nodes["configs"].get("cells", []):
        wanted.append(("#configs/%s/%s" % (arch, node.name), node))
    for node in nodes["configs"].get("dtbs", []):
        wanted.append(("#configs/%s/dts/%s" % (arch, node.name), node))
    for node in nodes["inmates"].get("demos", []):
        wanted.append(("#inmates/demos/%s/%s" % (arch, node.name), node))
    for node in nodes["hypervisor"].get("firmware", []):
        wanted.append(("#hypervisor/%s" % node.name, node))
    for node in nodes["driver"].get("module", []):
        wanted.append(("#driver/%s" % node.name, node))
    copies = []
    seen = set()
    for path, node in wanted:
        if path in seen:
            raise ValueError("two results would be copied to %s" % path)
        seen.add(path)
        copies += env.Command(path, node, action)
    env.Alias("intree", copies)
    return copies


def distclean(top, build_dirs):
    """Remove the in-tree copies of every architecture and the build dirs."""
    removed = []
    for pattern in PATTERNS:
        for path in glob.glob(os.path.join(top, pattern)):
            os.unlink(path)
            removed.append(path)
            try:    # a directory only the copies were in (demos/arm64)
                os.rmdir(os.path.dirname(path))
            except OSError:
                pass
    for build_dir in build_dirs:
        if os.path.isdir(build_dir):
            shutil.rmtree(build_dir)
            removed.append(build_dir)
    return removed
