# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: editable shipped configs for the `jailhouse config check` tests
"""Case: the shipped configs of one architecture, parsed, changed by a
test and written on demand for `config check`; expect() and accepted()
judge its output; arm64 and x86 are fixtures of a Case (import them
into the test module)."""

import pytest

from abi_helpers import COMPILERS, have, read, shipped_cells
from pyjailhouse import config, config_check

PREFIX = 'jailhouse config check: '


def shipped(arch):
    """{name: path} of the built shipped configs of arch (skips the test
    without the compiler)."""
    if not have(COMPILERS[arch]):
        pytest.skip('%s is not installed' % COMPILERS[arch])
    return shipped_cells(arch)


class Case:
    """Shipped configs of one architecture, editable, written on demand."""

    def __init__(self, arch, tmp_path):
        self.tmp_path = tmp_path
        self.paths = shipped(arch)
        self.system_name = {'arm64': 'qemu-arm64', 'arm': 'qemu-arm',
                            'x86': 'qemu-x86'}[arch]
        self.system = config.parse(read(self.paths[self.system_name]))
        self.cells = {}

    def cell(self, name):
        if name not in self.cells:
            self.cells[name] = config.parse(read(self.paths[name]))
        return self.cells[name]

    def write(self, name, cfg):
        path = self.tmp_path / (name + '.cell')
        path.write_bytes(cfg.to_bytes())
        return str(path)

    def run(self, names, capsys):
        argv = [self.write(self.system_name, self.system)]
        for name in names:
            argv.append(self.write(name, self.cell(name)))
        rc = config_check.main(argv)
        out, _ = capsys.readouterr()
        lines = out.splitlines()
        for line in lines:
            assert line.startswith(PREFIX)
        return rc, lines


def expect(rc, lines, *words, file=None):
    assert rc == 1
    hits = [l for l in lines if all(w in l for w in words)]
    assert hits, 'no problem mentioning %s in:\n%s' % (words,
                                                      '\n'.join(lines))
    if file:
        assert any(('%s.cell: ' % file) in l for l in hits)


def accepted(rc, lines, severity, *words, file=None):
    """Accepted (exit 0) with a finding of that severity naming words."""
    assert rc == 0, '\n'.join(lines)
    hits = [l for l in lines if all(w in l for w in words)]
    assert hits, 'no %s mentioning %s in:\n%s' % (severity, words,
                                                   '\n'.join(lines))
    assert all((': %s: ' % severity) in l for l in hits), hits
    if file:
        assert any(('%s.cell: ' % file) in l for l in hits)


@pytest.fixture
def arm64(tmp_path):
    return Case('arm64', tmp_path)


@pytest.fixture
def x86(tmp_path):
    return Case('x86', tmp_path)
