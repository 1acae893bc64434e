# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: install targets, in upstream Jailhouse's layout.
#
#   $DESTDIR$firmwaredir/          jailhouse*.bin              firmware_install
#   $INSTALL_MOD_PATH/lib/modules/ jailhouse.ko (Kbuild)       modules_install
#   $DESTDIR$libexecdir/jailhouse/ linux-loader.bin            tool_inmates_install
#   $DESTDIR$sbindir/              jailhouse                   install
#   $DESTDIR$libexecdir/jailhouse/ jailhouse-* helpers         install
#   $DESTDIR$libexecdir/jailhouse/pyjailhouse/  private copy   install
#   $DESTDIR$datadir/jailhouse/    config-create templates     install
#   $DESTDIR$man8dir/              jailhouse*.8                install
#   $DESTDIR$completionsdir/       jailhouse                   install
#   Python site-packages           pyjailhouse (via $PIP)      install

import shlex

import SCons.Action


def _pip_action(settings):
    """Install the staged pyjailhouse with $PIP; PIP=: (or empty) skips it."""
    pip = settings["PIP"].strip()
    if pip in ("", ":", "true"):
        return SCons.Action.Action(
            lambda target, source, env: None,
            "  %-8s%s" % ("SKIP", "pyjailhouse (PIP=%s)" % (pip or "''")))
    # Offline, no caches or byte code outside DESTDIR: pip writes only below
    # --root (and its build files in the staged package directory).
    args = ["install", "--no-deps", "--no-build-isolation", "--no-index",
            "--ignore-installed", "--no-warn-script-location", "--quiet",
            "--no-compile", "--no-cache-dir", "--disable-pip-version-check",
            "--prefix", settings["prefix"]]
    if settings["DESTDIR"]:
        args += ["--root", settings["DESTDIR"]]
    command = "%s %s ${SOURCE.dir.abspath}" % (pip, " ".join(
        shlex.quote(a) for a in args))
    return SCons.Action.Action(command, "$PIPCOMSTR")


def define(env, settings, nodes):
    """Create the install aliases from the parts' returned nodes."""
    dest = settings["DESTDIR"]

    def place(directory, files):
        return env.Install(dest + settings[directory], files) if files else []

    firmware = env.Alias("firmware_install",
                         place("firmwaredir", nodes["hypervisor"].get("firmware", [])))
    helpers_dir = dest + settings["libexecdir"] + "/jailhouse"
    tool_inmates = env.Alias(
        "tool_inmates_install",
        env.Install(helpers_dir, nodes["inmates"].get("tool_inmates", [])))

    modules = nodes["driver"].get("install") or env.Alias("modules_install", [])

    tools = {key: nodes["tools"].get(key, []) for key in
             ("sbin", "libexec", "private_package", "data", "man8",
              "completion", "python_package")}
    installed = [
        place("sbindir", tools["sbin"]),
        env.Install(helpers_dir, tools["libexec"]),
        # The command and helpers find this copy first, so they work however
        # pyjailhouse was (or was not) pip-installed.
        env.Install(helpers_dir + "/pyjailhouse", tools["private_package"]),
        env.Install(dest + settings["datadir"] + "/jailhouse", tools["data"]),
        place("man8dir", tools["man8"]),
        place("completionsdir", tools["completion"]),
    ]
    pip_env = env.Clone()
    pip_env["ENV"] = dict(env["ENV"], PIP_NO_CACHE_DIR="1",
                          PYTHONDONTWRITEBYTECODE="1",
                          PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = pip_env.Alias("pyjailhouse_install", tools["python_package"],
                        _pip_action(settings))
    env.AlwaysBuild(pip)
    tools_install = env.Alias("tools_install", [installed, pip])
    env.Alias("install", [firmware, modules, tool_inmates, tools_install])
