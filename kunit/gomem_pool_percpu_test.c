// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_pool_percpu: the pool's per-CPU front end.  Blocks go
 * through the caches with data patterns, are freed on another CPU than
 * the one that allocated them, and every call that must see all memory
 * (trim, check, stats, destroy) accounts for or drains every CPU's cache:
 * cached + in_use + free == reserved.  Kernel only (kthreads bound to
 * CPUs).
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "../gomem_internal.h"
#include "gomem_kunit.h"
#include "gomem_stress.h"

#define NBLK	64

static struct gomem_pool *pcp_pool(struct kunit *test, const char *name)
{
	struct gomem_pool_params p = { .percpu = GOMEM_PERCPU_ON };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

static void expect_sum(struct kunit *test, struct gomem_pool *pool,
		       size_t in_use)
{
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.in_use, in_use);
	KUNIT_EXPECT_EQ(test, st.cached + st.in_use + st.free, st.reserved);
}

/* A trim (task context) gives every cached byte back: the pool is free. */
static void expect_trim_takes_all(struct kunit *test, struct gomem_pool *pool)
{
	struct gomem_pool_stats st;

	gomem_pool_trim(pool);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.free, st.reserved);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
}

/* Malloc, fill, check, free, again: the second round is served cached. */
static void pcp_patterns_roundtrip(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_rt");
	struct gomem_pool_stats st;
	u8 *p[NBLK];
	size_t in_use = 0;
	int round, i, k;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < NBLK; i++) {
			size_t n = 1 + (i * 67) % GOMEM_POOL_PERCPU_MAX;

			p[i] = gomem_malloc(pool, n, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[i]);
			memset(p[i], i + round, n);
			in_use += ALIGN(n, 32);
		}
		expect_sum(test, pool, in_use);
		for (i = 0; i < NBLK; i++) {
			size_t n = 1 + (i * 67) % GOMEM_POOL_PERCPU_MAX;

			for (k = 0; k < n; k += 31)
				KUNIT_ASSERT_EQ(test, p[i][k], (u8)(i + round));
			KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], n), 0);
			in_use -= ALIGN(n, 32);
		}
		expect_sum(test, pool, 0);
	}
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_GT(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.mallocs, 3UL * NBLK);
	KUNIT_EXPECT_EQ(test, st.frees, 3UL * NBLK);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* A block freed in pieces through the cache comes back whole. */
static void pcp_pieces(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_pieces");
	u8 *p = gomem_malloc(pool, 1024, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p + 256, 768), 0);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 100), 0);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p + 100, 156), 0);
	expect_sum(test, pool, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * A class that only receives goes cold: the rests of gomem_free_rest() and
 * the heads after them fill two classes no malloc asks for; at their third
 * overflow they stop taking frees (which go to the arenas) and keep the
 * half they held, 4 rounds each (without cold classes: 4 to 8 each).
 * Mallocs of such a size take the kept blocks, and the first that misses
 * warms the class again: then its frees are cached.
 */
static void pcp_cold_class(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_cold");
	struct gomem_pool_stats st;
	u8 *p, *q[5];
	int i;

	migrate_disable();
	for (i = 0; i < 64; i++) {
		p = gomem_malloc(pool, 1024, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, gomem_free_rest(pool, p, 1024, 256), 0);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 256), 0);
	}
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 4UL * 768 + 4UL * 256);
	expect_sum(test, pool, 0);
	/* 4 hits on the kept rounds, then a miss that warms the class. */
	for (i = 0; i < 5; i++) {
		q[i] = gomem_malloc(pool, 768, GFP_ATOMIC);
		KUNIT_EXPECT_NOT_NULL(test, q[i]);
	}
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 4UL * 256);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, q[i], 768), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 5UL * 768 + 4UL * 256);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

struct remote_free {
	struct gomem_pool *pool;
	u8 **p;
	struct completion done;
	int bad;
};

#define REMOTE_FREES	8	/* the rounds of a 512-byte magazine */

static int remote_free_fn(void *arg)
{
	struct remote_free *rf = arg;
	int i;

	/* One magazine's worth: more, and a CPU that only frees goes cold. */
	for (i = 0; i < REMOTE_FREES; i++)
		rf->bad += !!gomem_free(rf->pool, rf->p[i], 512);
	complete(&rf->done);
	return 0;
}

