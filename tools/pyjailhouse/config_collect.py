# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse config collect`, the inputs of `config create` in a tarball
"""jailhouse config collect FILE.TAR

Packs the files `jailhouse config create` reads (sysroot.INPUTS) into an
uncompressed tarball, paths relative to /; unpack it anywhere and run
`jailhouse config create -r DIR` to get the configuration the target
would have produced.  `config create -g FILE` writes the same collector
as a shell script, for targets without Python.
"""

import argparse
import io
import os
import sys
import tarfile

from . import cfgrender
from .sysroot import INPUTS, InputError, SysRoot

PROG = 'jailhouse config collect'


def _files(sysroot):
    """[(target path, content bytes)] of everything to pack; InputError if
    a required file is missing."""
    result = []
    for pattern, optional in INPUTS:
        if pattern.endswith('/'):
            top = pattern.rstrip('/')
            if not sysroot.isdir(top):
                if optional:
                    continue
                raise InputError('cannot read %s' % sysroot.describe(top))
            base = sysroot.path(top)
            for directory, dirs, names in os.walk(base, followlinks=True):
                dirs.sort()
                rel = os.path.relpath(directory, base)
                target_dir = top if rel == '.' else top + '/' + rel
                result.append((target_dir, None))
                for name in sorted(names):
                    path = target_dir + '/' + name
                    try:
                        result.append((path, sysroot.read_bytes(path)))
                    except InputError:
                        pass
            continue
        paths = sysroot.glob(pattern) if '*' in pattern else [pattern]
        for path in paths:
            try:
                result.append((path, sysroot.read_bytes(path)))
            except InputError:
                if not optional:
                    raise
    return result


def collect(sysroot, out_path):
    entries = _files(sysroot)
    with tarfile.open(out_path, 'w', format=tarfile.GNU_FORMAT) as tar:
        made = set()
        for path, data in entries:
            parts = path.strip('/').split('/')
            for i in range(1, len(parts) + (0 if data is not None else 1)):
                directory = '/'.join(parts[:i])
                if directory not in made:
                    made.add(directory)
                    info = tarfile.TarInfo(directory)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
            if data is None:
                continue
            info = tarfile.TarInfo(path.strip('/'))
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return len([e for e in entries if e[1] is not None])


def collector_script(template_dir=None):
    """The shell collector (`config create -g`)."""
    required = [p for p, opt in INPUTS if not opt and not p.endswith('/')]
    optional = [p for p, opt in INPUTS if opt and not p.endswith('/')]
    trees = [p.rstrip('/') for p, _opt in INPUTS if p.endswith('/')]
    return cfgrender.render('jailhouse-config-collect.tmpl', template_dir,
                            required=' '.join(required),
                            optional=' '.join(optional),
                            trees=' '.join(trees))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Pack the files `jailhouse config create` reads into '
        'an uncompressed tarball, to create the configuration on another '
        'machine with `jailhouse config create -r DIR` (DIR: the unpacked '
        'tarball).')
    parser.add_argument('-r', '--root', default='/', help=argparse.SUPPRESS)
    parser.add_argument('file', metavar='FILE.TAR',
                        help='the tarball to write')
    args = parser.parse_args(argv)
    sysroot = SysRoot(args.root)
    if sysroot.live and os.geteuid() != 0:
        # As upstream's collector: the ACPI tables and PCI config spaces
        # are root's only, and a tarball without them creates nothing.
        sys.stderr.write('%s: run it as root (the ACPI tables and PCI '
                         'configuration spaces are readable by root only)\n'
                         % PROG)
        return 1
    if sysroot.read_optional('/sys/devices/jailhouse/enabled',
                             '0').strip() == '1':
        sys.stderr.write('%s: Jailhouse is enabled: disable it before '
                         'collecting\n' % PROG)
        return 1
    try:
        count = collect(sysroot, args.file)
    except InputError as err:
        sys.stderr.write('%s: %s\n' % (PROG, err))
        return 1
    except OSError as err:
        sys.stderr.write('%s: cannot write %s: %s\n'
                         % (PROG, args.file, os.strerror(err.errno)))
        return 1
    print('%s: %d files in %s' % (PROG, count, args.file))
    return 0


if __name__ == '__main__':
    sys.exit(main())
