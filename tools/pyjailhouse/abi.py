# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: cffi view of the binary interface headers
"""The structures and constants of include/jailhouse, for Python.

    from pyjailhouse.abi import ffi, C
    ffi.sizeof('struct jailhouse_memory')      # 32
    C.JAILHOUSE_MEM_READ                       # 1

The description comes from pyjailhouse/_abi.py when it exists (installed
copies; generated at build time by pyjailhouse.abigen). Otherwise, running
from the source tree, it is produced on first import by the C compiler
($CC, default "cc") from ../../include; this needs pyelftools as well.
Set PYJAILHOUSE_REGEN_ABI=1 to ignore an existing _abi.py.

cffi is used in ABI mode only: nothing is compiled for Python. Installed
copies also carry _abi_ffi.py, cffi's prebuilt out-of-line form of the same
description, so importing needs no C parsing (seconds on a slow target).
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_INCLUDE_DIR = os.path.normpath(os.path.join(_HERE, '..', '..',
                                                   'include'))


def _load():
    if not os.environ.get('PYJAILHOUSE_REGEN_ABI'):
        try:
            from . import _abi
            return _abi.CDEF, dict(_abi.CONSTANTS), _abi.TARGET_BITS
        except ImportError:
            pass
    hint = ('run `make` (or `scons tools`) and use build/<arch>/tools/'
            'jailhouse, or ./quickstart setup for the development tools')
    if not os.path.isfile(os.path.join(SOURCE_INCLUDE_DIR, 'jailhouse',
                                       'cell-config.h')):
        raise ImportError('pyjailhouse: no generated _abi.py and no '
                          'source tree headers at %s' % SOURCE_INCLUDE_DIR)
    try:
        from . import abigen
        return abigen.build(os.environ.get('CC', 'cc'), SOURCE_INCLUDE_DIR)
    except ImportError as err:
        raise ImportError('pyjailhouse: no generated ABI module, and the '
                          'tools to derive it are missing (%s): %s'
                          % (err, hint)) from None
    except abigen.AbiGenError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else ''
        raise ImportError('pyjailhouse: no generated ABI module and the '
                          'headers cannot be read (%s): %s'
                          % (first.rstrip(':'), hint)) from None


def _prebuilt_ffi():
    """The FFI generated at build time (_abi_ffi.py), if it matches."""
    if os.environ.get('PYJAILHOUSE_REGEN_ABI'):
        return None
    try:
        from ._abi_ffi import ffi as prebuilt
    except ImportError:
        return None
    return prebuilt


CDEF, CONSTANTS, TARGET_BITS = _load()

ffi = _prebuilt_ffi()
if ffi is None:
    try:
        import cffi
    except ImportError:
        raise ImportError('pyjailhouse: Python module _cffi_backend (cffi) is '
                          'missing: install python3-cffi-backend, or `pip '
                          'install cffi`') from None
    ffi = cffi.FFI()
    ffi.cdef(CDEF, packed=True)


class _Constants:
    """Attribute access to the header macros: C.JAILHOUSE_MEM_READ."""

    def __init__(self, values):
        self.__dict__.update(values)

    def __getitem__(self, name):
        return self.__dict__[name]

    def __contains__(self, name):
        return name in self.__dict__

    def with_prefix(self, prefix):
        """{name: value} of all constants whose name starts with prefix."""
        return {k: v for k, v in self.__dict__.items()
                if k.startswith(prefix)}


C = _Constants(CONSTANTS)


def struct_names():
    """Every struct and union type the cdef declares, e.g.
    'struct jailhouse_memory' (anonymous ones excluded)."""
    parsed = ffi.list_types()
    names = ['struct ' + n for n in parsed[1]] + \
        ['union ' + n for n in parsed[2]]
    return sorted(n for n in names if '$' not in n)
