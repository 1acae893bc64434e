/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse hypervisor: a simple spinlock on the compiler's atomics. */

#ifndef _HV_SPINLOCK_H
#define _HV_SPINLOCK_H

#include <hv/types.h>
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

/** @return whether the lock was free (and is now held). */
static inline bool spin_trylock(spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

#endif