/*
 * CPU 0 allocates, a kthread bound to CPU 1 frees a magazine's worth into
 * CPU 1's cache, this thread the rest; trim must drain both caches so that
 * every arena but one goes.
 */
static void pcp_free_on_other_cpu(struct kunit *test)
{
	struct gomem_pool *pool;
	struct remote_free rf = { };
	struct gomem_pool_stats st;
	struct task_struct *t;
	u8 *p[NBLK];
	int i;

	if (num_online_cpus() < 2 || !cpu_online(1))
		kunit_skip(test, "needs CPU 1 online");
	pool = pcp_pool(test, "kt_pcp_remote");
	migrate_disable();
	for (i = 0; i < NBLK; i++) {
		p[i] = gomem_malloc(pool, 512, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], 0x5a, 512);
	}
	migrate_enable();
	rf.pool = pool;
	rf.p = p;
	init_completion(&rf.done);
	t = kthread_create(remote_free_fn, &rf, "gomem_pcp_free");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, 1);
	wake_up_process(t);
	wait_for_completion(&rf.done);
	KUNIT_EXPECT_EQ(test, rf.bad, 0);
	for (i = REMOTE_FREES; i < NBLK; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], 512), 0);
	expect_sum(test, pool, 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_GE(test, st.cached, 512UL);
	/* A drain skipped anywhere leaves cached bytes, or busy arenas. */
	expect_trim_takes_all(test, pool);
	gomem_pool_destroy(pool);
}

/* check() and destroy() drain: no bytes counted in use at destroy. */
static void pcp_destroy_drains(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_destroy");
	long bad = gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT);
	struct gomem_pool_stats st;
	void *p[8];
	int i;

	for (i = 0; i < 8; i++)
		p[i] = gomem_malloc(pool, 96, GFP_KERNEL);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], 96), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_GT(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.free, st.reserved);
	gomem_pool_destroy(pool);
	/* Destroy with only cached memory is no caller bug. */
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT), bad);
}

/*
 * A malloc that cannot grow the pool (GFP_ATOMIC) and needs memory this
 * CPU's cache holds gets it: the caches are drained and the arenas tried
 * again, as the page allocator drains its per-CPU lists.
 */
/*
 * Fill @pool (one 64 KiB arena) with 1 KiB blocks and free them all into
 * this CPU's cache: the arena is then all cached, nothing in use.
 */
