# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: generate pyjailhouse's cffi view of include/jailhouse
"""Derive the Python view of the binary interfaces from the C headers.

Two products, both taken from the compiler rather than retyped:

 * CDEF: the preprocessed headers in the plain-C subset cffi understands
   (__JAILHOUSE_CFFI__ drops attributes, inline functions and asm), to be
   given to ffi.cdef(CDEF, packed=True);
 * CONSTANTS: every object-like macro the headers define, evaluated by the
   compiler: integer expressions are compiled into data objects whose bytes
   are read back from the object file, string literals likewise.

The result can be written to pyjailhouse/_abi.py so that installed copies
need neither a compiler nor pyelftools:

    python3 -m pyjailhouse.abigen --cc "aarch64-linux-gnu-gcc" \\
        --include include -o tools/pyjailhouse/_abi.py

Use the target's compiler: a few values (JAILHOUSE_ENABLE encodes the size
of a pointer) depend on it.
"""

import argparse
import io
import os
import re
import shlex
import subprocess
import sys
import tempfile

HEADERS = (
    'jailhouse/types.h',
    'jailhouse/console.h',
    'jailhouse/pci_defs.h',
    'jailhouse/cell-config.h',
    'jailhouse/hypercall.h',
    'jailhouse/ioctl.h',
    'jailhouse/header.h',
)

CFFI_DEFINE = '__JAILHOUSE_CFFI__'

_DEFINE_RE = re.compile(r'^#define ([A-Za-z_][A-Za-z0-9_]*)(\(?)(?:[ \t]+(.*))?$')
_STRING_RE = re.compile(r'^"(?:[^"\\]|\\.)*"$')


class AbiGenError(Exception):
    """The compiler could not produce the ABI description."""


def _wrapper():
    return ''.join('#include <%s>\n' % h for h in HEADERS)


def _run(cmd, stdin_text=None):
    try:
        proc = subprocess.run(cmd, input=stdin_text, capture_output=True,
                              text=True, check=False)
    except OSError as err:
        raise AbiGenError('cannot run %s: %s' % (cmd[0], err)) from None
    if proc.returncode != 0:
        raise AbiGenError('%s failed:\n%s' % (' '.join(cmd), proc.stderr))
    return proc.stdout


def _cpp(cc, include_dir, extra, text):
    return _run(list(cc) + ['-E', '-D' + CFFI_DEFINE, '-I', include_dir,
                            '-x', 'c'] + extra + ['-'], text)


def cdef_text(cc, include_dir):
    """Preprocessed headers, blank lines removed, ready for ffi.cdef()."""
    out = _cpp(cc, include_dir, ['-P'], _wrapper())
    lines = [line.rstrip() for line in out.splitlines()]
    return '\n'.join(line for line in lines if line.strip()) + '\n'


def _macros(cc, include_dir):
    """Object-like macros defined by our headers: name -> replacement text."""
    ours = _cpp(cc, include_dir, ['-dM'], _wrapper())
    base = _cpp(cc, include_dir, ['-dM'], '')
    predefined = set()
    for line in base.splitlines():
        match = _DEFINE_RE.match(line)
        if match:
            predefined.add(match.group(1))
    macros = {}
    for line in ours.splitlines():
        match = _DEFINE_RE.match(line)
        if not match:
            continue
        name, funclike, value = match.groups()
        if funclike or name in predefined or name.startswith('_'):
            continue
        value = (value or '').strip()
        if not value or '{' in value or ';' in value:
            continue
        macros[name] = value
    return macros


def _const_source(names, strings):
    lines = [_wrapper()]
    for name in names:
        if name in strings:
            lines.append('__attribute__((used)) static const char '
                         'jh_s_%s[] = %s;' % (name, name))
        else:
            lines.append('__attribute__((used)) static const unsigned long '
                         'long jh_u_%s = (unsigned long long)(%s);'
                         % (name, name))
            lines.append('__attribute__((used)) static const unsigned char '
                         'jh_n_%s = ((%s) < 0);' % (name, name))
    return '\n'.join(lines) + '\n'


def _compile(cc, include_dir, source, obj):
    cmd = list(cc) + ['-c', '-O0', '-w', '-ffreestanding', '-D' + CFFI_DEFINE,
                      '-I', include_dir, '-x', 'c', '-', '-o', obj]
    try:
        proc = subprocess.run(cmd, input=source, capture_output=True,
                              text=True, check=False)
    except OSError as err:
        raise AbiGenError('cannot run %s: %s' % (cc[0], err)) from None
    return proc.returncode == 0, proc.stderr


