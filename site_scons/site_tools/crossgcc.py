# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: a GNU cross toolchain named by $CROSS_COMPILE (empty: native).
#
# Sets CC, AS, LD, AR, OBJCOPY, NM, CPP and links through $CC with no
# standard libraries.  Flags are left to the caller: each role (hypervisor,
# inmates, configs) adds its own.

import SCons.Util

TOOLS = ("gcc", "ld", "ar", "objcopy", "nm", "readelf", "cpp")


def generate(env):
    prefix = env.get("CROSS_COMPILE", "")
    env["CC"] = prefix + "gcc"
    # SCons's "gcc" tool would run `$CC --version` on every invocation; the
    # generic C tool is enough, as GCC is named explicitly.
    for tool in ("cc", "gnulink", "ar", "as"):
        env.Tool(tool)
    env["CC"] = prefix + "gcc"
    env["AS"] = "$CC"
    env["LD"] = prefix + "ld"
    env["AR"] = prefix + "ar"
    env["RANLIB"] = prefix + "ranlib"
    env["OBJCOPY"] = prefix + "objcopy"
    env["NM"] = prefix + "nm"
    env["READELF"] = prefix + "readelf"
    env["LINK"] = "$CC"
    # Deterministic archives: no timestamps, uids or modes.
    env["ARFLAGS"] = SCons.Util.CLVar("rcsD")
    env["RANLIBCOM"] = ""
    env["LINKFLAGS"] = SCons.Util.CLVar(
        "-nostdlib -nostartfiles -static -no-pie -Wl,--build-id=none "
        "-Wl,-z,noexecstack")
    env["LIBS"] = []
    env["PROGSUFFIX"] = ".elf"
    env.AddMethod(_include_dirs, "IncludeDirs")


def _include_dirs(env, *paths):
    """Include directories as both the variant dir and its source dir, so
    generated headers (variant) and checked-in ones (source) are found."""
    result = []
    for path in paths:
        node = env.Dir(path)
        result += [node] + ([node.srcnode()] if node.srcnode() != node else [])
    return result


def exists(env):
    return env.WhereIs(env.get("CROSS_COMPILE", "") + "gcc")
