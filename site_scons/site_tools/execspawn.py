# SPDX-License-Identifier: GPL-2.0-only
# SCons tool: run a plain command line without a shell.
#
# SCons hands every command to `sh -c`, one extra process per compile.  A
# command line made only of words without shell syntax (no variables, globs,
# redirections, separators, no leading assignment; quotes only around a
# word with nothing special inside) means to sh just its words, so it is
# executed directly; anything else still goes to sh.

import re
import subprocess
import sys

PLAIN = re.compile(r"[A-Za-z0-9_./=+,:@%^-]+")
# Inside double quotes only these keep a meaning for sh.
QUOTED_SPECIAL = ('"', "$", "`", "\\")


def _words(args):
    """The argv of a command line sh would split into these words, or None
    if sh would do more than split it.  SCons has already quoted file names
    ("path", its escape function); such a word is taken without its quotes
    when nothing inside them means something to sh."""
    words = []
    for arg in args:
        if len(arg) >= 2 and arg[0] == arg[-1] == '"':
            inner = arg[1:-1]
            if any(c in inner for c in QUOTED_SPECIAL):
                return None
            words.append(inner)
        elif PLAIN.fullmatch(arg):
            words.append(arg)
        else:
            return None
    if not words or "=" in words[0]:
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
