# SPDX-License-Identifier: GPL-2.0-only
# An initramfs in the kernel's "newc" cpio format, written from Python (no root, no cpio).

"""Build an uncompressed newc cpio archive in memory.

The kernel unpacks it as the root file system, creating device nodes and
ownership as recorded, so nothing here needs privileges on the host.
"""

import os
import stat

TRAILER = "TRAILER!!!"


def _pad4(length):
    return (4 - length % 4) % 4


class Archive:
    """Entries are added parents first; directories are created implicitly."""

    def __init__(self, mtime=0):
        self._entries = []
        self._dirs = set()
        self._ino = 1
        self.mtime = mtime

    def _header(self, name, mode, size, nlink=1, rdev=(0, 0)):
        name_bytes = name.encode() + b"\0"
        fields = (self._ino, mode, 0, 0, nlink, self.mtime, size, 0, 0,
                  rdev[0], rdev[1], len(name_bytes), 0)
        self._ino += 1
        header = b"070701" + b"".join(b"%08x" % value for value in fields)
        return header + name_bytes + b"\0" * _pad4(len(header) + len(name_bytes))

    def _add(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.strip("/")
        parent = os.path.dirname(name)
        if parent:
            self.directory(parent)
        nlink = 2 if stat.S_ISDIR(mode) else 1
        self._entries.append(self._header(name, mode, len(data), nlink, rdev) +
                             data + b"\0" * _pad4(len(data)))

    def directory(self, name, mode=0o755):
        name = name.strip("/")
        if not name or name in self._dirs:
            return
        self._dirs.add(name)
        self._add(name, stat.S_IFDIR | mode)

    def file(self, name, data, mode=0o644):
        if isinstance(data, str):
            data = data.encode()
        self._add(name, stat.S_IFREG | mode, data)

    def host_file(self, name, path, mode=None):
        """Copy a host file (following links); keeps its permission bits."""
        with open(path, "rb") as f:
            data = f.read()
        if mode is None:
            mode = os.stat(path).st_mode & 0o777
        self.file(name, data, mode)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, mode=0o600):
        self._add(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def host_tree(self, name, root, skip=None):
        """Copy a host directory tree below name, keeping symlinks as links.

        skip(relative_path) -> True leaves a file or directory out."""
        for base, dirs, files in os.walk(root):
            relative_base = os.path.relpath(base, root)
            keep = []
            for entry in sorted(dirs):
                relative = os.path.normpath(os.path.join(relative_base, entry))
                path = os.path.join(base, entry)
                if skip and skip(relative):
                    continue
                if os.path.islink(path):
                    self.symlink(os.path.join(name, relative), os.readlink(path))
                    continue
                self.directory(os.path.join(name, relative),
                               os.stat(path).st_mode & 0o777)
                keep.append(entry)
            dirs[:] = keep
            for entry in sorted(files):
                relative = os.path.normpath(os.path.join(relative_base, entry))
                path = os.path.join(base, entry)
                if skip and skip(relative):
                    continue
                if os.path.islink(path):
                    self.symlink(os.path.join(name, relative), os.readlink(path))
                else:
                    self.host_file(os.path.join(name, relative), path)

    def merge(self, other):
        """Append another archive's entries (a directory both have is
        recorded twice, which the kernel's unpacker accepts)."""
        self._entries.extend(other._entries)
        self._dirs |= other._dirs

    def bytes(self):
        trailer = self._header(TRAILER, 0, 0, nlink=1)
        data = b"".join(self._entries) + trailer
        # The kernel reads the archive in 512-byte blocks; pad like cpio does.
        return data + b"\0" * ((512 - len(data) % 512) % 512)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.bytes())
        return path
