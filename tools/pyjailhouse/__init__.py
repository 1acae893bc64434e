# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse-compatible partitioning hypervisor: Python support package of the jailhouse tools
"""pyjailhouse: the binary interfaces (through cffi) and the config tools."""
