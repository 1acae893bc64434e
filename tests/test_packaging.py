# SPDX-License-Identifier: GPL-2.0-only
# Distribution recipes, run unchanged through the Makefile on a copy of the
# tree: Debian (real debhelper, from the rules file of Siemens'
# jailhouse-images), Buildroot (package/jailhouse/jailhouse.mk) and Yocto
# (meta-ti's jailhouse recipe).  Each installs into a temporary DESTDIR; the
# tree is compared path by path with modes against the upstream-compatible
# layout kept here.  Plus the make shim's own behaviour (-n, -j, variables),
# nothing written outside DESTDIR, and the installed command under `env -i`
# with only Debian's python3 and python3-cffi-backend.

import glob
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, SCONS, copy_tree, tree
from install_layout import layout, modes

ARM64_CROSS = "aarch64-linux-gnu-"
DEBIAN_PYTHON = "/usr/bin/python3"
AMD64_HEADERS = sorted(glob.glob("/usr/src/linux-headers-*-amd64"))


def make(*args, cwd, env=None, check=True):
    """Run make as a recipe would (no MAKEFLAGS from the test runner)."""
    process_env = {k: v for k, v in os.environ.items()
                   if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    process_env["SCONS"] = SCONS
    process_env.update(env or {})
    result = subprocess.run(["make"] + list(args), cwd=cwd, env=process_env,
                            capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        pytest.fail("make %s failed (%d):\n%s\n%s" % (
            " ".join(args), result.returncode, result.stdout[-3000:],
            result.stderr[-3000:]))
    return result


def arm64_kdir():
    sys.path.insert(0, os.path.join(REPO, "tests"))
    from fullstack import debian  # pylint: disable=import-outside-toplevel
    try:
        kernel = debian.kernel()
    except debian.FetchError as err:
        pytest.skip("Debian's arm64 headers unavailable: %s" % err)
    return kernel["kdir"], kernel["release"]


def installed_modes(root):
    found = modes(tree(str(root)))
    # Kbuild's depmod index files, where it could run depmod.
    return {path: mode for path, mode in found.items()
            if not (path.startswith("lib/modules/") and
                    os.path.basename(path).startswith("modules."))}


def config_names(arch):
    return sorted(os.path.basename(p)[:-2] + ".cell"
                  for p in glob.glob(os.path.join(REPO, "configs", arch, "*.c")))


def demo_names(arch):
    shared = {"arm64": ["arm-common"], "arm": ["arm-common"]}.get(arch, [])
    names = []
    for directory in ["", arch] + shared:
        names += [os.path.basename(p)[:-2] + ".bin" for p in glob.glob(
            os.path.join(REPO, "inmates", "demos", directory, "*.c"))]
    return sorted(names)


def check_command_runs(root, sbin, cell_dir):
    """The installed command with nothing but Debian's python3 on the path."""
    if not os.path.exists(DEBIAN_PYTHON):
        pytest.skip("no %s" % DEBIAN_PYTHON)
    command = os.path.join(root, sbin.strip("/"), "jailhouse")
    env = {"PATH": "/usr/bin:/bin"}
    for args in (["--help"], ["--version"]):
        result = subprocess.run(["env", "-i", DEBIAN_PYTHON, command] + args,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    system = os.path.join(cell_dir, "qemu-arm64.cell")
    cell = os.path.join(cell_dir, "qemu-arm64-inmate-demo.cell")
    result = subprocess.run([DEBIAN_PYTHON, command, "config", "check", system,
                             cell], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run([DEBIAN_PYTHON, command, "config", "show", cell],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "inmate-demo" in result.stdout, \
        result.stdout + result.stderr


# The make shim ------------------------------------------------------------

def test_make_n_changes_nothing(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    before = tree(src)
    for goals in ([], ["install"], ["clean"], ["distclean"], ["modules_install"]):
        result = make("-n", "ARCH=arm64", "DESTDIR=%s" % (tmp_path / "d"),
                      *goals, cwd=src)
        assert "scons" in result.stdout, goals
    assert tree(src) == before
    assert not (tmp_path / "d").exists()


def test_make_passes_jobs_and_variables(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    for flags, expected in ((["-j1"], " -j1 "), (["-j3"], " -j3 "),
                            (["-k", "-j2"], " -k ")):
        out = make("-n", *flags, "ARCH=arm64", "CFLAGS=", "V=1", cwd=src).stdout
        assert expected in out and "ARCH=arm64" in out and "CFLAGS=" in out
    # A parent make's -jN reaches us through MAKEFLAGS, as in Buildroot.
    parent = tmp_path / "parent.mk"
    parent.write_text("all:\n\t$(MAKE) -n -C %s ARCH=arm64\n" % src)
    out = make("-f", str(parent), "-j4", cwd=str(tmp_path)).stdout
    assert " -j4 " in out, out


def test_debhelper_probes(tmp_path):
    """dh decides which targets exist with `make -s -n`: test and check do
    not (so dh_auto_test skips them), distclean and install do."""
    src = copy_tree(str(tmp_path / "src"))
    probe = ["-s", "-n", "--no-print-directory"]
    for target in ("distclean", "install", "clean"):
        assert make(*probe, target, cwd=src).stdout.strip(), target
    for target in ("test", "check"):
        result = make(*probe, target, cwd=src, check=False)
        assert result.returncode != 0 and not result.stdout.strip(), target


def test_source_tree_command_says_what_to_run(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    result = subprocess.run(["env", "-i", DEBIAN_PYTHON,
                             os.path.join(src, "tools/jailhouse"), "config",
                             "check", os.path.join(src, "configs/arm64/qemu-arm64.c")],
                            capture_output=True, text=True)
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert "run `make`" in lines[0] and "Traceback" not in result.stderr


def test_version_ignores_an_enclosing_repository(tmp_path):
    """A tarball unpacked inside another git tree (Buildroot, Yocto) takes
    neither that tree's commit nor 1970: VERSION and its date."""
    outer = tmp_path / "outer"
    outer.mkdir()
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    src = copy_tree(str(outer / "jailhouse"))
    if os.path.exists(os.path.join(src, ".git")):
        os.unlink(os.path.join(src, ".git")) if os.path.isfile(
            os.path.join(src, ".git")) else shutil.rmtree(os.path.join(src, ".git"))
    os.utime(os.path.join(src, "VERSION"), (1600000000, 1600000000))
    make("ARCH=arm64", "tools", cwd=src)
    header = open(os.path.join(src, "build/arm64/include/generated/version.h")).read()
    with open(os.path.join(src, "VERSION")) as f:
        assert '"%s"' % f.read().strip() in header
    assert "JAILHOUSE_SOURCE_DATE_EPOCH 1600000000" in header


def test_make_docs(tmp_path):
    if not shutil.which("markdown_py") or not os.path.exists(
            "/usr/share/groff/current/font/devhtml/DESC"):
        pytest.skip("groff or python3-markdown missing (./quickstart installs "
                    "them)")
    src = copy_tree(str(tmp_path / "src"))
    make("ARCH=arm64", "docs", cwd=src, env={"SOURCE_DATE_EPOCH": "1000000000"})
    docs = os.path.join(src, "build/arm64/docs")
    with open(os.path.join(docs, "README.html")) as f:
        assert "<h2" in f.read()
    with open(os.path.join(docs, "jailhouse.8.html")) as f:
        page = f.read()
    assert "jailhouse" in page and "2001" in page


# Nothing outside DESTDIR ----------------------------------------------------

HOST_PATHS = ["/lib/modules", "/lib/firmware", "/usr/lib/firmware",
              "/usr/local", "/usr/libexec/jailhouse", "/usr/sbin/jailhouse",
              "/usr/share/jailhouse", "/usr/share/man/man8",
              "/usr/share/bash-completion/completions", "/etc/jailhouse",
              os.path.expanduser("~/.cache/pip")] + \
    glob.glob("/usr/lib/python3*/site-packages") + \
    glob.glob("/usr/lib/python3/dist-packages")


def host_snapshot():
    found = {}
    for top in HOST_PATHS:
        for base, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in dirs + files:
                path = os.path.join(base, name)
                try:
                    stat = os.lstat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
        if os.path.lexists(top) and not os.path.isdir(top):
            found[top] = os.lstat(top).st_mtime_ns
    return found


@pytest.mark.slow
@pytest.mark.skipif(not AMD64_HEADERS, reason="linux-headers-amd64 missing")
def test_install_writes_only_below_destdir(tmp_path):
    """Native x86 build with a real Kbuild and a real pip: `make install`
    with DESTDIR (and no INSTALL_MOD_PATH) leaves the host untouched."""
    src = copy_tree(str(tmp_path / "src"))
    dest = tmp_path / "dest"
    make("ARCH=x86", "KDIR=" + AMD64_HEADERS[-1], "-j2", cwd=src)
    before = host_snapshot()
    make("ARCH=x86", "KDIR=" + AMD64_HEADERS[-1], "DESTDIR=%s" % dest,
         "prefix=/usr", "install", cwd=src)
    assert host_snapshot() == before
    release = os.path.basename(AMD64_HEADERS[-1])[len("linux-headers-"):]
    installed = installed_modes(dest)
    assert "lib/modules/%s/extra/driver/jailhouse.ko" % release in installed
    assert any("/site-packages/pyjailhouse/" in p for p in installed)


# Recipes --------------------------------------------------------------------

def buildroot_expected(release):
    files = layout("arm64", prefix="/usr", module_release=release)
    files["etc/jailhouse"] = None
    for name in config_names("arm64"):
        files["etc/jailhouse/" + name] = 0o644
    for name in demo_names("arm64"):
        files["usr/libexec/jailhouse/demos/" + name] = 0o755  # recipe's -m
    return {k: v for k, v in files.items() if v is not None}


@pytest.mark.slow
def test_buildroot_recipe(tmp_path):
    """package/jailhouse/jailhouse.mk, helper scripts disabled."""
    kdir, release = arm64_kdir()
    src = copy_tree(str(tmp_path / "jailhouse-src"))
    target = tmp_path / "target"
    opts = ["CROSS_COMPILE=" + ARM64_CROSS, "ARCH=arm64", "KDIR=" + kdir,
            "DESTDIR=%s" % target, "prefix=/usr", "HAS_PYTHON_MAKO=no",
            "PYTHON_PIP_USABLE=no"]
    make(*opts, "-j2", "-C", src, cwd=str(tmp_path))
    make(*opts, "-j2", "-C", src, "modules_install", "firmware_install",
         "tool_inmates_install", cwd=str(tmp_path))
    make(*opts, "-j2", "-C", src + "/tools", "src=%s/tools" % src, "install",
         cwd=str(tmp_path))
    shell = (
        "install -d -m 0755 {t}/etc/jailhouse && "
        "install -D -m 0644 {s}/configs/*/*.cell {t}/etc/jailhouse && "
        "install -d -m 0755 {t}/usr/libexec/jailhouse/demos && "
        "install -D -m 0755 {s}/inmates/demos/*/*.bin "
        "{t}/usr/libexec/jailhouse/demos").format(s=src, t=target)
    subprocess.run(["sh", "-ec", shell], check=True)
    assert installed_modes(target) == buildroot_expected(release)
    check_command_runs(str(target), "/usr/sbin", str(target / "etc/jailhouse"))


@pytest.mark.slow
def test_meta_ti_recipe(tmp_path):
    """meta-ti's jailhouse recipe: EXTRA_OEMAKE on every make, Yocto's
    exported directories and build flags in the environment, `PIP=:`."""
    kdir, release = arm64_kdir()
    src = copy_tree(str(tmp_path / "git"))
    dest = tmp_path / "image"
    environment = {
        "prefix": "/usr", "exec_prefix": "/usr", "sbindir": "/usr/sbin",
        "libexecdir": "/usr/libexec", "datadir": "/usr/share",
        "CC": ARM64_CROSS + "gcc -mcpu=cortex-a53",
        "CFLAGS": "-O2 -pipe -g -feliminate-unused-debug-types",
        "LDFLAGS": "-Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed",
        "CROSS_COMPILE": ARM64_CROSS, "ARCH": "arm64",
        "KBUILD_OUTPUT": kdir, "KERNEL_VERSION": release,
    }
    extra = ["ARCH=arm64", "CROSS_COMPILE=" + ARM64_CROSS,
             "CC=%s" % environment["CC"], "KDIR=" + kdir]
    make("-j", "2", *extra, "V=1", cwd=src, env=environment)
    make("-j", "2", *extra, "PIP=:", "PYTHON=python3", "PYTHON_PIP_USEABLE=yes",
         "DESTDIR=%s" % dest, "install", cwd=src, env=environment)
    data = dest / "usr/share/jailhouse"
    shell = (
        "install -d {d}/cells && "
        "install -m 0644 {s}/configs/arm64/*.cell {d}/cells/ && "
        "install -d {d}/inmates && "
        "install -m 0644 {s}/inmates/demos/arm64/*.bin {d}/inmates && "
        "rm {d}/root-cell-config.c.tmpl && "
        "rm {d}/jailhouse-config-collect.tmpl").format(s=src, d=data)
    subprocess.run(["sh", "-ec", shell], check=True)
    expected = layout("arm64", prefix="/usr", module_release=release)
    for name in ("root-cell-config.c.tmpl", "jailhouse-config-collect.tmpl"):
        del expected["usr/share/jailhouse/" + name]
    for name in config_names("arm64"):
        expected["usr/share/jailhouse/cells/" + name] = 0o644
    for name in demo_names("arm64"):
        expected["usr/share/jailhouse/inmates/" + name] = 0o644
    assert installed_modes(dest) == expected
    check_command_runs(str(dest), "/usr/sbin", str(data / "cells"))


DEBIAN_RULES = """#!/usr/bin/make -f
# As Siemens' jailhouse-images (recipes-jailhouse/jailhouse/files/debian/rules)

export prefix=/usr

export DEB_BUILD_OPTIONS=parallel=2

export CROSS_COMPILE=$(DEB_HOST_GNU_TYPE)-

ifeq ($(DEB_HOST_GNU_CPU), arm)
export ARCH=arm
endif
ifeq ($(DEB_HOST_GNU_CPU), aarch64)
export ARCH=arm64
endif
ifneq (,$(findstring 86,$(DEB_HOST_GNU_CPU)))
export ARCH=x86
endif

%:
\tCFLAGS= LDFLAGS= dh $@ --parallel --with python3
"""

DEBIAN_CONTROL = """Source: jailhouse
Section: misc
Priority: optional
Standards-Version: 4.6.2
Build-Depends: debhelper-compat (= 13), dh-python, python3-setuptools
Maintainer: Test <test@example.org>

Package: jailhouse
Architecture: any
Depends: ${shlibs:Depends}, ${python3:Depends}, ${misc:Depends}
Description: Jailhouse partitioning hypervisor
 Test package.
"""

DEBIAN_CHANGELOG = """jailhouse (0.1-1) unstable; urgency=medium

  * Test build.

 -- Test <test@example.org>  Thu, 01 Jan 2026 00:00:00 +0000
"""

DEBIAN_INSTALL = ("configs{,/*}/*.cell etc/jailhouse\n"
                  "inmates/demos/*/*.bin usr/libexec/jailhouse/demos\n")


@pytest.mark.slow
def test_debian_recipe(tmp_path):
    """dpkg-buildpackage -aarm64 with real debhelper (compat 13)."""
    if not shutil.which("dh") or not shutil.which("dpkg-buildpackage"):
        pytest.skip("debhelper not installed (./quickstart installs it)")
    kdir, release = arm64_kdir()
    src = copy_tree(str(tmp_path / "jailhouse-0.1"))
    debian = os.path.join(src, "debian")
    os.makedirs(os.path.join(debian, "source"))
    for name, text in (("rules", DEBIAN_RULES), ("control", DEBIAN_CONTROL),
                       ("changelog", DEBIAN_CHANGELOG),
                       ("jailhouse.install", DEBIAN_INSTALL),
                       ("source/format", "3.0 (native)\n")):
        with open(os.path.join(debian, name), "w") as f:
            f.write(text)
    os.chmod(os.path.join(debian, "rules"), 0o755)
    env = {"KDIR": kdir, "DEB_BUILD_OPTIONS": "parallel=2"}
    result = subprocess.run(
        ["dpkg-buildpackage", "-b", "-us", "-uc", "-aarm64", "-d"], cwd=src,
        capture_output=True, text=True, timeout=1200,
        env=dict({k: v for k, v in os.environ.items()
                  if k not in ("MAKEFLAGS", "MAKELEVEL")}, SCONS=SCONS, **env))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    debs = glob.glob(str(tmp_path / "jailhouse_0.1-1_arm64.deb"))
    assert len(debs) == 1
    root = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "-x", debs[0], str(root)], check=True)
    installed = installed_modes(root)
    expected = layout("arm64", prefix="/usr", module_release=release)
    for name in config_names("arm64"):
        expected["etc/jailhouse/" + name] = 0o644
    for name in demo_names("arm64"):
        expected["usr/libexec/jailhouse/demos/" + name] = 0o644
    # pip installs pyjailhouse for the Python that runs the build, and
    # dh_python3 moves it to Debian's dist-packages.
    python = "usr/lib/python3/dist-packages/"
    for name in [p for p in installed if p.startswith(python)]:
        expected[name] = 0o644
    # debhelper's own files and policy: changelog, compressed man pages,
    # everything in usr/libexec executable (dh_fixperms).
    for name in [p for p in installed if p.startswith("usr/share/doc/")]:
        expected[name] = 0o644
    for name in [p for p in expected if p.endswith(".8")]:
        expected[name + ".gz"] = expected.pop(name)
    for name in [p for p in expected if p.startswith("usr/libexec/")]:
        expected[name] = 0o755
    assert sorted(installed.items()) == sorted(expected.items())
    assert python + "pyjailhouse/_abi_ffi.py" in installed
    check_command_runs(str(root), "/usr/sbin", str(root / "etc/jailhouse"))
