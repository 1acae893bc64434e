# SPDX-License-Identifier: GPL-2.0-only
# Boot Debian's stock kernel (arm64, x86) in QEMU with an initramfs that runs one shell script.

"""The full-stack rig: a stock kernel as root cell, a script as the test.

    rig = Rig(kernel=debian.kernel(), userland=debian.userland())
    result = rig.run_guest("insmod /jailhouse.ko && lsmod",
                           files={"/jailhouse.ko": "build/arm64/driver/jailhouse.ko"})
    result.exit_status      # exit status of the script, None if it never ended
    result.log              # the whole console log (kernel and script)
    result.output           # what was printed between the start and end markers

/init mounts proc, sys and devtmpfs, installs busybox's applets, runs the
script with busybox sh (PATH has /bin, /sbin, /usr/bin, /usr/sbin), prints
"JH-GUEST-EXIT: <status>" and powers off.  The machine is the default row
of the kernel's architecture in tests/machines.py (BOOT below says what
Linux is told):
- arm64: QEMU virt at EL2 with GICv3, 4 Cortex-A57, 1 GiB, of which Linux
  gets 768 MiB (mem=768M): the top 256 MiB, 0x70000000..0x7fffffff, are
  free for the hypervisor and cells; KVM is kept off EL2.
- x86: QEMU q35 with AMD SVM and nested paging, 4 CPUs, 1 GiB; 82 MiB at
  0x3a000000 are reserved (memmap=) for the hypervisor and cells, as
  configs/x86/qemu-x86.c expects.
- x86 under Bochs (Rig(..., machine=machines.get("x86-bochs-skylake"))):
  Bochs's i440FX, 4 CPUs, 1 GiB, the same reservation (configs/x86/
  bochs-x86.c); kernel and initramfs become one multiboot program
  (fullstack/pvh.py), as Bochs has no -kernel.
Booting and collecting the console is tests/rig.py's.
"""

import os
import re
import tempfile
import time

import machines
import rig as machine_rig

from . import initramfs, pvh

# Per architecture: Linux's command line (where the hypervisor's memory
# comes from) and what keeps KVM off the virtualization extensions.
BOOT = {
    "arm64": {"append": "mem=768M", "kvm_off": "kvm-arm.mode=none"},
    # No KVM on 32-bit ARM since Linux 5.7: HYP mode stays with the stub.
    "arm": {"append": "mem=768M", "kvm_off": ""},
    # no_timer_check: Linux's early check that the IOAPIC delivers the PIT
    # timer fails under software emulation on a loaded host, and the kernel
    # then panics ("IO-APIC + timer doesn't work!").
    # amd_iommu=off: the hypervisor runs the AMD IOMMU (qemu-x86.cell names
    # QEMU's amd-iommu, which the README walkthrough adds).
    "x86": {"append": "memmap=82M$0x3a000000 no_timer_check amd_iommu=off",
            "kvm_off": ""},
}
# Linux under Bochs (an emulator, one host thread for all CPUs): no
# mitigations, self tests or randomization to pay for, the TSC trusted
# without a watchdog, and HLT to idle (Bochs skips time over it).  The
# TSC counts instructions, ips per emulated second: Linux is told so
# (tsc_early_khz), as it would trust the model's CPUID frequency (3.5 GHz)
# otherwise, and every udelay() would spin 875 times too long.
# noxsave: Bochs's XSAVE area sizes (CPUID leaf 0xd) are not what Linux
# computes from the features, and it warns at boot (xstate.c) otherwise.
# watchdog_thresh=60: a soft lockup is reported after 120 s instead of 20:
# at 4 M instructions per second, boot work that never yields on real
# hardware (ftrace's check of its records, some 100 M instructions) ran
# past 20 s in one run of three, long before the hypervisor was there.
BOCHS_APPEND = ("mitigations=off cryptomgr.notests rodata=off nokaslr "
                "tsc=reliable idle=halt noxsave watchdog_thresh=60")
POWER_DOWN = "reboot: Power down"
# oops=panic with panic=-1 and -no-reboot: an oops ends the run at once.
COMMON_APPEND = "panic=-1 oops=panic"


def boot_append(arch, kvm_off=True, extra=""):
    """Linux's command line on arch's machine."""
    boot = BOOT[arch]
    return " ".join(filter(None, [
        "console=%s" % machines.get(arch).console, boot["append"],
        COMMON_APPEND, boot["kvm_off"] if kvm_off else "", extra]))

