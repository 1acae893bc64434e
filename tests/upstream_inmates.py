# SPDX-License-Identifier: GPL-2.0-only
# Upstream Jailhouse's inmates (demos, tests, tools), built by upstream's
# own Kbuild against Debian's kernel headers, cached outside the tree.

"""Build upstream Jailhouse's inmates the way a user does and cache them.

    python3 tests/upstream_inmates.py [--arch x86|arm|arm64 ...]

prints, per architecture, the directory holding upstream's .bin files
(inmates/demos/<arch>/*.bin, inmates/tests/<arch>/*.bin, ...).  The commands
are upstream's: its top-level Kbuild, with only the inmates/ directory
left in subdir-y and no driver, is run by the kernel's make:

    make -C $KDIR M=$TREE ARCH=x86|arm|arm64 [CROSS_COMPILE=...]

KDIR is Debian's linux-headers of tests/fullstack/debian.py (fetched once).
Upstream's tree, at UPSTREAM_COMMIT, comes from $JH_UPSTREAM (a git
directory or an unpacked tree) or else from GitHub's archive of the commit
(network).  Everything lands in $JH_UPSTREAM_CACHE (default
${XDG_CACHE_HOME:-~/.cache}/jailhouse-upstream): src-<commit>/ and
<arch>-<commit>-<kernel abi>/, each renamed into place when complete.
A failure raises Unavailable with a one-line reason.
"""

import argparse
import contextlib
import fcntl
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request

UPSTREAM_COMMIT = "e57d1eff6d55aeed5f977fe4e2acfb6ccbdd7560"
ARCHIVE_URL = "https://github.com/siemens/jailhouse/archive/%s.tar.gz"
# ours -> (kernel ARCH=, CROSS_COMPILE=)
KERNEL_MAKE = {"x86": ("x86", ""), "arm": ("arm", "arm-linux-gnueabihf-"),
               "arm64": ("arm64", "aarch64-linux-gnu-")}
# upstream's top Kbuild: what it builds, and what we leave of it
KBUILD_LINES = {"subdir-y := hypervisor configs inmates tools\n":
                "subdir-y := inmates\n",
                "obj-m := driver/\n": "obj-m :=\n"}


class Unavailable(Exception):
    """Upstream's inmates cannot be had here (the message says why)."""


class NotDownloadable(Unavailable):
    """Upstream's tree is neither given (JH_UPSTREAM) nor downloadable:
    a machine without access to GitHub, where the tests that need it are
    skipped with this reason.  Every other Unavailable fails them."""


def for_test(what, fn, *args):
    """fn(*args) for a test: skipped if upstream's tree cannot be had
    here, failed with the one-line reason if it does not build."""
    import pytest

    try:
        return fn(*args)
    except NotDownloadable as err:
        pytest.skip("%s: %s" % (what, err))
    except Unavailable as err:
        pytest.fail("%s: %s" % (what, err))


