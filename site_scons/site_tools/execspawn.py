# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: run a plain command line without a shell.
#
# SCons hands every command to `sh -c`, one extra process per compile (about
# a tenth of a clean build's frontend CPU time).  A command line made only
# of words without shell syntax (no quotes, variables, globs, redirections,
# separators; no leading assignment) means the same to sh as its words split
# at blanks, so it is executed directly; anything else still goes to sh.

import re
import subprocess
import sys

PLAIN = re.compile(r"[A-Za-z0-9_./=+,:@%^-]+")


def _words(args):
    """The argv of a command line sh would split into these words, or None
    if sh would do more than split it."""
    words = " ".join(args).split()
    if not words or "=" in words[0]:
        return None
    if not all(PLAIN.fullmatch(word) for word in words):
        return None
    return words


def spawn(sh, escape, cmd, args, env):
    words = _words(args)
    if words is None:
        argv = [sh, "-c", " ".join(args)]
    else:
        argv = words
    try:
        return subprocess.Popen(argv, env=env, close_fds=True).wait()
    except OSError as err:
        # What sh would say and return for a missing or unusable program.
        print("%s: %s" % (argv[0], err.strerror), file=sys.stderr)
        return 127 if isinstance(err, FileNotFoundError) else 126


def generate(env):
    env["SPAWN"] = spawn


def exists(env):
    return True
