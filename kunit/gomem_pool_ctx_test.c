// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_pool_ctx: the pool's context rules, exercised.  Malloc
 * and free with GFP_ATOMIC under a held spinlock with interrupts off, from
 * a timer (softirq) and from irq_work (hardirq), and two kthreads
 * hammering one pool with pattern checks.  The debug kernel's lockdep,
 * atomic-sleep checks, KASAN and kmemleak judge what the asserts cannot.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include <gomem/gomem.h>
#include "gomem_kunit.h"

static u32 ctx_seed;

static int gomem_pool_ctx_suite_init(struct kunit_suite *suite)
{
	while (!ctx_seed)
		ctx_seed = get_random_u32();
	pr_info("gomem_pool_ctx: random seed %u\n", ctx_seed);
	return 0;
}

static struct gomem_pool *ctx_pool(struct kunit *test, const char *name,
				   size_t initial, size_t max)
{
	struct gomem_pool_params p = { .initial_size = initial,
				       .max_arena_size = max };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

/* Allocate @n buffers of @size, fill, check and free them; 0 if all fine. */
static int churn(struct gomem_pool *pool, int n, size_t size, gfp_t gfp)
{
	u8 *p[16];
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		p[i] = gomem_malloc(pool, size, gfp);
		if (!p[i])
			return -ENOMEM;
		memset(p[i], i, size);
	}
	for (i = n - 1; i >= 0; i--) {
		bad |= p[i][0] != i || p[i][size - 1] != i;
		bad |= gomem_free(pool, p[i], size);
	}
	return bad ? -EIO : 0;
}

static void ctx_atomic_under_held_spinlock(struct kunit *test)
{
	struct gomem_pool *pool = ctx_pool(test, "kunit_ctx", SZ_64K, SZ_64K);
	struct gomem_pool_stats st;
	unsigned long flags;
	spinlock_t lock;	/* the caller's own lock, held around the calls */
	void *p, *q;
	int ret;

	spin_lock_init(&lock);
	spin_lock_irqsave(&lock, flags);
	ret = churn(pool, 16, 512, GFP_ATOMIC);
	spin_unlock_irqrestore(&lock, flags);
	KUNIT_EXPECT_EQ(test, ret, 0);

	/* Full arena under the lock: NULL and a failure, no growth. */
	spin_lock_irqsave(&lock, flags);
	p = gomem_malloc(pool, SZ_32K + SZ_16K, GFP_ATOMIC);
	q = gomem_malloc(pool, SZ_32K, GFP_ATOMIC);
	if (p)
		ret = gomem_free(pool, p, SZ_32K + SZ_16K);
	spin_unlock_irqrestore(&lock, flags);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, ret, 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.arenas, 1);
	KUNIT_EXPECT_EQ(test, st.failures, 1);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

struct ctx_cb {
	struct gomem_pool *pool;
	struct timer_list timer;
	struct irq_work work;
	struct completion done;
	int ret;
	bool hardirq;
};

static void ctx_timer_fn(struct timer_list *t)
{
	struct ctx_cb *cb = timer_container_of(cb, t, timer);

	cb->ret = churn(cb->pool, 16, 256, GFP_ATOMIC);
	complete(&cb->done);
}

static void ctx_irq_work_fn(struct irq_work *w)
{
	struct ctx_cb *cb = container_of(w, struct ctx_cb, work);

	cb->hardirq = in_hardirq();
	cb->ret = churn(cb->pool, 16, 256, GFP_ATOMIC);
	complete(&cb->done);
}

