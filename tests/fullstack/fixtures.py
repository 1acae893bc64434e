# SPDX-License-Identifier: GPL-2.0-only
# pytest fixtures of the full-stack rig: Debian parts, our arm64 build, the guest runner.

"""Import these into a test module:

    from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401

debian_arm64   {"kernel": ..., "userland": ...} from fullstack.debian (fetched
               once into the cache, see fetch-debian-arm64)
arm64_build    ArmBuild: jailhouse.ko built against Debian's headers by
               scons, the hypervisor image and .cell files (None/{} if the
               hypervisor part does not build), jhctl
guest          run(script, files=None, firmware=True, tools=False, **kw)
               -> GuestResult, with the module at /jailhouse.ko, jhctl in
               /bin and, if built, the firmware in /lib/firmware, the
               configs in /etc/jailhouse and the inmates in
               /usr/libexec/jailhouse/demos; tools=True adds python3 and the
               built `jailhouse` command (/usr/sbin) with pyjailhouse
"""

import os
import subprocess

import pytest

from conftest import REPO, run_scons

from . import debian, payload, rig

CROSS_CC = "aarch64-linux-gnu-gcc"
JHCTL_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "jhctl.c")


class ArmBuild:
    def __init__(self, build_dir, module, jhctl, firmware, cells, inmates,
                 notes):
        self.build_dir = build_dir
        self.module = module
        self.jhctl = jhctl
        self.firmware = firmware     # path or None
        self.cells = cells           # {"qemu-arm64.cell": path, ...}
        self.inmates = inmates       # {"gic-demo.bin": path, ...}
        self.notes = notes           # why firmware/cells are missing
        self.tools = {}              # guest path: host path (tools=True)

    def guest_files(self):
        files = payload.installed_layout(self.module, self.firmware,
                                         self.cells, self.inmates)
        files["/bin/jhctl"] = self.jhctl
        return files


def build_jhctl(destination):
    """The libc-free arm64 ioctl client (tests/fullstack/jhctl.c)."""
    result = subprocess.run(
        [CROSS_CC, "-static", "-nostdlib", "-ffreestanding",
         "-fno-stack-protector", "-O2", "-Wall", "-Wextra", "-Werror",
         "-Wno-unused-parameter", "-I", os.path.join(REPO, "include"),
         "-o", destination, JHCTL_SOURCE],
        capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail("building jhctl failed:\n%s" % result.stderr)
    return destination


@pytest.fixture(scope="session")
def debian_arm64():
    try:
        return debian.fetch_all()
    except debian.FetchError as err:
        pytest.fail("Debian arm64 parts unavailable: %s" % err)


@pytest.fixture(scope="session")
def arm64_build(tmp_path_factory, debian_arm64):
    build_dir = str(tmp_path_factory.mktemp("fullstack-arm64"))
    kdir = debian_arm64["kernel"]["kdir"]
    run_scons("ARCH=arm64", "KDIR=" + kdir, "BUILD_DIR=" + build_dir, "driver")
    module = os.path.join(build_dir, "driver/jailhouse.ko")
    # The hypervisor may be under construction: tests that need it skip.
    notes = ""
    result = run_scons("ARCH=arm64", "BUILD_DIR=" + build_dir, "hypervisor",
                       "configs", "inmates", check=False)
    tools_result = run_scons("ARCH=arm64", "BUILD_DIR=" + build_dir, "tools",
                             check=False)
    firmware = os.path.join(build_dir, "hypervisor/jailhouse.bin")
    if result.returncode != 0 or not os.path.isfile(firmware):
        firmware = None
        notes = "scons hypervisor configs inmates failed:\n%s%s" % (
            result.stdout, result.stderr)
    cells = payload.cell_files(build_dir)
    inmates = payload.inmate_files(build_dir)
    tools = {}
    tools_dir = os.path.join(build_dir, "tools")
    if tools_result.returncode == 0:
        tools = payload.tool_files(tools_dir)
    else:
        notes += "scons tools failed:\n%s%s" % (tools_result.stdout,
                                                tools_result.stderr)
    jhctl = build_jhctl(os.path.join(build_dir, "jhctl"))
    build = ArmBuild(build_dir, module, jhctl, firmware, cells, inmates, notes)
    build.tools = tools
    return build


@pytest.fixture(scope="session")
def guest(tmp_path_factory, debian_arm64, arm64_build):
    machine = rig.Rig(debian_arm64["kernel"], debian_arm64["userland"],
                      workdir=str(tmp_path_factory.mktemp("guest")))

    def run(script, files=None, firmware=True, tools=False, **kwargs):
        all_files = arm64_build.guest_files()
        if not firmware:
            all_files.pop("/lib/firmware/jailhouse.bin", None)
        if tools:
            all_files.update(arm64_build.tools)
            kwargs["python"] = True
        all_files.update(files or {})
        return machine.run_guest(script, all_files, **kwargs)
    run.build = arm64_build
    return run
