# SPDX-License-Identifier: GPL-2.0-only
# Debian bookworm arm64 parts for the full-stack rig: kernel, headers, busybox, Python.

"""Fetch and unpack Debian's arm64 kernel, its headers and a small user land.

Everything lands in a cache outside the source tree:

    $JH_DEBIAN_CACHE               (default: ${XDG_CACHE_HOME:-~/.cache}/jailhouse-debian)
        debs/                      .deb files while they are unpacked
        arm64/kernel-<abi>/        boot/vmlinuz-*, usr/src/linux-headers-*
                                   (a KDIR for our module), Debian's own
                                   modules left out
        arm64/userland-<key>/      busybox and python3 with its libraries
        arm64/kernel.json, arm64/userland.json   what is there (the stamps)

Fetching is idempotent: once a stamp names a complete unpacked tree, nothing
touches apt or the network again (pass refresh=True, or --refresh, to look
for a newer kernel).  Only `apt-get download` is used for arm64 packages;
they are never installed.  apt needs the arm64 architecture added to dpkg
(`dpkg --add-architecture arm64`) and an `apt-get update`; both need root
(sudo -n is tried when not root).
"""

import contextlib
import fcntl
import glob
import json
import os
import shutil
import subprocess
import sys
import time

ARCH = "arm64"
KBUILD_PACKAGE = "linux-kbuild-6.1"
BUSYBOX_PACKAGES = ["busybox-static"]
# The smallest closure that runs `import os, sys, struct, fcntl, ctypes`:
# the interpreter, its minimal and standard libraries, and the shared
# libraries the interpreter (libc, zlib, expat) and _ctypes (libffi) link.
PYTHON_PACKAGES = ["python3.11-minimal", "libpython3.11-minimal",
                   "libpython3.11-stdlib", "libc6", "zlib1g", "libexpat1",
                   "libffi8"]
# cffi for pyjailhouse (ABI mode): Debian's backend with its matching
# pure-Python part and pycparser (which needs ply).
CFFI_PACKAGES = ["python3-cffi-backend"]
USERLAND_PACKAGES = BUSYBOX_PACKAGES + PYTHON_PACKAGES + CFFI_PACKAGES
# Architecture-independent packages ("all") of the user land.
USERLAND_ALL_PACKAGES = ["python3-cffi", "python3-pycparser", "python3-ply"]
APT_RETRIES = 4
# Bumped when what is kept changes, so that caches are refetched.
USERLAND_LAYOUT = 3
KERNEL_LAYOUT = 2


class FetchError(RuntimeError):
    """A package could not be found, downloaded or unpacked."""


def cache_root():
    explicit = os.environ.get("JH_DEBIAN_CACHE")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jailhouse-debian")


def _log(message):
    print("fetch-debian-arm64: %s" % message, file=sys.stderr, flush=True)


def _run(argv, cwd=None, check=True):
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL,
                            env=dict(os.environ, LC_ALL="C"))
    if check and result.returncode != 0:
        raise FetchError("`%s` failed (%d):\n%s%s" % (
            " ".join(argv), result.returncode, result.stdout, result.stderr))
    return result


def _as_root(argv):
    if os.geteuid() == 0:
        return argv
    if shutil.which("sudo"):
        return ["sudo", "-n"] + argv
    raise FetchError("`%s` needs root (run it once as root)" % " ".join(argv))


@contextlib.contextmanager
def _locked(root):
    """Serialise fetches of parallel test runs on one cache."""
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_foreign_arch():
    archs = _run(["dpkg", "--print-foreign-architectures"]).stdout.split()
    if ARCH not in archs:
        _log("adding the %s architecture to dpkg" % ARCH)
        _run(_as_root(["dpkg", "--add-architecture", ARCH]))
        return True
    return False


def _apt_update():
    last = None
    for attempt in range(APT_RETRIES):
        result = _run(_as_root(["apt-get", "update"]), check=False)
        # A failed index elsewhere (another repository, a mirror in sync)
        # shows as "W:"/"E:" lines; what counts is that arm64 is indexed.
        if result.returncode == 0 and _candidate("busybox-static:" + ARCH):
            return
        last = result.stdout + result.stderr
        _log("apt-get update failed (attempt %d of %d), retrying"
             % (attempt + 1, APT_RETRIES))
        time.sleep(2 + 3 * attempt)
    if _candidate("busybox-static:" + ARCH):
        return
    raise FetchError("apt-get update did not give an %s package index:\n%s"
                     % (ARCH, last))


def _candidate(package):
    result = _run(["apt-cache", "policy", package], check=False)
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("Candidate:"):
            version = line.split(":", 1)[1].strip()
            return None if version == "(none)" else version
    return None


def _prepare_apt():
    """Make sure apt can name arm64 packages; update the index if needed."""
    added = _ensure_foreign_arch()
    if added or not _candidate("busybox-static:" + ARCH):
        _apt_update()


