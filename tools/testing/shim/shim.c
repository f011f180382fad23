// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim state shared by every harness program, and the harness's
 * implementation of gomem_report.h (the module's is in gomem_core.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <linux/gomem_kshim.h>
#include <linux/bug.h>
#include "gomem_init.h"
#include "gomem_report.h"
#include "gomem_internal.h"

unsigned long gomem_shim_warnings;
int gomem_quiet_caller_bugs;

/*
 * The kernel's memory-initialisation policy (linux/mm.h) and gomem's
 * module parameters that force it (gomem_init.h): off, as in a kernel
 * booted with init_on_alloc=0 init_on_free=0; tests flip them.
 */
bool shim_init_on_alloc;
bool shim_init_on_free;
DEFINE_STATIC_KEY_FALSE(gomem_force_init_on_alloc);
DEFINE_STATIC_KEY_FALSE(gomem_force_init_on_free);
DEFINE_STATIC_KEY_FALSE(gomem_poison);

static bool shim_env(const char *name)
{
	const char *v = getenv(name);

	return v && atoi(v);
}

/*
 * The environment stands for the boot and module parameters: INIT_ON_ALLOC=1
 * and INIT_ON_FREE=1 for the kernel's, FORCE_INIT_ON_ALLOC=1 and
 * FORCE_INIT_ON_FREE=1 for gomem's (make -C tools test runs the gomem_init
 * suite under each); POISON=1 for gomem's poison mode; PERCPU_CACHE_KB for
 * the module parameter percpu_cache_kb (the per-CPU caches' bound);
 * GROW_IN_PLACE=0 for the module parameter grow_in_place.
 */
static void __attribute__((constructor)) shim_init_policy(void)
{
	const char *kb = getenv("PERCPU_CACHE_KB");

	const char *gip = getenv("GROW_IN_PLACE");

	if (kb && atoi(kb) > 0)
		gomem_pool_percpu_cache_kb = (unsigned int)atoi(kb);
	if (gip)
		gomem_pool_grow_in_place = atoi(gip);
	shim_init_on_alloc = shim_env("INIT_ON_ALLOC");
	shim_init_on_free = shim_env("INIT_ON_FREE");
	gomem_force_init_on_alloc.enabled = shim_env("FORCE_INIT_ON_ALLOC");
	gomem_force_init_on_free.enabled = shim_env("FORCE_INIT_ON_FREE");
	gomem_poison.enabled = shim_env("POISON");
}

static long gomem_stats[GOMEM_STAT_COUNT];

/*
 * Fault injection (gomem_report.h): gomem_should_fail() fails that many
 * allocations of gomem's in a thousand, at random: the environment's
 * GOMEM_FAIL_PERMILLE (0, the default, never), or what a fuzzer or test
 * stores in gomem_shim_fail_permille.  GOMEM_FAIL_SEED seeds the choice
 * (per thread, from the same seed).
 */
unsigned int gomem_shim_fail_permille;
static unsigned int shim_fail_seed0 = 1;
static __thread unsigned int shim_fail_seed;

static void __attribute__((constructor)) shim_init_fail(void)
{
	const char *v = getenv("GOMEM_FAIL_PERMILLE");

	if (v)
		gomem_shim_fail_permille = (unsigned int)atoi(v);
	v = getenv("GOMEM_FAIL_SEED");
	if (v && atoi(v))
		shim_fail_seed0 = (unsigned int)atoi(v);
}

/*
 * Set the rate and restart this thread's choice from @seed (0: the
 * environment's seed): a fuzzer calls it for each input, so that the same
 * input fails the same allocations.
 */
void gomem_shim_fail_reset(unsigned int permille, unsigned int seed)
{
	shim_fail_seed = seed ? seed : shim_fail_seed0;
	__atomic_store_n(&gomem_shim_fail_permille, permille, __ATOMIC_RELAXED);
}

bool gomem_should_fail(size_t size)
{
	unsigned int p = __atomic_load_n(&gomem_shim_fail_permille,
					 __ATOMIC_RELAXED);

	(void)size;
	if (!p)
		return false;
	if (!shim_fail_seed)
		shim_fail_seed = shim_fail_seed0;
	if ((unsigned int)rand_r(&shim_fail_seed) % 1000 >= p)
		return false;
	gomem_stat_inc(GOMEM_STAT_FAULTS_INJECTED);
	return true;
}

void gomem_stat_inc(enum gomem_stat s)
{
	__atomic_fetch_add(&gomem_stats[s], 1, __ATOMIC_RELAXED);
}

void gomem_stat_dec(enum gomem_stat s)
{
	__atomic_fetch_sub(&gomem_stats[s], 1, __ATOMIC_RELAXED);
}

long gomem_stat_read(enum gomem_stat s)
{
	return __atomic_load_n(&gomem_stats[s], __ATOMIC_RELAXED);
}

/* The current "CPU" of this thread (gomem_kshim.h, per-CPU data). */
__thread unsigned int shim_cpu;
/* Whether this thread stands in for an interrupt (gomem_kshim.h). */
__thread unsigned int shim_irq;

void *shim_alloc_percpu(size_t size, size_t align)
{
	char *base = NULL;
	unsigned int cpu;

	if (size > SHIM_PCPU_UNIT || align > 64 ||
	    posix_memalign((void **)&base, 64, SHIM_PCPU_UNIT * SHIM_NR_CPUS))
		return NULL;
	for (cpu = 0; cpu < SHIM_NR_CPUS; cpu++)
		memset(base + cpu * SHIM_PCPU_UNIT, 0, size);
	return base;
}

void shim_free_percpu(void *p)
{
	free(p);
}

/*
 * A contended shim spinlock (gomem_kshim.h): spin on loads until it looks
 * free, then try again.  Every 256 spins, yield: the holder
 * is a thread that may have been preempted (the kernel's holder cannot),
 * and the machine may have fewer CPUs than threads.
 */
void shim_spin_lock_slow(raw_spinlock_t *l)
{
	unsigned int spins = 0;
	int unlocked;

	for (;;) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			if (!(++spins & 255))
				sched_yield();
		}
		unlocked = 0;
		if (__atomic_compare_exchange_n(&l->locked, &unlocked, 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
	}
}

#ifdef GOMEM_SHIM_KASAN
#include <sanitizer/asan_interface.h>

/*
 * mm/kasan/shadow.c's kasan_poison() on ASan's shadow, which encodes what
 * generic KASAN's does: 0 all 8 bytes valid, 1 to 7 that many first bytes
 * valid, anything else none.  @addr and @size are multiples of 8.
 */
void kasan_poison(const void *addr, size_t size, u8 value, bool init)
{
	void *p = (void *)addr;

	if (!value) {
		__asan_unpoison_memory_region(p, size);
		return;
	}
	__asan_poison_memory_region(p, size);
	if (value < 8)
		__asan_unpoison_memory_region(p, value);
}
#endif
