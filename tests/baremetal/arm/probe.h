/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared page between the ARMv7 root program (prog-jailhouse.c) and its
 * probe inmate (inmate/probe.c): guest-physical SHARED_PAGE in the cell,
 * one word per report.
 */

#ifndef _PROBE_H
#define _PROBE_H

#define SHARED_PAGE	0x00200000UL

enum { MODE, HEARTBEAT, HOLD, MESSAGES, GREETED, BOOTS, TARGET, IRQ_DONE,
       FOREIGN_EN, FOREIGN_TGT, PSCI_VER, PSCI_FEAT, SMCCC_VER, AFF_SELF,
       ON_FOREIGN, BUS_VALUE, ACTLR_BEFORE, ACTLR_AFTER, PMCR_READ,
       PMCCNTR_READ, DBGBVR_READ, COND_FAIL_READ, COND_PASS_READ,
       IT_ELSE_RAN, POLLUTED, ST_FPEXC, ST_FPSCR, ST_D0, ST_D31,
       ST_CNTP_CVAL, ST_CNTV_CVAL, WIDTH, SGI_COUNT = 32, BANKED_BAD = 48,
       BANKED_DONE, ST_PAR, ST_PAR_HI, NUM_WORDS = 64 };

#endif
