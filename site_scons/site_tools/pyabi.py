# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: pyjailhouse's generated ABI modules, once per build directory.
#   env.PyjailhouseAbi(directory) -> [_abi.py, _abi_ffi.py] in directory
# pyjailhouse.abigen derives the binary interface from include/jailhouse
# with $USER_CC (the compiler for user-space pieces: the target's layout)
# and writes the description plus cffi's prebuilt form of it.  The tools
# stage both into the installed package; the cell step (cellblob tool)
# loads them instead of deriving the ABI again in every scons run.

import os
import sys

import SCons.Action
import SCons.Script

MODULES = ("_abi.py", "_abi_ffi.py")


def _generate(target, source, env):
    # Runs in one of SCons's job threads, beside others that print and write
    # files: it must leave process-wide state (sys.stdout, umask, the current
    # directory) alone - tests/test_build.py checks abigen for that.
    tools_dir = SCons.Script.Dir("#tools").abspath
    if tools_dir not in sys.path:
        sys.path.insert(0, tools_dir)
    from pyjailhouse import abigen  # pylint: disable=import-outside-toplevel
    abigen.generate(env["USER_CC"], SCons.Script.Dir("#include").abspath,
                    target[0].abspath)
    for node in target:
        os.chmod(node.abspath, 0o644)


def generate(env):
    def pyjailhouse_abi(env, directory):
        include = env.Dir("#include")
        headers = env.Glob(include.abspath + "/jailhouse/*.h") + \
            env.Glob(include.abspath + "/jailhouse/*/*.h")
        return env.Command([os.path.join(directory, m) for m in MODULES],
                           ["#tools/pyjailhouse/abigen.py"] + headers,
                           SCons.Action.Action(_generate, "$GENCOMSTR",
                                               varlist=["USER_CC"]))
    env.AddMethod(pyjailhouse_abi, "PyjailhouseAbi")


def exists(env):
    return True