static void pcp_fill_and_cache(struct kunit *test, struct gomem_pool *pool)
{
	struct gomem_pool_stats st;
	void *p[SZ_64K / SZ_1K];
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = gomem_malloc(pool, SZ_1K, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_NULL(test, gomem_malloc(pool, SZ_1K, GFP_ATOMIC));
	/*
	 * On one CPU, and a magazine's worth last: a long run of frees
	 * with no malloc between turns the class cold (pool_pcp_free()),
	 * and the last 8 must find it warm again, after a malloc.
	 */
	migrate_disable();
	for (i = 8; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	p[8] = gomem_malloc(pool, SZ_1K, GFP_ATOMIC);
	KUNIT_EXPECT_NOT_NULL(test, p[8]);
	for (i = 0; i <= 8; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	migrate_enable();
	gomem_pool_get_stats(pool, &st);
	KUNIT_ASSERT_GT(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.in_use, 0UL);
}

/*
 * Cached blocks are free room: an atomic malloc that finds the arenas
 * full takes them back before it fails, and so does a blocking one of
 * more than the caches serve before it grows the pool.  Both get the
 * whole arena, which fits only with the cached blocks back.
 */
static void pcp_atomic_drains_caches(struct kunit *test)
{
	struct gomem_pool_params prm = { .percpu = GOMEM_PERCPU_ON,
					 .initial_size = SZ_64K,
					 .max_arena_size = SZ_64K };
	struct gomem_pool *pool = gomem_pool_create("kt_pcp_atomic", &prm);
	struct gomem_pool_stats st;
	void *all;

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	pcp_fill_and_cache(test, pool);
	all = gomem_malloc(pool, SZ_64K, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, all);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.in_use, (size_t)SZ_64K);
	KUNIT_EXPECT_EQ(test, st.failures, 1UL);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, all, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);

	/* Blocking: no growth, the same arena. */
	pcp_fill_and_cache(test, pool);
	all = gomem_malloc(pool, SZ_64K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.arenas, 1UL);
	KUNIT_EXPECT_EQ(test, st.reserved, (size_t)SZ_64K);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, all, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * Frames mode (pool_pcp_frames()): after a malloc over 8 KiB made the pool
 * grow, this CPU caches only frees in the lowest eighth of their arena
 * (64 KiB arena: its first 8 KiB), so that small blocks served again do
 * not sit in the holes large ones need.  Before it, the same frees are
 * cached wherever they lie.
 */
static void pcp_frames_mode(struct kunit *test)
{
	struct gomem_pool_params prm = { .percpu = GOMEM_PERCPU_ON,
					 .initial_size = SZ_64K,
					 .max_arena_size = SZ_1M,
					 .grow = GOMEM_GROW_NEW_ARENAS };
	struct gomem_pool *pool = gomem_pool_create("kt_pcp_frames", &prm);
	struct gomem_pool_stats st;
	void *p[48], *big;
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	migrate_disable();	/* one CPU's cache; sleeping is allowed */
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = gomem_malloc(pool, SZ_1K, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	/* Mode off: 8 frees high in the arena are cached. */
	for (i = 40; i < 48; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, (size_t)8 * SZ_1K);
	for (i = 40; i < 48; i++)
		p[i] = gomem_malloc(pool, SZ_1K, GFP_KERNEL);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	/* 32 KiB does not fit in the 16 KiB left: the pool grows. */
	big = gomem_malloc(pool, SZ_32K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.arenas, 2UL);
	/* Mode on: the same frees go to the arena, the lowest 8 KiB's not. */
	for (i = 40; i < 48; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.in_use, (size_t)40 * SZ_1K + SZ_32K);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, (size_t)8 * SZ_1K);
	for (i = 8; i < 40; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], SZ_1K), 0);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, big, SZ_32K), 0);
	migrate_enable();
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.in_use, 0UL);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* Double free and foreign pointer, front end on and percpu_strict. */
static void pcp_bad_frees(struct kunit *test)
{
	struct gomem_pool_stats st;
	struct gomem_pool *pool;
	int strict;
	u8 other[64];

	gomem_quiet_caller_bugs++;
	for (strict = 0; strict < 2; strict++) {
		void *p;

		gomem_pool_percpu_strict = strict;
		pool = pcp_pool(test, "kt_pcp_bad");
		gomem_pool_percpu_strict = false;
		p = gomem_malloc(pool, 200, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 200), 0);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 200), -EINVAL);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, other, 64), -EINVAL);
		gomem_pool_get_stats(pool, &st);
		KUNIT_EXPECT_EQ(test, st.bad_frees, 2UL);
		KUNIT_EXPECT_EQ(test, st.cached == 0, !!strict);
		expect_sum(test, pool, 0);
		KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
		gomem_pool_destroy(pool);
	}
	gomem_quiet_caller_bugs--;
}

/*
 * The one block of over 4 KiB each CPU holds: a malloc and a free of one
 * size in turn are served from it; the double free of the held block is
 * refused; a malloc of another size gives it back to its arena first; a
 * free of a size the last malloc did not ask for goes to the arenas; trim
 * takes it.
 */
static void pcp_big_block(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_big");
	struct gomem_pool_stats st;
	u8 *p, *q, *r;

	gomem_quiet_caller_bugs++;
	migrate_disable();
	p = gomem_malloc(pool, SZ_8K, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x5a, SZ_8K);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, SZ_8K), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, (size_t)SZ_8K);
	expect_sum(test, pool, 0);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, SZ_8K), -EINVAL);
	/* 8 KiB - 20 bytes: the same 256 granules. */
	q = gomem_malloc(pool, SZ_8K - 20, GFP_ATOMIC);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.mallocs, 2UL);
	KUNIT_EXPECT_EQ(test, st.frees, 1UL);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 1UL);
	expect_sum(test, pool, SZ_8K);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, q, SZ_8K - 20), 0);
	r = gomem_malloc(pool, 5000, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, r);
	expect_sum(test, pool, ALIGN(5000, 32));
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	p = gomem_malloc(pool, 6000, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, r, 5000), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 6000), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, (size_t)ALIGN(6000, 32));
	migrate_enable();
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	expect_trim_takes_all(test, pool);
	gomem_pool_destroy(pool);
	gomem_quiet_caller_bugs--;
}

