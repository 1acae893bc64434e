# SPDX-License-Identifier: GPL-2.0-only
# A system config generated on the ARM64 target from its device tree: built, checked, enabled, a generated cell runs gic-demo.

"""Under Debian's arm64 kernel in the full-stack rig (QEMU virt, GICv3,
4 CPUs, mem=768M of 1 GiB), on the target:

    jailhouse hardware check
    jailhouse config collect /tmp/collected.tar
    jailhouse config create /tmp/sysconfig.c
    jailhouse config create --cell gic-demo --cpus 3 --mem 64K /tmp/cell.c

The two generated files must equal configs/arm64/qemu-arm64-dt.c and
qemu-arm64-dt-gic-demo.c, which our build turned into the .cell files the
guest then checks, enables and runs gic-demo with: generated on the
target, built with the normal configs path.  The collected tarball comes
back to the host, where `config create -r` gives the same files again.

JH_RECORD_DIR=DIR keeps the collected tarball there (how
tests/data/arm64/qemu-virt-gicv3.tar.gz was recorded).
"""

import base64
import gzip
import io
import os
import re
import tarfile

import pytest

from conftest import REPO
from fullstack.fixtures import arm64_build, debian_arm64, guest  # noqa: F401
import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import config_create  # noqa: E402

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

SYSTEM = "qemu-arm64-dt"
CELL = "qemu-arm64-dt-gic-demo"
TEMPLATES = os.path.join(REPO, "tools", "templates")

SCRIPT = """
fail() {{ echo "GUEST-FAIL: $*"; exit 1; }}
insmod /jailhouse.ko || fail insmod
jailhouse hardware check; echo "hardware check: $?"
jailhouse config collect /tmp/collected.tar || fail collect
jailhouse config create /tmp/sysconfig.c || fail "config create"
jailhouse config create --cell gic-demo --cpus 3 --mem 64K /tmp/cell.c \\
    || fail "config create --cell"
cmp /tmp/sysconfig.c /src/{system}.c && echo "system config: as committed"
cmp /tmp/cell.c /src/{cell}.c && echo "cell config: as committed"
jailhouse config check /etc/jailhouse/{system}.cell \\
    /etc/jailhouse/{cell}.cell; echo "config check: $?"
jailhouse enable /etc/jailhouse/{system}.cell || fail enable
jailhouse cell create /etc/jailhouse/{cell}.cell || fail "cell create"
jailhouse cell load gic-demo /usr/libexec/jailhouse/demos/gic-demo.bin \\
    || fail "cell load"
jailhouse cell start gic-demo > /tmp/start.out || fail "cell start"
sleep 1
jailhouse cell list > /tmp/list.out
jailhouse cell shutdown gic-demo || fail "cell shutdown"
jailhouse cell destroy gic-demo || fail "cell destroy"
jailhouse disable || fail disable
cat /tmp/list.out
echo "online: $(cat /sys/devices/system/cpu/online)"
rmmod jailhouse || fail rmmod
gzip -c /tmp/collected.tar > /tmp/collected.tar.gz
echo COLLECTED-BEGIN
base64 /tmp/collected.tar.gz
echo COLLECTED-END
"""


def _templates():
    """The templates where the built command looks for them (datadir of
    the default prefix)."""
    return {"/usr/local/share/jailhouse/" + name:
            os.path.join(TEMPLATES, name) for name in os.listdir(TEMPLATES)}


def _collected(output):
    match = re.search(r"COLLECTED-BEGIN\n(.*?)COLLECTED-END", output, re.S)
    assert match, "no collected tarball in the output"
    return gzip.decompress(base64.b64decode("".join(match.group(1).split())))


def test_generated_config_enables_and_runs_gic_demo(guest, tmp_path):
    build = guest.build
    if not build.firmware or not build.tools or \
            "gic-demo.bin" not in build.inmates:
        pytest.skip("hypervisor, tools or gic-demo not built:\n%s"
                    % build.notes)
    for name in (SYSTEM, CELL):
        assert name + ".cell" in build.cells, build.notes
    files = _templates()
    for name in (SYSTEM, CELL):
        files["/src/%s.c" % name] = os.path.join(REPO, "configs", "arm64",
                                                 name + ".c")
    result = guest(SCRIPT.format(system=SYSTEM, cell=CELL), files=files,
                   tools=True, timeout=120)
    record = os.environ.get("JH_RECORD_DIR")
    if record and "COLLECTED-END" in result.output:
        with open(os.path.join(record, "qemu-virt-gicv3.tar.gz"), "wb") as f:
            f.write(gzip.compress(_collected(result.output), mtime=0))
    assert not result.timed_out, result.describe()
    assert result.exit_status == 0, result.describe()
    assert "GUEST-FAIL" not in result.output, result.describe()
    assert not result.kernel_trouble, result.describe()
    out = result.output
    assert "hardware check: 0" in out, result.describe()
    assert re.search(r"EL2 not taken by KVM\s+ok", out), result.describe()
    assert re.search(r"^GIC\s+ok\s+\(GICv3\)", out, re.M), result.describe()
    assert "system config: as committed" in out, result.describe()
    assert "cell config: as committed" in out, result.describe()
    assert "config check: 0" in out, result.describe()
    assert re.search(r"^1\s+gic-demo\s+running\s+3\s*$", out, re.M), \
        result.describe()
    assert "Initializing the GIC (v3)..." in out, result.describe()
    assert out.count("Timer fired, jitter:") >= 5, result.describe()
    assert "online: 0-3" in out, result.describe()

    # The collected tree on the host gives the same files.
    root = tmp_path / "collected"
    with tarfile.open(fileobj=io.BytesIO(_collected(out))) as tar:
        tar.extractall(str(root))
    for name, extra in ((SYSTEM, []),
                        (CELL, ["--cell", "gic-demo", "--cpus", "3",
                                "--mem", "64K"])):
        target = tmp_path / (name + ".c")
        assert config_create.main(["-r", str(root)] + extra +
                                  [str(target)]) == 0
        with open(os.path.join(REPO, "configs", "arm64", name + ".c")) as f:
            assert target.read_text() == f.read(), name
