# SPDX-License-Identifier: GPL-2.0-only
"""Host tests of the hypervisor core's pure parts.

Each tests/host/test_*.c is compiled together with the hypervisor sources
it names (SOURCES) and tests/host/host.c into an ordinary program, once
64-bit and once 32-bit (gcc -m32, from Debian's gcc-multilib), with the
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
}
WIDTHS = {"64": "-m64", "32": "-m32"}
CFLAGS = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
          "-Wno-unused-parameter", "-Wmissing-prototypes", "-fno-builtin",
          "-fno-strict-aliasing", "-fno-common",
          "-I" + os.path.join(HERE, "include"),
          "-I" + os.path.join(TOP, "hypervisor", "include"),
          "-I" + os.path.join(TOP, "include")]


def compile_program(test, width, out_dir):
    cc = shutil.which("gcc")
    if not cc:
        pytest.fail("gcc not found (./quickstart installs it)")
    exe = os.path.join(out_dir, "%s-%s" % (test[:-2], width))
    sources = [os.path.join(HERE, test), os.path.join(HERE, "host.c")]
    sources += [os.path.join(TOP, src) for src in SOURCES[test]]
    cmd = [cc, WIDTHS[width]] + CFLAGS + ["-o", exe] + sources
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        hint = ""
        if width == "32" and "crt1.o" in result.stderr + result.stdout:
            hint = "\n(32-bit host programs need gcc-multilib: ./quickstart)"
        pytest.fail("%s\n%s%s%s" % (" ".join(cmd), result.stdout,
                                      result.stderr, hint))
    return exe


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("test", sorted(SOURCES))
def test_host_core(test, width, tmp_path):
    exe = compile_program(test, width, str(tmp_path))
    result = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "PASS" in output, output
    assert "%s-bit" % width in output, output
