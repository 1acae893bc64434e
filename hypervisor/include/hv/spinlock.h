/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: a simple spinlock on the compiler's atomics. */

#ifndef _HV_SPINLOCK_H
#define _HV_SPINLOCK_H

#include <asm/processor.h>

typedef struct {
	unsigned int locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#endif
