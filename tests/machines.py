# SPDX-License-Identifier: GPL-2.0-only
# The emulated machines the tests and benchmarks run on: one table, one row
# per machine, grouped by architecture.

"""Every QEMU (or Bochs) command line of the project is built here.

    m = machines.get("arm64")                 # the arch's default row
    m = machines.get("arm64-virt-gicv2")      # a row by name
    argv = m.command(kernel="prog.elf", semihosting=True)

A row says what the machine is (emulator, board, CPU model, number of CPUs,
memory, interrupt controller), how a hypervisor gets the virtualization
extensions (hyp=True, the default: ARM starts at EL2/HYP, x86 sees SVM with
nested paging), how a bare-metal program ends the run with a status
(`exit`), and what Linux calls its console.  command() adds what one run
needs: kernel, initrd, command line, data blobs (loaders), icount,
semihosting.  Running it is tests/rig.py's job.

Adding an architecture means adding its rows here (the first row of an
architecture is its default).
"""

import shutil


class Machine:
    def __init__(self, name, arch, program, board, cpu, cpus=4, memory="1G",
                 board_props=(), hyp_board=(), hyp_cpu=(), devices=(),
                 exit="semihosting", console=None, irqchip=None,
                 emulator="qemu", notes=""):
        self.name = name
        self.arch = arch
        self.emulator = emulator
        self.program = program          # the emulator's executable
        self.board = board              # QEMU -M / -machine
        self.board_props = tuple(board_props)
        self.cpu = cpu
        self.cpus = cpus
        self.memory = memory
        self.hyp_board = tuple(hyp_board)   # board props for a hypervisor
        self.hyp_cpu = tuple(hyp_cpu)       # CPU flags for a hypervisor
        self.devices = tuple(devices)
        self.exit = exit                # how a bare program ends the run
        self.console = console          # Linux console device
        self.irqchip = irqchip
        self.notes = notes

    def __repr__(self):
        return "<machine %s>" % self.name

    def available(self):
        """True if the emulator is installed."""
        return shutil.which(self.program) is not None

    def command(self, kernel=None, *, hyp=True, cpus=None, memory=None,
                cpu_props=(), semihosting=False, icount=False, loaders=(),
                initrd=None, append=None, extra=()):
        """The argv of one run.

        hyp: the virtualization extensions on (False: an ARM program starts
        at EL1/SVC as an inmate in a cell does); cpu_props: extra CPU
        properties (e.g. "cntfrq=1000000000"); icount: virtual time =
        instructions (runs repeat exactly); loaders: [(file, address)] data
        blobs put into RAM before the start; extra: further arguments."""
        if self.emulator != "qemu":
            raise NotImplementedError(
                "%s: %s runs are not wired up yet (see the row's notes)" %
                (self.name, self.emulator))
        board = ",".join((self.board,) + (self.hyp_board if hyp else ()) +
                         self.board_props)
        cpu = ",".join((self.cpu,) + (self.hyp_cpu if hyp else ()) +
                       tuple(cpu_props))
        argv = [self.program, "-M", board, "-cpu", cpu,
                "-smp", str(cpus or self.cpus), "-m", memory or self.memory,
                "-nographic", "-no-reboot"]
        for device in self.devices:
            argv += ["-device", device]
        if semihosting:
            argv.append("-semihosting")
        if icount:
            argv += ["-icount", "shift=0,align=off,sleep=off"]
        if kernel:
            argv += ["-kernel", str(kernel)]
        if initrd:
            argv += ["-initrd", str(initrd)]
        if append is not None:
            argv += ["-append", append]
        for path, address in loaders:
            argv += ["-device", "loader,file=%s,addr=%#x,force-raw=on" %
                     (path, address)]
        return argv + list(extra)

    def exit_status(self, returncode):
        """The status the guest reported, from the emulator's exit code
        (None if the guest did not report one)."""
        if returncode is None or returncode < 0:
            return None
        if self.exit == "isa-debug-exit":
            # QEMU exits with (value << 1) | 1; 0 is QEMU's own clean exit
            return returncode >> 1 if returncode & 1 else None
        return returncode


