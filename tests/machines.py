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

import os
import shutil

import bochs


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
                initrd=None, append=None, extra=(), workdir=None):
        """The argv of one run.

        hyp: the virtualization extensions on (False: an ARM program starts
        at EL1/SVC as an inmate in a cell does); cpu_props: extra CPU
        properties (e.g. "cntfrq=1000000000"); icount: virtual time =
        instructions (runs repeat exactly); loaders: [(file, address)] data
        blobs put into RAM before the start; extra: further arguments;
        workdir: a directory for the run's files (rig.boot makes one)."""
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

    def emulator_log(self, workdir):
        """What the emulator logged besides the console ('' here)."""
        return ""

    def exit_status(self, returncode, log=""):
        """The status the guest reported, from the emulator's exit code
        and log (None if the guest did not report one)."""
        if returncode is None or returncode < 0:
            return None
        if self.exit == "isa-debug-exit":
            # QEMU exits with (value << 1) | 1; 0 is QEMU's own clean exit
            return returncode >> 1 if returncode & 1 else None
        return returncode


def megabytes(size):
    """'1G', '512M' or '1024' as a number of MiB."""
    size = str(size).upper()
    if size.endswith("G"):
        return int(size[:-1]) * 1024
    return int(size.rstrip("M"))


class BochsMachine(Machine):
    """A Bochs row: x86 only, multiboot programs (with modules: initrd in
    QEMU's syntax) only (tests/bochs.py).
    The CPU model brings the virtualization extension with it, so hyp has
    no effect; ips (instructions per emulated second) drives the timers
    and the emulated baud rate."""

    def __init__(self, name, cpu, cpus=4, memory="1G", irqchip="apic",
                 ips=4000000, notes=""):
        super().__init__(name, "x86", "bochs", None, cpu, cpus=cpus,
                         memory=memory, exit="bochs", console="ttyS0",
                         irqchip=irqchip, emulator="bochs", notes=notes)
        self.ips = ips

    def command(self, kernel=None, *, hyp=True, cpus=None, memory=None,
                append=None, workdir=None, initrd=None, **unsupported):
        unsupported = sorted(k for k, v in unsupported.items() if v)
        if unsupported:
            raise bochs.BochsError("%s: no %s under Bochs" % (
                self.name, ", ".join(unsupported)))
        if not kernel or not workdir:
            raise bochs.BochsError("%s: a run needs a multiboot program and "
                                   "a work directory" % self.name)
        cmdline = os.path.basename(str(kernel))
        if append:
            cmdline += " " + append
        return bochs.prepare(workdir, str(kernel), self.cpu,
                             cpus or self.cpus,
                             megabytes(memory or self.memory), cmdline,
                             ips=self.ips,
                             modules=bochs.parse_modules(initrd or ""))

    def emulator_log(self, workdir):
        return bochs.emulator_log(workdir)

    def exit_status(self, returncode, log=""):
        return bochs.exit_status(returncode, log)


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
        Machine("arm-virt-max-gicv2", "arm", "qemu-system-arm", "virt",
                "max", board_props=["gic-version=2"],
                hyp_board=["virtualization=on"], console="ttyAMA0",
                irqchip="gicv2",
                notes="QEMU's ARMv8 core in AArch32 state, HYP mode: "
                      "traps set/way cache maintenance (HCR.TSW), which "
                      "QEMU's cortex-a15 does not"),
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
        BochsMachine("x86-bochs-skylake", "corei7_skylake_x",
                     irqchip="x2apic",
                     notes="Intel VT-x under Bochs 2.7 (EPT, unrestricted "
                           "guest, VPID, preemption timer, x2APIC; no MTF, "
                           "no VT-d, no CAT); i440FX/PIIX4: ACPI PM timer at "
                           "0xb008, no MMCONFIG; runs: tests/bochs.py"),
        BochsMachine("x86-bochs-ryzen", "ryzen",
                     notes="AMD SVM under Bochs 2.7 with nested paging and "
                           "NRIP save (QEMU's TCG has no NRIP save), no "
                           "decode assists, no VMCB clean bits, xAPIC only"),
        # amd-iommu first: PCI devices created before it get no DMA
        # translation.  edu's dma_mask lets it reach all of the 1 GiB (the
        # hypervisor's memory too), so only the IOMMU keeps it out.
        Machine("x86-q35-iommu", "x86", "qemu-system-x86_64", "q35",
                "qemu64", hyp_cpu=["+svm", "+npt"],
                devices=["amd-iommu,intremap=on",
                         "edu,addr=10,dma_mask=0xffffffff", ISA_DEBUG_EXIT],
                exit="isa-debug-exit", console="ttyS0",
                notes="x86-q35 with QEMU's AMD IOMMU (00:03.0, registers "
                      "at 0xfed80000; intremap=on: a cell's devices' "
                      "interrupts are remapped, with it off QEMU drops "
                      "them; a device's DMA writes into 0xfee00000 carry "
                      "no requester ID and are remapped as the IOAPIC's, "
                      "00:14.0) and the edu device at 00:10.0 that "
                      "pci-demo takes"),
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
