// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_soak.ko: the soak, KUnit suite gomem_soak.  The every-context
 * stress of kunit/gomem_stress.c (a kthread bound to each of CPUs 0 and 1,
 * a timer, a hard irq_work; random sizes; frees whole, in pieces and on
 * the other CPU; trims, checks and shrinker calls meanwhile; every byte's
 * pattern compared before its free) runs for GOMEM_SOAK_SECONDS (set
 * when it is built, default 20) on two pools that live through the whole run:
 * "soak_pcp" (treap, vmalloc, per-CPU front end on) and "soak_buddy" (AVL,
 * the module buddy, front end off).
 *
 * 6.1's KUnit stops a case after 300 s, so the run is one parameterised
 * case of parts of at most SOAK_PART seconds; after each part every block
 * is back, and both pools must pass their check, hold nothing in use and
 * balance (cached + in_use + free == reserved) with every malloc, free and
 * failure counted.  The last part prints one line the verdict requires,
 *
 *   gomem-soak: seconds=S cpus=2 ops=N bytes_checked=M trims=T checks=C
 *	shrinks=K wall_s=W errors=0
 *
 * and destroys the pools.  A module of its own, so that gomem_test.ko's
 * suites never wait for it: make soak (tools/vm/soak.sh) loads it alone,
 * make check (tools/vm/kunit.sh) for 20 s after gomem_test.ko.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "../gomem_internal.h"
#include "gomem_compat.h"
#include "gomem_stress.h"

/*
 * The length is built in: 6.1 runs a module's suites when it is coming
 * (MODULE_STATE_COMING), before load_module() parses its parameters, so a
 * ``seconds=`` given to insmod would come too late.  Kbuild sets it from
 * GOMEM_SOAK_SECONDS (tools/vm/soak.sh, tools/vm/kunit.sh).
 */
#ifndef GOMEM_SOAK_SECONDS
#define GOMEM_SOAK_SECONDS	20
#endif
static const unsigned int seconds = GOMEM_SOAK_SECONDS;

/* Seconds per part: 6.1's KUnit ends a case (a part) after 300 s. */
#define SOAK_PART	200

static struct {
	struct gomem_pool *pool[2];
	unsigned long start;		/* jiffies at the first part */
	unsigned long ops, bytes, trims, checks, shrinks, errors;
	unsigned long mallocs[2], frees[2], failures[2];	/* per pool */
} soak;

static unsigned int soak_parts(void)
{
	return max(1U, DIV_ROUND_UP(seconds, SOAK_PART));
}

static const void *soak_gen(const void *prev, char *desc)
{
	unsigned long part = (unsigned long)prev + 1;

	if (part > soak_parts())
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "part %lu of %u", part,
		 soak_parts());
	return (const void *)part;
}

static void soak_create(struct kunit *test)
{
	struct gomem_pool_params p[2] = {
		{ .initial_size = SZ_16K, .max_arena_size = SZ_128K,
		  .index = GOMEM_INDEX_TREAP, .percpu = GOMEM_PERCPU_ON },
		{ .initial_size = SZ_16K, .max_arena_size = SZ_256K,
		  .index = GOMEM_INDEX_AVL, .backing = GOMEM_BACKING_BUDDY,
		  .percpu = GOMEM_PERCPU_OFF },
	};
	static const char * const name[2] = { "soak_pcp", "soak_buddy" };
	int i;

	memset(&soak, 0, sizeof(soak));
	soak.start = jiffies;
	for (i = 0; i < 2; i++) {
		struct gomem_pool *pool = gomem_pool_create(name[i], &p[i]);

		KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
		soak.pool[i] = pool;
	}
}

/* After a part: the pool holds nothing in use and its counters balance. */
static void soak_judge_pool(struct kunit *test, int i)
{
	struct gomem_pool_stats st;

	KUNIT_EXPECT_EQ(test, gomem_pool_check(soak.pool[i]), 0);
	gomem_pool_get_stats(soak.pool[i], &st);
	KUNIT_EXPECT_EQ(test, st.in_use, 0UL);
	KUNIT_EXPECT_EQ(test, st.cached + st.in_use + st.free, st.reserved);
	KUNIT_EXPECT_EQ(test, st.malloc_bytes, st.free_bytes);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0UL);
	soak.mallocs[i] = st.mallocs;
	soak.frees[i] = st.frees;
	soak.failures[i] = st.failures;
}

