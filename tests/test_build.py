# SPDX-License-Identifier: GPL-2.0-only
# Builds: every architecture builds cleanly into its own directory, a no-op
# rebuild does nothing, outputs are reproducible and independent of -j, the
# user's CFLAGS/LDFLAGS and the source tree's location.

import glob
import io
import os
import subprocess
import sys
import threading

import pytest

from conftest import ARCHES, REPO, artifacts, copy_tree, read, run_scons, tree

sys.path.insert(0, os.path.join(REPO, "tools"))
from pyjailhouse import abigen  # noqa: E402 pylint: disable=wrong-import-position

EXPECTED = {
    "x86": ["hypervisor/jailhouse-amd.bin", "hypervisor/jailhouse-intel.bin",
            "inmates/demos/hello-demo.bin", "inmates/demos/hello-demo-32.bin",
            "inmates/tools/x86/linux-loader.bin"],
    "arm": ["hypervisor/jailhouse.bin", "inmates/demos/hello-demo.bin",
            "inmates/tools/arm/linux-loader.bin"],
    "arm64": ["hypervisor/jailhouse.bin", "inmates/demos/hello-demo.bin",
              "inmates/tools/arm64/linux-loader.bin", "testprogs/arm64/hello.elf"],
}
TOOLS = ["tools/jailhouse", "tools/jailhouse-cell-linux", "tools/jailhouse.8",
         "tools/jailhouse-cell.8", "tools/jailhouse-enable.8",
         "tools/completion/jailhouse", "tools/pyjailhouse/_version.py",
         "tools/pyproject.toml"]


def readelf_header(path, cross):
    return subprocess.run([cross + "readelf", "-h", path], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("arch", ARCHES)
def test_clean_build(built, arch):
    build_dir = built(arch)
    for path in EXPECTED[arch] + TOOLS:
        assert os.path.isfile(os.path.join(build_dir, path)), path
    # Every configs/<arch>/*.c becomes a .cell.
    for source in glob.glob(os.path.join(REPO, "configs", arch, "*.c")):
        cell = os.path.basename(source)[:-2] + ".cell"
        assert os.path.isfile(os.path.join(build_dir, "configs", arch, cell))
    assert os.access(os.path.join(build_dir, "tools/jailhouse"), os.X_OK)


def test_images_are_for_their_architecture(built):
    machine = {"x86": "X86-64", "arm": "ARM", "arm64": "AArch64"}
    for arch, cross in (("x86", ""), ("arm", "arm-linux-gnueabihf-"),
                        ("arm64", "aarch64-linux-gnu-")):
        header = readelf_header(os.path.join(built(arch), "hypervisor",
                                             "jailhouse-amd.elf" if arch == "x86"
                                             else "jailhouse.elf"), cross)
        assert machine[arch] in header
    header = readelf_header(os.path.join(built("x86"),
                                         "inmates/demos/hello-demo-32.elf"), "")
    assert "ELF32" in header and "80386" in header


def test_architectures_coexist_and_source_tree_stays_clean(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    before = tree(src)
    for arch in ARCHES:
        run_scons("ARCH=" + arch, cwd=src)
    after = tree(src)
    added = sorted(set(after) - set(before))
    assert all(path.startswith("build/") for path in added), added[:5]
    assert {path.split("/")[1] for path in added} == set(ARCHES)
    changed = [path for path in before if after.get(path) != before[path]]
    assert changed == []


@pytest.mark.parametrize("arch", ARCHES)
def test_noop_rebuild_does_nothing(built, arch):
    build_dir = built(arch)
    # -q: exit status 0 only if every default target is up to date.
    question = run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir, "-q",
                         check=False)
    assert question.returncode == 0, question.stdout + question.stderr
    again = run_scons("ARCH=" + arch, "BUILD_DIR=" + build_dir)
    assert [l for l in again.stdout.splitlines() if l.startswith("  ")] == []


def test_rebuild_after_change_is_minimal(tmp_path):
    tree = copy_tree(str(tmp_path / "src"))
    run_scons("ARCH=arm64", cwd=tree)
    with open(os.path.join(tree, "inmates/demos/hello-demo.c"), "a") as f:
        f.write("\n/* touched */\n")
    out = run_scons("ARCH=arm64", cwd=tree).stdout
    rebuilt = [l.split()[-1] for l in out.splitlines() if l.startswith("  ")]
    assert "build/arm64/inmates/demos/hello-demo.o" in rebuilt
    assert not any("hypervisor" in path for path in rebuilt)


def test_parallel_build_matches_serial(tmp_path, built):
    parallel = str(tmp_path / "parallel")
    run_scons("ARCH=arm64", "BUILD_DIR=" + parallel, "-j8", "all", "testprogs")
    serial = built("arm64")
    assert artifacts(parallel) == artifacts(serial)
    for path in artifacts(serial):
        assert read(os.path.join(parallel, path)) == \
            read(os.path.join(serial, path)), path


@pytest.mark.slow
def test_reproducible_across_source_locations(tmp_path):
    """Same tree in two places, other CFLAGS in the environment: same bytes."""
    outputs = []
    for where, extra_env in (("one", {}),
                             ("two/deeper", {"CFLAGS": "-O0 -DBROKEN",
                                             "LDFLAGS": "-Wl,--bogus"})):
        tree = copy_tree(str(tmp_path / where))
        for arch in ARCHES:
            run_scons("ARCH=" + arch, "configs", "hypervisor", "inmates",
                      cwd=tree, env=extra_env)
        outputs.append(os.path.join(tree, "build"))
    names = artifacts(outputs[0])
    assert names == artifacts(outputs[1]) and len(names) > 10
    for path in names:
        assert read(os.path.join(outputs[0], path)) == \
            read(os.path.join(outputs[1], path)), path


def test_user_cflags_never_reach_freestanding_code(tmp_path):
    out = run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "V=1", "hypervisor",
                    "inmates", env={"CFLAGS": "-DUSER_CFLAGS_LEAKED",
                                    "LDFLAGS": "-Wl,-DUSER_LDFLAGS"}).stdout
    assert "aarch64-linux-gnu-gcc" in out     # V=1 shows full command lines
    assert "USER_CFLAGS_LEAKED" not in out and "USER_LDFLAGS" not in out


