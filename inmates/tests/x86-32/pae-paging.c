/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse inmate test, x86 (32-bit only: pae-paging.bin): PAE paging
 * outside long mode in a cell.  The test builds a PDPT whose first two
 * entries point at one page directory of 2 MiB pages (so virtual 1 GiB +
 * x aliases x), sets CR4.PAE, loads CR3 and turns on CR0.PG together with
 * CR0.NE, which Intel's hypervisor holds in its CR0 mask: that write exits
 * and the hypervisor has to load the four PDPTEs from the guest's CR3
 * itself (AMD's nested paging walks them in memory).  Reads and writes
 * through the alias prove the translation; paging goes off again.
 */

#include <inmate.h>

#define X86_CR0_NE	(1UL << 5)
#define X86_CR0_PG	(1UL << 31)
#define X86_CR4_PAE	(1UL << 5)
#define PTE_P		0x1
#define PTE_RW		0x2
#define PTE_PS		0x80
#define ALIAS		0x40000000UL

static u64 pdpt[4] __aligned(32);
static u64 pd[512] __aligned(4096);
static volatile u32 probe = 0x5ca1ab1e;

void inmate_main(void)
{
	volatile u32 *alias = (volatile u32 *)((unsigned long)&probe + ALIAS);
	unsigned long cr0, cr4;
	unsigned int n;
	u32 seen;

	for (n = 0; n < 512; n++)
		pd[n] = ((u64)n << 21) | PTE_P | PTE_RW | PTE_PS;
	pdpt[0] = pdpt[1] = (unsigned long)pd | PTE_P;
	pdpt[2] = pdpt[3] = 0;

	asm volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r" (cr0), "=r" (cr4));
	printk("pae-paging: CR0 0x%lx CR4 0x%lx\n", cr0, cr4);
	asm volatile("mov %0, %%cr4" : : "r" (cr4 | X86_CR4_PAE));
	asm volatile("mov %0, %%cr3" : : "r" (pdpt) : "memory");
	asm volatile("mov %0, %%cr0"
		     : : "r" (cr0 | X86_CR0_PG | X86_CR0_NE) : "memory");

	seen = *alias;
	*alias = 0x600dcafe;
	EXPECT_EQUAL(seen, 0x5ca1ab1e);
	EXPECT_EQUAL(probe, 0x600dcafe);

	asm volatile("mov %0, %%cr0" : : "r" (cr0) : "memory");
	asm volatile("mov %0, %%cr4" : : "r" (cr4));
	printk("pae-paging: through the alias: 0x%x, paging off again\n",
	       seen);
	test_summary();
}
