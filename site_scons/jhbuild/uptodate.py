# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: a no-op run answered from stamps, before SCons reads the SConscripts.
#
# After a successful run, the build directory's .uptodate remembers, per
# invocation (its key: the resolved variables, the targets, the commands'
# environment, the version, Python and SCons), the stat stamp (inode, size,
# mtime and ctime in ns) of every file of the dependency graph SCons walked
# (sources, scanned headers, intermediate files, results), of the build's
# own logic (SConstruct, SConscripts, site_scons, Kconfig, .config; the
# .sconsign, which every run rewrites, need only exist), and the
# modification time of every directory of the source
# tree and of every directory outside it holding a source (a file added
# anywhere - a new config, a header that would shadow another on the include
# path - changes one of those).  The next identical invocation stats them
# all; if nothing differs, nothing SCons could decide differs either, and
# the run ends with SCons's own "is up to date" lines.  Anything that
# differs (ctime changes with every write, whatever a tool does to mtime)
# sends the run through SCons as usual, which then records anew.
#
# Only plain builds are answered this way: VAR=value, the part targets, -Q,
# -k and -j.  Any other option (-c, -n, -q, -s, --debug, -u, ...) and the
# install, docs and config targets always go through SCons.

import atexit
import json
import os
import sys
import time

VERSION = 1
FILE = ".uptodate"
KEEP = 8                # invocations remembered per build directory
# File times come from a coarse clock (a scheduler tick behind): anything
# changed this close to the start of the run counts as changed during it.
MARGIN_NS = 50 * 1000 * 1000
SKIP_DIRS = (".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis")


def eligible(argv, targets, allowed_targets):
    """Whether this command line is a plain build (see above)."""
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-Q", "-k", "--keep-going"):
            continue
        if arg in ("-j", "--jobs"):
            if not (args and args.pop(0).isdigit()):
                return False
            continue
        if arg.startswith("-j") and arg[2:].isdigit() or \
                arg.startswith("--jobs=") and arg[7:].isdigit():
            continue
        if arg.startswith("-"):
            return False
        if "=" not in arg and arg not in allowed_targets:
            return False
    return all(t in allowed_targets for t in targets)


def _file_stamp(st):
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _stat(path):
    try:
        return os.stat(path)
    except OSError:
        return None


class Stamps:
    """The .uptodate file of one build directory, for one invocation."""

    def __init__(self, build_dir, key):
        self.path = os.path.join(build_dir, FILE)
        self.build_dir = build_dir
        self.key = json.dumps(key, sort_keys=True)
        self.start_ns = time.time_ns() - MARGIN_NS

    def _load(self):
        try:
            with open(self.path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        return data.get("runs", {})

    def replay(self):
        """The lines to print if nothing changed since the last successful
        run of this invocation, else None."""
        run = self._load().get(self.key)
        if not run:
            return None
        for path, stamp in run["files"]:
            st = _stat(path)
            if st is None or _file_stamp(st) != stamp:
                return None
        for path in run["present"]:
            if not os.path.exists(path):
                return None
        for path, stamp in run["dirs"]:
            st = _stat(path)
            if st is None or [st.st_ino, st.st_mtime_ns] != stamp:
                return None
        return run["lines"]

    def record_at_exit(self, describe):
        """At exit, if the run succeeded: record it.  describe() gives
        (top nodes, logic files, files that need only exist, lines to
        replay, source tree top)."""
        atexit.register(self._record, describe)

    def _record(self, describe):
        import SCons.Script
        import SCons.Script.Main
        if SCons.Script.Main.exit_status or SCons.Script.GetBuildFailures():
            return
        tops, logic, present, lines, top_dir = describe()
        files = self._graph_files(tops)
        if files is None:
            return
        outputs = os.path.abspath(self.build_dir) + os.sep
        for path in logic:
            st = _stat(path)
            # Build logic changed while it ran: SCons may have read either.
            if st is None or (st.st_ctime_ns >= self.start_ns and
                              not path.startswith(outputs)):
                return
            files[path] = _file_stamp(st)
        dirs = self._dirs(top_dir, files)
        if dirs is None:
            return
        runs = self._load()
        runs[self.key] = {"files": sorted(files.items()), "dirs": dirs,
                          "present": present,
                          "lines": lines, "order": 1 + max(
                              [r.get("order", 0) for r in runs.values()],
                              default=0)}
        for old in sorted(runs, key=lambda k: runs[k]["order"])[:-KEEP]:
            del runs[old]
        tmp = self.path + ".tmp"
        try:
            with open(tmp, "w") as f:
                json.dump({"version": VERSION, "runs": runs}, f)
            os.replace(tmp, self.path)
        except OSError:
            pass

    @staticmethod
    def _graph_files(tops):
        """{path: stamp} of every file below the top nodes; None if the
        graph holds something stamps cannot vouch for (a directory as an
        input, a node built always) or a source changed after SCons looked
        at it."""
        import SCons.Node.Alias
        import SCons.Node.FS
        files = {}
        seen = set()
        stack = list(tops)
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if getattr(node, "always_build", False):
                return None
            if isinstance(node, SCons.Node.FS.Base):
                if isinstance(node, SCons.Node.FS.Dir):
                    return None
                if not node.has_builder() and not node.exists():
                    node = node.srcnode()   # a variant-dir view of a source
                path = node.get_abspath()
                st = _stat(path)
                if st is None or not os.path.isfile(path):
                    return None
                if not node.has_builder():
                    # What SCons saw when it decided (memoized), which a
                    # change during the build would make differ.
                    seen_st = node.stat()
                    if seen_st is None or \
                            _file_stamp(seen_st) != _file_stamp(st):
                        return None
                files[path] = _file_stamp(st)
            elif not isinstance(node, SCons.Node.Alias.Alias):
                continue        # values: derived from the key and the logic
            stack.extend(node.children())
            stack.extend(node.prerequisites or ())
        return files

    def _dirs(self, top_dir, files):
        """[[path, [inode, mtime]]] of the source tree's directories (but
        its build directories) and of the directories of files outside it
        and outside the build directory."""
        build_dir = os.path.abspath(self.build_dir)
        skip = {os.path.join(top_dir, "build"), build_dir}
        wanted = set()
        for root, subdirs, _names in os.walk(top_dir):
            subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS and
                          os.path.join(root, d) not in skip]
            wanted.add(root)
        inside = (top_dir + os.sep, build_dir + os.sep)
        for path in files:
            if not path.startswith(inside):
                wanted.add(os.path.dirname(path))
        # The run itself may have made the build directory in them.
        parents = set()
        parent = build_dir
        while os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
            parents.add(parent)
        dirs = []
        for path in sorted(wanted):
            st = _stat(path)
            # A file added or removed while SCons ran: it may have missed it.
            if st is None or (st.st_mtime_ns >= self.start_ns and
                              path not in parents):
                return None
            dirs.append([path, [st.st_ino, st.st_mtime_ns]])
        return dirs


def module_files(top_dir):
    """Python modules loaded from the source tree (site_scons, tools)."""
    prefix = top_dir + os.sep
    return sorted({m.__file__ for m in list(sys.modules.values())
                   if getattr(m, "__file__", None) and
                   m.__file__.startswith(prefix)})
