# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: Kbuild-style one-line summaries unless V=1.  Load it last:
# it also quiets the textfile tool's builders, whose message is fixed.

import SCons.Action

SUMMARIES = {
    "CCCOMSTR": "CC", "SHCCCOMSTR": "CC", "ASCOMSTR": "AS",
    "ASPPCOMSTR": "AS", "LINKCOMSTR": "LD", "ARCOMSTR": "AR",
    "ASMOFFSETSCOMSTR": "OFFSETS", "RAWBINCOMSTR": "OBJCOPY",
    "LDSCOMSTR": "LDS", "CELLCOMSTR": "CELL", "KBUILDCOMSTR": "KBUILD",
    "DTCCOMSTR": "DTC", "GENCOMSTR": "GEN", "INSTALLSTR": "INSTALL",
    "COPYSTR": "COPY", "PIPCOMSTR": "PIP",
}


def generate(env):
    if env.get("VERBOSE"):
        return
    for variable, label in SUMMARIES.items():
        target = "$SOURCE -> $TARGET" if variable == "INSTALLSTR" else "$TARGET"
        env[variable] = "  %-8s%s" % (label, target)
    for name in ("Textfile", "Substfile"):
        builder = env["BUILDERS"].get(name)
        if builder is not None:
            builder.action = SCons.Action.Action(
                builder.action.execfunction, "$GENCOMSTR",
                varlist=builder.action.varlist)


def exists(env):
    return True
