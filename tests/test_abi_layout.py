# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: cffi layout equals what every target compiler lays out
"""For every structure and union the cffi view declares, sizeof and the
offset of every member (bit position for bit fields, nested structures
recursively) must equal the DWARF description the target compilers emit
for the same header. Also pins the comm region layout of each
architecture to the ABI 2 offsets and the config sizes to the facts."""

import subprocess

import pytest
from elftools.elf.elffile import ELFFile

from abi_helpers import COMPILERS, INCLUDE, have
from pyjailhouse.abi import ffi, struct_names
from pyjailhouse import abigen

ALL_HEADERS = ''.join('#include <%s>\n' % h for h in abigen.HEADERS)


def _compile_debug(compiler, tmp_path, source, extra=()):
    src = tmp_path / 'layout.c'
    src.write_text(source)
    obj = tmp_path / 'layout.o'
    proc = subprocess.run([compiler, '-g', '-O0', '-c', '-ffreestanding',
                           '-nostdinc', '-fno-eliminate-unused-debug-types',
                           '-I', INCLUDE] + list(extra) +
                          [str(src), '-o', str(obj)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return str(obj)


def _attr(die, name, default=None):
    attr = die.attributes.get(name)
    return attr.value if attr is not None else default


def _dwarf_types(obj):
    """{'struct NAME' / 'union NAME': DIE} of the object's debug info."""
    types = {}
    with open(obj, 'rb') as fileobj:
        elf = ELFFile(fileobj)
        dwarf = elf.get_dwarf_info()
        for cu in dwarf.iter_CUs():
            for die in cu.iter_DIEs():
                if die.tag not in ('DW_TAG_structure_type',
                                   'DW_TAG_union_type'):
                    continue
                name = _attr(die, 'DW_AT_name')
                if name is None or _attr(die, 'DW_AT_declaration'):
                    continue
                kind = 'struct' if die.tag == 'DW_TAG_structure_type' \
                    else 'union'
                types['%s %s' % (kind, name.decode())] = die
        # Resolve everything while the file is open.
        return {name: _layout(die) for name, die in types.items()}


def _strip(die):
    """Follow typedefs and qualifiers to the underlying type DIE."""
    while die.tag in ('DW_TAG_typedef', 'DW_TAG_volatile_type',
                      'DW_TAG_const_type'):
        die = die.get_DIE_from_attribute('DW_AT_type')
    return die


def _member_bitpos(member):
    if 'DW_AT_data_bit_offset' in member.attributes:
        return _attr(member, 'DW_AT_data_bit_offset')
    return _attr(member, 'DW_AT_data_member_location', 0) * 8


def _layout(die, base_bits=0):
    """(size, {member path: (bit position, bit size or None)}) with
    anonymous members flattened into their parent, as cffi does."""
    fields = {}
    for member in die.iter_children():
        if member.tag != 'DW_TAG_member':
            continue
        name = _attr(member, 'DW_AT_name')
        pos = base_bits + _member_bitpos(member)
        mtype = _strip(member.get_DIE_from_attribute('DW_AT_type'))
        bits = _attr(member, 'DW_AT_bit_size')
        if name is None:
            fields.update(_layout(mtype, pos)[1])
            continue
        name = name.decode()
        fields[name] = (pos, bits)
        if mtype.tag in ('DW_TAG_structure_type', 'DW_TAG_union_type') and \
                _attr(mtype, 'DW_AT_name') is None:
            for sub, value in _layout(mtype, 0)[1].items():
                fields[name + '.' + sub] = value
    return _attr(die, 'DW_AT_byte_size'), fields


def _cffi_layout(ctype):
    fields = {}

    def walk(ctype, prefix, base):
        for name, field in ctype.fields:
            bitpos = (base + field.offset) * 8
            if field.bitsize >= 0:
                fields[prefix + name] = (bitpos + field.bitshift,
                                         field.bitsize)
                continue
            fields[prefix + name] = (bitpos, None)
            ftype = field.type
            if ftype.kind == 'struct' and ftype.cname.startswith(
                    ('struct $', 'union $')):
                walk(ftype, prefix + name + '.', 0)
    walk(ctype, '', 0)
    return fields


STRUCTS = struct_names()


def test_cdef_declares_the_interface():
    for name in ('struct jailhouse_system', 'struct jailhouse_cell_desc',
                 'struct jailhouse_memory', 'struct jailhouse_pci_device',
                 'struct jailhouse_iommu', 'union jailhouse_stream_id',
                 'struct jailhouse_console', 'struct jailhouse_cell_load',
                 'struct jailhouse_header'):
        assert name in STRUCTS


@pytest.fixture(scope='module', params=sorted(COMPILERS))
def dwarf_layout(request, tmp_path_factory):
    compiler = COMPILERS[request.param]
    if not have(compiler):
        pytest.skip('%s is not installed' % compiler)
    tmp_path = tmp_path_factory.mktemp('layout-' + request.param)
    source = ALL_HEADERS + ''.join(
        '%s jh_layout_%d;\n' % (name, i) for i, name in enumerate(STRUCTS))
    return _dwarf_types(_compile_debug(compiler, tmp_path, source))


@pytest.mark.parametrize('name', STRUCTS)
def test_layout_matches_compiler(dwarf_layout, name):
    assert name in dwarf_layout, '%s missing from DWARF' % name
    size, fields = dwarf_layout[name]
    ctype = ffi.typeof(name)
    assert ffi.sizeof(ctype) == size
    expected = _cffi_layout(ctype)
    # Bit fields: DWARF 5 gives the bit position within the struct; so does
    # cffi (offset * 8 + bitshift) on little-endian targets.
    assert expected == fields


FACT_SIZES = {
    'struct jailhouse_system': 488,
    'struct jailhouse_cell_desc': 132,
    'struct jailhouse_memory': 32,
    'struct jailhouse_cache': 12,
    'struct jailhouse_irqchip': 32,
    'struct jailhouse_pio': 4,
    'struct jailhouse_pci_device': 56,
    'struct jailhouse_pci_capability': 8,
    'struct jailhouse_iommu': 28,
    'struct jailhouse_console': 32,
    'union jailhouse_stream_id': 4,
    'struct jailhouse_comm_region_generic': 64,
    'struct jailhouse_cell_create': 16,
    'struct jailhouse_preload_image': 32,
    'struct jailhouse_cell_id': 40,
    'struct jailhouse_cell_load': 48,
}


@pytest.mark.parametrize('name,size', sorted(FACT_SIZES.items()))
def test_sizes_are_the_documented_ones(name, size):
    assert ffi.sizeof(name) == size


def test_system_offsets_are_the_documented_ones():
    off = lambda f: ffi.offsetof('struct jailhouse_system', f)  # noqa: E731
    assert off('architecture') == 5
    assert off('revision') == 6
    assert off('flags') == 8
    assert off('hypervisor_memory') == 12
    assert off('debug_console') == 44
    assert off('platform_info') == 76
    assert off('root_cell') == 356
    cell = lambda f: ffi.offsetof('struct jailhouse_cell_desc', f)  # noqa
    assert cell('name') == 8
    assert cell('cpu_set_size') == 48
    assert cell('num_stream_ids') == 76
    assert cell('vpci_irq_base') == 80
    assert cell('console') == 100


COMM_FACTS = {
    'common': {'signature': 0, 'revision': 6, 'cell_state': 8,
               'msg_to_cell': 12, 'reply_from_cell': 16, 'flags': 20,
               'console': 24, 'pci_mmconfig_base': 56},
    'x86': {'pm_timer_address': 64, 'num_cpus': 66, 'tsc_khz': 68,
            'apic_khz': 72},
    'arm': {'gic_version': 64, 'gicd_base': 72, 'gicc_base': 80,
            'gicr_base': 88, 'vpci_irq_base': 96},
}


@pytest.mark.parametrize('arch,extra', [('x86', []), ('x86', ['-m32']),
                                        ('arm', []), ('arm64', [])])
def test_comm_region_abi2(arch, extra, tmp_path):
    compiler = COMPILERS[arch]
    if not have(compiler):
        pytest.skip('%s is not installed' % compiler)
    obj = _compile_debug(compiler, tmp_path,
                         '#include <jailhouse/hypercall.h>\n'
                         'struct jailhouse_comm_region jh_comm;\n'
                         '_Bool jailhouse_use_vmcall;\n', extra)
    _, fields = _dwarf_types(obj)['struct jailhouse_comm_region']
    facts = dict(COMM_FACTS['common'])
    facts.update(COMM_FACTS['x86' if arch == 'x86' else 'arm'])
    for name, offset in facts.items():
        assert fields[name][0] == offset * 8, name


def test_generated_module_is_deterministic_and_complete(tmp_path):
    """abigen's output (what installs ship) holds the same description the
    source tree derives, has no absolute paths and is reproducible."""
    from pyjailhouse import abi
    first = tmp_path / 'a' / '_abi.py'
    second = tmp_path / 'b' / '_abi.py'
    for out in (first, second):
        out.parent.mkdir()
        assert abigen.main(['--cc', 'gcc', '--include', INCLUDE,
                            '-o', str(out)]) == 0
    text = first.read_text()
    assert text == second.read_text()
    assert INCLUDE not in text and str(tmp_path) not in text
    namespace = {}
    exec(compile(text, str(first), 'exec'), namespace)  # noqa: S102
    assert namespace['CDEF'] == abi.CDEF
    assert namespace['CONSTANTS']['JAILHOUSE_CONFIG_REVISION'] == 14
    assert namespace['CONSTANTS']['JAILHOUSE_SYSTEM_SIGNATURE'] == 'JHSYS'
    assert namespace['CONSTANTS']['JAILHOUSE_CELL_ID_UNUSED'] == -1
    assert namespace['CONSTANTS']['JAILHOUSE_MEM_IO_32'] == 0x40000

    # The prebuilt out-of-line FFI: reproducible and the same layout.
    ffi_text = (tmp_path / 'a' / '_abi_ffi.py').read_text()
    assert ffi_text == (tmp_path / 'b' / '_abi_ffi.py').read_text()
    namespace = {}
    exec(compile(ffi_text, 'ffi', 'exec'), namespace)  # noqa: S102
    prebuilt = namespace['ffi']
    def layout(ffi, name):
        return [(field, f.offset, f.bitshift, f.bitsize)
                for field, f in ffi.typeof(name).fields or ()]
    for name in abi.struct_names():
        assert prebuilt.sizeof(name) == abi.ffi.sizeof(name), name
        assert layout(prebuilt, name) == layout(abi.ffi, name), name


@pytest.mark.parametrize('arch,enable', [('x86', 0x40080000),
                                         ('arm64', 0x40080000),
                                         ('arm', 0x40040000)])
def test_ioctl_numbers_follow_the_target(arch, enable):
    """_IOW(0, 0, void *) encodes the target's pointer size."""
    if not have(COMPILERS[arch]):
        pytest.skip('%s is not installed' % COMPILERS[arch])
    _, consts, bits = abigen.build(COMPILERS[arch], INCLUDE)
    assert consts['JAILHOUSE_ENABLE'] == enable
    assert consts['JAILHOUSE_DISABLE'] == 0x0001
    assert consts['JAILHOUSE_CELL_CREATE'] == (1 << 30) | (16 << 16) | 2
    assert consts['JAILHOUSE_CELL_START'] == (1 << 30) | (40 << 16) | 4
    assert bits == (32 if arch == 'arm' else 64)