def test_extra_cflags_reach_every_compilation(tmp_path):
    out = run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "V=1", "hypervisor",
                    "EXTRA_CFLAGS=-DEXTRA_MARK").stdout
    compiles = [l for l in out.splitlines() if " -c " in l]
    assert compiles and all("-DEXTRA_MARK" in l for l in compiles)


# What keeps the compiler from unaligned accesses, per architecture.
MMU_OFF_FLAGS = {"arm": "-mno-unaligned-access", "arm64": "-mstrict-align"}


@pytest.mark.parametrize("arch", sorted(MMU_OFF_FLAGS))
def test_code_run_with_the_mmu_off_makes_no_unaligned_access(arch, tmp_path):
    """Inmates and test programs run with the MMU off, where every access
    goes to Device or Strongly-ordered memory and an unaligned one faults:
    each of their compilations forbids unaligned accesses; the hypervisor's
    (MMU on, Normal memory) do not need to."""
    out = run_scons("ARCH=" + arch, "BUILD_DIR=%s" % tmp_path, "-n", "V=1",
                    "hypervisor", "inmates", "testprogs").stdout
    parts = {}
    for line in out.splitlines():
        words = line.split()
        if "-c" in words and "-o" in words:
            target = os.path.relpath(words[words.index("-o") + 1],
                                     str(tmp_path))
            parts.setdefault(target.split(os.sep)[0], []).append(words)
    flag = MMU_OFF_FLAGS[arch]
    for part in ("inmates", "testprogs"):
        assert parts[part] and all(flag in w for w in parts[part]), part
    assert parts["hypervisor"] and not any(flag in w
                                           for w in parts["hypervisor"])


def test_quiet_output_by_default(built):
    out = run_scons("ARCH=arm", "BUILD_DIR=" + built("arm"), "-c", "hypervisor")
    out = run_scons("ARCH=arm", "BUILD_DIR=" + built("arm"), "hypervisor").stdout
    lines = [l for l in out.splitlines() if l.strip()]
    assert lines and all(l.startswith("  ") and len(l.split()) == 2
                         for l in lines), out


def test_source_date_epoch_is_honoured(tmp_path):
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "tools",
              env={"SOURCE_DATE_EPOCH": "1000000000"})
    assert '"2001-09-09"' in (tmp_path / "tools/jailhouse.8").read_text()
    assert "JAILHOUSE_SOURCE_DATE_EPOCH 1000000000" in \
        (tmp_path / "include/generated/version.h").read_text()


def test_uname_machine_names_are_accepted(tmp_path):
    for name, arch in (("aarch64", "arm64"), ("armv7l", "arm"), ("x86_64", "x86"),
                       ("", "x86")):    # no ARCH: the host's (x86-64 here)
        out = run_scons(*(["ARCH=" + name] if name else []),
                        "BUILD_DIR=%s" % (tmp_path / name), "defconfig").stdout
        assert "CONFIG_%s=y" % arch.upper() in \
            (tmp_path / name / ".config").read_text(), out


