# SPDX-License-Identifier: GPL-2.0-only
# Debian bookworm parts for the full-stack rig, per architecture: kernel,
# headers, busybox, Python.

"""Fetch and unpack Debian's kernel, its headers and a small user land for
one of our architectures (the ARCHES table: "arm64", "arm", "x86").

Everything lands in a cache outside the source tree:

    $JH_DEBIAN_CACHE               (default: ${XDG_CACHE_HOME:-~/.cache}/jailhouse-debian)
        debs/                      .deb files while they are unpacked
        <dpkg arch>/kernel-<abi>.<generation>/  boot/vmlinuz-*,
                                   usr/src/linux-headers-* (a KDIR for our
                                   module), Debian's own modules left out
        <dpkg arch>/userland-<key>.<generation>/  busybox and python3 with
                                   its libraries
        <dpkg arch>/kernel.json, <dpkg arch>/userland.json   the stamps

Fetching is idempotent: once a stamp names a complete unpacked tree, nothing
touches apt or the network again (pass refresh=True, or --refresh, to look
for a newer kernel).  Only `apt-get download` is used; the packages are
never installed (not even the host's own architecture: the headers are
unpacked beside the kernel they belong to).  A foreign architecture must be
added to dpkg (`dpkg --add-architecture arm64`) and indexed with
`apt-get update`; both need root (sudo -n is tried when not root).

Other test runs read the cache while a fetch replaces it (no lock: a run
keeps its paths for minutes).  So a tree, once its stamp names it, never
changes: a new one is unpacked under a temporary name, renamed to a
generation directory of its own, and then the stamp is replaced (written to
a temporary name, renamed).  A reader sees the old stamp and tree or the new
ones, never half of either; the previous generation stays for the runs
still using it, older ones are removed.
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

# Bumped when what is kept changes, so that caches are refetched.
USERLAND_LAYOUT = 3
KERNEL_LAYOUT = 2


class DebianArch:
    """What Debian calls one of our architectures and its kernel."""

    def __init__(self, arch, dpkg, flavour, multiarch, libraries=(),
                 keep_modules=(), layout=0):
        self.arch = arch            # ours: ARCH= of the build
        self.dpkg = dpkg            # Debian's architecture name
        self.flavour = flavour      # kernel flavour: linux-image-<abi>-<flavour>
        self.multiarch = multiarch  # the library directory's triplet
        # user-land packages only this architecture's python3 needs
        self.libraries = list(libraries)
        # Debian's modules the tests load (below lib/modules/<release>/
        # kernel), in load order; the others are dropped.
        self.keep_modules = tuple(keep_modules)
        # Bumped when what this architecture keeps changes.
        self.layout = KERNEL_LAYOUT + layout

    def __repr__(self):
        return "<Debian %s>" % self.dpkg


# One row per architecture of the project that runs Linux as root cell.
ARCHES = {
    "arm64": DebianArch("arm64", "arm64", "arm64", "aarch64-linux-gnu"),
    # LPAE: the hypervisor's stage 2 and Linux's memory above 4 GiB; armhf's
    # python3 links libgcc_s (EABI unwinding).
    "arm": DebianArch("arm", "armhf", "armmp-lpae", "arm-linux-gnueabihf",
                      libraries=["libgcc-s1"]),
    # KVM for the refusal test: kvm_amd holds SVM.
    "x86": DebianArch("x86", "amd64", "amd64", "x86_64-linux-gnu",
                      keep_modules=["virt/lib/irqbypass.ko",
                                    "arch/x86/kvm/kvm.ko",
                                    "drivers/crypto/ccp/ccp.ko",
                                    "arch/x86/kvm/kvm-amd.ko"], layout=1),
}
DEFAULT_ARCH = "arm64"
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


class FetchError(RuntimeError):
    """A package could not be found, downloaded or unpacked."""


def cache_root():
    explicit = os.environ.get("JH_DEBIAN_CACHE")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jailhouse-debian")


def debian_arch(arch=DEFAULT_ARCH):
    """The ARCHES row of our architecture name (or of a dpkg name)."""
    for row in ARCHES.values():
        if arch in (row.arch, row.dpkg):
            return row
    raise FetchError("no Debian kernel for architecture %r (known: %s)"
                     % (arch, ", ".join(sorted(ARCHES))))


def _log(message):
    print("fetch-debian: %s" % message, file=sys.stderr, flush=True)


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


def _ensure_foreign_arch(dpkg_arch):
    if dpkg_arch == _run(["dpkg", "--print-architecture"]).stdout.strip():
        return False
    archs = _run(["dpkg", "--print-foreign-architectures"]).stdout.split()
    if dpkg_arch not in archs:
        _log("adding the %s architecture to dpkg" % dpkg_arch)
        _run(_as_root(["dpkg", "--add-architecture", dpkg_arch]))
        return True
    return False


def _apt_update(dpkg_arch):
    last = None
    for attempt in range(APT_RETRIES):
        result = _run(_as_root(["apt-get", "update"]), check=False)
        # A failed index elsewhere (another repository, a mirror in sync)
        # shows as "W:"/"E:" lines; what counts is that the arch is indexed.
        if result.returncode == 0 and _candidate("busybox-static:" +
                                                 dpkg_arch):
            return
        last = result.stdout + result.stderr
        _log("apt-get update failed (attempt %d of %d), retrying"
             % (attempt + 1, APT_RETRIES))
        time.sleep(2 + 3 * attempt)
    if _candidate("busybox-static:" + dpkg_arch):
        return
    raise FetchError("apt-get update did not give an %s package index:\n%s"
                     % (dpkg_arch, last))


def _candidate(package):
    result = _run(["apt-cache", "policy", package], check=False)
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("Candidate:"):
            version = line.split(":", 1)[1].strip()
            return None if version == "(none)" else version
    return None


def _need_candidate(package):
    """The candidate version of package; apt's cache may be rewritten by
    an `apt-get update` running beside us: look again before giving up."""
    for attempt in range(APT_RETRIES):
        version = _candidate(package)
        if version:
            return version
        time.sleep(1 + 2 * attempt)
    raise FetchError("apt knows no %s" % package)


def _prepare_apt(row):
    """Make sure apt can name the arch's packages; update the index if
    needed."""
    added = _ensure_foreign_arch(row.dpkg)
    if added or not _candidate("busybox-static:" + row.dpkg):
        _apt_update(row.dpkg)


def _kernel_abi(row, refresh):
    """(abi, version) of the newest linux-image-<abi>-<flavour> apt knows."""
    if refresh:
        _apt_update(row.dpkg)
    meta = "linux-image-%s:%s" % (row.flavour, row.dpkg)
    result = _run(["apt-cache", "depends", meta])
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("Depends:") and "linux-image-" in line:
            name = line.split()[1].split(":")[0]
            abi = name[len("linux-image-"):-len("-" + row.flavour)]
            version = _candidate(name + ":" + row.dpkg)
            if version:
                return abi, version
    raise FetchError("apt knows no %s (is the %s index there? try "
                     "`apt-get update`)" % (meta, row.dpkg))


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


def _generation(root, prefix):
    """A new directory name root/prefix.<generation>, not yet used."""
    while True:
        path = os.path.join(root, "%s.%x-%d" % (prefix, time.time_ns(),
                                                 os.getpid()))
        if not os.path.lexists(path) and \
                not os.path.lexists(path + ".partial"):
            return path


def _unpack(debs, destination):
    """dpkg-deb -x every .deb into destination + ".partial" (returned); the
    caller renames it to destination once it is complete."""
    partial = destination + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    for deb in debs:
        _run(["dpkg-deb", "-x", deb, partial])
    return partial


def _publish(partial, destination, stamp_path, stamp, kind, keys):
    """Make the complete tree in partial the cache's current one: rename it
    to destination (a name no reader knows yet), then replace the stamp;
    then remove the generations of kind ("kernel", "userland") older than
    the one the old stamp named, which runs may still be using."""
    os.rename(partial, destination)
    if not _complete(stamp, keys):
        raise FetchError("unpacked %s in %s is incomplete" % (kind,
                                                              destination))
    previous = (_load_stamp(stamp_path) or {}).get("root")
    _write_stamp(stamp_path, stamp)
    root = os.path.dirname(destination)
    for old in glob.glob(os.path.join(root, kind + "-*")):
        if old not in (destination, previous):
            shutil.rmtree(old, ignore_errors=True)


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


def _prune_kernel(root, release, keep_modules=()):
    """Drop what the rig never uses: the distribution's modules (the guest
    loads only ours and keep_modules), device trees and documentation;
    about 330 MB."""
    modules = os.path.join(root, "lib/modules/%s/kernel" % release)
    kept = os.path.join(root, "lib/modules/%s/debian" % release)
    for module in keep_modules:
        source = os.path.join(modules, module)
        if not os.path.isfile(source):
            raise FetchError("the kernel package has no %s" % module)
        os.makedirs(kept, exist_ok=True)
        os.replace(source, os.path.join(kept, os.path.basename(module)))
    for path in ("lib/modules/%s/kernel" % release,
                 "usr/lib/linux-image-%s" % release, "usr/share/doc"):
        shutil.rmtree(os.path.join(root, path), ignore_errors=True)


def _drop_debs(paths):
    """The unpacked tree is the cache; the packages are not needed again."""
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _fix_headers(root, abi, release, final_root):
    """Point the headers' one-line Makefile at the unpacked -common.

    The tree is unpacked in root and will be renamed to final_root."""
    headers = os.path.join(root, "usr/src/linux-headers-" + release)
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


def kernel(refresh=False, arch=DEFAULT_ARCH):
    """dict(abi, vmlinuz, kdir, modules, root) of arch's kernel; fetched once."""
    row = debian_arch(arch)
    root = os.path.join(cache_root(), row.dpkg)
    stamp_path = os.path.join(root, "kernel.json")
    keys = ("vmlinuz", "kdir", "modules")
    with _locked(cache_root()):
        stamp = _load_stamp(stamp_path)
        if not refresh and _complete(stamp, keys) \
                and stamp.get("layout") == row.layout:
            return stamp
        _prepare_apt(row)
        abi, version = _kernel_abi(row, refresh)
        release = "%s-%s" % (abi, row.flavour)
        if refresh and stamp and stamp.get("abi") == abi and \
                _complete(stamp, keys) and stamp.get("layout") == row.layout:
            return stamp
        debs = _download(["linux-image-%s:%s=%s" % (release, row.dpkg, version),
                          "linux-headers-%s:%s=%s" % (release, row.dpkg,
                                                      version),
                          "linux-headers-%s-common=%s" % (abi, version),
                          "%s=%s" % (KBUILD_PACKAGE, version)],
                         os.path.join(cache_root(), "debs"))
        destination = _generation(root, "kernel-" + abi)
        partial = _unpack(debs, destination)
        _fix_headers(partial, abi, release, destination)
        _prune_kernel(partial, release, row.keep_modules)
        stamp = {
            "abi": abi, "version": version, "root": destination,
            "layout": row.layout, "arch": row.arch, "release": release,
            "vmlinuz": os.path.join(destination, "boot/vmlinuz-" + release),
            "kdir": os.path.join(destination, "usr/src/linux-headers-" +
                                 release),
            "modules": os.path.join(destination, "lib/modules/" + release),
            # Debian's own modules that were kept, in load order.
            "debian_modules": [
                os.path.join(destination, "lib/modules", release, "debian",
                             os.path.basename(module))
                for module in row.keep_modules],
        }
        _publish(partial, destination, stamp_path, stamp, "kernel", keys)
        _drop_debs(debs)
        _log("%s kernel %s (%s) ready in %s" % (row.dpkg, abi, version,
                                                destination))
        return stamp