/* Run @fn(@arg) in a kthread bound to @cpu and wait for it. */
static int run_on_cpu(int (*fn)(void *), void *arg, struct completion *done,
		      unsigned int cpu)
{
	struct task_struct *t;

	init_completion(done);
	t = kthread_create(fn, arg, "gomem_pcp/%u", cpu);
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, cpu);
	wake_up_process(t);
	return 0;
}

#define HP_BLOCKS	48

/* Fills CPU 1's cache: mallocs and frees of 64..2048 bytes there. */
struct hp_fill {
	struct gomem_pool *pool;
	struct completion done;
	unsigned int bad;
};

static int hp_fill_fn(void *arg)
{
	struct hp_fill *f = arg;
	u8 *p[HP_BLOCKS];
	int i, k;

	for (i = 0; i < HP_BLOCKS; i++) {
		size_t n = 64 << (i % 6);

		p[i] = gomem_malloc(f->pool, n, GFP_KERNEL);
		if (!p[i]) {
			f->bad++;
			continue;
		}
		memset(p[i], i, n);
	}
	for (i = 0; i < HP_BLOCKS; i++) {
		size_t n = 64 << (i % 6);

		if (!p[i])
			continue;
		for (k = 0; k < n; k += 63)
			f->bad += p[i][k] != (u8)i;
		f->bad += !!gomem_free(f->pool, p[i], n);
	}
	kthread_complete_and_exit(&f->done, 0);
}

/*
 * Allocates on CPU 0 until told to stop: blocks of 8 KiB + 1 to 16 KiB,
 * which the front end does not take, so that CPU 0's cache stays as it is
 * and the pool's cached bytes are CPU 1's alone.
 */
struct hp_big {
	struct gomem_pool *pool;
	struct completion done;
	struct completion going;	/* it has run a few rounds */
	bool stop;
	unsigned long rounds;
	unsigned int bad;
};

static int hp_big_fn(void *arg)
{
	struct hp_big *b = arg;
	u8 *p[4];
	int i;

	while (!READ_ONCE(b->stop)) {
		for (i = 0; i < 4; i++) {
			size_t n = GOMEM_POOL_PERCPU_BIG_MAX + 1 +
				   (b->rounds * 997 + i * 3001) %
				   (SZ_16K - GOMEM_POOL_PERCPU_BIG_MAX);

			p[i] = gomem_malloc(b->pool, n, GFP_KERNEL);
			if (!p[i]) {
				b->bad++;
				continue;
			}
			memset(p[i], i + 1, n);
			b->bad += p[i][n - 1] != i + 1;
			b->bad += !!gomem_free(b->pool, p[i], n);
		}
		if (++b->rounds == 8)
			complete(&b->going);
		cond_resched();
	}
	if (b->rounds < 8)
		complete(&b->going);
	kthread_complete_and_exit(&b->done, 0);
}

/*
 * CPU hotplug: CPU 1 fills its cache, then goes offline while CPU 0
 * allocates.  The pool's dead-CPU callback must give CPU 1's cached bytes
 * back to the arenas: cached drops to 0 (by exactly what CPU 1 held) and
 * free rises by as much.  CPU 1 comes back, caches again, and the stats
 * still balance; trim then leaves every arena free.
 */
