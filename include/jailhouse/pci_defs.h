/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Jailhouse-compatible partitioning hypervisor: PCI capability IDs used in configurations */

/*
 * Capability IDs as assigned by the PCI SIG, spelled as Linux spells them so
 * that the same tokens may be defined by <linux/pci_regs.h> too. Extended
 * capabilities are marked in a config with JAILHOUSE_PCI_EXT_CAP.
 */
#ifndef _JAILHOUSE_PCI_DEFS_H
#define _JAILHOUSE_PCI_DEFS_H

#define PCI_CAP_ID_PM		0x01	/* power management */
#define PCI_CAP_ID_AGP		0x02	/* AGP */
#define PCI_CAP_ID_VPD		0x03	/* vital product data */
#define PCI_CAP_ID_SLOTID	0x04	/* slot identification */
#define PCI_CAP_ID_MSI		0x05	/* message signalled interrupts */
#define PCI_CAP_ID_CHSWP	0x06	/* CompactPCI hot swap */
#define PCI_CAP_ID_PCIX		0x07	/* PCI-X */
#define PCI_CAP_ID_HT		0x08	/* HyperTransport */
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific */
#define PCI_CAP_ID_DBG		0x0A	/* debug port */
#define PCI_CAP_ID_CCRC		0x0B	/* CompactPCI central resource control */
#define PCI_CAP_ID_SHPC		0x0C	/* PCI standard hot-plug controller */
#define PCI_CAP_ID_SSVID	0x0D	/* bridge subsystem vendor/device ID */
#define PCI_CAP_ID_AGP3		0x0E	/* AGP target PCI-PCI bridge */
#define PCI_CAP_ID_SECDEV	0x0F	/* secure device */
#define PCI_CAP_ID_EXP		0x10	/* PCI Express */
#define PCI_CAP_ID_MSIX		0x11	/* MSI-X */
#define PCI_CAP_ID_SATA		0x12	/* SATA data/index configuration */
#define PCI_CAP_ID_AF		0x13	/* advanced features */
#define PCI_CAP_ID_EA		0x14	/* enhanced allocation */

#define PCI_EXT_CAP_ID_ERR	0x01	/* advanced error reporting */
#define PCI_EXT_CAP_ID_VC	0x02	/* virtual channel */
#define PCI_EXT_CAP_ID_DSN	0x03	/* device serial number */
#define PCI_EXT_CAP_ID_PWR	0x04	/* power budgeting */
#define PCI_EXT_CAP_ID_VNDR	0x0B	/* vendor specific */
#define PCI_EXT_CAP_ID_ACS	0x0D	/* access control services */
#define PCI_EXT_CAP_ID_ARI	0x0E	/* alternative routing ID */
#define PCI_EXT_CAP_ID_ATS	0x0F	/* address translation services */
#define PCI_EXT_CAP_ID_SRIOV	0x10	/* single root I/O virtualisation */
#define PCI_EXT_CAP_ID_PRI	0x13	/* page request interface */
#define PCI_EXT_CAP_ID_REBAR	0x15	/* resizable BAR */
#define PCI_EXT_CAP_ID_TPH	0x17	/* TPH requester */
#define PCI_EXT_CAP_ID_LTR	0x18	/* latency tolerance reporting */
#define PCI_EXT_CAP_ID_SECPCI	0x19	/* secondary PCI Express */
#define PCI_EXT_CAP_ID_PASID	0x1B	/* process address space ID */
#define PCI_EXT_CAP_ID_DPC	0x1D	/* downstream port containment */
#define PCI_EXT_CAP_ID_L1SS	0x1E	/* L1 PM substates */
#define PCI_EXT_CAP_ID_PTM	0x1F	/* precision time measurement */

#endif /* !_JAILHOUSE_PCI_DEFS_H */
