# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: Kconfig, loaded in-process with kconfiglib, strictly.
#
# Each build directory holds its own .config.  Loading it, or a CONFIG_*=value
# on the command line, must not silently drop anything: an unknown symbol, an
# invalid value or a value that does not stick (no prompt, unmet dependencies)
# is an error naming the symbol.  One load gives both outputs: config.h for C
# (rewritten only when its content changes) and a dict for the SConscripts.

import os
import sys

from .errors import BuildInputError

# Targets handled here instead of building anything.
CONFIG_TARGETS = ("menuconfig", "defconfig", "olddefconfig", "savedefconfig",
                  "allnoconfig", "allyesconfig")


def _import_kconfiglib():
    try:
        import kconfiglib
    except ImportError:
        raise BuildInputError("kconfiglib is missing: run `./quickstart setup` or "
                              "`pip install -r requirements.txt`")
    return kconfiglib


class KconfigSession:
    """One architecture's Kconfig tree and .config."""

    def __init__(self, srcdir, arch, config_path):
        kconfiglib = _import_kconfiglib()
        self.kconfiglib = kconfiglib
        self.config_path = config_path
        # The top-level Kconfig sources "hypervisor/arch/$(SRCARCH)/Kconfig".
        os.environ["SRCARCH"] = arch
        os.environ["KCONFIG_CONFIG"] = config_path
        cwd = os.getcwd()
        os.chdir(srcdir)
        try:
            self.kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False,
                                            suppress_traceback=True)
        except kconfiglib.KconfigError as err:
            raise BuildInputError("Kconfig: %s" % str(err).strip().splitlines()[0])
        finally:
            os.chdir(cwd)
        self.kconf.warn_assign_undef = True
        self.kconf.warn_assign_override = True
        self.kconf.warn_assign_redun = False
        self.srcdir = srcdir

    @property
    def filenames(self):
        """Every Kconfig file read, relative to the source tree."""
        return list(self.kconf.kconfig_filenames)

    # Loading -----------------------------------------------------------

    def _raise_warnings(self, origin, strict):
        warnings = self.kconf.warnings[:]
        del self.kconf.warnings[:]
        for text in warnings:
            text = text.replace("warning: ", "")
            if strict:
                raise BuildInputError("%s: %s (fix it, or run `scons "
                                      "olddefconfig` to drop it)" % (origin, text))
            sys.stderr.write("scons: notice: %s: %s\n" % (origin, text))

    def load(self, strict=True):
        """Load the .config if it exists, else start from the defaults."""
        if os.path.exists(self.config_path):
            self.kconf.load_config(self.config_path, replace=True)
            self._raise_warnings(self.config_path, strict)
            self._check_values_stuck(self.config_path, strict)
        else:
            self.kconf.load_config(os.devnull, replace=True)

    def load_minimal(self, path):
        """Start from the defaults plus a minimal config (for defconfig)."""
        if not os.path.isfile(path):
            raise BuildInputError("DEFCONFIG=%s: no such file" % path)
        self.kconf.load_config(path, replace=True)
        self._raise_warnings(path, strict=True)
        self._check_values_stuck(path, strict=True)

    def assign(self, assignments):
        """Apply CONFIG_NAME=value assignments from the command line."""
        for key, value in sorted(assignments.items()):
            name = key[len("CONFIG_"):]
            sym = self.kconf.syms.get(name)
            if sym is None or not sym.nodes:
                raise BuildInputError("%s=%s: no such Kconfig option for this "
                                      "architecture" % (key, value))
            if not sym.set_value(value):
                raise BuildInputError("%s=%s: invalid value for a %s option"
                                      % (key, value,
                                         self.kconfiglib.TYPE_TO_STR[sym.type]))
            self._raise_warnings("command line", strict=True)
        self._check_values_stuck("command line", strict=True)

    def _check_values_stuck(self, origin, strict):
        """A user value that did not take effect is refused, not dropped."""
        kc = self.kconfiglib
        for sym in self.kconf.unique_defined_syms:
            if sym.user_value is None:
                continue
            wanted = sym.user_value
            if sym.orig_type in (kc.BOOL, kc.TRISTATE):
                wanted = kc.TRI_TO_STR[wanted]
            if wanted == sym.str_value:
                continue
            why = "it has no prompt" if not any(n.prompt for n in sym.nodes) \
                else "its dependencies are not met"
            text = ("CONFIG_%s=%s cannot be set (%s; the value is %s)"
                    % (sym.name, wanted, why, sym.str_value or "unset"))
            if strict:
                raise BuildInputError("%s: %s" % (origin, text))
            sys.stderr.write("scons: notice: %s: %s\n" % (origin, text))

    # Preset configurations --------------------------------------------

    def set_all(self, value):
        """allnoconfig (0) or allyesconfig (2), as far as dependencies allow."""
        kc = self.kconfiglib
        self.kconf.load_config(os.devnull, replace=True)
        # Repeat: enabling one symbol may make another visible.
        for _ in range(len(self.kconf.unique_defined_syms)):
            changed = False
            for sym in self.kconf.unique_defined_syms:
                if sym.orig_type in (kc.BOOL, kc.TRISTATE) and sym.visibility:
                    target = min(value, sym.visibility)
                    if sym.tri_value != target and target in sym.assignable:
                        sym.set_value(target)
                        changed = True
            if not changed:
                break

    # Outputs -----------------------------------------------------------

    def write_config(self):
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        return self.kconf.write_config(self.config_path)

    def write_min_config(self, path):
        return self.kconf.write_min_config(path)

    def header_text(self):
        """config.h: kconfiglib's #defines, plus `#define CONFIG_X 0` for
        every bool option that is off, so C tests options with a plain
        `if (CONFIG_X)` or `#if CONFIG_X` and needs no list of its own."""
        kc = self.kconfiglib
        lines = [self.kconf._autoconf_contents(
            "/* Generated from Kconfig by the build: do not edit. */\n")]
        for sym in self.kconf.unique_defined_syms:
            if sym.orig_type in (kc.BOOL, kc.TRISTATE) and \
                    sym.str_value == "n":
                lines.append("#define CONFIG_%s 0\n" % sym.name)
        return "".join(lines)

    def write_header(self, path):
        """config.h for C, rewritten only when its content changes."""
        from .version import write_if_changed
        write_if_changed(path, self.header_text())

    def values(self):
        """CONFIG_NAME -> value: bools as True/False, int and hex as int."""
        kc = self.kconfiglib
        result = {}
        for sym in self.kconf.unique_defined_syms:
            value = sym.str_value
            if sym.orig_type in (kc.BOOL, kc.TRISTATE):
                value = value != "n"
            elif sym.orig_type in (kc.INT, kc.HEX):
                value = int(value, 0) if value else None
            result["CONFIG_" + sym.name] = value
        return result

    def menuconfig(self):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise BuildInputError("menuconfig needs a terminal (use "
                                  "CONFIG_NAME=value or defconfig instead)")
        import menuconfig
        menuconfig.menuconfig(self.kconf)


