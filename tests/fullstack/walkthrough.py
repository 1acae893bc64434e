# SPDX-License-Identifier: GPL-2.0-only
# The README's walkthrough as data: parsed once here for the demo script and the tests.

"""A walkthrough is the code blocks between BEGIN and END markers of a
Markdown file; lines starting with the root prompt "# " are commands and
the lines after one are what it prints."""

BEGIN, END = "<!-- walkthrough:begin -->", "<!-- walkthrough:end -->"
PROMPT = "# "


def session(text):
    """[(command, [output lines shown])] of the walkthrough in text."""
    start, end = text.find(BEGIN), text.find(END)
    if not 0 <= start < end:
        raise ValueError("no walkthrough markers")
    result, in_code = [], False
    for line in text[start:end].splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and line.startswith(PROMPT):
            result.append((line[len(PROMPT):].strip(), []))
        elif in_code and result:
            result[-1][1].append(line.rstrip())
    return result


def commands(text):
    return [command for command, _shown in session(text)]
