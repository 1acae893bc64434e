# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: choosing and checking the kernel tree (KDIR) for
# jailhouse.ko.  No KDIR and no tree for the running kernel: the driver is
# skipped with a notice.  A KDIR that is given but unusable is an error.

import os
import platform

from .errors import BuildInputError

# A symbol each architecture's kernel .config sets.
KERNEL_ARCH_SYMBOL = {"x86": "CONFIG_X86_64=y", "arm": "CONFIG_ARM=y",
                      "arm64": "CONFIG_ARM64=y"}


def _configured_arch(kdir):
    path = os.path.join(kdir, ".config")
    try:
        with open(path, errors="replace") as config:
            lines = set(line.strip() for line in config)
    except OSError:
        return None
    for arch, symbol in KERNEL_ARCH_SYMBOL.items():
        if symbol in lines:
            return arch
    return None


def check(kdir, arch):
    """Raise BuildInputError unless kdir is a configured tree for arch."""
    if not os.path.isdir(kdir):
        raise BuildInputError("KDIR=%s: no such directory (point KDIR at a "
                              "kernel build tree or headers package)" % kdir)
    if not os.path.isfile(os.path.join(kdir, "Makefile")):
        raise BuildInputError("KDIR=%s is not a kernel build tree: it has no "
                              "Makefile" % kdir)
    if not os.path.isfile(os.path.join(kdir, ".config")) and \
            not os.path.isfile(os.path.join(kdir, "include/config/auto.conf")):
        raise BuildInputError("KDIR=%s is not configured: no .config (run "
                              "`make olddefconfig modules_prepare` there)" % kdir)
    found = _configured_arch(kdir)
    if found is not None and found != arch:
        raise BuildInputError("KDIR=%s is configured for %s, not ARCH=%s"
                              % (kdir, found, arch))


def choose(kdir, arch, host_arch):
    """(kdir to use or None, why not or None) for the driver part."""
    if kdir:
        kdir = os.path.abspath(kdir)
        check(kdir, arch)
        return kdir, None
    release = platform.release()
    default = "/lib/modules/%s/build" % release
    if arch != host_arch:
        return None, "cross build for %s and no KDIR given" % arch
    if not os.path.isdir(default):
        return None, "no KDIR given and %s does not exist" % default
    try:
        check(default, arch)
    except BuildInputError as err:
        return None, str(err)
    return default, None
