# SPDX-License-Identifier: GPL-2.0-only
# Run one emulated machine (tests/machines.py) and collect its console.

"""The rig shared by the bare-metal, inmate and full-stack tests and the
benchmarks:

    run = rig.boot(machines.get("arm64"), kernel=elf, semihosting=True,
                   timeout=60, until=["ticks done"])
    assert run.status == 0, run          # str(run): command, status, console
    run.expect("hello", "world")         # AssertionError with the console

boot() starts the emulator with stdin closed, gathers stdout and stderr
(one stream, in order) until the machine exits, a marker of `until` was
printed (the emulator is then stopped, after that marker's grace time), or
the timeout passed.  A Run holds the console log, the emulator's exit code,
the status the guest reported (machine.exit_status), and how the run ended.
"""

import contextlib
import os
import select
import subprocess
import tempfile
import time

LOG_TAIL = 60       # lines of the emulator's own log in a failure report


class Run:
    def __init__(self, machine, argv, log, returncode, timed_out, marker,
                 seconds, emulator_log=""):
        self.machine = machine
        self.argv = argv
        self.log = log                  # console, "\r" dropped
        self.returncode = returncode    # the emulator's exit code
        self.timed_out = timed_out      # the timeout ended the run
        self.marker = marker            # the `until` marker that ended it
        self.seconds = seconds
        self.emulator_log = emulator_log    # e.g. bochs.log

    @property
    def status(self):
        """The exit status the guest reported (None: none reported, e.g.
        after a timeout or when stopped at a marker)."""
        if self.timed_out or self.marker is not None:
            return None
        return self.machine.exit_status(self.returncode, self.emulator_log)

    def ending(self):
        if self.timed_out:
            return "timed out after %.1f s" % self.seconds
        if self.marker is not None:
            return "stopped at %r after %.1f s" % (self.marker, self.seconds)
        return "exit code %s (guest status %s) after %.1f s" % (
            self.returncode, self.status, self.seconds)

    def describe(self):
        text = "%s: %s\n%s\n--- console log ---\n%s" % (
            self.machine.name, " ".join(self.argv), self.ending(), self.log)
        if self.emulator_log:
            tail = self.emulator_log.splitlines()[-LOG_TAIL:]
            text += "\n--- %s log (last %d lines) ---\n%s" % (
                self.machine.emulator, len(tail), "\n".join(tail))
        return text

    __str__ = describe

    def __repr__(self):
        return "<Run %s: %s>" % (self.machine.name, self.ending())

    def expect(self, *texts):
        """Assert that every text was printed; returns self."""
        for text in texts:
            assert text in self.log, "missing %r\n%s" % (text, self)
        return self


def collect(process, timeout, until=None, echo=None):
    """Console bytes of process until it exits, a marker of until ({marker:
    grace seconds}) shows up (the process is then killed after the grace
    time) or timeout passes.  Returns (bytes, timed_out, marker)."""
    until = {(m.encode() if isinstance(m, str) else m): grace
             for m, grace in (until or {}).items()}
    chunks, tail = [], b""
    deadline = time.monotonic() + timeout
    marker, stop_at = None, None
    fd = process.stdout.fileno()
    os.set_blocking(fd, False)
    timed_out = False
    while True:
        now = time.monotonic()
        limit = deadline if stop_at is None else min(deadline, stop_at)
        if now >= limit:
            timed_out = marker is None
            process.kill()
            break
        ready, _, _ = select.select([fd], [], [], min(0.2, limit - now))
        if not ready:
            continue
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
        if echo:
            echo.write(data.decode(errors="replace"))
            echo.flush()
        if marker is None:
            window = tail + data
            for candidate, grace in until.items():
                if candidate in window:
                    marker = candidate.decode(errors="replace")
                    stop_at = time.monotonic() + grace
                    break
            tail = window[-256:]
    process.wait()
    with contextlib.suppress(OSError, ValueError):
        chunks.append(process.stdout.read() or b"")
    process.stdout.close()
    return b"".join(chunks), timed_out, marker


def boot(machine, kernel=None, *, timeout=60, until=(), echo=None,
         **options):
    """Run machine (with machine.command(kernel, **options)); a Run.

    until: markers (str) or {marker: grace seconds} that end the run once
    printed; echo: a text stream that gets the console as it arrives."""
    if not isinstance(until, dict):
        until = {marker: 0.0 for marker in until}
    with tempfile.TemporaryDirectory(prefix="rig-") as workdir:
        argv = machine.command(kernel, workdir=workdir, **options)
        started = time.monotonic()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        raw, timed_out, marker = collect(process, timeout, until, echo)
        seconds = time.monotonic() - started
        emulator_log = machine.emulator_log(workdir)
    log = raw.decode(errors="replace").replace("\r", "").replace("\0", "")
    return Run(machine, argv, log, process.returncode, timed_out, marker,
               seconds, emulator_log)


def require(machine):
    """Skip the calling test when machine's QEMU is not installed; fail it
    when Bochs is missing (./quickstart installs it: CI must run these
    tests, never skip them silently)."""
    if not machine.available():
        import pytest
        if machine.emulator == "bochs":
            pytest.fail("%s: bochs not installed (./quickstart installs "
                        "bochs bochs-term bochsbios vgabios)" % machine.name,
                        pytrace=False)
        pytest.skip("%s not installed" % machine.program)
    return machine
