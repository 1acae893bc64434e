# SPDX-License-Identifier: GPL-2.0-only
# Booting the bare-metal root program (tests/baremetal/<arch>/prog-jailhouse.c)
# with one scenario: used by the system tests, the demo and the benchmark.

"""The ARM root programs read a NUL-terminated scenario name and an optional
NUL-terminated argument at SCENARIO_ADDR (put there by QEMU's loader); the
x86 one, booted through multiboot, reads them from its command line.  Their
scenarios[] tables are the one list of scenario names.  They print
"ROOT: ..." lines and end the run with status 0 on success (semihosting on
ARM, isa-debug-exit on x86)."""

import os
import tempfile

import machines
import rig

SCENARIO_ADDR = 0x4ff00000
PROGRAM = "testprogs/%s/jailhouse.elf"


def program(build_dir, arch="arm64"):
    return os.path.join(build_dir, PROGRAM % arch)


def scenario_file(directory, scenario, argument=""):
    """The blob for SCENARIO_ADDR, written into directory; its path."""
    path = os.path.join(str(directory), "scenario-%s.bin" % scenario)
    with open(path, "wb") as f:
        f.write(scenario.encode() + b"\0" + argument.encode() + b"\0")
    return path


class Scenario:
    """One scenario's run: .output is the console, .run the rig.Run."""

    def __init__(self, name, run):
        self.name = name
        self.run = run
        self.output = run.log

    def __str__(self):
        return "scenario %s on %s" % (self.name, self.run)

    def check(self, *expected):
        """Assert success and that every expected line fragment was
        printed; returns self."""
        assert self.run.status == 0, self
        assert "ROOT: RESULT PASS (0 failures)" in self.output, self
        assert "ROOT: FAIL" not in self.output, self
        for text in expected:
            assert text in self.output, "missing %r\n%s" % (text, self)
        return self


def runner(build_dir, machine, tmp_path_factory, timeout=120, timeouts=None):
    """run(scenario) -> Scenario, each scenario booted once (what a test
    module's `run` fixture returns); timeouts: {scenario: seconds} beyond
    the default timeout."""
    cache = {}

    def get(scenario):
        if scenario not in cache:
            cache[scenario] = boot(
                build_dir, scenario, machine=machine,
                directory=tmp_path_factory.mktemp("qemu"),
                timeout=(timeouts or {}).get(scenario, timeout))
        return cache[scenario]
    return get


def boot(build_dir, scenario, argument="", machine=None, directory=None,
         timeout=120, **options):
    """Run scenario on the root program of build_dir; a Scenario.
    options go to rig.boot (until=, echo=, icount=, cpu_props=, further
    loaders=...)."""
    machine = machine or machines.get("arm64")
    if machine.arch == "x86":
        # multiboot: the scenario comes on the command line
        run = rig.boot(machine, program(build_dir, machine.arch),
                       timeout=timeout,
                       append=" ".join(w for w in (scenario, argument) if w),
                       **options)
        return Scenario(scenario, run)
    loaders = list(options.pop("loaders", ()))
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        blob = scenario_file(tmp, scenario, argument)
        run = rig.boot(machine, program(build_dir, machine.arch),
                       timeout=timeout, semihosting=True,
                       loaders=[(blob, SCENARIO_ADDR)] + loaders, **options)
    return Scenario(scenario, run)


# The ARM roots' "ivshmem" scenario (tests/baremetal/arm-common/
# ivshmem-root.c): the same lines on every ARM machine.
IVSHMEM_LINES = (
    "ROOT: ivshmem INTx not the cell's, or the root's, accepted",
    "ROOT: ivshmem functions 00.0 and 01.0 on the virtual host",
    "IVSHMEM-PEER: function 0, class ff000000, pin 1, INTx irq 140",
    "IVSHMEM-PEER: 01.0 reads ffffffff, 00.1 reads ffffffff",
    "ROOT: doorbells to missing peers and vectors raise nothing",
    "ROOT: peer's doorbell arrived as SPI 128",
    "IVSHMEM-PEER: doorbell arrived as irq 140, root state 7",
    "ROOT: root's doorbell arrived as SPI 140 in the cell",
    "ROOT: ivshmem peer stopped at a hostile access (wide)",
    "ROOT: ivshmem peer stopped at a hostile access (bus)",
    "ROOT: ivshmem peer stopped at a hostile access (out)")


def check_ivshmem(run):
    """Run the ivshmem scenario with run (a runner()) and check it."""
    r = run("ivshmem").check(*IVSHMEM_LINES)
    assert r.output.count('FATAL: Access violation; stopping cell '
                          '"ivshmem-demo"') == 3, r
    assert "ERROR" not in r.output, r
    return r
