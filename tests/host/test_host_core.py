# SPDX-License-Identifier: GPL-2.0-only
"""Host tests of the hypervisor core's pure parts.

Each tests/host/test_*.c is compiled together with the hypervisor sources
it names (SOURCES) and tests/host/host.c into an ordinary program, once
64-bit with the host's gcc and once 32-bit with Debian's i686 cross
compiler (gcc-i686-linux-gnu, linked statically so it runs on the x86-64
host; gcc-multilib would conflict with the ARM cross compilers), with the
fake <asm/...> headers of tests/host/include in front of the hypervisor's
own.  The program prints "FAIL file:line: check" for every failed check and
exits with 1; pytest shows that output.  Seconds, no QEMU.
"""

import os
import shutil
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(TOP, "tests", "host")

SOURCES = {
    "test_paging.c": ["hypervisor/paging.c"],
    "test_config.c": ["hypervisor/config.c"],
    "test_cpuset.c": [],
    "test_printk.c": ["hypervisor/printk.c"],
    "test_x86_decode.c": ["hypervisor/arch/x86/decode.c",
                          "hypervisor/arch/x86/guest-paging.c"],
    "test_arm_condition.c": ["hypervisor/arch/arm/condition.c"],
}
# Arch include directories a test needs, behind the fake <asm/...> ones.
INCLUDES = {
    "test_x86_decode.c": ["hypervisor/arch/x86/include"],
    "test_arm_condition.c": ["hypervisor/arch/arm/include"],
}
# width -> (compiler, its flags)
WIDTHS = {"64": ("gcc", ["-m64"]), "32": ("i686-linux-gnu-gcc", ["-static"])}
CFLAGS = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
          "-Wno-unused-parameter", "-Wmissing-prototypes", "-fno-builtin",
          "-fno-strict-aliasing", "-fno-common",
          "-I" + os.path.join(HERE, "include"),
          "-I" + os.path.join(TOP, "hypervisor", "include"),
          "-I" + os.path.join(TOP, "include")]


def compile_program(test, width, out_dir):
    compiler, flags = WIDTHS[width]
    cc = shutil.which(compiler)
    if not cc:
        pytest.fail("%s not found (./quickstart installs it)" % compiler)
    exe = os.path.join(out_dir, "%s-%s" % (test[:-2], width))
    sources = [os.path.join(HERE, test), os.path.join(HERE, "host.c")]
    sources += [os.path.join(TOP, src) for src in SOURCES[test]]
    includes = ["-I" + os.path.join(TOP, d) for d in INCLUDES.get(test, [])]
    cmd = [cc] + flags + CFLAGS + includes + ["-o", exe] + sources
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        pytest.fail("%s\n%s%s" % (" ".join(cmd), result.stdout,
                                    result.stderr))
    return exe


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("test", sorted(SOURCES))
def test_host_core(test, width, tmp_path):
    exe = compile_program(test, width, str(tmp_path))
    result = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "PASS" in output, output
    assert "%s-bit" % width in output, output
