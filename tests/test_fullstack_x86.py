# SPDX-License-Identifier: GPL-2.0-only
# Full stack on x86: Debian's stock 6.1 amd64 kernel in QEMU q35 (AMD SVM) with our jailhouse.ko and hypervisor.

"""Each test boots the stock Debian amd64 kernel once (about 5.5 s to the
shell under TCG) on QEMU q35 with SVM and nested paging, 4 CPUs, 1 GiB,
82 MiB at 0x3a000000 reserved with memmap= (tests/fullstack/rig.py).  The
Debian parts are fetched on first use into $JH_DEBIAN_CACHE (default
~/.cache/jailhouse-debian); `scripts/fetch-debian x86` does the same.

Cells under this root: tests/test_fullstack_x86_demo.py.
"""

import os
import re

import pytest

from abi_helpers import REPO
from fullstack.fixtures import debian_x86, x86_build, x86_guest  # noqa: F401
from test_fullstack_arm64 import jhctl_results, ok, patched

pytestmark = [pytest.mark.qemu, pytest.mark.slow]

ENOENT, EBUSY, EINVAL = 2, 16, 22
SYSTEM = "qemu-x86.cell"

PRELUDE = """
fail() { echo "GUEST-FAIL: $*"; exit 1; }
insmod /jailhouse.ko || fail insmod
"""


def need_hypervisor(guest):
    if not guest.build.firmware or SYSTEM not in guest.build.cells:
        pytest.skip("hypervisor image or %s not built:\n%s"
                    % (SYSTEM, guest.build.notes))


def root_config(guest, name="qemu-x86"):
    """Guest path and host file of the built system configuration
    configs/x86/<name>.c."""
    return "/etc/jailhouse/%s.cell" % name, guest.build.cells[name + ".cell"]


def test_stock_kernel_loads_the_module(x86_guest):
    result = x86_guest(PRELUDE + """
grep -q -w svm /proc/cpuinfo || fail "no svm flag"
grep -q "3a000000-3f1fffff : Reserved" /proc/iomem || fail "no memmap reservation"
[ -c /dev/jailhouse ] || fail "no /dev/jailhouse"
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
echo "cells: [$(ls /sys/devices/jailhouse/cells)]"
rmmod jailhouse || fail rmmod
[ -e /sys/devices/jailhouse ] && fail "sysfs left behind"
insmod /jailhouse.ko || fail "second insmod"
rmmod jailhouse || fail "second rmmod"
""")
    ok(result)
    assert "enabled: 0" in result.output and "cells: []" in result.output, \
        result.describe()


def test_enable_refuses_bad_input_clearly(x86_guest, tmp_path):
    """No firmware, garbage, another architecture's configuration and
    hypervisor memory that Linux uses: each refused with a one-line
    reason, and Linux keeps everything."""
    if SYSTEM not in x86_guest.build.cells:
        pytest.skip("%s not built: %s" % (SYSTEM, x86_guest.build.notes))
    good = x86_guest.build.cells[SYSTEM]
    result = x86_guest(PRELUDE + """
jhctl enable /etc/jailhouse/qemu-x86.cell
head -c 8192 /dev/urandom > /lib/firmware/jailhouse-amd.bin
jhctl enable /etc/jailhouse/qemu-x86.cell
head -c 4096 /dev/urandom > /tmp/garbage.cell
jhctl enable /tmp/garbage.cell
jhctl enable /arm64.cell
jhctl enable /in-ram.cell
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
grep -q "Jailhouse hypervisor" /proc/iomem && fail "hypervisor memory still claimed"
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || fail "CPUs lost"
rmmod jailhouse || fail rmmod
""", firmware=False, files={
        "/arm64.cell": patched(good, 5, "<B", 2),
        # hypervisor_memory.phys_start (offset 12) in Linux's RAM
        "/in-ram.cell": patched(good, 12, "<Q", 0x10000000)})
    ok(result)
    assert jhctl_results(result) == [("enable", -ENOENT)] + \
        [("enable", -EINVAL)] * 4, result.describe()
    for line in ("cannot load /lib/firmware/jailhouse-amd.bin",
                 "jailhouse-amd.bin is not a Jailhouse hypervisor image",
                 "not a system configuration (signature)",
                 "system configuration is for another architecture (2)",
                 "hypervisor memory 0x10000000-0x105fffff overlaps Linux "
                 "RAM: reserve it"):
        assert line in result.log, result.describe()
    assert "enabled: 0" in result.output, result.describe()


