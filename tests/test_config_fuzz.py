# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: property-based fuzzing of the .cell parser
"""Any byte string parses into a configuration or raises ConfigError;
nothing else escapes. What parses also writes back byte-identically and
survives the semantic checks, config show and config check."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abi_helpers import COMPILERS, have, read, shipped_cells
from pyjailhouse import config, config_check, config_show

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _seeds():
    seeds = []
    for arch in sorted(COMPILERS):
        if have(COMPILERS[arch]):
            seeds += [read(p) for p in sorted(shipped_cells(arch).values())]
    return seeds


SEEDS = _seeds()


def _exercise(data):
    try:
        cfg = config.parse(data, 'fuzz.cell')
    except config.ConfigError as err:
        assert str(err).startswith('fuzz.cell: ')
        return
    assert cfg.to_bytes() == data
    problems = cfg.problems()
    assert all(isinstance(p, str) for p in problems)
    config_show.format_config(cfg, 'fuzz.cell')
    if isinstance(cfg, config.SystemConfig):
        list(config_check.check_together(cfg, []))


@SETTINGS
@given(st.binary(max_size=1200))
def test_random_bytes(data):
    _exercise(data)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(['flip', 'word', 'cut', 'grow']))
        if action == 'flip' and data:
            pos = draw(st.integers(0, len(data) - 1))
            data[pos] = draw(st.integers(0, 255))
        elif action == 'word' and len(data) >= 4:
            # counts and sizes are 32-bit words: hit them often
            pos = draw(st.integers(0, len(data) // 4 - 1)) * 4
            value = draw(st.sampled_from([0, 1, 2, 0xff, 0x1000, 0x7fffffff,
                                          0xffffffff]))
            data[pos:pos + 4] = value.to_bytes(4, 'little')
        elif action == 'cut':
            data = data[:draw(st.integers(0, len(data)))]
        else:
            data += draw(st.binary(max_size=64))
    return bytes(data)


@SETTINGS
@given(mutated())
def test_mutated_configs(data):
    _exercise(data)


@SETTINGS
@given(st.sampled_from(SEEDS), st.integers(0, 2000))
def test_valid_prefixes(seed, cut):
    data = seed[:cut]
    if len(data) != len(seed):
        try:
            config.parse(data, 'cut.cell')
        except config.ConfigError:
            return
        raise AssertionError('truncated config parsed')
