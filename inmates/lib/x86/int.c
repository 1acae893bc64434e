/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library, x86: interrupt table, handlers, exceptions. */

#include <arch.h>
#include <x86.h>

#define NUM_VECTORS		256
#define FIRST_IRQ_VECTOR	32
#define GATE_INTERRUPT		0x8e00

#ifdef INMATE_32BIT
struct gate {
	u16 offset_low, selector, type, offset_high;
} __attribute__((packed));
#define CODE_SELECTOR		0x08
#else
struct gate {
	u16 offset_low, selector, type, offset_mid;
	u32 offset_high, reserved;
} __attribute__((packed));
#define CODE_SELECTOR		0x18
#endif

struct descriptor_ptr {
	u16 limit;
	unsigned long base;
} __attribute__((packed));

extern const char __int_stubs[];

static struct gate idt[NUM_VECTORS] __aligned(16);
static irq_handler_t handlers[NUM_VECTORS];
static irq_handler_t default_handler;
static volatile bool idt_ready;

static const char *const exception_names[] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error",
};

void int_set_gate(unsigned int vector, const void *handler)
{
	unsigned long addr = (unsigned long)handler;

	if (vector >= NUM_VECTORS)
		return;
	idt[vector].offset_low = addr & 0xffff;
#ifdef INMATE_32BIT
	idt[vector].offset_high = addr >> 16;
#else
	idt[vector].offset_mid = (addr >> 16) & 0xffff;
	idt[vector].offset_high = (u64)addr >> 32;
#endif
}

void __int_load_table(void)
{
	struct descriptor_ptr ptr = {
		.limit = sizeof(idt) - 1,
		.base = (unsigned long)idt,
	};
	unsigned int n;

	if (!idt_ready) {
		for (n = 0; n < NUM_VECTORS; n++) {
			idt[n].selector = CODE_SELECTOR;
			idt[n].type = GATE_INTERRUPT;
			int_set_gate(n, __int_stubs + 16 * n);
		}
		idt_ready = true;
	}
	asm volatile("lidt %0" : : "m" (ptr));
}

void __int_dispatch(unsigned long vector, unsigned long *frame)
{
	irq_handler_t handler;

	if (vector < FIRST_IRQ_VECTOR) {
		printk("FATAL: exception %lu (%s), error code 0x%lx, "
		       "IP 0x%lx, CPU %u\n", vector,
		       vector < ARRAY_SIZE(exception_names) ?
		       exception_names[vector] : "reserved",
		       frame[1], frame[2], cpu_apic_id());
		stop();
	}
	handler = handlers[vector] ? handlers[vector] : default_handler;
	if (handler)
		handler(vector);
	apic_eoi();
}

void irq_init(irq_handler_t handler)
{
	default_handler = handler;
	__apic_cpu_init();
	arch_irq_enable();
}

void irq_register(unsigned int irq, irq_handler_t handler)
{
	if (irq < NUM_VECTORS)
		handlers[irq] = handler;
}

void arch_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

void arch_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}