def test_enable_refused_while_kvm_amd_is_loaded(x86_guest, debian_x86,
                                                tmp_path):
    """Debian's kvm_amd takes SVM: enable says so and names the fix; once
    KVM is unloaded, enable works."""
    need_hypervisor(x86_guest)
    modules = debian_x86["kernel"].get("debian_modules") or []
    if not modules:
        pytest.skip("the cached kernel keeps no KVM modules")
    files = {"/kvm/" + os.path.basename(path): path for path in modules}
    root, files[root] = root_config(x86_guest)
    result = x86_guest(PRELUDE + """
for module in {modules}; do insmod /kvm/$module || fail "insmod $module"; done
jhctl enable {root}
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
rmmod kvm_amd kvm || fail "rmmod kvm"
jhctl enable {root}
echo "enabled: $(cat /sys/devices/jailhouse/enabled)"
jhctl disable
rmmod jailhouse || fail rmmod
""".format(modules=" ".join(os.path.basename(path) for path in modules),
           root=root), files=files,
                       timeout=180)
    ok(result)
    assert jhctl_results(result) == [("enable", -EBUSY), ("enable", 0),
                                     ("disable", 0)], result.describe()
    assert "KVM (kvm_amd) is loaded and takes SVM for its VMs: unload it " \
        "first (modprobe -r kvm_amd)" in result.log, result.describe()
    assert "enabled: 0" in result.output and "enabled: 1" in result.output


ROUND_TRIP = PRELUDE + """
cfg=$1
sys=/sys/devices/jailhouse
before=$(cat /proc/uptime)
jhctl enable $cfg || fail enable
after=$(cat /proc/uptime)
echo "enable: ${before%% *} -> ${after%% *}"
echo "linux answers: $(echo alive) $(cat /proc/loadavg | wc -w)"
echo "root: name=$(cat $sys/cells/0/name) state=$(cat $sys/cells/0/state) cpus=$(cat $sys/cells/0/cpus_assigned_list) failed=[$(cat $sys/cells/0/cpus_failed_list)]"
first=$(cat $sys/mem_pool_used)
echo "pool: $first/$(cat $sys/mem_pool_size)"
t0=$(cat $sys/cells/0/statistics/vmexits_total)
sleep 1
t1=$(cat $sys/cells/0/statistics/vmexits_total)
[ "$t1" -gt "$t0" ] || fail "no exits counted"
for name in vmexits_pio vmexits_xapic vmexits_cr vmexits_cpuid vmexits_xsetbv \\
        vmexits_exception vmexits_msr_other vmexits_msr_x2apic_icr; do
    [ -r $sys/cells/0/statistics/cpu2/$name ] || fail "no statistic $name"
done
jhctl console > /tmp/console.txt
grep -q "Activating hypervisor" /tmp/console.txt || fail "console"
jhctl enable $cfg
rmmod jailhouse 2>/dev/null && fail "rmmod while enabled"
# Interrupts and timers of the root keep working: the serial console,
# the HPET clock, a sleep on every CPU.
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
for cpu in 0 1 2 3; do taskset -c $cpu sleep 0.1 || fail "sleep on CPU $cpu"; done
jhctl disable || fail disable
echo "after disable: $(echo alive) enabled=$(cat $sys/enabled)"
for cycle in 1 2 3 4 5 6 7 8 9 10; do
    jhctl enable $cfg > /dev/null || fail "enable in cycle $cycle"
    [ "$(cat $sys/mem_pool_used)" = "$first" ] || fail "pool in cycle $cycle"
    jhctl disable > /dev/null || fail "disable in cycle $cycle"
done
echo "cycles: done $(cat /proc/uptime)"
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || fail "CPUs lost"
rmmod jailhouse || fail rmmod
dmesg | grep -i -E "jailhouse|hypervisor" | grep -v -E "taints kernel|verification failed|direct-loading|hypervisor (enabled|disabled)" && fail "unexpected messages"
echo done
"""


def test_enable_disable_under_linux(x86_guest, tmp_path):
    """Linux runs on as the root cell and answers after enable and after
    disable; sysfs, statistics and console work; 10 more cycles leave the
    page pool where it was."""
    need_hypervisor(x86_guest)
    root, host = root_config(x86_guest)
    result = x86_guest(ROUND_TRIP.replace("$1", root), files={root: host},
                       timeout=180)
    ok(result)
    output = result.output
    assert "linux answers: alive 5" in output, result.describe()
    assert "root: name=qemu-x86 state=running cpus=0-3 failed=[]" in output, \
        result.describe()
    assert "clocksource: hpet" in output, result.describe()
    assert "after disable: alive enabled=0" in output, result.describe()
    assert "cycles: done" in output and "\ndone" in output, result.describe()
    assert [r for r in jhctl_results(result) if r[0] != "console"] == [
        ("enable", 0), ("enable", -EBUSY), ("disable", 0)], result.describe()
    assert "hypervisor enabled on 4 CPUs" in result.log, result.describe()
    assert result.log.count("Shutting down hypervisor") == 11, \
        result.describe()


