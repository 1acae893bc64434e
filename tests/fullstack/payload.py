# SPDX-License-Identifier: GPL-2.0-only
# What goes into the guest from a build directory: module, firmware, configs, demos, tools.

import os


def tool_files(tools_dir):
    """{guest path: host path} of the built jailhouse command and pyjailhouse."""
    files = {}
    package = os.path.join(tools_dir, "pyjailhouse")
    if not os.path.isfile(os.path.join(tools_dir, "jailhouse")) or \
            not os.path.isdir(package):
        return files
    for name in os.listdir(package):
        if name.endswith(".py"):
            files["/usr/lib/python3/dist-packages/pyjailhouse/" + name] = \
                os.path.join(package, name)
    files["/usr/sbin/jailhouse"] = os.path.join(tools_dir, "jailhouse")
    for name in os.listdir(tools_dir):
        if name.startswith("jailhouse-") and "." not in name:
            files["/usr/libexec/jailhouse/" + name] = os.path.join(tools_dir,
                                                                   name)
    return files


# The hypervisor images each architecture's driver may ask for.
FIRMWARE = {"arm64": ["jailhouse.bin"], "arm": ["jailhouse.bin"],
            "x86": ["jailhouse-amd.bin", "jailhouse-intel.bin"]}


def firmware_files(build_dir, arch="arm64"):
    """{name: path} of the built hypervisor images."""
    images = {name: os.path.join(build_dir, "hypervisor", name)
              for name in FIRMWARE[arch]}
    return {name: path for name, path in images.items()
            if os.path.isfile(path)}


def cell_files(build_dir, arch="arm64"):
    """{name: path} of the built .cell files."""
    configs = os.path.join(build_dir, "configs", arch)
    if not os.path.isdir(configs):
        return {}
    return {name: os.path.join(configs, name)
            for name in sorted(os.listdir(configs)) if name.endswith(".cell")}


def inmate_files(build_dir):
    """{name: path} of the built inmate images."""
    inmates = {}
    for base, _dirs, names in os.walk(os.path.join(build_dir, "inmates")):
        inmates.update({name: os.path.join(base, name) for name in names
                        if name.endswith(".bin")})
    return inmates


def installed_layout(module, firmware, cells, inmates):
    """Guest paths as a packaged system has them (see README).  firmware:
    the path of jailhouse.bin, or {name: path} of the images."""
    files = {"/jailhouse.ko": module}
    if isinstance(firmware, str):
        firmware = {"jailhouse.bin": firmware}
    for name, path in (firmware or {}).items():
        files["/lib/firmware/" + name] = path
    for name, path in cells.items():
        files["/etc/jailhouse/" + name] = path
    for name, path in inmates.items():
        files["/usr/libexec/jailhouse/demos/" + name] = path
        if name == "linux-loader.bin":     # beside the helpers, as installed
            files["/usr/libexec/jailhouse/" + name] = path
    return files