def run_config_target(session, target, defconfig=None):
    """Carry out one of CONFIG_TARGETS; returns the line to print."""
    if target == "menuconfig":
        session.load()
        session.menuconfig()
        return None
    if target == "defconfig":
        if defconfig:
            session.load_minimal(defconfig)
        else:
            session.kconf.load_config(os.devnull, replace=True)
    elif target == "olddefconfig":
        session.load(strict=False)
    elif target == "savedefconfig":
        session.load()
        path = os.path.join(os.path.dirname(session.config_path), "defconfig")
        session.write_min_config(path)
        return "minimal configuration written to %s" % path
    elif target == "allnoconfig":
        session.set_all(0)
    elif target == "allyesconfig":
        session.set_all(2)
    session.write_config()
    return "configuration written to %s" % session.config_path


class ValuesCache:
    """The values of the last successful load, reused while nothing it read
    has changed: parsing the Kconfig tree is most of a no-op build's own
    time.  Its key: architecture, command-line assignments, and size and
    modification time of .config, config.h and every Kconfig file read."""

    VERSION = 1

    def __init__(self, path, arch, assignments):
        self.path = path
        self.key = {"version": self.VERSION, "arch": arch,
                    "assignments": sorted(assignments.items())}

    @staticmethod
    def _stamp(paths):
        stamps = {}
        for path in paths:
            try:
                st = os.stat(path)
            except OSError:
                return None
            stamps[path] = [st.st_mtime_ns, st.st_size]
        return stamps

    def load(self):
        """The cached values, or None when anything may have changed."""
        import json
        try:
            with open(self.path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            return None
        if data.get("key") != json.loads(json.dumps(self.key)):
            return None
        if self._stamp(data.get("inputs", {})) != data.get("inputs"):
            return None
        return data.get("values")

    def inputs(self):
        """The files the cached values depend on ([] without a cache)."""
        import json
        try:
            with open(self.path) as f:
                return sorted(json.load(f).get("inputs", {}))
        except (OSError, ValueError, AttributeError):
            return []

    def save(self, values, inputs):
        import json
        stamps = self._stamp(inputs)
        if stamps is None:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"key": self.key, "inputs": stamps, "values": values}, f)
        os.replace(tmp, self.path)
