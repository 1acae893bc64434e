# SPDX-License-Identifier: GPL-2.0-only
# Kconfig: presets load cleanly for every architecture, config.h follows the
# .config, and every kind of bad assignment is refused by name.

import os
import sys

import pytest

from conftest import ARCHES, REPO, run_scons

sys.path.insert(0, os.path.join(REPO, "site_scons"))
from jhbuild import kconf  # noqa: E402
from jhbuild.errors import BuildInputError  # noqa: E402


def session(tmp_path, arch):
    return kconf.KconfigSession(REPO, arch, str(tmp_path / ".config"))


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("preset", ["allnoconfig", "allyesconfig", "defconfig"])
def test_presets_load_without_warnings(tmp_path, arch, preset):
    s = session(tmp_path, arch)
    kconf.run_config_target(s, preset)
    assert s.kconf.warnings == []
    reloaded = session(tmp_path, arch)
    reloaded.load()   # strict: any warning would raise
    assert reloaded.kconf.warnings == []
    values = reloaded.values()
    expected = preset == "allyesconfig"
    assert values["CONFIG_TRACE_ERROR"] is expected
    assert values["CONFIG_CRASH_CELL_ON_PANIC"] is expected


def test_arch_dependent_symbols(tmp_path):
    values = {}
    for arch in ARCHES:
        s = session(tmp_path / arch, arch)
        s.load()
        values[arch] = s.values()
    assert values["x86"]["CONFIG_TEST_DEVICE"] is False
    assert "CONFIG_TEST_DEVICE" not in values["arm64"]
    assert values["arm64"]["CONFIG_ARM_TEST_SERROR"] is False
    assert values["arm"]["CONFIG_ARM_TEST_SERROR"] is False
    assert "CONFIG_ARM_TEST_SERROR" not in values["x86"]
    assert values["arm"]["CONFIG_INMATE_BASE"] == 0
    assert values["arm64"]["CONFIG_INMATE_BASE"] == 0
    assert values["x86"]["CONFIG_INMATE_BASE"] is None
    assert values["arm64"]["CONFIG_ARM_GIC_V3"] is True
    assert values["arm"]["CONFIG_ARM_GIC_V3"] is False
    assert len({v["CONFIG_MAX_CPUS"] for v in values.values()}) == 3


def test_allyesconfig_enables_test_device_on_x86(tmp_path):
    s = session(tmp_path, "x86")
    kconf.run_config_target(s, "allyesconfig")
    assert s.values()["CONFIG_TEST_DEVICE"] is True


@pytest.mark.parametrize("line, fragment", [
    ("CONFIG_TRACE_ERRR=y", "TRACE_ERRR"),
    ("CONFIG_MAX_CPUS=many", "MAX_CPUS"),
    ("CONFIG_ARM64=n", "CONFIG_ARM64"),
    ("CONFIG_TEST_DEVICE=y", "TEST_DEVICE"),   # x86 only
])
def test_bad_config_lines_are_refused(tmp_path, line, fragment):
    (tmp_path / ".config").write_text(line + "\n")
    s = session(tmp_path, "arm64")
    with pytest.raises(BuildInputError) as err:
        s.load()
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_olddefconfig_drops_unknown_symbols(tmp_path):
    (tmp_path / ".config").write_text("CONFIG_TRACE_ERRR=y\nCONFIG_TRACE_ERROR=y\n")
    s = session(tmp_path, "arm64")
    kconf.run_config_target(s, "olddefconfig")
    text = (tmp_path / ".config").read_text()
    assert "TRACE_ERRR" not in text
    assert "CONFIG_TRACE_ERROR=y" in text


@pytest.mark.parametrize("assignment, fragment", [
    ({"CONFIG_NO_SUCH_OPTION": "y"}, "CONFIG_NO_SUCH_OPTION=y: no such Kconfig option"),
    ({"CONFIG_MAX_CPUS": "1000"}, "CONFIG_MAX_CPUS=1000"),
    ({"CONFIG_TRACE_ERROR": "maybe"}, "CONFIG_TRACE_ERROR=maybe: invalid value"),
    ({"CONFIG_TEST_DEVICE": "y"}, "no such Kconfig option"),
])
def test_bad_command_line_assignments(tmp_path, assignment, fragment):
    s = session(tmp_path, "arm64")
    s.load()
    with pytest.raises(BuildInputError) as err:
        s.assign(assignment)
    assert fragment in str(err.value)


