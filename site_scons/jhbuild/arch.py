# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: architecture names, host detection and toolchain prefixes.

import platform
import shutil

from .errors import BuildInputError

ARCHES = ("x86", "arm", "arm64")

# Names users type or `uname -m` prints, mapped to our three architectures.
ALIASES = {
    "x86": "x86", "x86_64": "x86", "amd64": "x86",
    "arm": "arm", "armv7l": "arm", "armv7": "arm", "armhf": "arm",
    "arm64": "arm64", "aarch64": "arm64",
}

# Debian's cross toolchains, used when ARCH differs from the host and no
# CROSS_COMPILE is given.
DEFAULT_CROSS_COMPILE = {
    "x86": "x86_64-linux-gnu-",
    "arm": "arm-linux-gnueabihf-",
    "arm64": "aarch64-linux-gnu-",
}

DEBIAN_COMPILER_PACKAGE = {
    "x86": "gcc-x86-64-linux-gnu",
    "arm": "gcc-arm-linux-gnueabihf",
    "arm64": "gcc-aarch64-linux-gnu",
}


def normalize(name):
    """Map ARCH= or a `uname -m` name to x86, arm or arm64."""
    arch = ALIASES.get(name.strip())
    if arch is None:
        raise BuildInputError(
            "ARCH=%s is not supported: use x86, arm or arm64 "
            "(x86_64, aarch64 and armv7l are accepted too)" % name)
    return arch


def host_arch():
    """Our name for the machine we run on, or None if we cannot build natively."""
    return ALIASES.get(platform.machine())


def cross_compile_prefix(arch, given):
    """CROSS_COMPILE to use: the given one, none for native builds, else Debian's."""
    if given is not None:
        return given
    if arch == host_arch():
        return ""
    return DEFAULT_CROSS_COMPILE[arch]


def check_compiler(arch, prefix, path):
    """Fail with a hint naming the package when the target compiler is missing."""
    gcc = prefix + "gcc"
    if shutil.which(gcc, path=path):
        return gcc
    raise BuildInputError(
        "no compiler for ARCH=%s: '%s' not found in PATH (install %s, "
        "or set CROSS_COMPILE= to your toolchain's prefix)"
        % (arch, gcc, DEBIAN_COMPILER_PACKAGE[arch]))


def check_user_compiler(command, path):
    """CC= names a whole command; its program must exist."""
    if command and not shutil.which(command[0], path=path):
        raise BuildInputError("CC=%s: '%s' not found in PATH"
                              % (" ".join(command), command[0]))
