# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: every interface header compiles on its own, for every consumer
"""Each header of include/jailhouse is compiled alone (and twice, for the
include guard) with every available target compiler in the ways its users
compile it: freestanding hypervisor and inmate, kernel module (against a
minimal stand-in for the kernel headers, checking that nothing but
<linux/...> and our own headers is pulled in), hosted user space, and
assembly where the header has an __ASSEMBLY__ part."""

import glob
import os
import subprocess

import pytest

from abi_helpers import COMPILERS, INCLUDE, have

HEADERS = sorted(os.path.relpath(p, INCLUDE) for p in
                 glob.glob(os.path.join(INCLUDE, 'jailhouse', '**', '*.h'),
                           recursive=True))

# Architecture-specific headers compile only for their architecture.
ARCH_OF_HEADER = {
    'jailhouse/arch/x86-hypercall.h': {'x86'},
    'jailhouse/arch/arm-hypercall.h': {'arm'},
    'jailhouse/arch/arm64-hypercall.h': {'arm64'},
    'jailhouse/arch/arm-common-hypercall.h': {'arm', 'arm64'},
}

FAKE_LINUX_TYPES = '''\
#ifndef _FAKE_LINUX_TYPES_H
#define _FAKE_LINUX_TYPES_H
#define FAKE_KERNEL_TYPES 1
typedef unsigned char __u8; typedef signed char __s8;
typedef unsigned short __u16; typedef signed short __s16;
typedef unsigned int __u32; typedef signed int __s32;
typedef unsigned long long __u64; typedef signed long long __s64;
typedef _Bool bool;
#endif
'''
FAKE_LINUX_IOCTL = '''\
#ifndef _FAKE_LINUX_IOCTL_H
#define _FAKE_LINUX_IOCTL_H
#define _IO(t, n) ((0U << 30) | ((t) << 8) | (n))
#define _IOW(t, n, s) ((1U << 30) | (sizeof(s) << 16) | ((t) << 8) | (n))
#endif
'''

MODES = {
    'hypervisor': ['-ffreestanding', '-nostdinc',
                   '-D__JAILHOUSE_HYPERVISOR__'],
    'inmate': ['-ffreestanding', '-nostdinc', '-D__JAILHOUSE_INMATE__'],
    'kernel': ['-ffreestanding', '-nostdinc', '-D__KERNEL__'],
    'user': [],
    'assembly': ['-ffreestanding', '-nostdinc', '-D__ASSEMBLY__',
                 '-x', 'assembler-with-cpp'],
}

# Headers without assembly-usable content.
NO_ASSEMBLY = {'jailhouse/ioctl.h'}


@pytest.fixture(scope='module')
def fake_kernel(tmp_path_factory):
    root = tmp_path_factory.mktemp('fake-kernel')
    (root / 'linux').mkdir()
    (root / 'linux' / 'types.h').write_text(FAKE_LINUX_TYPES)
    (root / 'linux' / 'ioctl.h').write_text(FAKE_LINUX_IOCTL)
    return str(root)


def _cases():
    for header in HEADERS:
        for arch, compiler in sorted(COMPILERS.items()):
            if arch not in ARCH_OF_HEADER.get(header, {arch}):
                continue
            for mode in MODES:
                if mode == 'assembly' and header in NO_ASSEMBLY:
                    continue
                yield pytest.param(header, compiler, mode,
                                   id='%s-%s-%s' % (header, arch, mode))


def test_header_list_complete():
    expected = {'jailhouse/types.h', 'jailhouse/cell-config.h',
                'jailhouse/console.h', 'jailhouse/hypercall.h',
                'jailhouse/ioctl.h', 'jailhouse/header.h',
                'jailhouse/pci_defs.h'}
    assert expected <= set(HEADERS)


@pytest.mark.parametrize('header,compiler,mode', list(_cases()))
def test_header_standalone(header, compiler, mode, fake_kernel, tmp_path):
    if not have(compiler):
        pytest.skip('%s is not installed' % compiler)
    suffix = '.S' if mode == 'assembly' else '.c'
    src = tmp_path / ('t' + suffix)
    body = '#include <%s>\n#include <%s>\n' % (header, header)
    if mode != 'assembly':
        body += 'int jh_header_test_anchor;\n'
    src.write_text(body)
    deps = tmp_path / 't.d'
    cmd = [compiler] + MODES[mode] + ['-Wall', '-Wextra', '-Werror',
                                      '-std=gnu11', '-I', INCLUDE]
    if mode == 'kernel':
        cmd += ['-I', fake_kernel]
    cmd += ['-MD', '-MF', str(deps), '-c', str(src),
            '-o', str(tmp_path / 't.o')]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    if mode in ('kernel', 'hypervisor', 'inmate', 'assembly'):
        used = deps.read_text().replace('\\\n', ' ').split(':', 1)[1].split()
        for dep in used:
            dep = os.path.realpath(dep)
            ok = dep == os.path.realpath(str(src)) or \
                dep.startswith(os.path.realpath(INCLUDE) + os.sep) or \
                (mode == 'kernel' and
                 dep.startswith(os.path.realpath(fake_kernel) + os.sep))
            assert ok, '%s pulls in %s in %s mode' % (header, dep, mode)


def test_kernel_mode_uses_linux_types(fake_kernel, tmp_path):
    """In the kernel the types come from <linux/types.h>, nowhere else."""
    src = tmp_path / 'k.c'
    src.write_text('#include <jailhouse/cell-config.h>\n'
                   '#include <jailhouse/ioctl.h>\n'
                   '#ifndef FAKE_KERNEL_TYPES\n#error no linux/types.h\n'
                   '#endif\n'
                   '#ifdef __JAILHOUSE_UAPI_TYPES\n#error own types\n#endif\n'
                   '_Static_assert(JAILHOUSE_CELL_CREATE == '
                   '((1U << 30) | (16 << 16) | 2), "ioctl");\n')
    proc = subprocess.run(['gcc', '-ffreestanding', '-nostdinc',
                           '-D__KERNEL__', '-I', INCLUDE, '-I', fake_kernel,
                           '-c', str(src), '-o', str(tmp_path / 'k.o')],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
