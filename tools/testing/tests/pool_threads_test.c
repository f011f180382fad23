// SPDX-License-Identifier: GPL-2.0
/*
 * Real threads standing in for CPUs (each its own shim_cpu) on the shim
 * and a shared pool, under ASan and UBSan (make -C tools test):
 *
 * - the shim's raw spinlock excludes: two threads add to a plain counter
 *   under it, and no increment is lost;
 * - a pool shared by two threads, the per-CPU front end on and off:
 *   random sizes (some beyond the front end's 4 KiB, some pieces), a third
 *   of the blocks handed to the other thread and freed there.  Every live
 *   byte carries a pattern checked before its free; at the end the stats
 *   balance (in_use 0, in_use + free + cached == reserved), nothing was
 *   refused and gomem_pool_check() passes.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <gomem/gomem.h>
#include "gomem_internal.h"

#define NTHREADS	2
#define STEPS		60000
#define LIVE		64
#define MAILBOX		256

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
}

/* ---- the lock ---- */
static raw_spinlock_t lock;
static unsigned long counter;
static pthread_barrier_t start;

static void *lock_thread(void *arg)
{
	unsigned long v;
	int i;

	pthread_barrier_wait(&start);
	for (i = 0; i < 500000; i++) {
		raw_spin_lock(&lock);
		/* A load and a store: increments are lost without the lock. */
		v = __atomic_load_n(&counter, __ATOMIC_RELAXED);
		__atomic_store_n(&counter, v + 1, __ATOMIC_RELAXED);
		raw_spin_unlock(&lock);
	}
	return NULL;
}

static void test_lock(void)
{
	pthread_t t[NTHREADS];
	int i;

	raw_spin_lock_init(&lock);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, lock_thread, NULL);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	if (counter != 500000UL * NTHREADS)
		fail("raw spinlock lost increments: %lu of %lu", counter,
		     500000UL * NTHREADS);
	else
		printf("raw spinlock: %lu increments from %d threads, none lost\n",
		       counter, NTHREADS);
}

/* ---- the pool ---- */
struct blk {
	unsigned char *p;
	size_t len;
	unsigned char pat;
};

struct mailbox {
	raw_spinlock_t lock;
	unsigned int n;
	struct blk b[MAILBOX];
};

static struct gomem_pool *pool;
static struct mailbox box[NTHREADS];

static void check_free(struct blk *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] != b->pat) {
			fail("block %p+%zu: byte %zu changed while live", b->p,
			     b->len, i);
			break;
		}
	if (gomem_free(pool, b->p, b->len))
		fail("free of %p+%zu refused", b->p, b->len);
}

static void drain_box(unsigned int me)
{
	struct blk got[MAILBOX];
	unsigned int n, i;

	raw_spin_lock(&box[me].lock);
	n = box[me].n;
	memcpy(got, box[me].b, n * sizeof(*got));
	box[me].n = 0;
	raw_spin_unlock(&box[me].lock);
	for (i = 0; i < n; i++)
		check_free(&got[i]);
}

static void *pool_thread(void *arg)
{
	unsigned int me = (uintptr_t)arg, other = (me + 1) % NTHREADS;
	unsigned long long s = 0x9e3779b97f4a7c15ull * (me + 1);
	struct blk live[LIVE];
	unsigned int nlive = 0, step, j;

	shim_cpu = me;
	for (step = 0; step < STEPS; step++) {
		unsigned int r;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		r = s >> 32;
		if (nlive < LIVE && (r & 1)) {
			struct blk *b = &live[nlive];

			b->len = r % 16 ? 1 + (r >> 8) % 4096 :
				 4097 + (r >> 8) % 20000;
			b->p = gomem_malloc(pool, b->len, GFP_KERNEL);
			if (!b->p) {
				fail("malloc of %zu failed", b->len);
				break;
			}
			b->pat = r >> 24;
			memset(b->p, b->pat, b->len);
			nlive++;
		} else if (nlive) {
			struct blk b;

			j = (r >> 1) % nlive;
			b = live[j];
			live[j] = live[--nlive];
			if (r % 3 == 0) {
				/* To the other thread, which frees it there. */
				raw_spin_lock(&box[other].lock);
				if (box[other].n < MAILBOX) {
					box[other].b[box[other].n++] = b;
					b.p = NULL;
				}
				raw_spin_unlock(&box[other].lock);
			} else if (r % 3 == 1 && b.len > 64 && !(b.len % 32)) {
				/* A granule-aligned tail first, then the head. */
				struct blk tail = { b.p + 32, b.len - 32, b.pat };

				check_free(&tail);
				b.len = 32;
			}
			if (b.p)
				check_free(&b);
		}
		if (step % 64 == 0)
			drain_box(me);
	}
	while (nlive)
		check_free(&live[--nlive]);
	return NULL;
}

static void test_pool(enum gomem_pool_percpu percpu, const char *name)
{
	struct gomem_pool_params params = { .percpu = percpu };
	pthread_t t[NTHREADS];
	struct gomem_pool_stats st;
	uintptr_t i;

	pool = gomem_pool_create(name, &params);
	if (IS_ERR(pool)) {
		fail("create %s", name);
		return;
	}
	for (i = 0; i < NTHREADS; i++) {
		raw_spin_lock_init(&box[i].lock);
		box[i].n = 0;
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, pool_thread, (void *)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++)
		drain_box(i);
	gomem_pool_get_stats(pool, &st);
	if (st.in_use || st.in_use + st.free + st.cached != st.reserved)
		fail("%s: stats do not balance: in_use %zu free %zu cached %zu reserved %zu",
		     name, st.in_use, st.free, st.cached, st.reserved);
	if (st.bad_frees || st.failures)
		fail("%s: %lu bad frees, %lu failures", name, st.bad_frees,
		     st.failures);
	if (st.mallocs == 0 || st.frees < st.mallocs)
		fail("%s: %lu mallocs, %lu frees", name, st.mallocs, st.frees);
	if (gomem_pool_check(pool))
		fail("%s: gomem_pool_check failed", name);
	gomem_pool_get_stats(pool, &st);
	if (st.cached)
		fail("%s: %zu bytes still cached after the check's drain",
		     name, st.cached);
	printf("%s: %lu mallocs, %lu frees on %d threads; balanced\n", name,
	       st.mallocs, st.frees, NTHREADS);
	gomem_pool_destroy(pool);
}

int main(void)
{
	test_lock();
	test_pool(GOMEM_PERCPU_ON, "threads_pcpu");
	test_pool(GOMEM_PERCPU_OFF, "threads");
	if (failures)
		return 1;
	printf("pool_threads: all passed\n");
	return 0;
}
