# SPDX-License-Identifier: GPL-2.0-only
# pytest fixtures of the full-stack rig: Debian parts, our arm64 build, the guest runner.

"""Import these into a test module:

    from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401
    from fullstack.fixtures import x86_build, debian_x86, x86_guest  # noqa: F401
    from fullstack.fixtures import arm_build, debian_arm, arm_guest  # noqa: F401

debian_<arch>  {"kernel": ..., "userland": ...} from fullstack.debian (fetched
               once into the cache, see scripts/fetch-debian)
<arch>_build   Build: jailhouse.ko built against Debian's headers by
               scons, the hypervisor images and .cell files (None/{} if the
               hypervisor part does not build), jhctl
guest (arm64), arm_guest, x86_guest
               run(script, files=None, firmware=True, tools=False, **kw)
               -> GuestResult, with the module at /jailhouse.ko, jhctl in
               /bin and, if built, the firmware in /lib/firmware, the
               configs in /etc/jailhouse and the inmates in
               /usr/libexec/jailhouse/demos; tools=True adds python3 and the
               built `jailhouse` command (/usr/sbin) with pyjailhouse

arch_fixtures(arch, guest_name) makes the three of one architecture.
"""

import os
import subprocess

import pytest

from conftest import REPO, run_scons

from . import debian, payload, rig

# The compiler of jhctl, per architecture.
JHCTL_CC = {"arm64": "aarch64-linux-gnu-gcc", "arm": "arm-linux-gnueabihf-gcc",
            "x86": "gcc"}
JHCTL_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "jhctl.c")


class Build:
    def __init__(self, build_dir, module, jhctl, firmware, cells, inmates,
                 notes, arch="arm64"):
        self.arch = arch
        self.build_dir = build_dir
        self.module = module
        self.jhctl = jhctl
        self.firmware = firmware     # {name: path}, {} if not built
        self.cells = cells           # {"qemu-arm64.cell": path, ...}
        self.inmates = inmates       # {"gic-demo.bin": path, ...}
        self.notes = notes           # why firmware/cells are missing
        self.tools = {}              # guest path: host path (tools=True)

    def guest_files(self):
        files = payload.installed_layout(self.module, self.firmware,
                                         self.cells, self.inmates)
        files["/bin/jhctl"] = self.jhctl
        return files


# The arm64 tests' name for it.
ArmBuild = Build


def build_jhctl(destination, arch="arm64"):
    """The libc-free ioctl client (tests/fullstack/jhctl.c)."""
    result = subprocess.run(
        [JHCTL_CC[arch], "-static", "-nostdlib", "-ffreestanding",
         "-fno-stack-protector", "-O2", "-Wall", "-Wextra", "-Werror",
         "-Wno-unused-parameter", "-I", os.path.join(REPO, "include"),
         "-o", destination, JHCTL_SOURCE],
        capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("building jhctl failed:\n%s" % result.stderr)
    return destination


def fetch(arch):
    try:
        return debian.fetch_all(arch=arch)
    except debian.FetchError as err:
        pytest.fail("Debian %s parts unavailable: %s" % (arch, err))


def build(build_dir, parts, arch):
    """Build everything the guest gets for arch into build_dir."""
    kdir = parts["kernel"]["kdir"]
    run_scons("ARCH=" + arch, "KDIR=" + kdir, "BUILD_DIR=" + build_dir,
              "driver")
    module = os.path.join(build_dir, "driver/jailhouse.ko")
    # The hypervisor may be under construction: tests that need it skip.
    notes = ""
    result = run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, "hypervisor",
                       "configs", "inmates", check=False)
    tools_result = run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir,
                             "tools", check=False)
    firmware = payload.firmware_files(build_dir, arch)
    if result.returncode != 0 or not firmware:
        firmware = {}
        notes = "scons hypervisor configs inmates failed:\n%s%s" % (
            result.stdout, result.stderr)
    cells = payload.cell_files(build_dir, arch)
    inmates = payload.inmate_files(build_dir)
    tools = {}
    tools_dir = os.path.join(build_dir, "tools")
    if tools_result.returncode == 0:
        tools = payload.tool_files(tools_dir)
    else:
        notes += "scons tools failed:\n%s%s" % (tools_result.stdout,
                                                tools_result.stderr)
    jhctl = build_jhctl(os.path.join(build_dir, "jhctl"), arch)
    result = Build(build_dir, module, jhctl, firmware, cells, inmates, notes,
                   arch)
    result.tools = tools
    return result


def runner(workdir, parts, built, machine=None):
    """The guest runner on machine (tests/machines.py; default: the
    architecture's default row)."""
    machine = rig.Rig(parts["kernel"], parts["userland"], workdir=workdir,
                      machine=machine)

    def run(script, files=None, firmware=True, tools=False, **kwargs):
        all_files = built.guest_files()
        if not firmware:
            for name in built.firmware:
                all_files.pop("/lib/firmware/" + name, None)
        if tools:
            all_files.update(built.tools)
            kwargs["python"] = True
        all_files.update(files or {})
        return machine.run_guest(script, all_files, **kwargs)
    run.build = built
    return run


def arch_fixtures(arch, guest_name):
    """The session fixtures of one architecture, registered under the
    names debian_<arch>, <arch>_build and guest_name."""
    parts_name, build_name = "debian_" + arch, arch + "_build"

    @pytest.fixture(scope="session", name=parts_name)
    def parts_fixture():
        return fetch(arch)

    @pytest.fixture(scope="session", name=build_name)
    def build_fixture(tmp_path_factory, request):
        return build(str(tmp_path_factory.mktemp("fullstack-" + arch)),
                     request.getfixturevalue(parts_name), arch)

    @pytest.fixture(scope="session", name=guest_name)
    def guest_fixture(tmp_path_factory, request):
        return runner(str(tmp_path_factory.mktemp(guest_name)),
                      request.getfixturevalue(parts_name),
                      request.getfixturevalue(build_name))
    return parts_fixture, build_fixture, guest_fixture


debian_arm64, arm64_build, guest = arch_fixtures("arm64", "guest")
debian_arm, arm_build, arm_guest = arch_fixtures("arm", "arm_guest")
debian_x86, x86_build, x86_guest = arch_fixtures("x86", "x86_guest")
