# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: read initialised data of symbols from ELF objects
"""Take the bytes of a data symbol out of a relocatable object file.

Used at build time only (the .cell builder and the ABI generator), so it may
depend on pyelftools; pyjailhouse at run time never imports this module.
"""

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection


class ElfSymbolError(Exception):
    """The object file or the symbol cannot be used; str() says why."""


def _open(fileobj):
    try:
        return ELFFile(fileobj)
    except ELFError as err:
        raise ElfSymbolError('not an ELF object file (%s)' % err) from None


def _relocated_sections(elf):
    """Indices of the sections some relocation section applies to."""
    targets = set()
    for section in elf.iter_sections():
        if isinstance(section, RelocationSection) and \
                section.num_relocations():
            targets.add(section['sh_info'])
    return targets


def symbol_bytes(path, name):
    """Return the initialised bytes of the data object `name` in `path`.

    Refuses symbols that are undefined, not data objects, live in a section
    without file contents (.bss: an all-zero object cannot be a valid
    configuration) or in a section that has relocations (a pointer in a
    configuration would be a link-time address, not data).
    """
    with open(path, 'rb') as fileobj:
        elf = _open(fileobj)
        symtab = elf.get_section_by_name('.symtab')
        if symtab is None:
            raise ElfSymbolError('object file has no symbol table')
        matches = symtab.get_symbol_by_name(name) or []
        defined = [s for s in matches if s['st_shndx'] != 'SHN_UNDEF']
        if not defined:
            raise ElfSymbolError("no symbol '%s' defined" % name)
        if len(defined) > 1:
            raise ElfSymbolError("symbol '%s' defined more than once" % name)
        sym = defined[0]
        if sym['st_info']['type'] != 'STT_OBJECT':
            raise ElfSymbolError("symbol '%s' is not a data object" % name)
        shndx = sym['st_shndx']
        if not isinstance(shndx, int):
            raise ElfSymbolError("symbol '%s' is a common or absolute symbol "
                                 "(is it initialised?)" % name)
        section = elf.get_section(shndx)
        if section['sh_type'] == 'SHT_NOBITS':
            raise ElfSymbolError("symbol '%s' is in %s, it has no "
                                 "initialised data" % (name, section.name))
        if shndx in _relocated_sections(elf):
            raise ElfSymbolError("section %s of symbol '%s' has relocations "
                                 "(pointers are not allowed in a "
                                 "configuration)" % (section.name, name))
        offset, size = sym['st_value'], sym['st_size']
        data = section.data()
        if offset + size > len(data):
            raise ElfSymbolError("symbol '%s' runs past the end of section %s"
                                 % (name, section.name))
        return bytes(data[offset:offset + size])


def local_symbols(path, prefix):
    """Map name -> bytes for every data symbol starting with `prefix`."""
    result = {}
    with open(path, 'rb') as fileobj:
        elf = _open(fileobj)
        symtab = elf.get_section_by_name('.symtab')
        if symtab is None:
            raise ElfSymbolError('object file has no symbol table')
        datas = {}
        for sym in symtab.iter_symbols():
            if not sym.name.startswith(prefix):
                continue
            if sym['st_info']['type'] != 'STT_OBJECT' or \
                    not isinstance(sym['st_shndx'], int):
                continue
            shndx = sym['st_shndx']
            if shndx not in datas:
                datas[shndx] = elf.get_section(shndx).data()
            off, size = sym['st_value'], sym['st_size']
            result[sym.name] = bytes(datas[shndx][off:off + size])
    return result


def elf_class_and_machine(path):
    """(ELF class in bits, e_machine string) of an object file."""
    with open(path, 'rb') as fileobj:
        elf = _open(fileobj)
        return elf.elfclass, elf['e_machine']
