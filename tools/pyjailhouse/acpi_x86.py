# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: the ACPI tables an x86 system config needs (MCFG, MADT, DMAR, IVRS, FADT)
"""Parsers of the ACPI tables in /sys/firmware/acpi/tables (layouts from
the ACPI specification, Intel VT-d chapter 8 and AMD IOMMU chapter 5).
Each takes the table bytes and returns plain data; malformed tables raise
InputError naming the table."""

import struct

from .sysroot import InputError

HEADER = 36


def _check(name, data):
    if data is None:
        return None
    if len(data) < HEADER or data[:4] != name.encode():
        raise InputError('ACPI table %s: bad signature or too short' % name)
    (length,) = struct.unpack_from('<I', data, 4)
    if length > len(data):
        raise InputError('ACPI table %s: truncated (%d of %d bytes)'
                         % (name, len(data), length))
    return data[:length]


def mcfg(data):
    """[(ECAM base, segment, start bus, end bus)]."""
    data = _check('MCFG', data)
    if data is None:
        return []
    result = []
    for pos in range(44, len(data) - 15, 16):
        base, segment, first, last = struct.unpack_from('<QHBB', data, pos)
        result.append((base, segment, first, last))
    return result


def madt_ioapics(data):
    """[(IOAPIC id, address, GSI base)] from the MADT (table APIC)."""
    data = _check('APIC', data)
    if data is None:
        return []
    result = []
    pos = 44
    while pos + 2 <= len(data):
        kind, length = data[pos], data[pos + 1]
        if length < 2:
            raise InputError('ACPI table APIC: entry of length %d at %d'
                             % (length, pos))
        if kind == 1 and length >= 12:
            ioapic_id, _res, address, gsi = struct.unpack_from(
                '<BBII', data, pos + 2)
            result.append((ioapic_id, address, gsi))
        pos += length
    return result


def fadt_pm_timer(data):
    """The ACPI PM timer port (PM_TMR_BLK), or 0."""
    data = _check('FACP', data)
    if data is None or len(data) < 80:
        return 0
    (port,) = struct.unpack_from('<I', data, 76)
    return port


def _scopes(data, pos, end):
    """[(type, enumeration id, bdf)] of DMAR device scopes."""
    result = []
    while pos + 6 <= end:
        kind, length, _res, enum_id, bus = struct.unpack_from('<BBHBB', data,
                                                              pos)
        if length < 6:
            break
        path = data[pos + 6:pos + length]
        bdf = bus << 8
        if len(path) >= 2:
            # The last path element names the device on its bus (bridges
            # in between are not followed: enough for IOAPICs and HPETs).
            bdf = bus << 8 | path[-2] << 3 | path[-1]
        result.append((kind, enum_id, bdf))
        pos += length
    return result


def dmar(data):
    """{'units': [(base, size, segment, include_all, scopes)],
        'rmrr': [(base, end, [bdf])], 'ioapics': {id: (unit index, bdf)}}"""
    data = _check('DMAR', data)
    result = {'units': [], 'rmrr': [], 'ioapics': {}}
    if data is None:
        return result
    pos = 48
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from('<HH', data, pos)
        if length < 4:
            raise InputError('ACPI table DMAR: structure of length %d at %d'
                             % (length, pos))
        if kind == 0 and length >= 16:
            flags, size, segment, base = struct.unpack_from('<BBHQ', data,
                                                            pos + 4)
            scopes = _scopes(data, pos + 16, pos + length)
            index = len(result['units'])
            result['units'].append((base, 1 << (12 + (size & 0xf)), segment,
                                    bool(flags & 1), scopes))
            for stype, enum_id, bdf in scopes:
                if stype == 3:
                    result['ioapics'][enum_id] = (index, bdf)
        elif kind == 1 and length >= 24:
            _res, _segment, base, limit = struct.unpack_from('<HHQQ', data,
                                                             pos + 4)
            devices = [bdf for _t, _e, bdf in
                       _scopes(data, pos + 24, pos + length)]
            result['rmrr'].append((base, limit + 1, devices))
        pos += length
    return result


