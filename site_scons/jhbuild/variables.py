# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: the make-compatible variables distribution recipes pass.
#
# Every variable may be given on the command line (`scons VAR=value`, or
# `make VAR=value` through the Makefile shim) or, as with make, in the
# environment; the command line wins.  An unknown VAR=value is an error: a
# misspelt DESTDIR must not silently install into /.  CONFIG_* assignments are
# Kconfig symbols and are handed to the Kconfig layer instead.

import os
import shlex
import string
import sys

from .errors import BuildInputError

# name: (default, help).  Defaults may refer to earlier variables as $name.
DEFINITIONS = {
    "ARCH": (None, "target architecture: x86, arm or arm64 (default: the host's)"),
    "CROSS_COMPILE": (None, "toolchain prefix, e.g. aarch64-linux-gnu-"),
    "CC": (None, "compiler command for user-space pieces, flags and sysroot "
                 "included (default: ${CROSS_COMPILE}gcc)"),
    "KDIR": (None, "kernel build tree for jailhouse.ko "
                   "(default: /lib/modules/$(uname -r)/build)"),
    "BUILD_DIR": (None, "output directory (default: build/<arch>)"),
    "DESTDIR": ("", "staging root prepended to every install path"),
    "INSTALL_MOD_PATH": ("", "staging root for modules_install (passed to Kbuild)"),
    "INSTALL_MOD_DIR": ("", "module subdirectory for modules_install (passed to Kbuild)"),
    "INSTALL_MOD_STRIP": ("", "strip modules on modules_install (passed to Kbuild)"),
    "prefix": ("/usr/local", "installation prefix"),
    "exec_prefix": ("$prefix", "prefix for executables"),
    "sbindir": ("$exec_prefix/sbin", "where the jailhouse command goes"),
    "libexecdir": ("$exec_prefix/libexec", "helpers go to $libexecdir/jailhouse"),
    "datadir": ("$prefix/share", "templates go to $datadir/jailhouse"),
    "man8dir": ("$datadir/man/man8", "manual pages"),
    "completionsdir": ("/usr/share/bash-completion/completions", "bash completion"),
    "firmwaredir": ("/lib/firmware", "hypervisor images"),
    "PYTHON3": (None, "Python 3 interpreter for build steps and pip "
                      "(default: the one running scons)"),
    "PYTHON": (None, "older name of PYTHON3"),
    "PIP": ("$PYTHON3 -m pip", "pip command for installing pyjailhouse; "
                               "PIP=: skips it"),
    "V": ("0", "V=1 prints full command lines"),
    "EXTRA_CFLAGS": ("", "extra flags for every C compilation"),
    "DEFCONFIG": (None, "minimal config file that `defconfig` starts from"),
}

# Taken from the command line only, as Kbuild does for V.
COMMAND_LINE_ONLY = ("V", "BUILD_DIR", "DEFCONFIG")


class Settings(dict):
    """The resolved variables, plus the CONFIG_* assignments from the command line."""

    def __init__(self):
        super().__init__()
        self.kconfig_assignments = {}

    @property
    def verbose(self):
        return self["V"] not in ("", "0")

    def command(self, name):
        """A variable holding a command with arguments, split into a list."""
        return shlex.split(self[name]) if self[name] else []


def parse(arguments, environ=os.environ):
    """Resolve variables from `scons VAR=value` arguments and the environment."""
    settings = Settings()
    given = {}
    for name, value in arguments.items():
        if name.startswith("CONFIG_"):
            settings.kconfig_assignments[name] = value
        elif name in DEFINITIONS:
            given[name] = value
        else:
            raise BuildInputError(
                "unknown variable %s=%s (known: %s; Kconfig options are "
                "CONFIG_*)" % (name, value, " ".join(sorted(DEFINITIONS))))
    for name in DEFINITIONS:
        if name not in given and name not in COMMAND_LINE_ONLY \
                and name in environ:
            given[name] = environ[name]

    if "PYTHON3" not in given:
        given["PYTHON3"] = given.get("PYTHON") or sys.executable
    for name, (default, _help) in DEFINITIONS.items():
        value = given.get(name, default)
        if value is not None and "$" in value and name not in given:
            value = string.Template(value).safe_substitute(settings)
        settings[name] = value
    return settings


def describe():
    """Help text listing every variable, for `scons -h`."""
    lines = ["Variables (VAR=value on the command line, or in the environment):"]
    for name, (default, text) in DEFINITIONS.items():
        suffix = "" if default in (None, "") else " [%s]" % default
        lines.append("  %-17s %s%s" % (name, text, suffix))
    lines.append("  %-17s %s" % ("CONFIG_<NAME>", "set a Kconfig option "
                                 "(kept in the build directory's .config)"))
    return "\n".join(lines)
