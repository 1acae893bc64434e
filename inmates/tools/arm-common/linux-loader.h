/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse tool inmate, ARM and ARM64: what each architecture's linux-loader part provides. */

/*
 * arm-common/linux-loader.c reads the parameters `jailhouse cell linux`
 * loads ("kernel=0x<address> dtb=0x<address>"), checks that a kernel and a
 * device tree are where they say and hands over to the architecture's
 * inmates/tools/<arch>/linux-loader.c.
 */

#include <inmate.h>

/* The image format the architecture boots, for messages: "Image", "zImage". */
extern const char arch_kernel_format[];

/* Whether the kernel image at @kernel carries its format's magic. */
bool arch_kernel_valid(unsigned long kernel);

/*
 * Enter the kernel at @kernel as the architecture's boot protocol wants it
 * (MMU and data cache off, interrupts masked, the device tree's address in
 * the register the protocol names).  Does not return.
 */
void __attribute__((noreturn)) arch_boot_linux(unsigned long kernel,
					       unsigned long dtb);