def test_clean_removes_outputs(tmp_path):
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "hypervisor")
    assert (tmp_path / "hypervisor/jailhouse.bin").exists()
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "-c", "hypervisor")
    assert not (tmp_path / "hypervisor/jailhouse.bin").exists()
    assert not (tmp_path / "hypervisor/setup.o").exists()


def test_device_trees_become_dtbs(tmp_path):
    tree_dir = copy_tree(str(tmp_path / "src"))
    dts_dir = os.path.join(tree_dir, "configs/arm64/dts")
    os.makedirs(dts_dir, exist_ok=True)    # inmate-qemu-arm64.dts is there
    names = ["inmate-demo-%02d" % i for i in range(12)]
    for name in names:
        with open(os.path.join(dts_dir, name + ".dts"), "w") as f:
            f.write('/dts-v1/;\n/ { model = "%s"; #address-cells = <2>; '
                    '#size-cells = <2>; };\n' % name)
    # In parallel with the cells and the ABI modules, whose Python steps
    # share the process (and its sys.stdout) with SCons's printing.
    out = run_scons("ARCH=arm64", "-j4", "configs", cwd=tree_dir).stdout
    for name in names:
        path = "build/arm64/configs/arm64/dts/%s.dtb" % name
        assert "  DTC     %s\n" % path in out, out
        assert read(os.path.join(tree_dir, path))[:4] == \
            bytes.fromhex("d00dfeed")


def test_device_trees_are_preprocessed():
    """Cell device trees go through cpp as upstream's kbuild does: their
    #include <dt-bindings/...> macros become numbers (ARMv7 Linux demo's
    tree: the virtual timer is PPI 11 for 4 CPUs, level low)."""
    run_scons("ARCH=arm", "configs")
    dtb = os.path.join(REPO, "build/arm/configs/arm/dts/inmate-qemu-arm.dtb")
    source = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", dtb],
                            capture_output=True, text=True,
                            check=True).stdout
    assert "interrupts = <0x01 0x0d 0xf08 0x01 0x0e 0xf08 0x01 0x0b " \
        "0xf08 0x01 0x0a 0xf08>;" in source, source
    assert "GIC_" not in source and "IRQ_TYPE" not in source, source


def _watch_process_state(step):
    """Run step() in a thread, as SCons runs Python build steps, while this
    thread prints numbered lines and samples the process-wide state; the
    lines that did not reach this thread's sys.stdout and the states seen
    that differ from before."""
    def state():
        with open("/proc/self/status") as f:
            umask = [l for l in f if l.startswith("Umask:")]
        return os.getcwd(), umask, sys.stdout
    captured = io.StringIO()
    saved = sys.stdout
    sys.stdout = captured
    try:
        before = state()
        failure = []

        def run():
            try:
                step()
            except BaseException as err:   # reported by the test thread
                failure.append(err)
        worker = threading.Thread(target=run)
        worker.start()
        printed, seen = 0, set()
        while worker.is_alive():
            print(printed)
            printed += 1
            current = state()
            if current != before:
                seen.add(repr(current))
        worker.join()
    finally:
        sys.stdout = saved
    if failure:
        raise failure[0]
    lines = captured.getvalue().split()
    assert printed > 0
    return [n for n in map(str, range(printed)) if n not in lines], seen


def test_python_build_steps_leave_process_state_alone(tmp_path):
    """SCons runs Python actions of parallel jobs in threads of its own
    process: a step that redirects sys.stdout loses the lines other jobs
    print meanwhile ("  DTC ..." went missing so), one that juggles the
    umask or the directory changes other jobs' files."""
    def generate():
        for _ in range(3):
            abigen.generate("gcc", os.path.join(REPO, "include"),
                            str(tmp_path / "_abi.py"))
    lost, states = _watch_process_state(generate)
    assert lost == [] and states == set(), (lost[:5], states)
    assert (tmp_path / "_abi_ffi.py").read_text().startswith("# auto-generated")

    def write_many():
        for i in range(500):
            abigen.write_atomic(str(tmp_path / "out.cell"), b"%d" % i)
    lost, states = _watch_process_state(write_many)
    assert lost == [] and states == set(), (lost[:5], states)
    assert (tmp_path / "out.cell").read_bytes() == b"499"
    assert sorted(os.listdir(tmp_path)) == ["_abi.py", "_abi_ffi.py", "out.cell"]