def test_jailhouse_command_drives_the_module(x86_guest, tmp_path):
    """The Python `jailhouse` command (scons tools) in the amd64 guest."""
    need_hypervisor(x86_guest)
    if not x86_guest.build.tools:
        pytest.skip("tools not built:\n%s" % x86_guest.build.notes)
    root, host = root_config(x86_guest)
    result = x86_guest(PRELUDE + """
jailhouse enable %s; echo "enable: $?"
jailhouse cell list; echo "list: $?"
jailhouse console > /tmp/console; echo "console: $? $(wc -l < /tmp/console)"
jailhouse disable; echo "disable: $?"
jailhouse disable; echo "disable again: $?"
rmmod jailhouse || fail rmmod
""" % root, tools=True, files={root: host}, timeout=180)
    ok(result)
    for line in ("enable: 0", "list: 0", "disable: 0", "disable again: 1"):
        assert line in result.output, result.describe()
    assert re.search(r"console: 0 [1-9]", result.output), result.describe()
    assert re.search(r"^0\s+qemu-x86\s+running\s+0-3\s*$", result.output,
                     re.M), result.describe()


CONFIG_CREATE = PRELUDE + """
jailhouse hardware check; echo "hardware check: $?"
jailhouse config collect /tmp/collected.tar; echo "collect: $?"
jailhouse config create /tmp/sysconfig.c || fail "config create"
cmp /tmp/sysconfig.c /src/qemu-x86-generated.c && echo "system config: as committed"
jailhouse config check /etc/jailhouse/qemu-x86-generated.cell \\
    /etc/jailhouse/tiny-demo.cell; echo "config check: $?"
jailhouse enable {root} || fail enable
echo "linux answers: $(echo alive)"
jailhouse cell list
jailhouse cell create /etc/jailhouse/apic-demo.cell || fail "cell create"
echo "online with apic-demo: $(cat /sys/devices/system/cpu/online)"
jailhouse cell load apic-demo /usr/libexec/jailhouse/demos/apic-demo.bin || fail "cell load"
jailhouse cell start apic-demo || fail "cell start"
sleep 1
jailhouse cell list
jhctl console > /tmp/ring
jailhouse cell shutdown apic-demo; echo "first shutdown: $?"
jailhouse cell shutdown apic-demo; echo "second shutdown: $?"
jhctl console >> /tmp/ring
grep -a "^Timer fired" /tmp/ring | tail -1
jailhouse cell destroy apic-demo || fail "cell destroy"
echo "online after destroy: $(cat /sys/devices/system/cpu/online)"
jailhouse disable || fail disable
echo "after disable: $(echo alive)"
rmmod jailhouse || fail rmmod
"""


def test_config_create_on_the_target(x86_guest, tmp_path):
    """#18's x86 proof: on the amd64 target, hardware check gives its
    verdict (no IOMMU under QEMU: exit 2), config create writes
    configs/x86/qemu-x86-generated.c byte for byte, the build's .cell of it
    passes config check, and Linux runs on under the hypervisor with it,
    with apic-demo in a cell (CPU 3 taken and given back)."""
    need_hypervisor(x86_guest)
    build = x86_guest.build
    if not build.tools or "qemu-x86-generated.cell" not in build.cells:
        pytest.skip("tools or qemu-x86-generated.cell not built:\n%s"
                    % build.notes)
    templates = os.path.join(REPO, "tools", "templates")
    files = {"/usr/local/share/jailhouse/" + name:
             os.path.join(templates, name) for name in os.listdir(templates)}
    files["/src/qemu-x86-generated.c"] = os.path.join(
        REPO, "configs/x86/qemu-x86-generated.c")
    root, files[root] = root_config(x86_guest, "qemu-x86-generated")
    result = x86_guest(CONFIG_CREATE.replace("{root}", root), files=files,
                       tools=True, timeout=240)
    ok(result)
    out = result.output
    assert "hardware check: 2" in out, result.describe()
    assert re.search(r"^AMD-V \(SVM\)\s+ok", out, re.M), result.describe()
    assert re.search(r"^\s+NPT\s+ok", out, re.M), result.describe()
    assert "no IVRS table" in out and "Check FAILED" in out, result.describe()
    assert "collect: 0" in out, result.describe()
    assert "system config: as committed" in out, result.describe()
    assert "config check: 0" in out, result.describe()
    # The generated name is longer than cell list's name column.
    assert re.search(r"^0\s+qemu-standard-pc-q35-ich9-2009\s*running\s+"
                     r"0-3\s*$", out, re.M), result.describe()
    assert "linux answers: alive" in out and "after disable: alive" in out, \
        result.describe()
    assert "online with apic-demo: 0-2" in out, result.describe()
    assert re.search(r"^1\s+apic-demo\s+running/locked\s+3\s*$", out,
                     re.M), result.describe()
    assert re.search(r"^Timer fired, jitter: +-?\d+ ns", out, re.M), \
        result.describe()
    assert "first shutdown: 1" in out and "second shutdown: 0" in out, \
        result.describe()
    assert "online after destroy: 0-3" in out, result.describe()