def _ivhd_devices(data, entry, end):
    """([(first bdf, last bdf)] an IVHD block's device entries cover,
    {IOAPIC id: bdf}) from its entries in data[entry:end]."""
    covered = []
    ioapics = {}
    range_start = None
    while entry + 4 <= end:
        etype = data[entry]
        (devid,) = struct.unpack_from('<H', data, entry + 1)
        if etype < 0x40:
            size = 4
        elif etype < 0x80:
            size = 8
        elif etype == 0xf0 and entry + 22 <= end:
            size = 22 + data[entry + 21]      # ACPI HID device, UID after
        else:
            size = 8
        if entry + size > end:
            break
        alias = struct.unpack_from('<H', data, entry + 5)[0] \
            if size == 8 else None
        if etype == 0x01:                       # all devices
            covered.append((0, 0xffff))
        elif etype in (0x02, 0x46):             # select
            covered.append((devid, devid))
        elif etype == 0x42:                     # alias select
            covered += [(devid, devid), (alias, alias)]
        elif etype in (0x03, 0x43, 0x47):       # start of a range
            range_start = devid
            if etype == 0x43:
                covered.append((alias, alias))
        elif etype == 0x04 and range_start is not None:
            covered.append((range_start, devid))
            range_start = None
        elif etype == 0x48 and data[entry + 7] == 1:
            ioapics[data[entry + 4]] = alias     # handle: its BDF
        entry += size
    return covered, ioapics


# IVHD type 10h "IOMMU Feature Reporting" field: bit 7 is HESup (hardware
# event registers; bit 0 is XTSup, bit 6 GASup).  In the extended feature
# register (EFR) HESup is bit 8.
IVHD10_HE_SUP = 1 << 7
EFR_HE_SUP = 1 << 8


def ivrs(data):
    """{'units': [dict(base, bdf, cap, features, efr, segment, devices)],
        'ioapics': {id: (unit index, bdf)},
        'ivmd': [(start, end, type, device, aux)]}; devices are the
    [(first, last)] BDF ranges a unit's entries name, an IVMD block's
    type is 0x20 (all devices), 0x21 (device) or 0x22 (device..aux).

    features is what a system config's amd.features holds: the IOMMU
    Feature Reporting field of a type 10h block as the firmware wrote it
    (which then overrides the unit's EFR), 0 for types 11h and 40h, whose
    feature bits are an exact copy of the EFR (the hypervisor reads the
    register itself).  efr is that copy (types 11h/40h), else None."""
    data = _check('IVRS', data)
    result = {'units': [], 'ioapics': {}, 'ivmd': []}
    if data is None:
        return result
    pos = 48
    while pos + 4 <= len(data):
        kind, _flags, length = struct.unpack_from('<BBH', data, pos)
        if length < 4:
            raise InputError('ACPI table IVRS: block of length %d at %d'
                             % (length, pos))
        if kind in (0x10, 0x11, 0x40) and length >= 24:
            bdf, cap, base, segment, _info, feat = struct.unpack_from(
                '<HHQHHI', data, pos + 4)
            header = 24 if kind == 0x10 else 40
            efr = None
            if kind != 0x10:
                # offset 20 holds the IOMMU attributes here, no features
                feat = 0
                if length >= 32:
                    (efr,) = struct.unpack_from('<Q', data, pos + 24)
            index = len(result['units'])
            devices, ioapics = _ivhd_devices(data, pos + header,
                                             min(pos + length, len(data)))
            result['units'].append({'base': base, 'bdf': bdf, 'cap': cap,
                                    'features': feat, 'efr': efr,
                                    'segment': segment, 'devices': devices})
            for handle, devid in ioapics.items():
                result['ioapics'][handle] = (index, devid)
        elif kind in (0x20, 0x21, 0x22) and length >= 32:
            device, aux, start, size = struct.unpack_from('<HH8xQQ', data,
                                                          pos + 4)
            result['ivmd'].append((start, start + size, kind, device, aux))
        pos += length
    return result
