# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: how the command line names a cell (ID or name)
"""Cell references as the jailhouse command takes them: `{ ID | [--name] NAME }`.

A word that reads as a non-negative C integer (decimal, 0x hexadecimal or
0 octal, as strtoll with base 0 reads it) is a cell ID; `--name NAME` or any
other word is a name. Parsing errors raise ValueError with a message fit for
the user.
"""

import os
import re

from .abi import C

# strtoll(..., 0) forms without sign: 0x1f, 017, 42
_INTEGER = re.compile(r'\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)')

NAME_MAX = C.JAILHOUSE_CELL_ID_NAMELEN       # bytes, excluding the NUL
ID_MAX = 0x7fffffff                           # the id field is an __s32


def parse_number(text):
    """A C integer literal (strtoll base 0, no minus sign) or None."""
    match = _INTEGER.fullmatch(text)
    if not match:
        return None
    digits = match.group(1)
    if digits[:2] in ('0x', '0X'):
        return int(digits, 16)
    if len(digits) > 1 and digits[0] == '0':
        return int(digits, 8)
    return int(digits, 10)


_STRTOULL = re.compile(r'[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|'
                       r'[1-9][0-9]*)')


def parse_strtoull(text):
    """The value strtoull(text, &end, 0) gives when it reads all of text
    without ERANGE (leading white space, a sign, 0x/0 prefixes; a minus
    sign negates modulo 2^64), else None."""
    match = _STRTOULL.fullmatch(text)
    if not match:
        return None
    sign, digits = match.groups()
    if digits[:2] in ('0x', '0X'):
        value = int(digits, 16)
    elif len(digits) > 1 and digits[0] == '0':
        value = int(digits, 8)
    else:
        value = int(digits, 10)
    if value >= 1 << 64:
        return None
    return (-value) % (1 << 64) if sign == '-' else value


class CellRef:
    """A cell named by its numerical ID or by its name (exactly one is set)."""

    def __init__(self, cell_id=None, name=None):
        if (cell_id is None) == (name is None):
            raise ValueError('a cell is named by ID or by name')
        self.id = cell_id
        self.name = name

    @property
    def name_bytes(self):
        return os.fsencode(self.name)

    def describe(self):
        """'cell 3' or "cell 'foo'" for messages."""
        if self.id is not None:
            return 'cell %d' % self.id
        return "cell '%s'" % self.name

    def missing(self):
        """Message for a cell that does not exist."""
        if self.id is not None:
            return 'no cell with ID %d' % self.id
        return "no cell named '%s'" % self.name

    def __eq__(self, other):
        return isinstance(other, CellRef) and \
            (self.id, self.name) == (other.id, other.name)

    def __repr__(self):
        return 'CellRef(%r, %r)' % (self.id, self.name)


def parse(args):
    """Parse a cell reference at the start of args.

    Returns (CellRef, number of words used); raises ValueError if args does
    not start with a usable reference.
    """
    if not args:
        raise ValueError('missing cell ID or name')
    if args[0] == '--name':
        if len(args) < 2:
            raise ValueError('--name needs a cell name')
        return _by_name(args[1]), 2
    number = parse_number(args[0])
    if number is None:
        return _by_name(args[0]), 1
    if number > ID_MAX:
        raise ValueError('cell ID %s out of range' % args[0])
    return CellRef(cell_id=number), 1


def _by_name(name):
    if not name:
        raise ValueError('empty cell name')
    if len(os.fsencode(name)) > NAME_MAX:
        raise ValueError("cell name '%s' longer than %d bytes"
                         % (name, NAME_MAX))
    return CellRef(name=name)
