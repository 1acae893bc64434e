# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: build and install an out-of-tree kernel module with the kernel's
# own Kbuild (`make -C $KDIR M=<dir>`).  Kbuild writes next to its sources, so
# the sources are copied into the build directory first and the source tree
# stays clean.  The kernel decides its own compiler and flags; we pass only
# ARCH, CROSS_COMPILE and our include directory.

import os
import shlex

import SCons.Action
import SCons.Builder
import SCons.Scanner
import SCons.Tool

# Variables of an outer make (the Makefile shim) that would leak CC= or
# other overrides into the kernel's make.
MAKE_STATE = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKE_TERMOUT",
              "MAKE_TERMERR")

# The kernel tree's files that change when its headers are replaced (a new
# package at the same path, a reconfigured tree): the module depends on
# them, so Kbuild is asked again whenever one of them changes.
KERNEL_SIGNATURE = (".config", "Module.symvers", "Makefile",
                    "include/generated/autoconf.h",
                    "include/generated/utsrelease.h",
                    "include/config/kernel.release",
                    "include/config/auto.conf")

# -j: the job count scons was given (not part of the command's signature).
KBUILD_MAKE = ("make -C $KDIR M=$MODULE_DIR $( -j$KBUILD_JOBS $) "
               "ARCH=$KERNEL_ARCH "
               "CROSS_COMPILE=$CROSS_COMPILE JAILHOUSE_INCLUDE=$JAILHOUSE_INCLUDE "
               "$( ${'V=1' if VERBOSE else '-s'} $)")


def _scan_original(node, env, path):
    """The module's includes, found in the checked-in originals of its
    staged sources: the copies may not exist yet (scons -n)."""
    if node.has_builder() and node.sources:
        node = node.sources[0]
    return SCons.Tool.CScanner(node, env, path)


ORIGINALS_SCANNER = SCons.Scanner.Scanner(
    _scan_original, name="KbuildSources",
    path_function=SCons.Tool.CScanner.path_function, recursive=True)


def _kbuild_env(env):
    return {k: v for k, v in env["ENV"].items() if k not in MAKE_STATE}


def generate(env):
    env.SetDefault(KBUILDCOMSTR=None, KBUILD_JOBS=1)

    def kernel_module(env, module, sources):
        """Copy `sources` (Kbuild included) next to `module` and build it."""
        env.Tool("stage")
        copies = [env.Stage(src.name, src)
                  for src in env.arg2nodes(sources, env.fs.File)]
        ko = env.Command(module, copies, SCons.Action.Action(
            KBUILD_MAKE + " modules", "$KBUILDCOMSTR"),
            ENV=_kbuild_env(env), MODULE_DIR=env.Dir(".").abspath,
            source_scanner=ORIGINALS_SCANNER)
        signature = [os.path.join(env["KDIR"], name)
                     for name in KERNEL_SIGNATURE]
        env.Depends(ko, [env.File(path) for path in signature
                         if os.path.isfile(path)])
        env.Clean(ko, env.Dir(".").abspath)
        return ko

    def modules_install(env, alias, module):
        """Kbuild's modules_install into $INSTALL_MOD_PATH (which defaults to
        $DESTDIR), at lib/modules/<release>/$INSTALL_MOD_DIR/driver/ as
        upstream's tree layout puts it."""
        extra = ["INSTALL_MOD_PATH=%s" % env.get("INSTALL_MOD_PATH", ""),
                 "INSTALL_MOD_DIR=%s/driver" % (env.get("INSTALL_MOD_DIR")
                                                or "extra")]
        if env.get("INSTALL_MOD_STRIP"):
            extra.append("INSTALL_MOD_STRIP=%s" % env["INSTALL_MOD_STRIP"])
        action = SCons.Action.Action(
            "%s %s modules_install" % (KBUILD_MAKE, " ".join(
                shlex.quote(arg) for arg in extra)),
            "  %-8s%s" % ("INSTALL", "$SOURCE") if not env.get("VERBOSE") else None)
        installed = env.Alias(alias, module, action, ENV=_kbuild_env(env),
                              MODULE_DIR=module[0].dir.abspath)
        env.AlwaysBuild(installed)
        return installed

    env.AddMethod(kernel_module, "KernelModule")
    env.AddMethod(modules_install, "ModulesInstall")


def exists(env):
    return env.WhereIs("make")
