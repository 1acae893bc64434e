# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: `jailhouse cell linux`, boot Linux in a non-root cell (generic part)
"""`jailhouse cell linux CELLCONFIG KERNEL [-d DTB] [-i INITRD] [-c CMDLINE]
[-w PARAMS_FILE] [-a ARCH] [-k FACTOR]`, upstream's command line.

The arch module (cell_linux_x86 or cell_linux_arm, contract in
cell_linux_common) says where linux-loader.bin, the kernel, initrd, device
tree and loader parameters go.  This module reads the files, then either
writes the parameters and prints the `jailhouse cell` commands (-w), or
creates the cell, loads everything in one `cell load` and starts it; a cell
it created is destroyed again if a later step fails.
"""

import argparse
import importlib
import os
import sys

from . import commands
from . import config as jhconfig
from . import config_parser
from .cell_linux_common import CellLinuxError
from .cellref import CellRef
from .errors import IoctlError, JailhouseError, file_message

PROG = 'jailhouse cell linux'
ARCHES = ('x86', 'arm', 'arm64')
# arch -> (module implementing plan(), directory of its linux-loader.bin)
ARCH_MODULES = {'x86': 'cell_linux_x86', 'arm': 'cell_linux_arm',
                'arm64': 'cell_linux_arm'}
LOADER = 'linux-loader.bin'


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors exit with status 1, as the jailhouse
    command's do."""

    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write('%s: %s\n' % (self.prog, message))
        sys.exit(1)


def _factor(text):
    try:
        value = int(text, 0)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("invalid factor '%s' (a positive "
                                         "integer)" % text)
    return value


def parser():
    p = _Parser(prog=PROG, description='Boot Linux in a non-root cell: '
                'create the cell from CELLCONFIG, load linux-loader, the '
                'kernel, its initrd, device tree and boot parameters into '
                'it and start it.')
    p.add_argument('config', metavar='CELLCONFIG',
                   help='cell configuration (.cell file)')
    p.add_argument('kernel', metavar='KERNEL',
                   help='kernel image (x86: bzImage; arm: zImage; arm64: '
                        'Image or Image.gz)')
    p.add_argument('-d', '--dtb', metavar='DTB',
                   help='device tree of the cell (arm, arm64: required); '
                        'its /memory, bootargs and initrd range are set '
                        'from the cell configuration and the options')
    p.add_argument('-i', '--initrd', metavar='INITRD',
                   help='initrd or initramfs image')
    p.add_argument('-c', '--cmdline', metavar='"CMDLINE"',
                   help='kernel command line')
    p.add_argument('-w', '--write-params', metavar='PARAMS_FILE',
                   help='only write the boot parameters (x86) or the '
                        'amended device tree (arm, arm64) to PARAMS_FILE and '
                        'print the jailhouse cell commands that boot Linux')
    p.add_argument('-a', '--arch', metavar='ARCH', choices=ARCHES,
                   help='architecture: x86, arm or arm64 (default: the cell '
                        "configuration's)")
    p.add_argument('-k', '--kernel-decomp-factor', metavar='FACTOR',
                   type=_factor,
                   help='how many times its size the kernel grows when it '
                        'decompresses itself: space left between kernel and '
                        'initrd (default: per architecture and compression)')
    return p


def _read(path):
    if path is None:
        return None
    try:
        with open(path, 'rb') as fileobj:
            return fileobj.read()
    except OSError as err:
        raise CellLinuxError(file_message(path, err)) from None


def _config(path, write_only):
    """(raw bytes, config_parser.CellConfig) of CELLCONFIG.  Booting checks
    it as `cell create` does; -w only needs it to parse."""
    try:
        if write_only:
            data = _read(path)
            jhconfig.parse(data, path, kind='cell')
        else:
            data, _ = commands.checked_config(path, 'cell')
    except jhconfig.ConfigError as err:
        raise CellLinuxError(str(err)) from None
    except JailhouseError as err:
        raise CellLinuxError(str(err)) from None
    return data, config_parser.CellConfig(data)


def arch_module(arch):
    try:
        return importlib.import_module('pyjailhouse.' + ARCH_MODULES[arch])
    except ImportError as err:
        raise CellLinuxError('no %s support in this installation (%s)'
                             % (arch, err)) from None


def make_plan(args, config):
    arch = args.arch or config.arch
    if arch != config.arch:
        raise CellLinuxError('%s is a configuration for %s, not %s'
                             % (args.config, config.arch, arch))
    if arch == 'x86' and args.dtb:
        raise CellLinuxError('-d/--dtb: x86 cells take no device tree')
    module = arch_module(arch)
    return module.plan(config, _read(args.kernel), initrd=_read(args.initrd),
                       cmdline=args.cmdline, dtb=_read(args.dtb),
                       decomp_factor=args.kernel_decomp_factor, arch=arch)


