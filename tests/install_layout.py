# SPDX-License-Identifier: GPL-2.0-only
# The installed tree, path by path with modes, as upstream Jailhouse's
# install targets lay it out: shared by the install and packaging tests.

import glob
import os

from conftest import REPO

FIRMWARE = {"arm64": ["jailhouse.bin"], "arm": ["jailhouse.bin"],
            "x86": ["jailhouse-amd.bin", "jailhouse-intel.bin"]}
HELPERS = ["jailhouse-cell-linux", "jailhouse-cell-stats",
           "jailhouse-config-check", "jailhouse-config-collect",
           "jailhouse-config-create", "jailhouse-hardware-check"]
# Modules only the build uses: never installed.
BUILD_ONLY = ("abigen.py", "cellblob.py", "elfutil.py")
GENERATED = ("_abi.py", "_abi_ffi.py", "_paths.py", "_version.py")


def templates():
    """File names of the `config create` templates."""
    return sorted(os.path.basename(p) for p in
                  glob.glob(os.path.join(REPO, "tools", "templates", "*.tmpl")))


def manpages():
    """File names of the installed manual pages."""
    return sorted(os.path.basename(p)[:-len(".in")] for p in
                  glob.glob(os.path.join(REPO, "tools", "man", "*.8.in")))


def pyjailhouse_modules():
    """File names of the installed pyjailhouse package."""
    source = os.path.join(REPO, "tools", "pyjailhouse")
    names = [n for n in os.listdir(source)
             if n.endswith(".py") and n not in BUILD_ONLY]
    return sorted(set(names) | set(GENERATED))


def layout(arch, prefix="/usr/local", firmwaredir="/lib/firmware",
           completionsdir="/usr/share/bash-completion/completions",
           module_release=None, tools=True, firmware=True,
           tool_inmates=True):
    """{relative path: mode} of what `install` (or its parts) writes."""
    prefix = prefix.strip("/")
    libexec = prefix + "/libexec/jailhouse"
    files = {}
    if firmware:
        for name in FIRMWARE[arch]:
            files[firmwaredir.strip("/") + "/" + name] = 0o644
    if tool_inmates:
        files[libexec + "/linux-loader.bin"] = 0o644
    if module_release:
        files["lib/modules/%s/extra/driver/jailhouse.ko" % module_release] = \
            0o644
    if tools:
        files[prefix + "/sbin/jailhouse"] = 0o755
        for name in HELPERS:
            files[libexec + "/" + name] = 0o755
        for name in pyjailhouse_modules():
            files[libexec + "/pyjailhouse/" + name] = 0o644
        for name in templates():
            files[prefix + "/share/jailhouse/" + name] = 0o644
        for name in manpages():
            files[prefix + "/share/man/man8/" + name] = 0o644
        files[completionsdir.strip("/") + "/jailhouse"] = 0o644
    return files


def modes(installed):
    """{path: mode} from conftest.tree()'s {path: (mode, bytes)}."""
    return {path: mode for path, (mode, _data) in installed.items()}


def module_files(root):
    """Kbuild's modules_install also writes modules.* index files when it can
    run depmod: the tests compare only the module itself."""
    return {path for path in root if "/modules/" in path and
            os.path.basename(path).startswith("modules.")}
