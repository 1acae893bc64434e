# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: SCons tool building validated .cell blobs from config sources
"""env.CellConfig('NAME.cell', 'NAME.c')

Compiles the configuration source with the environment's target compiler
($CC, $CCFLAGS, $CPPPATH, $CPPDEFINES) plus the flags of
pyjailhouse.cellblob.CFLAGS, takes the bytes of the `config` object from
the object file with pyelftools and validates them for $ARCH. The .cell is
written atomically; a configuration the hypervisor would refuse fails the
build with 'SOURCE: problem' and leaves no output behind; warnings and
notes of the checker are printed ('warning: SOURCE: ...') and the blob is
built. $CELLCOMSTR, if set, is the
quiet-mode message.
"""

import os
import sys

import SCons.Action
import SCons.Builder
import SCons.Errors
import SCons.Script


def _pyjailhouse():
    tools_dir = SCons.Script.Dir('#tools').abspath
    if tools_dir not in sys.path:
        sys.path.insert(0, tools_dir)
    from pyjailhouse import cellblob  # pylint: disable=import-outside-toplevel
    return cellblob


def _source_name(node):
    """Path of the source as the user knows it (relative to the top)."""
    src = node.srcnode()
    try:
        return os.path.relpath(src.abspath, SCons.Script.Dir('#').abspath)
    except ValueError:
        return src.abspath


def _build_cell(target, source, env):
    cellblob = _pyjailhouse()
    obj = source[0]
    name = _source_name(env['CELL_SOURCE_NODE'][0]) \
        if env.get('CELL_SOURCE_NODE') else _source_name(obj)
    out = target[0].abspath
    if os.path.exists(out):
        os.unlink(out)
    try:
        data = cellblob.blob_from_object(
            obj.abspath, env['ARCH'], name,
            warn=lambda line: print('warning: ' + line, file=sys.stderr))
        cellblob.write_atomic(out, data)
    except cellblob.CellBlobError as err:
        raise SCons.Errors.BuildError(node=target[0], errstr=str(err),
                                      action=None) from None
    return 0


def _cell_message(target, source, env):
    if env.get('CELLCOMSTR'):
        return env.subst(env['CELLCOMSTR'], raw=1, target=target,
                         source=source)
    return 'cellblob(%s, %s)' % (target[0], source[0])


def _cell_config(env, target, source, **kwargs):
    """Pseudo-builder: NAME.c -> NAME.o -> NAME.cell."""
    cellblob = _pyjailhouse()
    cenv = env.Clone()
    cenv.AppendUnique(CCFLAGS=cellblob.CFLAGS)
    cenv.AppendUnique(CPPPATH=['#include'])
    src = cenv.arg2nodes(source, cenv.File)[0]
    tgt = cenv.arg2nodes(target, cenv.File)[0]
    obj = cenv.Object(tgt.dir.File(os.path.splitext(tgt.name)[0] + '.cell.o'),
                      src, **kwargs)
    cell = cenv._CellBlob(tgt, obj, CELL_SOURCE_NODE=[src])
    # pyjailhouse's checks are part of the recipe.
    tools = SCons.Script.Dir('#tools/pyjailhouse')
    cenv.Depends(cell, [tools.File(n) for n in
                        ('config.py', 'cellblob.py', 'elfutil.py', 'abi.py',
                         'abigen.py')])
    return cell


def generate(env):
    action = SCons.Action.Action(_build_cell, _cell_message,
                                 varlist=['ARCH'])
    env['BUILDERS']['_CellBlob'] = SCons.Builder.Builder(
        action=action, suffix='.cell', src_suffix='.o')
    env.AddMethod(_cell_config, 'CellConfig')


def exists(env):
    try:
        import elftools  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
        import cffi  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return True
