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
built. $CELLCOMSTR, if set, is the quiet-mode message.

pyjailhouse is imported only when a cell is actually built, with the ABI
modules the build generated once ($PYJAILHOUSE_ABI, see the pyabi tool):
reading the SConscripts, as every no-op run does, needs neither.
"""

import ast
import importlib.util
import os
import sys
import threading

import SCons.Action
import SCons.Builder
import SCons.Errors
import SCons.Script


# SCons runs Python actions of parallel jobs in threads: one thread must not
# see a generated module in sys.modules before it has finished executing.
_IMPORT_LOCK = threading.Lock()


def _pyjailhouse(abi_modules=()):
    """pyjailhouse.cellblob from the source tree, its ABI description taken
    from the generated modules when given (never derived again)."""
    with _IMPORT_LOCK:
        return _import_pyjailhouse(abi_modules)


def _import_pyjailhouse(abi_modules):
    tools_dir = SCons.Script.Dir('#tools').abspath
    if tools_dir not in sys.path:
        sys.path.insert(0, tools_dir)
    import pyjailhouse  # pylint: disable=import-outside-toplevel
    for path in abi_modules:
        name = 'pyjailhouse.' + os.path.basename(path)[:-len('.py')]
        if name in sys.modules:
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(pyjailhouse, name.rsplit('.', 1)[1], module)
    from pyjailhouse import cellblob  # pylint: disable=import-outside-toplevel
    return cellblob


_CFLAGS = []


def _cellblob_cflags():
    """cellblob.CFLAGS, read from its source without importing it."""
    if not _CFLAGS:
        path = SCons.Script.File('#tools/pyjailhouse/cellblob.py').abspath
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                    getattr(t, 'id', None) == 'CFLAGS' for t in node.targets):
                _CFLAGS.extend(ast.literal_eval(node.value))
        if not _CFLAGS:
            raise SCons.Errors.UserError('%s: no CFLAGS list' % path)
    return list(_CFLAGS)


def _source_name(node):
    """Path of the source as the user knows it (relative to the top)."""
    src = node.srcnode()
    try:
        return os.path.relpath(src.abspath, SCons.Script.Dir('#').abspath)
    except ValueError:
        return src.abspath


def _build_cell(target, source, env):
    cellblob = _pyjailhouse([node.abspath for node in
                             env.get('PYJAILHOUSE_ABI', [])])
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
    # Overrides, not a Clone: cloning per cell is most of reading configs/.
    flags = list(env['CCFLAGS']) + [f for f in _cellblob_cflags()
                                    if f not in env['CCFLAGS']]
    paths = list(env['CPPPATH'])
    if '#include' not in paths:
        paths.append('#include')
    cenv = env.Override({'CCFLAGS': flags, 'CPPPATH': paths})
    src = cenv.arg2nodes(source, cenv.File)[0]
    tgt = cenv.arg2nodes(target, cenv.File)[0]
    obj = cenv.Object(tgt.dir.File(os.path.splitext(tgt.name)[0] + '.cell.o'),
                      src, **kwargs)
    cell = cenv._CellBlob(tgt, obj, CELL_SOURCE_NODE=[src])
    # pyjailhouse's checks are part of the recipe.
    cenv.Depends(cell, cenv.Glob('#tools/pyjailhouse/*.py') +
                 list(env.get('PYJAILHOUSE_ABI', [])))
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
