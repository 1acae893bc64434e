/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jailhouse hypervisor, x86-64: CPU set-up and the way back to the caller,
 * independent of the vendor (AMD-V or Intel VT-x, <asm/vcpu.h>).
 */

#include <hv/control.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/paging.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

#define GDT_CS		0x08
#define GDT_DS		0x10
#define IDT_GATE_INT	0x8e00UL	/* present, DPL 0, 64-bit interrupt */
#define NUM_EXCEPTIONS	32

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13,
       R14, R15 };

extern const u8 x86_exception_stubs[];
extern const u8 x86_leave_stub[];
void x86_cpu_early(struct per_cpu *c);
void x86_exception(u64 *frame);
extern const u8 x86_guarded_start[], x86_guarded_end[], x86_guarded_fixup[];
void x86_nmi(void);

/* null, 64-bit code, data */
static const u64 gdt[3] = { 0, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL };
static u64 idt[NUM_EXCEPTIONS * 2];

struct per_cpu *this_cpu_data(void)
{
	unsigned long sp;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	return per_cpu((sp - JAILHOUSE_BASE - hypervisor_header.core_size) /
		       sizeof(struct per_cpu));
}

static void load_dtr(bool idt_reg, const void *base, u16 limit)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) dtr = { .limit = limit, .base = (u64)base };

	if (idt_reg)
		asm volatile("lidt %0" : : "m" (dtr));
	else
		asm volatile("lgdt %0" : : "m" (dtr));
}

/* Own descriptor tables, before the generic code runs (entry.S). */
void x86_cpu_early(struct per_cpu *c)
{
	unsigned long stub;
	unsigned int n;

	c->arch.saved_pat = read_msr(MSR_IA32_PAT);
	asm volatile("mov %%dr7, %0" : "=r" (c->arch.saved_dr7));
	for (n = 0; n < NUM_EXCEPTIONS; n++) {
		stub = (unsigned long)x86_exception_stubs + n * 16;
		idt[n * 2] = (stub & 0xffff) | (GDT_CS << 16) |
			(IDT_GATE_INT << 32) | ((stub >> 16 & 0xffff) << 48);
		idt[n * 2 + 1] = stub >> 32;
	}
	load_dtr(false, gdt, sizeof(gdt) - 1);
	load_dtr(true, idt, sizeof(idt) - 1);
	asm volatile("pushq %0\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\tmov %1, %%eax\n\t"
		     "mov %%eax, %%ss\n\t"
		     "mov %%eax, %%ds\n\t"
		     "mov %%eax, %%es\n\t"
		     : : "i" (GDT_CS), "i" (GDT_DS) : "rax", "memory");
}

/*
 * An exception in the hypervisor.  In a guarded instruction (entry.S) it
 * is the CPU refusing a guest's value: resume at the fixup, which reports
 * the failure.  Anything else is a hypervisor bug: panic_stop().
 */
void x86_exception(u64 *frame)
{
	if (frame[2] >= (unsigned long)x86_guarded_start &&
	    frame[2] < (unsigned long)x86_guarded_end) {
		frame[2] = (unsigned long)x86_guarded_fixup;
		return;
	}
	/* vector, error code, rip, cs, rflags, rsp, ss */
	printk("FATAL: hypervisor exception %llu, error %llx, RIP %llx, "
	       "RSP %llx, CR2 %lx\n", frame[0], frame[1], frame[2], frame[5],
	       read_cr(2));
	panic_stop("exception in the hypervisor");
}

void x86_nmi(void)
{
	vcpu_nmi_handler(this_cpu());
}

struct guest_regs *x86_guest_regs(struct per_cpu *c)
{
	return (struct guest_regs *)(c->stack + PERCPU_STACK_SIZE) - 1;
}

/* Called on one CPU at a time (the generic entry holds its lock). */
int arch_cpu_init(struct per_cpu *c)
{
	struct x86_entry_state *e = &c->arch.entry;
	struct guest_regs *regs = x86_guest_regs(c);
	int err;

	err = vcpu_vendor_init();
	if (err)
		return err;
	apic_cpu_init(c);
	x86_cpu_state_save(c);
	/* whatever a previous run left there */
	memset(&c->arch.gpa_cache, 0, sizeof(c->arch.gpa_cache));
	/* the caller's callee-saved registers; it continues after its call */
	memset(regs, 0, sizeof(*regs));
	regs->rbx = e->rbx;
	regs->rbp = e->rbp;
	regs->r12 = e->r12;
	regs->r13 = e->r13;
	regs->r14 = e->r14;
	regs->r15 = e->r15;
	return vcpu_init(c);
}