static void pcp_cpu_hotplug_drains(struct kunit *test)
{
	struct hp_fill *fill = kunit_kzalloc(test, sizeof(*fill), GFP_KERNEL);
	struct hp_big *big = kunit_kzalloc(test, sizeof(*big), GFP_KERNEL);
	struct gomem_pool_stats st0, st1, st2;
	struct gomem_pool *pool;
	size_t cpu1_cached;
	int ret, up;

	KUNIT_ASSERT_NOT_NULL(test, fill);
	KUNIT_ASSERT_NOT_NULL(test, big);
	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 online");
	pool = pcp_pool(test, "kt_pcp_hotplug");
	fill->pool = pool;
	big->pool = pool;

	/* Only CPU 1 uses the front end: the pool's cached bytes are its. */
	KUNIT_ASSERT_EQ(test, run_on_cpu(hp_fill_fn, fill, &fill->done, 1), 0);
	wait_for_completion(&fill->done);
	KUNIT_EXPECT_EQ(test, fill->bad, 0);
	gomem_pool_get_stats(pool, &st0);
	cpu1_cached = st0.cached;
	KUNIT_ASSERT_GT(test, cpu1_cached, 0UL);
	KUNIT_EXPECT_EQ(test, st0.in_use, 0UL);

	init_completion(&big->going);
	KUNIT_ASSERT_EQ(test, run_on_cpu(hp_big_fn, big, &big->done, 0), 0);
	wait_for_completion(&big->going);
	ret = remove_cpu(1);
	if (!ret) {
		/* CPU 0 is still allocating. */
		gomem_pool_get_stats(pool, &st1);
		KUNIT_EXPECT_EQ(test, st1.cached, 0UL);
		KUNIT_EXPECT_EQ(test, st1.cached + st1.in_use + st1.free,
				st1.reserved);
	}
	WRITE_ONCE(big->stop, true);
	wait_for_completion(&big->done);
	KUNIT_EXPECT_EQ(test, big->bad, 0);
	if (ret) {
		gomem_pool_destroy(pool);
		kunit_skip(test, "remove_cpu(1): %d", ret);
	}
	kunit_info(test, "CPU 1 went offline holding %zu cached bytes; CPU 0 ran %lu rounds meanwhile\n",
		   cpu1_cached, big->rounds);

	gomem_pool_get_stats(pool, &st2);
	KUNIT_EXPECT_EQ(test, st2.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st2.in_use, 0UL);
	/* Free rose by CPU 1's bytes, and by any arena CPU 0 added. */
	KUNIT_EXPECT_EQ(test, st2.free - st0.free,
			cpu1_cached + (st2.reserved - st0.reserved));
	KUNIT_EXPECT_EQ(test, st2.free, st2.reserved);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);

	up = add_cpu(1);
	KUNIT_EXPECT_EQ(test, up, 0);
	if (!up) {
		fill->bad = 0;
		KUNIT_ASSERT_EQ(test,
				run_on_cpu(hp_fill_fn, fill, &fill->done, 1),
				0);
		wait_for_completion(&fill->done);
		KUNIT_EXPECT_EQ(test, fill->bad, 0);
		gomem_pool_get_stats(pool, &st2);
		KUNIT_EXPECT_GT(test, st2.cached, 0UL);
	}
	expect_sum(test, pool, 0);
	gomem_pool_get_stats(pool, &st2);
	KUNIT_EXPECT_EQ(test, st2.mallocs, st2.frees);
	KUNIT_EXPECT_EQ(test, st2.bad_frees, 0UL);
	KUNIT_EXPECT_EQ(test, st2.failures, 0UL);
	gomem_pool_trim(pool);
	gomem_pool_get_stats(pool, &st2);
	KUNIT_EXPECT_EQ(test, st2.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st2.free, st2.reserved);
	gomem_pool_destroy(pool);
}

/*
 * Every context on one pool with the front end on (kunit/gomem_stress.c):
 * a kthread on each of CPUs 0 and 1, a timer (softirq) and a hard
 * irq_work, random sizes (mostly cached ones, some larger), frees whole
 * and in two pieces, a quarter of the blocks handed to the other CPU's
 * thread to free, trims and checks meanwhile.  Every byte handed out
 * carries a pattern checked before its free; at the end the counters
 * balance and the destroy finds only cached memory.
 */
static void pcp_stress_every_context(struct kunit *test)
{
	struct gomem_stress *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct gomem_pool_params p = { .initial_size = SZ_16K,
				       .max_arena_size = SZ_128K,
				       .percpu = GOMEM_PERCPU_ON };
	struct gomem_pool_stats st;

	KUNIT_ASSERT_NOT_NULL(test, s);
	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 online");
	s->pool[0] = gomem_pool_create("kt_pcp_stress", &p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->pool[0]));
	s->pool[1] = s->pool[0];
	s->cpu[0] = 0;
	s->cpu[1] = 1;
	s->seed = get_random_u32();
	s->ops = 3000;
	kunit_info(test, "seed %u\n", s->seed);
	KUNIT_ASSERT_EQ(test, gomem_stress_run(s), 0);

	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->errors), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&s->timer_runs), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&s->irq_runs), 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(s->hardirq));
	gomem_pool_get_stats(s->pool[0], &st);
	KUNIT_EXPECT_EQ(test, st.mallocs, atomic_long_read(&s->mallocs));
	KUNIT_EXPECT_EQ(test, st.frees, atomic_long_read(&s->frees));
	KUNIT_EXPECT_EQ(test, st.failures, atomic_long_read(&s->failures));
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0UL);
	expect_sum(test, s->pool[0], 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(s->pool[0]), 0);
	kunit_info(test, "%ld mallocs (%ld atomic misses), %d timer and %d irq_work runs, %lu arenas, %lu trimmed\n",
		   atomic_long_read(&s->mallocs),
		   atomic_long_read(&s->failures),
		   atomic_read(&s->timer_runs), atomic_read(&s->irq_runs),
		   st.arenas, st.trims);
	/* Cached blocks refill as the last frees came: destroy drains them. */
	gomem_pool_destroy(s->pool[0]);
}