def cache_root():
    return os.environ.get("JH_UPSTREAM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "jailhouse-upstream")


@contextlib.contextmanager
def _locked(root):
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _archive():
    """Upstream's tree at UPSTREAM_COMMIT as a tar stream (bytes) with the
    top directory to strip ('' for none)."""
    given = os.environ.get("JH_UPSTREAM")
    if given and os.path.isdir(os.path.join(given, "objects")):
        result = subprocess.run(["git", "--git-dir=" + given, "archive",
                                 UPSTREAM_COMMIT], capture_output=True)
        if result.returncode:
            raise Unavailable("JH_UPSTREAM=%s: git archive %s: %s" % (
                given, UPSTREAM_COMMIT[:12],
                result.stderr.decode(errors="replace").strip()))
        return result.stdout, ""
    if given:
        raise Unavailable("JH_UPSTREAM=%s is not a git directory" % given)
    url = ARCHIVE_URL % UPSTREAM_COMMIT
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read(), "jailhouse-%s/" % UPSTREAM_COMMIT
    except OSError as err:
        raise NotDownloadable("upstream Jailhouse not downloadable from %s "
                              "(%s); "
                              "set JH_UPSTREAM to a clone's git directory"
                              % (url, err)) from err


def source():
    """The unpacked upstream tree at UPSTREAM_COMMIT (fetched once)."""
    root = cache_root()
    tree = os.path.join(root, "src-" + UPSTREAM_COMMIT)
    with _locked(root):
        if os.path.isdir(tree):
            return tree
        data, strip = _archive()
        partial = tempfile.mkdtemp(prefix=".src-", dir=root)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            members = []
            for member in tar.getmembers():
                if not member.name.startswith(strip) or \
                        member.issym() or member.islnk():
                    continue
                member.name = member.name[len(strip):]
                if member.name and not member.name.startswith(("/", "..")):
                    members.append(member)
            tar.extractall(partial, members)
        if not os.path.isfile(os.path.join(partial, "Kbuild")):
            raise Unavailable("upstream's archive has no top-level Kbuild")
        os.rename(partial, tree)
        return tree


def tools_tree(destination):
    """A copy of upstream's tree at destination whose Python tools run:
    pyjailhouse/pci_defs.py generated as upstream's build does.  Returns
    destination."""
    shutil.copytree(source(), destination)
    with open(os.path.join(destination, "pyjailhouse", "pci_defs.py"),
              "w") as f:
        subprocess.run(["bash", "scripts/gen_pci_defs.sh",
                        "include/jailhouse/pci_defs.h"], cwd=destination,
                       stdout=f, check=True)
    return destination


def _kernel(arch):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    try:
        return debian.kernel(arch=arch)
    except debian.FetchError as err:
        raise Unavailable("Debian %s headers unavailable: %s" % (arch, err)) \
            from err


def build(arch):
    """Directory of upstream's inmates built for arch (built once): the
    tree's inmates/ with only the .bin files."""
    if arch not in KERNEL_MAKE:
        raise Unavailable("no upstream inmates for ARCH=%s" % arch)
    kernel = _kernel(arch)
    tree = source()
    root = cache_root()
    result = os.path.join(root, "%s-%s-%s" % (arch, UPSTREAM_COMMIT[:12],
                                              kernel["abi"]))
    with _locked(root):
        if os.path.isdir(result):
            return result
        work = tempfile.mkdtemp(prefix=".build-%s-" % arch, dir=root)
        try:
            shutil.copytree(tree, os.path.join(work, "tree"))
            tree = os.path.join(work, "tree")
            kbuild = os.path.join(tree, "Kbuild")
            with open(kbuild) as f:
                text = f.read()
            for line, ours in KBUILD_LINES.items():
                if line not in text:
                    raise Unavailable("upstream's Kbuild lacks %r" %
                                      line.strip())
                text = text.replace(line, ours)
            with open(kbuild, "w") as f:
                f.write(text)
            karch, cross = KERNEL_MAKE[arch]
            make = subprocess.run(
                ["make", "-C", kernel["kdir"], "M=" + tree, "ARCH=" + karch,
                 "CROSS_COMPILE=" + cross, "-j2"],
                capture_output=True, text=True)
            if make.returncode:
                last = (make.stderr.strip().splitlines() or ["?"])[-1]
                raise Unavailable("upstream's inmates do not build for %s: "
                                  "%s" % (arch, last))
            partial = os.path.join(work, "bins")
            for top, _dirs, files in os.walk(os.path.join(tree, "inmates")):
                for name in files:
                    if name.endswith(".bin"):
                        destination = os.path.join(
                            partial, os.path.relpath(top, tree))
                        os.makedirs(destination, exist_ok=True)
                        shutil.copy(os.path.join(top, name), destination)
            os.rename(partial, result)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return result


def image(arch, relpath):
    """Path of one upstream image, e.g. image("x86",
    "demos/x86/tiny-demo.bin"); Unavailable if it was not built."""
    path = os.path.join(build(arch), "inmates", relpath)
    if not os.path.isfile(path):
        raise Unavailable("upstream's build made no inmates/%s" % relpath)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", action="append", choices=sorted(KERNEL_MAKE))
    args = parser.parse_args(argv)
    try:
        for arch in args.arch or sorted(KERNEL_MAKE):
            print("%s: %s" % (arch, build(arch)))
    except Unavailable as err:
        sys.exit("upstream_inmates: %s" % err)


if __name__ == "__main__":
    main()
