# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: turn a compiled configuration source into a .cell blob
"""Build-time helpers behind the SCons CellConfig builder (and the tests).

A configuration source (configs/<arch>/NAME.c) defines one initialised
object named `config`. It is compiled for the target; its bytes are taken
from the object file with pyelftools (no objcopy: section layout changes of
binutils cannot leak into the blob), then validated: signature, revision,
architecture, header counts against the size, and the per-file semantic
checks of pyjailhouse.config: what the hypervisor would refuse fails; every
other finding (warnings, notes, and errors of `config check` the hypervisor
accepts) is reported and the blob is built, as upstream's build does. Needs pyelftools; not used at run time.
"""

import os
import shlex
import subprocess
import tempfile

from . import config as jhconfig
from .abigen import write_atomic
from .elfutil import ElfSymbolError, symbol_bytes

SYMBOL = 'config'

# Flags every configuration is compiled with, on top of the environment's.
CFLAGS = ['-ffreestanding', '-nostdinc', '-fno-common', '-fno-pic',
          '-fno-asynchronous-unwind-tables', '-O0', '-g0']


class CellBlobError(Exception):
    """One line: 'SOURCE: problem'."""


def blob_from_object(obj_path, arch, source=None, strict=True, warn=None):
    """Return the validated .cell bytes contained in obj_path.

    arch: 'x86', 'arm' or 'arm64' (the architecture the file is built for).
    source: name used in error messages (default: obj_path).
    strict: also refuse files the hypervisor would refuse;
    warn: called with one line 'SOURCE: SEVERITY: ...' per other finding
    (the file is built anyway, as upstream builds it).
    """
    name = source or obj_path
    try:
        data = symbol_bytes(obj_path, SYMBOL)
    except ElfSymbolError as err:
        raise CellBlobError('%s: %s' % (name, err)) from None
    except OSError as err:
        raise CellBlobError('%s: %s' % (name, err.strerror)) from None
    try:
        cfg = jhconfig.parse(data, name, arch=arch)
    except jhconfig.ConfigError as err:
        raise CellBlobError(str(err)) from None
    if cfg.to_bytes() != data:
        raise CellBlobError('%s: internal error: blob does not round-trip'
                            % name)
    findings = cfg.findings()
    if strict:
        problems = jhconfig.refusals(findings)
        if problems:
            raise CellBlobError('%s: %s' % (name, '; '.join(problems)))
    if warn is not None:
        for finding in findings:
            if not finding.refused:
                warn('%s: %s: %s' % (name, finding.severity, finding))
    return data


def compile_config(cc, source, obj, include_dirs, extra_flags=()):
    """Compile a configuration source; CellBlobError with the compiler's
    message on failure."""
    cmd = (shlex.split(cc) if isinstance(cc, str) else list(cc)) + CFLAGS + \
        list(extra_flags) + ['-I' + d for d in include_dirs] + \
        ['-c', source, '-o', obj]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise CellBlobError('%s: compilation failed:\n%s'
                            % (source, proc.stderr.strip()))


def build_cell(cc, source, include_dirs, arch, out_path=None, strict=True,
               warn=None):
    """Compile source and return (and optionally write) the .cell bytes."""
    with tempfile.TemporaryDirectory(prefix='jh-cell-') as tmp:
        obj = os.path.join(tmp, 'config.o')
        compile_config(cc, source, obj, include_dirs)
        data = blob_from_object(obj, arch, source, strict, warn)
    if out_path:
        write_atomic(out_path, data)
    return data
