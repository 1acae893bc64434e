# SPDX-License-Identifier: GPL-2.0-only
# Full-stack QEMU rig: Debian arm64 kernel as root cell, our jailhouse.ko, an initramfs.
