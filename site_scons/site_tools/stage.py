# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: env.Stage(target, source) copies a checked-in file into the
# build directory, keeping its mode (scripts stay executable).  The source is
# always the file in the source tree, even when named from a variant dir.

import os
import shutil

import SCons.Action


def _copy(target, source, env):
    shutil.copy2(source[0].abspath, target[0].abspath)


def generate(env):
    action = SCons.Action.Action(_copy, "$COPYSTR")

    def stage(env, target, source):
        source = env.arg2nodes(source, env.fs.File)[0].srcnode()
        return env.Command(target, source, action)
    env.AddMethod(stage, "Stage")

    def source_glob(env, pattern):
        """Checked-in files matching pattern; never outputs left in the
        variant dir by an earlier build."""
        return [node.srcnode() for node in env.Glob(pattern, source=True)
                if os.path.isfile(node.srcnode().abspath)]
    env.AddMethod(source_glob, "SourceGlob")


def exists(env):
    return True