static void ctx_malloc_free_from_timer_and_irq_work(struct kunit *test)
{
	struct ctx_cb *cb = kunit_kzalloc(test, sizeof(*cb), GFP_KERNEL);
	struct gomem_pool_stats st;

	KUNIT_ASSERT_NOT_NULL(test, cb);
	cb->pool = ctx_pool(test, "kunit_ctx", SZ_64K, SZ_64K);

	init_completion(&cb->done);
	cb->ret = -EINVAL;
	timer_setup(&cb->timer, ctx_timer_fn, 0);
	mod_timer(&cb->timer, jiffies + 1);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->done, 10 * HZ),
			0);
	timer_delete_sync(&cb->timer);	/* 6.15 removed del_timer_sync() */
	KUNIT_EXPECT_EQ(test, cb->ret, 0);

	reinit_completion(&cb->done);
	cb->ret = -EINVAL;
	/* Hard even on PREEMPT_RT, where plain irq_work runs in a thread. */
	cb->work = IRQ_WORK_INIT_HARD(ctx_irq_work_fn);
	irq_work_queue(&cb->work);
	irq_work_sync(&cb->work);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->done, 10 * HZ),
			0);
	KUNIT_EXPECT_EQ(test, cb->ret, 0);
	KUNIT_EXPECT_TRUE(test, cb->hardirq);

	gomem_pool_get_stats(cb->pool, &st);
	KUNIT_EXPECT_EQ(test, st.mallocs, 32);
	KUNIT_EXPECT_EQ(test, st.frees, 32);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	gomem_pool_destroy(cb->pool);
}

struct hammer {
	struct gomem_pool *pool;
	struct completion done;
	unsigned int id;
	unsigned long ops;
	unsigned long mallocs;
	unsigned long free_calls;
	unsigned long errors;
	unsigned long grows_refused;
	unsigned long nr_ops;		/* operations to run */
	bool churn_arenas;		/* oversize requests and trims too */
};

#define HAMMER_LIVE	32
#define HAMMER_OPS	4000

/* One thread: random mallocs (blocking and atomic) and frees, checked. */
static int hammer_fn(void *arg)
{
	struct hammer *h = arg;
	struct { u8 *p; size_t len; u8 pat; } live[HAMMER_LIVE] = { };
	struct rnd_state rs;
	unsigned long i;
	int j;

	prandom_seed_state(&rs, ctx_seed + h->id);
	for (i = 0; i < h->nr_ops; i++) {
		j = prandom_u32_state(&rs) % HAMMER_LIVE;
		if (live[j].p) {
			size_t k, half = live[j].len / 2;

			for (k = 0; k < live[j].len; k += 61)
				h->errors += live[j].p[k] != live[j].pat;
			h->errors += live[j].p[live[j].len - 1] != live[j].pat;
			if (half) {
				h->errors += !!gomem_free(h->pool, live[j].p,
							  half);
				h->errors += !!gomem_free(h->pool,
							  live[j].p + half,
							  live[j].len - half);
				h->free_calls += 2;
			} else {
				h->errors += !!gomem_free(h->pool, live[j].p,
							  live[j].len);
				h->free_calls++;
			}
			live[j].p = NULL;
		} else {
			u32 r = prandom_u32_state(&rs);
			gfp_t gfp = r & 1 ? GFP_KERNEL : GFP_ATOMIC;
			size_t len = 1 + (r >> 1) % (r & 6 ? 512 : 16384);

			/* Dedicated arenas come and go through the work item. */
			if (h->churn_arenas && (r & 8))
				len = SZ_128K + 1 + (r >> 4) % SZ_64K;

			live[j].p = gomem_malloc(h->pool, len, gfp);
			if (!live[j].p) {
				/* Only a nonblocking call may fail. */
				if (gfp == GFP_KERNEL)
					h->errors++;
				h->grows_refused++;
				continue;
			}
			h->mallocs++;
			live[j].len = len;
			live[j].pat = h->id * 16 + (r & 15);
			memset(live[j].p, live[j].pat, len);
		}
		h->ops++;
		if (h->churn_arenas && i % 3 == 0)
			gomem_pool_trim(h->pool);
		if (i % 256 == 0)
			cond_resched();
	}
	for (j = 0; j < HAMMER_LIVE; j++) {
		if (!live[j].p)
			continue;
		h->errors += !!gomem_free(h->pool, live[j].p, live[j].len);
		h->free_calls++;
	}
	complete(&h->done);
	return 0;
}