def _kernel_abi(refresh):
    """(abi, version) of the newest linux-image-<abi>-arm64 apt knows."""
    if refresh:
        _apt_update()
    result = _run(["apt-cache", "depends", "linux-image-arm64:" + ARCH])
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("Depends:") and "linux-image-" in line:
            name = line.split()[1].split(":")[0]
            abi = name[len("linux-image-"):-len("-" + ARCH)]
            version = _candidate(name + ":" + ARCH)
            if version:
                return abi, version
    raise FetchError("apt knows no linux-image-arm64:%s (is the arm64 index "
                     "there? try `apt-get update`)" % ARCH)


def _download(packages, debs):
    """apt-get download each "name[:arch][=version]"; returns their paths."""
    os.makedirs(debs, exist_ok=True)
    # apt drops privileges to _apt for downloads; let it write here.
    with contextlib.suppress(OSError):
        os.chmod(debs, 0o777)
    paths = []
    missing = []
    for spec in packages:
        name, _, version = spec.partition("=")
        plain, _, arch = name.partition(":")
        version = version or _candidate(name)
        if not version:
            raise FetchError("apt knows no package %s" % name)
        pattern = "%s_%s_%s.deb" % (plain, version.replace(":", "%3a"),
                                     arch or "*")
        found = glob.glob(os.path.join(debs, pattern))
        if found:
            paths.append(found[0])
        else:
            missing.append((name + "=" + version, pattern))
    if missing:
        _log("downloading %s" % " ".join(spec for spec, _ in missing))
        for attempt in range(APT_RETRIES):
            result = _run(["apt-get", "download"] +
                          [spec for spec, _ in missing], cwd=debs, check=False)
            if result.returncode == 0:
                break
            _log("apt-get download failed (attempt %d of %d)" % (
                attempt + 1, APT_RETRIES))
            time.sleep(2 + 3 * attempt)
        else:
            raise FetchError("apt-get download failed:\n%s%s" % (
                result.stdout, result.stderr))
        for _spec, pattern in missing:
            found = glob.glob(os.path.join(debs, pattern))
            if not found:
                raise FetchError("apt-get download gave no %s" % pattern)
            paths.append(found[0])
    return paths


def _unpack(debs, destination):
    """dpkg-deb -x every .deb into a fresh destination, atomically."""
    partial = destination + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    for deb in debs:
        _run(["dpkg-deb", "-x", deb, partial])
    return partial


