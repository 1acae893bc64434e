# SPDX-License-Identifier: GPL-2.0-only
# Man pages and bash completion of the jailhouse command stay true to its command line
"""Every command and option the tool takes is documented and completed, and
the documentation and completion offer nothing the tool does not take."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO
import fake_jailhouse  # noqa: F401 (puts tools/ on sys.path)
from pyjailhouse import cli  # noqa: E402

MAN = os.path.join(REPO, 'tools', 'man')
COMPLETION = os.path.join(REPO, 'tools', 'completion', 'jailhouse.bash')
OPTION = re.compile(r'(?<![\w-])-(?:-[a-z][a-z-]*|[a-z])\b')


def read(path):
    with open(path) as fileobj:
        return fileobj.read()


def man_text(name):
    text = read(os.path.join(MAN, name + '.8.in')).replace('\\-', '-')
    return re.sub(r'\\f[BIRP]', ' ', text)


def cli_options():
    """Options appearing in the usage lines of the tool."""
    found = {'--help', '-h', '--version', '--name'}
    for usage, _ in cli.COMMANDS.values():
        found.update(OPTION.findall(usage))
    return found


def test_every_command_is_in_the_man_pages():
    overview = man_text('jailhouse')
    cell = man_text('jailhouse-cell')
    for words in cli.COMMANDS:
        if words == ('config', 'collect'):
            assert 'config collect' in overview
        elif words[0] == 'cell':
            assert re.search(r'\b%s\b' % words[1], cell), words
        else:
            assert ' '.join(words) in overview, words


def test_every_option_is_in_the_man_pages():
    text = ''.join(man_text(n) for n in ('jailhouse', 'jailhouse-cell',
                                         'jailhouse-enable'))
    documented = set(OPTION.findall(text))
    missing = cli_options() - documented - {'-h', '-g', '-r'}
    assert not missing
    # nothing documented that the tool does not know (kernel parameters
    # and manual-page markup excluded)
    assert documented <= cli_options() | {'-man'}, documented - cli_options()


def test_environment_variables_are_documented():
    text = man_text('jailhouse')
    for name in ('JAILHOUSE_DEVICE', 'JAILHOUSE_SYSFS',
                 'JAILHOUSE_TEST_BACKEND'):
        assert name in text


def _compgen_words():
    text = read(COMPLETION).replace('$(_jailhouse_cells)', '')
    return [set(m.split()) for m in re.findall(r'compgen -W "([^"$]*)"',
                                               text)]


def test_completion_offers_exactly_the_subcommands():
    offered = _compgen_words()
    for group in ('cell', 'config', 'hardware'):
        subs = {w[1] for w in cli.COMMANDS if w[0] == group}
        assert subs | {'--help'} in offered, group
    top = {w[0] for w in cli.COMMANDS} | {'--help', '--version'}
    assert top in offered


def test_completion_options_are_real():
    words = set().union(*_compgen_words())
    options = {w for w in words if w.startswith('-')}
    assert options <= cli_options(), options - cli_options()
    # and every option of load, console and stats can be completed
    for option in ('-s', '--string', '-a', '--address', '-f', '--follow',
                   '--once', '--cpu', '--interval', '--count', '--name'):
        assert option in options


@pytest.mark.skipif(not shutil.which('bash'), reason='no bash')
def test_completion_is_valid_bash():
    subprocess.run(['bash', '-n', COMPLETION], check=True)


@pytest.mark.skipif(not shutil.which('groff'), reason='no groff')
@pytest.mark.parametrize('name', ['jailhouse', 'jailhouse-cell',
                                  'jailhouse-enable'])
def test_man_pages_format_cleanly(name, tmp_path):
    page = tmp_path / (name + '.8')
    page.write_text(read(os.path.join(MAN, name + '.8.in'))
                    .replace('@DATE@', '2026-01-01')
                    .replace('@VERSION@', '0'))
    result = subprocess.run(['groff', '-man', '-ww', '-z', str(page)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ''
