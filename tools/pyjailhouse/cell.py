# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: upstream's pyjailhouse.cell module API over pyjailhouse.device
"""Compatibility layer: upstream's JailhouseCell, as helper scripts use it
to create, load and start a cell:

    from pyjailhouse import config_parser
    from pyjailhouse.cell import JailhouseCell
    cell = JailhouseCell(config_parser.CellConfig(data))  # creates it
    cell.load(image_bytes, address)
    cell.start()

The ioctls go through pyjailhouse.device (the same code as the jailhouse
command); failures raise OSError with the driver's errno, as upstream's
fcntl.ioctl() calls do.
"""

import errno
import os

from .cellref import CellRef
from .device import Device, Image
from .errors import IoctlError


class JailhouseCell:
    JAILHOUSE_CELL_ID_UNUSED = -1

    def __init__(self, config):
        self.name = config.name.encode()
        self.dev = Device()
        try:
            self._call(self.dev.cell_create, bytes(config.data))
        except OSError as err:
            if err.errno != errno.EEXIST:   # upstream reuses the cell
                raise

    def _call(self, method, *args):
        try:
            return method(*args)
        except IoctlError as err:
            raise OSError(err.errno, os.strerror(err.errno)) from None

    def _ref(self):
        return CellRef(name=self.name.decode())

    def load(self, image, address):
        self._call(self.dev.cell_load, self._ref(),
                   [Image(bytes(image), address)])

    def start(self):
        self._call(self.dev.cell_start, self._ref())