/* The root's registers on this CPU as its guest frame has them. */
static void leave_from_guest(struct per_cpu *c)
{
	const struct guest_regs *regs = x86_guest_regs(c);
	u64 *lv = c->arch.leave.regs;

	lv[RAX] = regs->rax;
	lv[RCX] = regs->rcx;
	lv[RDX] = regs->rdx;
	lv[RBX] = regs->rbx;
	lv[RBP] = regs->rbp;
	lv[RSI] = regs->rsi;
	lv[RDI] = regs->rdi;
	lv[R8] = regs->r8;
	lv[R9] = regs->r9;
	lv[R10] = regs->r10;
	lv[R11] = regs->r11;
	lv[R12] = regs->r12;
	lv[R13] = regs->r13;
	lv[R14] = regs->r14;
	lv[R15] = regs->r15;
}

/* The caller's registers as the entry found them. */
static void leave_from_entry(struct per_cpu *c)
{
	struct x86_entry_state *e = &c->arch.entry;
	struct x86_leave *lv = &c->arch.leave;

	memset(lv, 0, sizeof(*lv));
	lv->regs[RBX] = e->rbx;
	lv->regs[RBP] = e->rbp;
	lv->regs[R12] = e->r12;
	lv->regs[R13] = e->r13;
	lv->regs[R14] = e->r14;
	lv->regs[R15] = e->r15;
	lv->gdtr = e->gdtr;
	lv->idtr = e->idtr;
	lv->cr4 = e->cr4;
	lv->ds = e->ds;
	lv->es = e->es;
	lv->iret[0] = e->rip;
	lv->iret[1] = e->cs;
	lv->iret[2] = e->rflags;
	lv->iret[3] = e->rsp;
	lv->iret[4] = e->ss;
}

void arch_cpu_restore(struct per_cpu *c, int return_code)
{
	struct x86_leave *lv = &c->arch.leave;
	u64 virt = c->arch.entry.image_virt, cr3;

	if (c->activated) {
		leave_from_guest(c);
		cr3 = vcpu_exit(c);
	} else {
		leave_from_entry(c);
		vcpu_exit_unused(c);
		write_msr(MSR_IA32_PAT, c->arch.saved_pat);
		asm volatile("mov %0, %%dr7" : : "r" (c->arch.saved_dr7));
		cr3 = c->arch.entry.cr3;
	}
	lv->regs[RAX] = (long)return_code;
	c->activated = false;
	/* Continue in image page 0 at the caller's address (entry.S). */
	asm volatile("jmp *%0" : : "r" (virt + (x86_leave_stub -
					(const u8 *)&hypervisor_header)),
		     "D" (virt + ((u64)lv - JAILHOUSE_BASE)), "d" (cr3)
		     : "memory");
	__builtin_unreachable();
}

void arch_cpu_off(struct per_cpu *c)
{
	/*
	 * A root CPU parked in the hypervisor: leave guest mode for good and
	 * wait for the root's INIT (a CPU with SVM off resets on it).
	 */
	vcpu_exit_unused(c);
	while (1)
		asm volatile("cli; hlt");
}

/* An NMI exits guest mode (the vendor part intercepts it). */
void arch_send_event(struct per_cpu *target)
{
	apic_send_nmi(target);
}

void arch_reset_self(struct per_cpu *c)
{
	c->arch.wait_sipi = false;
	apic_reset_cpu(c);
	vcpu_mtrr_reset(c);
	x86_cpu_state_clean(c);
	x86_pci_reset_cpu(c);
	vcpu_reset(c);
}

void arch_panic_park(void)
{
	struct per_cpu *c = this_cpu();

	check_events();
	vcpu_activate(c);
}

void arch_comm_region_init(struct cell *cell)
{
	struct jailhouse_comm_region *comm = cell->comm_region;
	unsigned int cpu;

	comm->pm_timer_address =
		system_config->platform_info.x86.pm_timer_address;
	comm->num_cpus = 0;
	for_each_cpu(cpu, &cell->cpus)
		comm->num_cpus++;
	comm->tsc_khz = apic_tsc_khz();
	comm->apic_khz = apic_timer_khz();
}