/*
 * Two kthreads on one pool, each allocation filled with a pattern and
 * checked before it is freed (in two halves when it can be split).  With
 * @churn_arenas, a quarter of the requests exceed the maximum arena size, so
 * dedicated arenas are created and released (through the work item) while
 * the other thread allocates, and every third operation trims the pool.
 */
static void hammer_two_kthreads(struct kunit *test, const char *name,
				unsigned long nr_ops, bool churn_arenas)
{
	struct gomem_pool *pool = ctx_pool(test, name, SZ_16K, SZ_128K);
	struct hammer *h = kunit_kcalloc(test, 2, sizeof(*h), GFP_KERNEL);
	struct gomem_pool_stats st;
	struct task_struct *t;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < 2; i++) {
		h[i].pool = pool;
		h[i].id = i + 1;
		h[i].nr_ops = nr_ops;
		h[i].churn_arenas = churn_arenas;
		init_completion(&h[i].done);
		t = kthread_run(hammer_fn, &h[i], "gomem_hammer%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_NE(test,
				wait_for_completion_timeout(&h[i].done,
							    120 * HZ), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, h[i].errors, 0);
		KUNIT_EXPECT_GT(test, h[i].ops, nr_ops / 2);
	}
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	KUNIT_EXPECT_EQ(test, st.failures,
			h[0].grows_refused + h[1].grows_refused);
	KUNIT_EXPECT_EQ(test, st.mallocs, h[0].mallocs + h[1].mallocs);
	KUNIT_EXPECT_EQ(test, st.frees, h[0].free_calls + h[1].free_calls);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	kunit_info(test, "ops %lu + %lu, %lu arenas, %lu atomic misses\n",
		   h[0].ops, h[1].ops, st.arenas, st.failures);
	gomem_pool_destroy(pool);
}

static void ctx_two_kthreads_hammer_one_pool(struct kunit *test)
{
	hammer_two_kthreads(test, "kunit_ctx", HAMMER_OPS, false);
}

static void ctx_two_kthreads_churn_dedicated_arenas_and_trim(struct kunit *test)
{
	hammer_two_kthreads(test, "kunit_ctx_churn", HAMMER_OPS / 4, true);
}

/*
 * Destroy right after a free queued an arena's release: the work item must
 * not outlive the pool (KASAN would see it touch freed memory).
 */
static void ctx_destroy_with_release_pending(struct kunit *test)
{
	int i;

	for (i = 0; i < 20; i++) {
		struct gomem_pool *pool = ctx_pool(test, "kunit_ctx_pending",
						   SZ_16K, SZ_16K);
		void *p = gomem_malloc(pool, SZ_64K, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p, SZ_64K), 0);
		gomem_pool_trim(pool);
		gomem_pool_destroy(pool);
	}
}

static struct kunit_case gomem_pool_ctx_cases[] = {
	KUNIT_CASE(ctx_atomic_under_held_spinlock),
	KUNIT_CASE(ctx_malloc_free_from_timer_and_irq_work),
	/* Slow (seconds in a TCG guest); 6.1 has no KUNIT_CASE_SLOW. */
	KUNIT_CASE(ctx_two_kthreads_hammer_one_pool),
	KUNIT_CASE(ctx_two_kthreads_churn_dedicated_arenas_and_trim),
	KUNIT_CASE(ctx_destroy_with_release_pending),
	{}
};

static struct kunit_suite gomem_pool_ctx_suite = {
	.name = "gomem_pool_ctx",
	.suite_init = gomem_pool_ctx_suite_init,
	.test_cases = gomem_pool_ctx_cases,
};

kunit_test_suite(gomem_pool_ctx_suite);
