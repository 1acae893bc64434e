// SPDX-License-Identifier: GPL-2.0-only
/* Jailhouse driver, x86-64: checks for AMD-V/VT-x and the call into the image. */

/*
 * The x86 entry (docs/hypervisor-entry.md) is a plain function call: the
 * hypervisor memory is mapped writable and executable at some address V,
 * the image's entry at V + header.entry is called on every online CPU
 * with interrupts off, and the hypervisor switches to page tables of its
 * own through a stub in image page 0.  V stays mapped until disable: the
 * way back out runs through the same page.
 *
 * Stock kernels export what this needs, if not in one call: vmap() maps
 * the region when it has struct pages (a memmap= reservation inside a
 * memory section), vmap_pfn() when it has none.  Both set NX whatever
 * protection they are given (and set_memory_x() is not exported), so the
 * driver clears NX in the new PTEs it finds with lookup_address(), before
 * anything used the mapping, and flushes each CPU's TLB before the call.
 */

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>

#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>

#include <jailhouse/hypercall.h>

#include "main.h"

#define MSR_AMD_VM_CR		0xc0010114
#define VM_CR_SVMDIS		(1ULL << 4)
#define MSR_FEATURE_CTL		0x0000003a
#define FEATURE_CTL_LOCKED	(1ULL << 0)
#define FEATURE_CTL_VMX_NO_SMX	(1ULL << 2)

/* Read by jailhouse_call_arg2(): vmcall on Intel, vmmcall on AMD. */
bool jailhouse_use_vmcall;

/* The hypervisor memory as the entry sees it, from prepare to release. */
static void *hv_virt;
static phys_addr_t hv_phys;

const unsigned int jh_arch_id = JAILHOUSE_X86;

const char *const jh_arch_stat_names[] = {
	"vmexits_pio", "vmexits_xapic", "vmexits_cr", "vmexits_cpuid",
	"vmexits_xsetbv", "vmexits_exception", "vmexits_msr_other",
	"vmexits_msr_x2apic_icr", NULL,
};

static bool cpu_is_amd(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
}

const char *jh_arch_firmware(void)
{
	return cpu_is_amd() ? "jailhouse-amd.bin" : "jailhouse-intel.bin";
}

/* Set on a CPU whose virtualization extension someone else switched on. */
static void probe_cpu(void *info)
{
	cpumask_t *busy = info;

	if (cpu_is_amd() ? native_read_msr(MSR_EFER) & EFER_SVME :
	    __read_cr4() & X86_CR4_VMXE)
		cpumask_set_cpu(smp_processor_id(), busy);
}

static int check_amd(void)
{
	u64 vm_cr;

	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_err("jailhouse: this AMD CPU has no SVM (AMD-V; QEMU: -cpu "
		       "...,+svm,+npt)\n");
		return -ENODEV;
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("jailhouse: SVM without nested paging (NPT) is not "
		       "supported\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_AMD_VM_CR, &vm_cr) || (vm_cr & VM_CR_SVMDIS)) {
		pr_err("jailhouse: SVM is disabled by the firmware (VM_CR."
		       "SVMDIS): enable it in the BIOS setup\n");
		return -ENODEV;
	}
	return 0;
}

static int check_intel(void)
{
	u64 ctl;

	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("jailhouse: this CPU has neither SVM nor VMX\n");
		return -ENODEV;
	}
	if (rdmsrl_safe(MSR_FEATURE_CTL, &ctl) ||
	    ((ctl & FEATURE_CTL_LOCKED) && !(ctl & FEATURE_CTL_VMX_NO_SMX))) {
		pr_err("jailhouse: VMX is disabled by the firmware "
		       "(IA32_FEATURE_CONTROL): enable it in the BIOS setup\n");
		return -ENODEV;
	}
	return 0;
}