def constants(cc, include_dir):
    """Evaluate every integer or string macro of the headers with `cc`."""
    from . import elfutil  # build time only: needs pyelftools

    macros = _macros(cc, include_dir)
    strings = {n for n, v in macros.items() if _STRING_RE.match(v)}
    names = sorted(macros)
    with tempfile.TemporaryDirectory(prefix='jh-abigen-') as tmp:
        obj = os.path.join(tmp, 'consts.o')
        ok, _ = _compile(cc, include_dir, _const_source(names, strings), obj)
        if not ok:
            # Some macro is not a constant expression (a type, say): keep
            # only those that compile on their own.
            good = [n for n in names
                    if _compile(cc, include_dir,
                                _const_source([n], strings), obj)[0]]
            ok, err = _compile(cc, include_dir,
                               _const_source(good, strings), obj)
            if not ok:
                raise AbiGenError('constant extraction failed:\n' + err)
            names = good
        syms = elfutil.local_symbols(obj, 'jh_')
        bits, _ = elfutil.elf_class_and_machine(obj)
    result = {}
    for name in names:
        if name in strings:
            raw = syms['jh_s_' + name]
            result[name] = raw[:-1].decode('latin-1')
        else:
            value = int.from_bytes(syms['jh_u_' + name], 'little')
            if syms['jh_n_' + name] != b'\0':
                value -= 1 << 64
            result[name] = value
    return result, bits


def build(cc, include_dir):
    """Return (cdef text, constants dict, pointer bits of the target)."""
    cc = _split_cc(cc)
    include_dir = os.path.abspath(include_dir)
    cdef = cdef_text(cc, include_dir)
    consts, bits = constants(cc, include_dir)
    return cdef, consts, bits


def _split_cc(cc):
    if isinstance(cc, str):
        return shlex.split(cc)
    return list(cc)


def render(cdef, consts, bits):
    """Text of the generated module; deterministic for the same input."""
    out = ['# SPDX-License-Identifier: GPL-2.0-only',
           '# Jailhouse-compatible partitioning hypervisor: generated '
           'cffi view of include/jailhouse (do not edit)',
           '# Generated by pyjailhouse.abigen from the C headers.',
           '',
           'TARGET_BITS = %d' % bits,
           '',
           'CDEF = %r' % cdef,
           '',
           'CONSTANTS = {']
    for name in sorted(consts):
        out.append('    %r: %r,' % (name, consts[name]))
    out.append('}')
    return '\n'.join(out) + '\n'


def write_atomic(path, data):
    """Write bytes to path through a new file beside it, renamed over path.

    Safe in one of several threads of a process (SCons runs Python build
    steps of parallel jobs so): nothing process-wide is touched - no umask
    juggling, no redirected sys.stdout, no chdir.  The file gets the mode
    open() gives under the umask, as any other build output."""
    directory = os.path.dirname(os.path.abspath(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    while True:
        tmp = os.path.join(directory, '.%s.%s.tmp' % (os.path.basename(path),
                                                     os.urandom(6).hex()))
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, 'wb') as fileobj:
            fileobj.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def ffi_module_path(out_path):
    """Where generate() puts the prebuilt FFI next to _abi.py."""
    return os.path.join(os.path.dirname(out_path), '_abi_ffi.py')


def generate(cc, include_dir, out_path):
    """Write the generated module to out_path and, beside it, _abi_ffi.py:
    cffi's out-of-line ABI-mode module of the same cdef, which imports in
    milliseconds on a target (no C parsing at run time, only the
    _cffi_backend extension)."""
    cdef, consts, bits = build(cc, include_dir)
    text = render(cdef, consts, bits)

    import cffi  # pylint: disable=import-outside-toplevel
    builder = cffi.FFI()
    builder.cdef(cdef, packed=True)
    # Not verbose: cffi would print "generating ..." to sys.stdout.
    builder.set_source('pyjailhouse._abi_ffi', None, compiler_verbose=False)
    ffi_text = io.StringIO()
    builder.emit_python_code(ffi_text)
    write_atomic(out_path, text.encode())
    write_atomic(ffi_module_path(out_path), ffi_text.getvalue().encode())


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python3 -m pyjailhouse.abigen',
        description='Generate pyjailhouse/_abi.py from include/jailhouse.')
    parser.add_argument('--cc', default=os.environ.get('CC', 'cc'),
                        help='C compiler command of the target (default: '
                        '$CC or cc)')
    parser.add_argument('--include', required=True,
                        help='directory holding jailhouse/*.h')
    parser.add_argument('-o', '--output', required=True,
                        help='file to write')
    args = parser.parse_args(argv)
    try:
        generate(args.cc, args.include, args.output)
    except AbiGenError as err:
        print('abigen: %s' % err, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
