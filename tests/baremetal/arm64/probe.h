/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared page between the ARM64 root program (prog-jailhouse.c) and its
 * probe inmate (inmate/probe.c): guest-physical SHARED_PAGE in the cell,
 * one word per report.
 */

#ifndef _PROBE_H
#define _PROBE_H

#define SHARED_PAGE	0x00200000UL

enum { MODE, HEARTBEAT, HOLD, EPERM_SEEN, MESSAGES, PUTC_RESULT, BOOTS,
       TARGET, SECOND, PSCI_RESULT, GREETED, IRQ_DONE, SGI_BITS, SPI_SEEN,
       FOREIGN, OWN_SPI, PSCI_VER, PSCI_FEAT, SMCCC_VER, SIP_RESULT,
       ARCH_FEAT, SUSPEND_RESULT, A32_VALUE, A32_IRQS, A32_EC, R_OWN_PROPBASER,
       R_OWN_PENDBASER,
       SGI_COUNT = 32,
       ADDR = 48, WIDTH, TRAPS, PMU_DELTA, ST_PMCR, ST_PMCNTEN, ST_PMINTEN,
       ST_PMCCFILTR, ST_DBGBVR, ST_DBGBCR, ST_DBGWVR, ST_CNTP_CVAL,
       ST_CNTV_CVAL, R_PROPBASER, R_PENDBASER, R_TYPER, R_PIDR2, R_CTLR,
       VALUE, NUM_WORDS };

#endif