int jh_arch_check(void)
{
	const char *kvm = cpu_is_amd() ? "kvm_amd" : "kvm_intel";
	cpumask_var_t busy;
	int err;

	err = cpu_is_amd() ? check_amd() : check_intel();
	if (err)
		return err;
	if (pgtable_l5_enabled()) {
		pr_err("jailhouse: the kernel uses 5-level paging: boot with "
		       "no5lvl\n");
		return -EOPNOTSUPP;
	}
	if (jh_kvm_initialised()) {
		pr_err("jailhouse: KVM (%s) is loaded and takes %s for its VMs: "
		       "unload it first (modprobe -r %s)\n", kvm,
		       cpu_is_amd() ? "SVM" : "VMX", kvm);
		return -EBUSY;
	}
	if (!zalloc_cpumask_var(&busy, GFP_KERNEL))
		return -ENOMEM;
	on_each_cpu(probe_cpu, busy, 1);
	if (!cpumask_empty(busy)) {
		pr_err("jailhouse: %s is already on on CPU %u (another "
		       "hypervisor, e.g. %s, runs VMs)\n",
		       cpu_is_amd() ? "EFER.SVME" : "CR4.VMXE",
		       cpumask_first(busy), kvm);
		err = -EBUSY;
	}
	free_cpumask_var(busy);
	if (!err)
		jailhouse_use_vmcall = !cpu_is_amd();
	return err;
}

/* Clear NX in the 4 KiB PTEs of a fresh kernel mapping. */
static int make_executable(void *virt, unsigned long count)
{
	unsigned long n, addr;
	unsigned int level;
	pte_t *pte;

	for (n = 0; n < count; n++) {
		addr = (unsigned long)virt + (n << PAGE_SHIFT);
		pte = lookup_address(addr, &level);
		if (!pte || level != PG_LEVEL_4K || !pte_present(*pte))
			return -EFAULT;
		set_pte(pte, pte_clear_flags(*pte, _PAGE_NX));
	}
	return 0;
}

/* Map [phys, phys + size) writable and executable; NULL if impossible. */
static void *map_exec(phys_addr_t phys, unsigned long size)
{
	unsigned long n, count = size >> PAGE_SHIFT, first = PHYS_PFN(phys);
	unsigned long with_pages = 0;
	struct page **pages;
	unsigned long *pfns;
	void *virt = NULL;

	for (n = 0; n < count; n++)
		with_pages += pfn_valid(first + n);
	if (with_pages && with_pages != count)
		return NULL;
	if (with_pages) {
		pages = kvmalloc_array(count, sizeof(*pages), GFP_KERNEL);
		if (!pages)
			return NULL;
		for (n = 0; n < count; n++)
			pages[n] = pfn_to_page(first + n);
		virt = vmap(pages, count, VM_MAP, PAGE_KERNEL_EXEC);
		kvfree(pages);
	} else {
		pfns = kvmalloc_array(count, sizeof(*pfns), GFP_KERNEL);
		if (!pfns)
			return NULL;
		for (n = 0; n < count; n++)
			pfns[n] = first + n;
		virt = vmap_pfn(pfns, count, PAGE_KERNEL_EXEC);
		kvfree(pfns);
	}
	if (virt && make_executable(virt, count)) {
		vunmap(virt);
		virt = NULL;
	}
	return virt;
}

void *jh_arch_map_hypervisor(phys_addr_t phys, unsigned long size)
{
	hv_virt = map_exec(phys, size);
	if (!hv_virt) {
		pr_err("jailhouse: cannot map the hypervisor memory "
		       "0x%llx+0x%lx executable\n", (u64)phys, size);
		return NULL;
	}
	hv_phys = phys;
	return hv_virt;
}

void jh_arch_unmap_hypervisor(void *virt)
{
	vunmap(virt);
	if (virt == hv_virt)
		hv_virt = NULL;
}

bool jh_arch_keep_hypervisor_mapped(void)
{
	return true;
}

/* The entry is a plain call (docs/hypervisor-entry.md): it always runs. */
const char jh_arch_entry_not_run[] = "";

long jh_arch_enter(phys_addr_t entry, unsigned int cpu, phys_addr_t image)
{
	int (*call)(unsigned int cpu, u64 image_phys);

	if (!hv_virt || image != hv_phys)
		return -EINVAL;
	call = hv_virt + (entry - image);
	/* No CPU may keep a TLB entry of the mapping with NX still set. */
	__flush_tlb_all();
	return call(cpu, image);
}

void jh_arch_flush_dcache(void *addr, size_t size)
{
	/* x86 caches are coherent with all accesses, also across paging. */
}

void jh_arch_flush_icache(void)
{
}

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	return (long)jailhouse_call_arg2(code, arg1, arg2);
}