def _quote(text):
    return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"')


def load_command(args, config, plan):
    """The `jailhouse cell load` line that -w prints."""
    words = ['jailhouse cell load', config.name,
             LOADER, '-a', '%#x' % plan.loader_address]
    for image in plan.images:
        if image.string:
            words.append('-s ' + _quote(image.data[:-1].decode()))
        elif image.role == plan.written:
            words.append(args.write_params)
        elif image.role == 'kernel':
            words.append(args.kernel + ('-unzipped' if plan.kernel_unzipped
                                        else ''))
        elif image.role == 'initrd':
            words.append(args.initrd)
        else:
            raise CellLinuxError('no file to print for the %s image'
                                 % image.role)
        words += ['-a', '%#x' % image.address]
    return ' '.join(words)


def write_params(args, config, plan, out):
    data = plan.image(plan.written).data
    try:
        with open(args.write_params, 'wb') as fileobj:
            fileobj.write(data)
    except OSError as err:
        raise CellLinuxError('cannot write %s: %s'
                             % (args.write_params, err.strerror)) from None
    what = 'Boot parameters' if plan.written == 'params' else \
        'Amended device tree'
    out.write('%s written to %s. These commands boot Linux in cell "%s" '
              '(adjust the paths as needed):\n\n' %
              (what, args.write_params, config.name))
    out.write('jailhouse cell create %s\n' % args.config)
    out.write(load_command(args, config, plan) + '\n')
    out.write('jailhouse cell start %s\n' % config.name)
    if plan.kernel_unzipped:
        out.write('\n%s is compressed: decompress it to %s-unzipped first '
                  '(gunzip -c %s > %s-unzipped).\n'
                  % ((args.kernel,) * 4))


def loader_path(arch, script_dir=None):
    """linux-loader.bin of arch: in a build tree beside tools/, next to the
    helper scripts (installed: $libexecdir/jailhouse), or configured."""
    from . import cli  # pylint: disable=import-outside-toplevel
    here = script_dir or os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    candidates = [
        os.path.join(here, '..', 'inmates', 'tools', arch, LOADER),
        os.path.join(here, LOADER),
        os.path.join(here, '..', 'build', arch, 'inmates', 'tools', arch,
                     LOADER)]
    if cli.configured_helper_dir():
        candidates.append(os.path.join(cli.configured_helper_dir(), LOADER))
    for path in candidates:
        if os.path.isfile(path):
            return os.path.normpath(path)
    raise CellLinuxError('%s for %s not found (looked in %s)' % (
        LOADER, arch, ', '.join(os.path.normpath(os.path.dirname(c))
                                for c in candidates)))


def boot(ctx, raw_config, config, plan, loader):
    """Create the cell, load loader and images, start it.  A cell created
    here is destroyed again if loading or starting fails."""
    from .device import Image  # pylint: disable=import-outside-toplevel
    ref = CellRef(name=config.name)
    images = [Image(loader, plan.loader_address, LOADER)] + \
        [Image(i.data, i.address, i.role) for i in plan.images]
    with ctx.open_device() as dev:
        step = 'cell create'
        try:
            dev.cell_create(raw_config)
            step = 'cell load'
            dev.cell_load(ref, images)
            step = 'cell start'
            dev.cell_start(ref)
        except IoctlError as err:
            failure = commands._fail(ctx, step, err, ref)  # noqa: protected
            if step != 'cell create':
                try:
                    dev.cell_destroy(ref)
                except IoctlError as again:
                    raise JailhouseError('%s; destroying the cell failed '
                                         'too: %s' % (failure, again)) \
                        from None
                raise JailhouseError('%s (cell destroyed again)' % failure) \
                    from None
            raise failure from None


def main(argv, script_dir=None, ctx=None, out=None):
    out = out or sys.stdout
    args = parser().parse_args(argv)
    try:
        raw, config = _config(args.config, bool(args.write_params))
        plan = make_plan(args, config)
        if args.write_params:
            write_params(args, config, plan, out)
            return 0
        loader = _read(loader_path(config.arch, script_dir))
        boot(ctx or commands.Context(), raw, config, plan, loader)
    except (CellLinuxError, JailhouseError) as err:
        sys.stderr.write('%s: %s\n' % (PROG, err))
        return 1
    return 0
