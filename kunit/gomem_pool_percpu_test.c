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
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "../gomem_internal.h"
#include "gomem_kunit.h"

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

struct remote_free {
	struct gomem_pool *pool;
	u8 **p;
	struct completion done;
	int bad;
};

static int remote_free_fn(void *arg)
{
	struct remote_free *rf = arg;
	int i;

	for (i = 0; i < NBLK; i++)
		rf->bad += !!gomem_free(rf->pool, rf->p[i], 512);
	complete(&rf->done);
	return 0;
}

/*
 * CPU 0 allocates, a kthread bound to CPU 1 frees into CPU 1's cache;
 * trim must drain both caches so that every arena but one goes.
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
	expect_sum(test, pool, 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_GE(test, st.cached, 512UL);
	/* A drain skipped anywhere leaves cached bytes, or busy arenas. */
	gomem_pool_trim(pool);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	KUNIT_EXPECT_EQ(test, st.free, st.reserved);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
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

static struct kunit_case gomem_pool_percpu_cases[] = {
	KUNIT_CASE(pcp_patterns_roundtrip),
	KUNIT_CASE(pcp_pieces),
	KUNIT_CASE(pcp_free_on_other_cpu),
	KUNIT_CASE(pcp_destroy_drains),
	KUNIT_CASE(pcp_bad_frees),
	{}
};

static struct kunit_suite gomem_pool_percpu_suite = {
	.name = "gomem_pool_percpu",
	.test_cases = gomem_pool_percpu_cases,
};

kunit_test_suite(gomem_pool_percpu_suite);
