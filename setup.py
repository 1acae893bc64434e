# SPDX-License-Identifier: GPL-2.0-only
"""pyjailhouse for recipes that run `python setup.py build|install` at the top
of the source tree (Buildroot's helper scripts, Yocto's setuptools3 class).

It packages the pyjailhouse that `make` staged in build/<arch>/tools (with
its generated ABI modules, so the target needs only _cffi_backend), not the
source directory.  With several architectures built, ARCH= picks one."""

import glob
import os
import sys

from setuptools import setup

TOP = os.path.dirname(os.path.abspath(__file__))


def staged_package():
    arch = os.environ.get("ARCH") or "*"
    found = sorted(glob.glob(os.path.join(TOP, "build", arch, "tools",
                                          "pyjailhouse", "_abi.py")))
    if len(found) != 1:
        sys.exit("setup.py: %s: run `make ARCH=<arch>` first%s" % (
            "no built pyjailhouse in build/%s/tools" % arch if not found else
            "pyjailhouse built for several architectures",
            "" if not found else " and set ARCH= to choose one"))
    return os.path.dirname(found[0])


def version(package):
    scope = {}
    with open(os.path.join(package, "_version.py")) as f:
        exec(f.read(), scope)  # pylint: disable=exec-used
    return scope["VERSION"]


PACKAGE = staged_package()
setup(name="pyjailhouse", version=version(PACKAGE),
      description="Python support for the Jailhouse partitioning hypervisor "
                  "tools",
      license="GPL-2.0-only", python_requires=">=3.9",
      install_requires=["cffi"],
      packages=["pyjailhouse"],
      package_dir={"pyjailhouse": os.path.relpath(PACKAGE, TOP)})
