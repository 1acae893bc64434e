# SPDX-License-Identifier: GPL-2.0-only
# Jailhouse build frontend: Python helpers shared by SConstruct and the site tools.