START_MARKER = "JH-GUEST-START"
EXIT_MARKER = "JH-GUEST-EXIT:"
EXIT_RE = re.compile(r"JH-GUEST-EXIT: (\d+)")

# Kernel messages that mean something went wrong, whatever the script says.
KERNEL_TROUBLE = re.compile(
    r"Oops|WARNING:|BUG:|Internal error|Kernel panic|Unable to handle|"
    r"Call trace:|general protection|list_del corruption|refcount_t:|"
    r"unreferenced object|rcu_sched self-detected|soft lockup|hung_task")

INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /bin /sbin /usr/bin /usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
cd /
echo "%(start)s"
sh /test.sh
status=$?
echo
echo "%(exit)s $status"
%(drain)spoweroff -f
"""
# Under Bochs the UART sends at its baud rate in emulated time: the last
# lines are still in the tty's buffer when the script ends, and poweroff
# -f would drop them.  (QEMU's UART sends at once.)
DRAIN = {"qemu": "", "bochs": "sleep 1\n"}

# Parts of the Python packages the guest never needs (sizes add up: the
# archive is loaded uncompressed).
PYTHON_SKIP = re.compile(
    r"^(usr/share|usr/lib/[^/]+-linux-gnu[^/]*/gconv|usr/libexec|sbin|etc|"
    r"lib/[^/]+-linux-gnu[^/]*/(libmemusage|libpcprofile|libBrokenLocale)|"
    r"usr/lib/python3\.11/(test|idlelib|tkinter|turtledemo|ensurepip|"
    r"lib2to3|pydoc_data|distutils|config-3\.11-[^/]*|site-packages|"
    r"lib-dynload/(_test|_xxtest|_ctypes_test|xxlimited)[^/]*))(/|$)")
PYTHON_KEEP_BIN = {"usr/bin/python3.11"}


# A kernel panic ends the run after PANIC_GRACE seconds: stopping the
# other CPUs can take the panicking kernel many seconds under TCG.
PANIC = "Kernel panic - not syncing"
PANIC_GRACE = 1.0
# The hypervisor stops every CPU after these (on the console it shares
# with Linux): the machine will not get anywhere.
HV_PANICS = ("FATAL: hypervisor panic", "FATAL: hypervisor exception")
HV_PANIC_GRACE = 2.0


class GuestResult:
    def __init__(self, log, exit_status, returncode, timed_out, seconds):
        self.log = log
        self.exit_status = exit_status
        self.returncode = returncode
        self.timed_out = timed_out
        self.seconds = seconds

    @property
    def output(self):
        """The console lines printed while the script ran."""
        start = self.log.find(START_MARKER)
        if start < 0:
            return ""
        start = self.log.find("\n", start) + 1
        end = self.log.find(EXIT_MARKER, start)
        return self.log[start:] if end < 0 else self.log[start:end]

    @property
    def kernel_trouble(self):
        """Lines of the log that show an oops, a warning or a BUG."""
        return [line for line in self.log.splitlines()
                if KERNEL_TROUBLE.search(line)]

    def describe(self):
        state = "timed out" if self.timed_out else \
            "QEMU exit code %s" % self.returncode
        return "guest exit status %s, %s, %.1f s\n--- console log ---\n%s" % (
            self.exit_status, state, self.seconds, self.log)

    def __repr__(self):
        return "GuestResult(exit_status=%r, timed_out=%r)" % (
            self.exit_status, self.timed_out)


class Rig:
    """kernel, userland: the dicts of debian.kernel() and debian.userland()
    (their "arch" picks the machine; arm64 when they do not say)."""

    def __init__(self, kernel, userland, workdir=None, machine=None):
        self.kernel = kernel
        self.userland = userland
        self.arch = kernel.get("arch", "arm64")
        self.machine = machine or machines.get(self.arch)
        self.workdir = workdir or tempfile.mkdtemp(prefix="jh-fullstack-")
        self._python_archive = None

    def _python(self, archive):
        """Add python3 and its libraries (read from the cache once)."""
        if self._python_archive is None:
            root = self.userland["root"]
            part = initramfs.Archive(mtime=archive.mtime)

            def skip(relative):
                if relative.startswith(("usr/bin/", "bin/")):
                    return relative not in PYTHON_KEEP_BIN
                return bool(PYTHON_SKIP.match(relative))
            # lib64 holds amd64's dynamic loader (a link into lib).
            for top in ("lib", "lib64", "usr"):
                if not os.path.isdir(os.path.join(root, top)):
                    continue
                part.host_tree(top, os.path.join(root, top),
                               lambda relative, top=top:
                               skip(top + "/" + relative))
            part.symlink("usr/bin/python3", "python3.11")
            self._python_archive = part
        archive.merge(self._python_archive)

    def initramfs(self, script, files=None, python=False):
        """The archive bytes for one run."""
        archive = initramfs.Archive(mtime=int(time.time()))
        for name in ("dev", "proc", "sys", "tmp", "run", "root", "bin", "sbin",
                     "usr/bin", "usr/sbin", "lib/firmware"):
            archive.directory(name)
        archive.char_device("dev/console", 5, 1)
        archive.char_device("dev/null", 1, 3, 0o666)
        archive.host_file("bin/busybox", self.userland["busybox"], 0o755)
        archive.symlink("bin/sh", "busybox")
        if python:
            self._python(archive)
        archive.file("init", INIT % {
            "start": START_MARKER, "exit": EXIT_MARKER,
            "drain": DRAIN[self.machine.emulator]}, 0o755)
        archive.file("test.sh", script, 0o755)
        for guest, host in (files or {}).items():
            if isinstance(host, bytes):
                archive.file(guest, host, 0o755)
            else:
                archive.host_file(guest, os.fspath(host))
        return archive.bytes()

    def run_guest(self, script, files=None, python=False, timeout=180,
                  append="", qemu_args=(), kvm_off=True,
                  machine_options=None):
        """Boot, run script in the guest, return a GuestResult.

        files maps guest paths to host paths (or to bytes: file contents);
        python adds python3 (import os, sys, struct, fcntl, ctypes work);
        kvm_off=False leaves out kvm-arm.mode=none, so that KVM takes EL2
        (arm64; on x86 KVM is a module the guest does not have);
        machine_options go to the machine's command (tests/machines.py),
        e.g. {"hyp": False} for a CPU without virtualization extensions.
        timeout: generous by default, as for every QEMU step: TCG on a
        loaded machine (load 17 seen) runs a 30 s guest for minutes; a
        passing guest powers off and never waits for it.
        """
        image = os.path.join(self.workdir, "initramfs-%d.cpio" % os.getpid())
        with open(image, "wb") as f:
            f.write(self.initramfs(script, files, python))
        append = boot_append(self.arch, kvm_off, append)
        until = {PANIC: PANIC_GRACE}
        until.update({marker: HV_PANIC_GRACE for marker in HV_PANICS})
        if self.machine.emulator == "bochs":
            run = self._bochs(image, append, qemu_args, timeout, until)
        else:
            run = machine_rig.boot(self.machine, self.kernel["vmlinuz"],
                                   initrd=image, append=append,
                                   extra=qemu_args, timeout=timeout,
                                   until=until, **(machine_options or {}))
        found = EXIT_RE.findall(run.log)
        status = int(found[-1]) if found else None
        with_cmd = "$ %s\n%s" % (" ".join(run.argv), run.log)
        return GuestResult(with_cmd, status, run.returncode, run.timed_out,
                           run.seconds)

    def _bochs(self, image, append, qemu_args, timeout, until):
        """Boot under Bochs: kernel and initramfs as one multiboot
        program (fullstack/pvh.py); Bochs does not end when Linux powers
        off, so the power-down line ends the run."""
        if qemu_args:
            raise ValueError("no QEMU arguments under Bochs: %r" %
                             (qemu_args,))
        program = os.path.join(self.workdir, "linux-%d.elf" % os.getpid())
        with open(image, "rb") as f:
            initrd = f.read()
        pvh.program(self.kernel["vmlinuz"], initrd,
                    "%s %s tsc_early_khz=%d" % (append, BOCHS_APPEND,
                                               self.machine.ips // 1000),
                    machines.megabytes(self.machine.memory), program)
        until = dict(until, **{POWER_DOWN: 0.5})
        try:
            return machine_rig.boot(self.machine, program, timeout=timeout,
                                    until=until)
        finally:
            os.unlink(program)