static void soak_run(struct kunit *test)
{
	unsigned long part = (unsigned long)test->param_value;
	unsigned int secs = min_t(unsigned int, SOAK_PART,
				  seconds - (part - 1) * SOAK_PART);
	struct gomem_stress *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	unsigned long mallocs, frees, failures, ops;

	KUNIT_ASSERT_NOT_NULL(test, s);
	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		kunit_skip(test, "needs CPUs 0 and 1 online");
	KUNIT_ASSERT_GT(test, seconds, 0U);
	if (part == 1)
		soak_create(test);
	KUNIT_ASSERT_NOT_NULL(test, soak.pool[0]);
	KUNIT_ASSERT_NOT_NULL(test, soak.pool[1]);

	s->pool[0] = soak.pool[0];
	s->pool[1] = soak.pool[1];
	s->cpu[0] = 0;
	s->cpu[1] = 1;
	s->seed = get_random_u32();
	s->until = jiffies + secs * HZ;
	s->shrink = true;
	KUNIT_ASSERT_EQ(test, gomem_stress_run(s), 0);

	/* Every call of this part is in the pools' counters, and no more. */
	mallocs = soak.mallocs[0] + soak.mallocs[1];
	frees = soak.frees[0] + soak.frees[1];
	failures = soak.failures[0] + soak.failures[1];
	soak_judge_pool(test, 0);
	soak_judge_pool(test, 1);
	KUNIT_EXPECT_EQ(test, soak.mallocs[0] + soak.mallocs[1] - mallocs,
			atomic_long_read(&s->mallocs));
	KUNIT_EXPECT_EQ(test, soak.frees[0] + soak.frees[1] - frees,
			atomic_long_read(&s->frees));
	KUNIT_EXPECT_EQ(test, soak.failures[0] + soak.failures[1] - failures,
			atomic_long_read(&s->failures));

	ops = atomic_long_read(&s->mallocs) + atomic_long_read(&s->frees) +
	      atomic_long_read(&s->failures);
	soak.ops += ops;
	soak.bytes += atomic_long_read(&s->bytes_checked);
	soak.trims += atomic_long_read(&s->trims);
	soak.checks += atomic_long_read(&s->checks);
	soak.shrinks += atomic_long_read(&s->shrinks);
	soak.errors += atomic_long_read(&s->errors);
	pr_info("gomem-soak: part %lu of %u: %u s, seed %u, ops=%lu bytes_checked=%ld timer=%d irq_work=%d errors=%ld\n",
		part, soak_parts(), secs, s->seed, ops,
		atomic_long_read(&s->bytes_checked),
		atomic_read(&s->timer_runs), atomic_read(&s->irq_runs),
		atomic_long_read(&s->errors));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->errors), 0);
	KUNIT_EXPECT_GT(test, ops, 0UL);
	KUNIT_EXPECT_GT(test, atomic_read(&s->timer_runs), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&s->irq_runs), 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(s->hardirq));
	if (part < soak_parts())
		return;

	pr_info("gomem-soak: seconds=%u cpus=%u ops=%lu bytes_checked=%lu trims=%lu checks=%lu shrinks=%lu wall_s=%lu errors=%lu\n",
		seconds, num_online_cpus(), soak.ops, soak.bytes, soak.trims,
		soak.checks, soak.shrinks, (jiffies - soak.start) / HZ,
		soak.errors);
	KUNIT_EXPECT_EQ(test, soak.errors, 0UL);
	KUNIT_EXPECT_GT(test, soak.ops, 0UL);
	gomem_pool_destroy(soak.pool[0]);
	gomem_pool_destroy(soak.pool[1]);
	soak.pool[0] = NULL;
	soak.pool[1] = NULL;
}

/* A part that failed part-way leaves the pools: destroy them. */
static void soak_suite_exit(struct kunit_suite *suite)
{
	gomem_pool_destroy(soak.pool[0]);
	gomem_pool_destroy(soak.pool[1]);
}

static struct kunit_case gomem_soak_cases[] = {
	KUNIT_CASE_PARAM(soak_run, soak_gen),
	{}
};

static struct kunit_suite gomem_soak_suite = {
	.name = "gomem_soak",
	.suite_exit = soak_suite_exit,
	.test_cases = gomem_soak_cases,
};

kunit_test_suite(gomem_soak_suite);

MODULE_DESCRIPTION("gomem soak: the every-context stress for a time");
MODULE_LICENSE("GPL");
GOMEM_IMPORT_KUNIT_NS();
