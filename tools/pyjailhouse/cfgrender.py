# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: C text of generated configurations, filled into the templates
"""The templates (datadir/jailhouse/*.c.tmpl) are C files with ${name}
placeholders (Python's string.Template); this module finds them and
writes the C initialisers that go into them."""

import os
import string

from .sysroot import InputError

TAB = '\t'


def template_dirs(explicit=None):
    """Where templates are looked for, in order."""
    if explicit:
        return [explicit]
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [os.path.join(here, '..', 'templates')]      # source/build tree
    try:
        from ._paths import TEMPLATE_DIR  # pylint: disable=import-outside-toplevel
        dirs.append(TEMPLATE_DIR)
    except ImportError:
        pass
    dirs += [os.path.join(here, '..', '..', 'share', 'jailhouse'),
             '/usr/share/jailhouse', '/usr/local/share/jailhouse']
    return dirs


def render(template, template_dir=None, **values):
    for directory in template_dirs(template_dir):
        path = os.path.join(directory, template)
        if os.path.isfile(path):
            break
    else:
        raise InputError('template %s not found in %s' % (
            template, ', '.join(template_dirs(template_dir))))
    try:
        with open(path, encoding='utf-8') as fileobj:
            text = fileobj.read()
    except OSError as err:
        raise InputError('cannot read template %s: %s'
                         % (path, os.strerror(err.errno))) from None
    try:
        return string.Template(text).substitute(values)
    except (KeyError, ValueError) as err:
        raise InputError('template %s: bad or unknown placeholder %s'
                         % (path, err)) from None


def hexnum(value, width=8):
    return '0x%0*x' % (width, value)


def flags_expr(flags, indent, first_column=None):
    """'A | B |' lines of flags, continued at indent + one tab, each line
    within 80 columns (tabs of 8)."""
    column = first_column if first_column is not None else \
        8 * len(indent) + 10
    cont = 8 * (len(indent) + 1)
    lines = [[]]
    width = column
    for flag in flags:
        need = len(flag) + 3
        if lines[-1] and width + need > 80:
            lines.append([])
            width = cont
        lines[-1].append(flag)
        width += need
    return (' |\n' + indent + '\t').join(' | '.join(l) for l in lines)


def mem_region(phys, virt, size, flags, comment=None, depth=2):
    ind = TAB * depth
    head = '%s/* %s */ {' % (ind, comment) if comment else ind + '{'
    body = []
    if phys is not None:
        body.append('%s\t.phys_start = %s,' % (ind, hexnum(phys)))
    body.append('%s\t.virt_start = %s,' % (ind, hexnum(virt)))
    body.append('%s\t.size = %s,' % (ind, hexnum(size)))
    body.append('%s\t.flags = %s,' % (ind, flags_expr(flags, ind + '\t')))
    return '\n'.join([head] + body + [ind + '},'])


def wrap_comment(text, depth=2, width=72):
    """A C comment of text, wrapped at width columns."""
    ind = TAB * depth
    words = text.split()
    lines = []
    line = ''
    for word in words:
        if line and len(line) + len(word) + 1 > width - 8 * depth - 3:
            lines.append(line)
            line = word
        else:
            line = (line + ' ' + word).strip()
    if line:
        lines.append(line)
    if len(lines) == 1:
        return '%s/* %s */' % (ind, lines[0])
    return '\n'.join(['%s/*' % ind] + ['%s * %s' % (ind, l) for l in lines] +
                     ['%s */' % ind])


def cpu_words(indices):
    """Initialiser lines of a CPU bitmap of __u64 words, and their count."""
    count = max(indices) // 64 + 1
    words = [0] * count
    for cpu in indices:
        words[cpu // 64] |= 1 << (cpu % 64)
    return '\n'.join('\t\t%#x,' % w for w in words), count


def irqchip(address, pin_base, pins, comment=None, depth=2):
    """An irqchip entry with the given pins (absolute numbers) set."""
    ind = TAB * depth
    bitmap = [0, 0, 0, 0]
    for pin in pins:
        off = pin - pin_base
        if 0 <= off < 128:
            bitmap[off // 32] |= 1 << (off % 32)
    head = '%s/* %s */ {' % (ind, comment) if comment else ind + '{'
    return '\n'.join([
        head,
        '%s\t.address = %s,' % (ind, hexnum(address)),
        '%s\t.pin_base = %d,' % (ind, pin_base),
        '%s\t.pin_bitmap = {' % ind,
        '%s\t\t%s,' % (ind, ', '.join(hexnum(w) for w in bitmap[:2])),
        '%s\t\t%s,' % (ind, ', '.join(hexnum(w) for w in bitmap[2:])),
        '%s\t},' % ind,
        ind + '},'])


def console(ctype, address, flags, size=0x1000, depth=3):
    ind = TAB * depth
    if ctype is None:
        return '%s.type = JAILHOUSE_CON_TYPE_NONE,' % ind
    lines = ['%s.address = %s,' % (ind, hexnum(address)),
             '%s.size = %s,' % (ind, hexnum(size, 4)),
             '%s.type = JAILHOUSE_CON_TYPE_%s,' % (ind, ctype),
             '%s.flags = %s,' % (ind, flags_expr(flags, ind))]
    return '\n'.join(lines)
