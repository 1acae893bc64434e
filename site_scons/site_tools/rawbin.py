# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: linker scripts and raw binary images.
#   env.LinkerScript('x.lds', 'x.lds.S')  preprocesses a linker script with $CC
#   env.RawBinary('x.bin', 'x.elf')       objcopy -O binary (firmware, inmates)

import os

import SCons.Action
import SCons.Builder
import SCons.Tool


def _data_mode(target, source, env):
    for node in target:
        os.chmod(node.abspath, 0o644)


def generate(env):
    env["BUILDERS"]["LinkerScript"] = SCons.Builder.Builder(
        action=SCons.Action.Action(
            "$CC -E -P -x assembler-with-cpp -D__ASSEMBLY__ -D__LINKER_SCRIPT__ "
            "$CPPFLAGS $_CPPDEFFLAGS $_CPPINCFLAGS -o $TARGET $SOURCE",
            "$LDSCOMSTR"),
        suffix=".lds", src_suffix=".lds.S",
        source_scanner=SCons.Tool.CScanner)
    env["BUILDERS"]["RawBinary"] = SCons.Builder.Builder(
        # objcopy keeps the ELF's execute bits; images are data (0644),
        # set in-process (no shell and chmod per image).
        action=[SCons.Action.Action("$OBJCOPY -O binary $SOURCE $TARGET",
                                    "$RAWBINCOMSTR"),
                SCons.Action.Action(_data_mode, None)],
        suffix=".bin", src_suffix=".elf")

    def program_with_script(env, target, source, script, **kw):
        """Link `source` with linker script `script` (a node); returns the ELF."""
        flags = env["LINKFLAGS"] + ["-Wl,-T,%s" % script[0].path]
        elf = env.Program(target, source, LINKFLAGS=flags, **kw)
        env.Depends(elf, script)
        return elf
    env.AddMethod(program_with_script, "ProgramWithScript")


def exists(env):
    return env.Detect(env.subst("$OBJCOPY"))