def test_config_header_follows_dot_config(tmp_path):
    build_dir = tmp_path / "b"
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % build_dir, "CONFIG_TRACE_ERROR=y",
              "CONFIG_MAX_CPUS=7", "hypervisor")
    header = (build_dir / "include/generated/config.h").read_text()
    assert "#define CONFIG_TRACE_ERROR 1" in header
    assert "#define CONFIG_MAX_CPUS 7" in header
    # Unset bools are there too, as 0: C needs no list of its own.
    assert "#define CONFIG_CRASH_CELL_ON_PANIC 0" in header
    dot_config = (build_dir / ".config").read_text()
    assert "CONFIG_TRACE_ERROR=y" in dot_config

    # The setting sticks in .config; the header is rewritten only on change.
    mtime = os.stat(build_dir / "include/generated/config.h").st_mtime_ns
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % build_dir, "hypervisor")
    assert os.stat(build_dir / "include/generated/config.h").st_mtime_ns == mtime
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % build_dir, "CONFIG_TRACE_ERROR=n",
              "hypervisor")
    assert "#define CONFIG_TRACE_ERROR 0" in \
        (build_dir / "include/generated/config.h").read_text()


def test_config_targets_through_scons(tmp_path):
    build_dir = tmp_path / "b"
    out = run_scons("ARCH=x86", "BUILD_DIR=%s" % build_dir, "allyesconfig").stdout
    assert "configuration written" in out
    assert "CONFIG_TEST_DEVICE=y" in (build_dir / ".config").read_text()
    run_scons("ARCH=x86", "BUILD_DIR=%s" % build_dir, "savedefconfig")
    minimal = (build_dir / "defconfig").read_text()
    assert "CONFIG_TRACE_ERROR=y" in minimal
    run_scons("ARCH=x86", "BUILD_DIR=%s" % build_dir, "defconfig")
    assert "# CONFIG_TEST_DEVICE is not set" in (build_dir / ".config").read_text()
    run_scons("ARCH=x86", "BUILD_DIR=%s" % build_dir, "defconfig",
              "DEFCONFIG=%s" % (build_dir / "defconfig"))
    assert "CONFIG_TEST_DEVICE=y" in (build_dir / ".config").read_text()
    # Nothing but the configuration was produced.
    assert sorted(os.listdir(build_dir)) == [".config", ".config.old", "defconfig"]


def test_menuconfig_needs_a_terminal(tmp_path):
    result = run_scons("ARCH=arm64", "BUILD_DIR=%s" % tmp_path, "menuconfig",
                       check=False)
    assert result.returncode == 2
    assert "menuconfig needs a terminal" in result.stderr


def test_kconfig_selects_sources(tmp_path):
    """CONFIG_ARM_GIC_V2/V3 decide whether gic-v2.c/gic-v3.c are built
    (hypervisor/arch/arm-common/SConscript)."""
    both, v3_only = tmp_path / "both", tmp_path / "v3"
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % both, "hypervisor")
    run_scons("ARCH=arm64", "BUILD_DIR=%s" % v3_only, "CONFIG_ARM_GIC_V2=n",
              "hypervisor")
    objects = "hypervisor/arch/arm-common"
    assert (both / objects / "gic-v2.o").exists()
    assert (both / objects / "gic-v3.o").exists()
    assert not (v3_only / objects / "gic-v2.o").exists()
    assert (v3_only / objects / "gic-v3.o").exists()
    assert (v3_only / "hypervisor/jailhouse.bin").exists()


def test_no_architecture_tables_in_generic_build_files():
    """Each architecture describes its build in hypervisor/arch/<arch>/
    SConscript; SConstruct and the generic SConscripts name none."""
    generic = ["SConstruct"] + [os.path.join(part, "SConscript") for part in
                                ("hypervisor", "inmates", "configs", "driver",
                                 "tools", "docs")]
    for path in generic:
        with open(os.path.join(REPO, path)) as f:
            text = f.read()
        for arch in ("x86", "arm64", "arm", "arm-common", "aarch64"):
            assert '"%s"' % arch not in text and "'%s'" % arch not in text, \
                (path, arch)
