# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: one-line fatal errors for bad build input.

import sys


class BuildInputError(Exception):
    """Bad input from the user (variable, .config, target); its text is one line."""


def fail(message):
    """Print a one-line error in SCons's style and stop with exit status 2."""
    sys.stderr.write("scons: *** %s\n" % message)
    sys.stderr.flush()
    raise SystemExit(2)
