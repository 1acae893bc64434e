# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: the make-compatible variables distribution recipes pass.
#
# Every variable may be given on the command line (`scons VAR=value`, or
# `make VAR=value` through the Makefile shim) or, as with make, in the
# environment; the command line wins.  CONFIG_* assignments are Kconfig
# symbols and are handed to the Kconfig layer instead.
#
# Recipes pass variables meant for upstream's make that this build does not
# use (IGNORED below); they are accepted silently, as make would.  Any other
# unknown VAR=value gets a warning naming the nearest known variable, and is
# an error when it looks like a misspelt install location (DESTIDR=...) and
# an install target was asked for: a typo must not install into /.

import difflib
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
    "INSTALL_MOD_PATH": ("$DESTDIR", "staging root for modules_install "
                                     "(passed to Kbuild; default: $DESTDIR)"),
    "INSTALL_MOD_DIR": ("extra", "module directory below lib/modules/<release>;"
                                 " the module goes to its driver/ subdirectory"),
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
    "CFLAGS": ("", "accepted and ignored: the hypervisor, inmates, configs "
                   "and driver are freestanding and use their own flags"),
    "LDFLAGS": ("", "accepted and ignored (no user-space program is linked)"),
    "DEFCONFIG": (None, "minimal config file that `defconfig` starts from"),
}

# Taken from the command line only, as Kbuild does for V.  CFLAGS/LDFLAGS
# are never read from the environment (distributions export theirs).
COMMAND_LINE_ONLY = ("V", "BUILD_DIR", "DEFCONFIG", "CFLAGS", "LDFLAGS")

# Variables the real recipes pass that this build has no use for, with who
# passes them.  Accepted without a word, as make does.
IGNORED = {
    "CPPFLAGS": "distribution build flags (ignored, like CFLAGS)",
    "CXXFLAGS": "distribution build flags",
    "INSTALL": "debhelper's `install --strip-program=true`; files are "
               "installed with their own modes",
    "AM_UPDATE_INFO_DIR": "debhelper (automake info dir)",
    "HAS_PYTHON_MAKO": "Buildroot (upstream's templates; none needed here)",
    "PYTHON_PIP_USABLE": "Buildroot; `no` means PIP=: unless PIP is given",
    "PYTHON_PIP_USEABLE": "meta-ti / meta-jailhouse; as PYTHON_PIP_USABLE",
    "src": "Buildroot's `make -C tools src=...`",
    "KERNEL_SRC": "Yocto's module class (use KDIR)",
    "KERNEL_PATH": "Yocto's module class (use KDIR)",
    "KERNEL_VERSION": "Yocto's module class",
    "LD": "Yocto; the toolchain comes from CROSS_COMPILE",
    "AR": "Yocto; the toolchain comes from CROSS_COMPILE",
    "DEPMOD": "Yocto; Kbuild runs depmod itself when it can",
    "VERBOSE": "debhelper's verbose builds (use V=1)",
}

# Variables that decide where install targets write: an unknown variable
# close to one of these is refused when installing.
INSTALL_LOCATIONS = ("DESTDIR", "INSTALL_MOD_PATH", "prefix", "exec_prefix",
                     "sbindir", "libexecdir", "datadir", "man8dir",
                     "completionsdir", "firmwaredir")


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


def nearest(name):
    """The known variable a misspelt name most likely meant, or None."""
    known = list(DEFINITIONS) + list(IGNORED)
    by_case = {k.lower(): k for k in known}
    if name.lower() in by_case:
        return by_case[name.lower()]
    match = difflib.get_close_matches(name.upper(), [k.upper() for k in known],
                                      n=1, cutoff=0.6)
    return by_case[match[0].lower()] if match else None


def _unknown(name, value, installing, warn):
    guess = nearest(name)
    hint = " (did you mean %s?)" % guess if guess else ""
    if installing and guess in INSTALL_LOCATIONS:
        raise BuildInputError("unknown variable %s=%s%s: refusing to install "
                              "(`scons -h` lists the variables)"
                              % (name, value, hint))
    warn("scons: warning: unknown variable %s=%s ignored%s\n"
         % (name, value, hint))


def parse(arguments, environ=os.environ, installing=False,
          warn=sys.stderr.write):
    """Resolve variables from `scons VAR=value` arguments and the environment."""
    settings = Settings()
    given = {}
    for name, value in arguments.items():
        if name.startswith("CONFIG_"):
            settings.kconfig_assignments[name] = value
        elif name in DEFINITIONS:
            given[name] = value
        elif name not in IGNORED:
            _unknown(name, value, installing, warn)
    for name in DEFINITIONS:
        if name not in given and name not in COMMAND_LINE_ONLY \
                and name in environ:
            given[name] = environ[name]

    # Upstream's switch for running pip in `install`.
    if "PIP" not in given and any(arguments.get(name, "").lower() == "no" for
                                  name in ("PYTHON_PIP_USABLE",
                                           "PYTHON_PIP_USEABLE")):
        given["PIP"] = ":"
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
    lines.append("Accepted from distribution recipes and ignored: %s"
                 % " ".join(sorted(IGNORED)))
    return "\n".join(lines)