def userland(refresh=False, arch=DEFAULT_ARCH):
    """dict(root, busybox, python) of arch's unpacked user land; fetched once."""
    row = debian_arch(arch)
    root = os.path.join(cache_root(), row.dpkg)
    stamp_path = os.path.join(root, "userland.json")
    keys = ("root", "busybox", "python")
    with _locked(cache_root()):
        stamp = _load_stamp(stamp_path)
        if not refresh and _complete(stamp, keys) \
                and stamp.get("layout") == USERLAND_LAYOUT:
            return stamp
        _prepare_apt(row)
        if refresh:
            _apt_update(row.dpkg)
        specs = []
        for name in [p + ":" + row.dpkg for p in
                     USERLAND_PACKAGES + row.libraries] + \
                USERLAND_ALL_PACKAGES:
            specs.append("%s=%s" % (name, _need_candidate(name)))
        key = "%08x" % (hash_text("\n".join(specs)) & 0xffffffff)
        destination = _generation(root, "userland-" + key)
        debs = _download(specs, os.path.join(cache_root(), "debs"))
        partial = _unpack(debs, destination)
        _precompile(partial)
        stamp = {"root": destination, "packages": specs,
                 "layout": USERLAND_LAYOUT, "arch": row.arch,
                 "multiarch": row.multiarch,
                 "busybox": os.path.join(destination, "bin/busybox"),
                 "python": os.path.join(destination, "usr/bin/python3.11")}
        _publish(partial, destination, stamp_path, stamp, "userland", keys)
        _drop_debs(debs)
        _log("%s user land ready in %s" % (row.dpkg, destination))
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


def fetch_all(refresh=False, arch=DEFAULT_ARCH):
    return {"kernel": kernel(refresh, arch), "userland": userland(refresh, arch)}


def main(argv=None, arch=None):
    import argparse
    parser = argparse.ArgumentParser(
        prog="fetch-debian",
        description="Download and unpack Debian bookworm's kernel, headers, "
        "busybox-static and python3 for the full-stack QEMU tests of one "
        "architecture (cache: %s; override with JH_DEBIAN_CACHE)."
        % cache_root())
    if arch is None:
        parser.add_argument("arch", choices=sorted(ARCHES),
                            help="our architecture name (ARCH= of the build)")
    parser.add_argument("--refresh", action="store_true",
                        help="update the apt index and fetch a newer kernel "
                        "or user land if there is one")
    parser.add_argument("--print-kdir", action="store_true",
                        help="print only the headers directory (KDIR)")
    args = parser.parse_args(argv)
    try:
        parts = fetch_all(args.refresh, arch or args.arch)
    except FetchError as err:
        print("fetch-debian: error: %s" % err, file=sys.stderr)
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