def _load_stamp(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_stamp(path, data):
    with open(path + ".tmp", "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def _complete(stamp, keys):
    return stamp is not None and all(
        os.path.exists(stamp.get(key) or "/nonexistent") for key in keys)


def _prune_kernel(root, abi):
    """Drop what the rig never uses: the distribution's modules (the guest
    loads only ours), device trees and documentation; about 330 MB."""
    release = "%s-%s" % (abi, ARCH)
    for path in ("lib/modules/%s/kernel" % release,
                 "usr/lib/linux-image-%s" % release, "usr/share/doc"):
        shutil.rmtree(os.path.join(root, path), ignore_errors=True)


def _drop_debs(paths):
    """The unpacked tree is the cache; the packages are not needed again."""
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _fix_headers(root, abi, final_root):
    """Point the arm64 headers' one-line Makefile at the unpacked -common.

    The tree is unpacked in root and will be renamed to final_root."""
    headers = os.path.join(root, "usr/src/linux-headers-%s-%s" % (abi, ARCH))
    common = os.path.join(final_root, "usr/src/linux-headers-%s-common" % abi)
    makefile = os.path.join(headers, "Makefile")
    with open(makefile) as f:
        text = f.read()
    absolute = "/usr/src/linux-headers-%s-common" % abi
    if absolute not in text:
        raise FetchError("%s does not include %s: unknown headers layout"
                         % (makefile, absolute))
    with open(makefile, "w") as f:
        f.write(text.replace(absolute, common))
    for link in ("scripts", "tools"):
        path = os.path.join(headers, link)
        if os.path.lexists(path) and not os.path.exists(path):
            raise FetchError("%s is a dangling link (linux-kbuild missing?)"
                             % path)
    return headers


def kernel(refresh=False):
    """dict(abi, vmlinuz, kdir, modules, root) of the arm64 kernel; fetched once."""
    root = os.path.join(cache_root(), ARCH)
    stamp_path = os.path.join(root, "kernel.json")
    with _locked(cache_root()):
        stamp = _load_stamp(stamp_path)
        if not refresh and _complete(stamp, ("vmlinuz", "kdir", "modules")) \
                and stamp.get("layout") == KERNEL_LAYOUT:
            return stamp
        _prepare_apt()
        abi, version = _kernel_abi(refresh)
        destination = os.path.join(root, "kernel-" + abi)
        if refresh and stamp and stamp.get("abi") == abi and \
                _complete(stamp, ("vmlinuz", "kdir", "modules")) and \
                stamp.get("layout") == KERNEL_LAYOUT:
            return stamp
        debs = _download(["linux-image-%s-%s:%s=%s" % (abi, ARCH, ARCH, version),
                          "linux-headers-%s-%s:%s=%s" % (abi, ARCH, ARCH, version),
                          "linux-headers-%s-common=%s" % (abi, version),
                          "%s=%s" % (KBUILD_PACKAGE, version)],
                         os.path.join(cache_root(), "debs"))
        partial = _unpack(debs, destination)
        _fix_headers(partial, abi, destination)
        _prune_kernel(partial, abi)
        shutil.rmtree(destination, ignore_errors=True)
        os.replace(partial, destination)
        stamp = {
            "abi": abi, "version": version, "root": destination,
            "layout": KERNEL_LAYOUT,
            "release": "%s-%s" % (abi, ARCH),
            "vmlinuz": os.path.join(destination, "boot/vmlinuz-%s-%s" % (abi, ARCH)),
            "kdir": os.path.join(destination, "usr/src/linux-headers-%s-%s"
                                 % (abi, ARCH)),
            "modules": os.path.join(destination, "lib/modules/%s-%s" % (abi, ARCH)),
        }
        if not _complete(stamp, ("vmlinuz", "kdir", "modules")):
            raise FetchError("unpacked kernel %s is incomplete" % abi)
        _write_stamp(stamp_path, stamp)
        _drop_debs(debs)
        for old in glob.glob(os.path.join(root, "kernel-*")):
            if old != destination:
                shutil.rmtree(old, ignore_errors=True)
        _log("arm64 kernel %s (%s) ready in %s" % (abi, version, destination))
        return stamp


def userland(refresh=False):
    """dict(root, busybox, python) of the unpacked arm64 user land; fetched once."""
    root = os.path.join(cache_root(), ARCH)
    stamp_path = os.path.join(root, "userland.json")
    with _locked(cache_root()):
        stamp = _load_stamp(stamp_path)
        if not refresh and _complete(stamp, ("root", "busybox", "python")) \
                and stamp.get("layout") == USERLAND_LAYOUT:
            return stamp
        _prepare_apt()
        if refresh:
            _apt_update()
        specs = []
        for name in [p + ":" + ARCH for p in USERLAND_PACKAGES] + \
                USERLAND_ALL_PACKAGES:
            version = _candidate(name)
            if not version:
                raise FetchError("apt knows no %s" % name)
            specs.append("%s=%s" % (name, version))
        key = "%08x" % (hash_text("\n".join(specs)) & 0xffffffff)
        destination = os.path.join(root, "userland-" + key)
        debs = _download(specs, os.path.join(cache_root(), "debs"))
        partial = _unpack(debs, destination)
        _precompile(partial)
        shutil.rmtree(destination, ignore_errors=True)
        os.replace(partial, destination)
        stamp = {"root": destination, "packages": specs,
                 "layout": USERLAND_LAYOUT,
                 "busybox": os.path.join(destination, "bin/busybox"),
                 "python": os.path.join(destination, "usr/bin/python3.11")}
        if not _complete(stamp, ("root", "busybox", "python")):
            raise FetchError("unpacked user land is incomplete")
        _write_stamp(stamp_path, stamp)
        _drop_debs(debs)
        for old in glob.glob(os.path.join(root, "userland-*")):
            if old != destination:
                shutil.rmtree(old, ignore_errors=True)
        _log("arm64 user land ready in %s" % destination)
        return stamp


def _precompile(root):
    """Byte-compile the guest's Python modules on the host, if it runs 3.11.

    Bytecode depends only on the minor version; "unchecked-hash" .pyc files
    are used without looking at the source's time stamp.  Saves the guest
    compiling under TCG (seconds for pycparser).  Optional: skipped quietly.
    """
    if sys.version_info[:2] != (3, 11):
        return
    for directory in ("usr/lib/python3.11", "usr/lib/python3/dist-packages"):
        path = os.path.join(root, directory)
        _run([sys.executable, "-m", "compileall", "-q", "-j", "0",
              "--invalidation-mode", "unchecked-hash", "-x", "/test/|/lib2to3/",
              "-s", root, "-p", "/", path], check=False)


def hash_text(text):
    """A stable 32-bit FNV-1a hash (Python's hash() is salted per process)."""
    value = 0x811c9dc5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xffffffff
    return value


def fetch_all(refresh=False):
    return {"kernel": kernel(refresh), "userland": userland(refresh)}


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(
        prog="fetch-debian-arm64",
        description="Download and unpack Debian bookworm's arm64 kernel, "
        "headers, busybox-static and python3 for the full-stack QEMU tests "
        "(cache: %s; override with JH_DEBIAN_CACHE)." % cache_root())
    parser.add_argument("--refresh", action="store_true",
                        help="update the apt index and fetch a newer kernel "
                        "or user land if there is one")
    parser.add_argument("--print-kdir", action="store_true",
                        help="print only the headers directory (KDIR)")
    args = parser.parse_args(argv)
    try:
        parts = fetch_all(args.refresh)
    except FetchError as err:
        print("fetch-debian-arm64: error: %s" % err, file=sys.stderr)
        return 1
    if args.print_kdir:
        print(parts["kernel"]["kdir"])
    else:
        print("kernel:  %s" % parts["kernel"]["vmlinuz"])
        print("KDIR:    %s" % parts["kernel"]["kdir"])
        print("busybox: %s" % parts["userland"]["busybox"])
        print("python:  %s" % parts["userland"]["python"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
