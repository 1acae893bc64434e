# SPDX-License-Identifier: GPL-2.0-only
# The README's walkthrough as data: parsed once here for the demo script and the tests.

"""A walkthrough is the code blocks between BEGIN and END markers of a
Markdown file; lines starting with the root prompt "# " are commands and
the lines after one are what it prints.  A file may hold several, each
with markers of its own name ("walkthrough-arm" for the ARMv7 one)."""

DEFAULT = "walkthrough"
BEGIN, END = "<!-- walkthrough:begin -->", "<!-- walkthrough:end -->"
PROMPT = "# "


def markers(name=DEFAULT):
    """The (begin, end) markers of the walkthrough called name."""
    return "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name


def session(text, name=DEFAULT):
    """[(command, [output lines shown])] of the walkthrough in text."""
    begin, end_marker = markers(name)
    start, end = text.find(begin), text.find(end_marker)
    if not 0 <= start < end:
        raise ValueError("no %s ... %s markers" % (begin, end_marker))
    result, in_code = [], False
    for line in text[start:end].splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and line.startswith(PROMPT):
            result.append((line[len(PROMPT):].strip(), []))
        elif in_code and result:
            result[-1][1].append(line.rstrip())
    return result


def commands(text, name=DEFAULT):
    return [command for command, _shown in session(text, name)]