struct pcp_irq {
	struct irq_work work;
	struct gomem_pool *pool;
	void *p;
	int free_ret;
	size_t cached;
	bool done;
};

/* The interrupt: a malloc, a free and a trim while its CPU's holder waits. */
static void pcp_irq_fn(struct irq_work *w)
{
	struct pcp_irq *x = container_of(w, struct pcp_irq, work);
	struct gomem_pool_stats st;

	x->p = gomem_malloc(x->pool, 256, GFP_ATOMIC);
	if (x->p) {
		memset(x->p, 0xa5, 256);
		x->free_ret = gomem_free(x->pool, x->p, 256);
	}
	/* Waiting for this CPU's cache lock here would never end. */
	gomem_pool_trim(x->pool);
	gomem_pool_get_stats(x->pool, &st);
	x->cached = st.cached;
	WRITE_ONCE(x->done, true);
}

/* Under this CPU's cache lock: raise the interrupt and wait for it. */
static void pcp_irq_held(void *arg)
{
	struct pcp_irq *x = arg;
	unsigned long end = jiffies + 5 * HZ;

	irq_work_queue(&x->work);
	/* Not irq_work_sync(): it may sleep, and we hold a raw lock. */
	while (!READ_ONCE(x->done) && time_before(jiffies, end))
		cpu_relax();
}

/*
 * A hard interrupt that comes while its CPU's cache lock is held (the hit
 * holds it with interrupts on) passes the cache by: its malloc and free
 * go to the arenas, its trim leaves the held cache as it is, and nothing
 * is lost.  A fallback that waited for the lock would hang here; one that
 * dropped the block would show in in_use.
 */
static void pcp_interrupted_holder(struct kunit *test)
{
	struct gomem_pool *pool = pcp_pool(test, "kt_pcp_irq");
	struct pcp_irq x = { .work = IRQ_WORK_INIT_HARD(pcp_irq_fn) };
	struct gomem_pool_stats st;
	void *p[8];
	int i;

	migrate_disable();
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = gomem_malloc(pool, 256, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], 256), 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 8UL * 256);
	x.pool = pool;
	KUNIT_EXPECT_EQ(test, gomem_pool_pcp_held_call(pool, pcp_irq_held, &x),
			0);
	migrate_enable();
	irq_work_sync(&x.work);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(x.done));
	KUNIT_EXPECT_NOT_NULL(test, x.p);
	KUNIT_EXPECT_EQ(test, x.free_ret, 0);
	KUNIT_EXPECT_EQ(test, x.cached, 8UL * 256);
	expect_sum(test, pool, 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.mallocs, 9UL);
	KUNIT_EXPECT_EQ(test, st.frees, 9UL);
	/* In task context the trim waits for each lock: all back. */
	expect_trim_takes_all(test, pool);
	gomem_pool_destroy(pool);
}

static struct kunit_case gomem_pool_percpu_cases[] = {
	KUNIT_CASE(pcp_patterns_roundtrip),
	KUNIT_CASE(pcp_pieces),
	KUNIT_CASE(pcp_cold_class),
	KUNIT_CASE(pcp_free_on_other_cpu),
	KUNIT_CASE(pcp_destroy_drains),
	KUNIT_CASE(pcp_atomic_drains_caches),
	KUNIT_CASE(pcp_frames_mode),
	KUNIT_CASE(pcp_bad_frees),
	KUNIT_CASE(pcp_big_block),
	KUNIT_CASE(pcp_stress_every_context),
	KUNIT_CASE(pcp_cpu_hotplug_drains),
	KUNIT_CASE(pcp_interrupted_holder),
	{}
};

static struct kunit_suite gomem_pool_percpu_suite = {
	.name = "gomem_pool_percpu",
	.test_cases = gomem_pool_percpu_cases,
};

kunit_test_suite(gomem_pool_percpu_suite);