ISA_DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"

MACHINES = {
    "arm64": [
        Machine("arm64-virt-gicv3", "arm64", "qemu-system-aarch64", "virt",
                "cortex-a57", board_props=["gic-version=3"],
                hyp_board=["virtualization=on"], console="ttyAMA0",
                irqchip="gicv3",
                notes="starts at EL2; PSCI via smc; one PL011 at 0x09000000; "
                      "exit through semihosting or PSCI SYSTEM_OFF"),
        Machine("arm64-virt-gicv2", "arm64", "qemu-system-aarch64", "virt",
                "cortex-a57", board_props=["gic-version=2"],
                hyp_board=["virtualization=on"], console="ttyAMA0",
                irqchip="gicv2", notes="GICv2 with GICH at 0x08030000"),
    ],
    "arm": [
        Machine("arm-virt-gicv2", "arm", "qemu-system-arm", "virt",
                "cortex-a15", board_props=["gic-version=2"],
                hyp_board=["virtualization=on"], console="ttyAMA0",
                irqchip="gicv2",
                notes="starts in HYP mode; GICH at 0x08030000 "
                      "(GICH_VTR 0x90000003); PSCI via smc"),
        Machine("arm-virt-gicv3", "arm", "qemu-system-arm", "virt",
                "cortex-a15", board_props=["gic-version=3"],
                hyp_board=["virtualization=on"], console="ttyAMA0",
                irqchip="gicv3",
                notes="no GICH registers with GICv3 on ARMv7: bare-metal "
                      "and inmate tests only, not for the hypervisor"),
    ],
    "x86": [
        Machine("x86-q35", "x86", "qemu-system-x86_64", "q35", "qemu64",
                hyp_cpu=["+svm", "+npt"], devices=[ISA_DEBUG_EXIT],
                exit="isa-debug-exit", console="ttyS0", irqchip="apic",
                notes="-kernel takes multiboot v1 (ELF32 or the a.out "
                      "kludge); AMD SVM with nested paging, no NRIP save, "
                      "no decode assists, no x2APIC; exit through "
                      "isa-debug-exit at port 0xf4 (status = value<<1 | 1)"),
        Machine("x86-bochs-skylake", "x86", "bochs", None,
                "corei7_skylake_x", emulator="bochs", exit="magic-break",
                console="ttyS0", irqchip="x2apic",
                notes="Intel VT-x (EPT, unrestricted guest, VPID, preemption "
                      "timer) under Bochs 2.7, see "
                      "/work/shared/bochs-recipes.md: bochsrc with "
                      "display_library rfb timeout=0, clock sync=none, "
                      "com1 to a file, port_e9_hack, magic_break; run as "
                      "`timeout -s INT -k 5 T bochs -f rc -rc cmds` with "
                      "stdin /dev/null; image loaded by optramimage plus a "
                      "boot sector; end: xchg %bx,%bx (status 0) or port "
                      "0x8900 \"Shutdown\" (1); always check a RESULT line"),
    ],
}


def rows():
    """All machines, architecture by architecture."""
    return [m for arch_rows in MACHINES.values() for m in arch_rows]


def get(name):
    """The machine called name, or the default machine of arch name."""
    if name in MACHINES:
        return MACHINES[name][0]
    for machine in rows():
        if machine.name == name:
            return machine
    raise KeyError("no machine %r (known: %s)" % (
        name, ", ".join(m.name for m in rows())))


def for_arch(arch, irqchip=None):
    """The machine of arch with the given interrupt controller (default:
    the arch's default row)."""
    for machine in MACHINES[arch]:
        if irqchip is None or machine.irqchip == irqchip:
            return machine
    raise KeyError("no %s machine with %s" % (arch, irqchip))
