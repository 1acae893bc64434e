# SPDX-License-Identifier: GPL-2.0-only
# The interface headers compile inside a real kernel build: a throw-away
# module including every header the driver may use, built by Debian's amd64
# Kbuild with -Werror.

import glob
import os
import subprocess

import pytest

from conftest import REPO

HEADERS = sorted(glob.glob("/usr/src/linux-headers-*-amd64"))
INCLUDE = os.path.join(REPO, "include")


@pytest.mark.skipif(not HEADERS, reason="linux-headers-amd64 not installed "
                    "(./quickstart installs it)")
@pytest.mark.slow
def test_headers_compile_in_a_kernel_module(tmp_path):
    headers = [os.path.relpath(p, INCLUDE) for p in
               sorted(glob.glob(os.path.join(INCLUDE, "jailhouse", "*.h")))]
    headers.append("jailhouse/arch/x86-hypercall.h")
    source = "".join("#include <%s>\n" % h for h in headers)
    source += ("#include <linux/module.h>\n"
               "MODULE_LICENSE(\"GPL\");\n"
               "static int __init check_init(void) { return 0; }\n"
               "module_init(check_init);\n")
    (tmp_path / "headercheck.c").write_text(source)
    (tmp_path / "Kbuild").write_text(
        "obj-m := headercheck.o\nccflags-y := -I%s -Werror\n" % INCLUDE)
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
        env.pop(name, None)
    result = subprocess.run(["make", "-C", HEADERS[-1], "M=%s" % tmp_path,
                             "modules"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "headercheck.ko").exists()
