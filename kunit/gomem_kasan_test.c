// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_kasan_test.ko: KUnit cases that expect KASAN to report a
 * consumer's bug in gomem memory (gomem_kasan.h says how gomem marks it):
 * a use-after-free into a freed pool block, a write one byte past an
 * allocation into its redzone, reads of a block parked in an arena's quick
 * cache and of one held by a pool's per-CPU cache, a use-after-free of a
 * buddy block; and negative controls, normal use that must produce none.
 *
 * A module of its own, loaded in a boot of its own (tools/vm/kunit.sh,
 * guest mode "kasan", booted with kasan_multi_shot), after every other
 * suite: a KASAN report taints the kernel and turns lockdep off for the
 * rest of the boot.  Before each access that must be reported the case
 * prints "gomem-kasan-expect: <addr>" on the console; the verdict
 * (tools/vm/verdict.py) then requires exactly one KASAN report at each
 * such address, and fails on any other.
 *
 * The expectation is the kernel's own mechanism, the one of 6.1's
 * mm/kasan/kasan_test.c: a KUnit resource named "kasan_status", which
 * mm/kasan/report.c finds on the current test and marks when it reports.
 * That hook exists with CONFIG_KASAN_KUNIT_TEST (=m in the debug kernel)
 * and is known here for 6.1 only (GOMEM_KASAN_HOOK, gomem_compat.h);
 * elsewhere, and without generic KASAN, every case is skipped.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/kasan.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include <gomem/arena.h>
#include <gomem/buddy.h>
#include <gomem/pool.h>
#include "gomem_compat.h"

/*
 * The resource's data: struct kunit_kasan_status of mm/kasan/kasan.h (6.1),
 * which is not public; report.c sets @report_found (and @sync_fault).
 */
struct gomem_kasan_status {
	bool report_found;
	bool sync_fault;
};

static struct kunit_resource kasan_resource;
static struct gomem_kasan_status kasan_status;
static int kasan_sink;

#if GOMEM_KASAN_HOOK
static bool kasan_multishot;
#endif

static int kasan_case_init(struct kunit *test)
{
	if (!GOMEM_KASAN_HOOK)
		kunit_skip(test, "needs generic KASAN and 6.1's KUnit hook");
#if GOMEM_KASAN_HOOK
	/* Every report, not only the first of the boot. */
	kasan_multishot = kasan_save_enable_multi_shot();
#endif
	WRITE_ONCE(kasan_status.report_found, false);
	WRITE_ONCE(kasan_status.sync_fault, false);
	kunit_add_named_resource(test, NULL, NULL, &kasan_resource,
				 "kasan_status", &kasan_status);
	return 0;
}

static void kasan_case_exit(struct kunit *test)
{
#if GOMEM_KASAN_HOOK
	kasan_restore_multi_shot(kasan_multishot);
#endif
	/* No report beyond those expected. */
	KUNIT_EXPECT_FALSE(test, READ_ONCE(kasan_status.report_found));
}

/*
 * GOMEM_EXPECT_KASAN() - run @expr, an access to @addr that KASAN must
 * report; fail the case if it does not.  The line printed first is what
 * the verdict matches the console's report against.  The address is
 * printed raw because KASAN's report prints it raw: the verdict compares
 * the two.
 */
#define GOMEM_EXPECT_KASAN(test, addr, expr) do {			\
	struct kunit *__test = (test);					\
									\
	KUNIT_EXPECT_FALSE(__test, READ_ONCE(kasan_status.report_found));	\
	pr_info("gomem-kasan-expect: %lx\n", (unsigned long)(addr));	\
	barrier();							\
	expr;								\
	barrier();							\
	KUNIT_EXPECT_TRUE_MSG(__test, READ_ONCE(kasan_status.report_found),	\
			      "no KASAN report for \"%s\"", #expr);	\
	WRITE_ONCE(kasan_status.report_found, false);			\
} while (0)

/* A read and a write the compiler cannot drop or move. */
static void kasan_read(const char *p)
{
	OPTIMIZER_HIDE_VAR(p);
	kasan_sink = READ_ONCE(*p);
}

static void kasan_write(char *p)
{
	OPTIMIZER_HIDE_VAR(p);
	WRITE_ONCE(*p, 'x');
}

/* A small pool, with or without the per-CPU front end. */
static struct gomem_pool *kasan_pool(struct kunit *test, bool percpu)
{
	struct gomem_pool_params params = {
		.initial_size = SZ_64K,
		.max_arena_size = SZ_256K,
		.index = GOMEM_INDEX_TREAP,
		.percpu = percpu ? GOMEM_PERCPU_ON : GOMEM_PERCPU_OFF,
	};
	struct gomem_pool *pool;

	pool = gomem_pool_create(percpu ? "kasan_test_pcp" : "kasan_test",
				 &params);

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(pool));
	return pool;
}

/*
 *   | p: 64 B, freed |  free ...
 *
 * A read of the first byte of a block freed to the pool's arena.
 */
static void kasan_pool_use_after_free(struct kunit *test)
{
	struct gomem_pool *pool = kasan_pool(test, false);
	char *p = gomem_malloc(pool, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 1, 64);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 64), 0);
	GOMEM_EXPECT_KASAN(test, p, kasan_read(p));
	GOMEM_EXPECT_KASAN(test, p + 63, kasan_write(p + 63));
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 *   | p: 37 B | redzone to 64 B | free ...
 *
 * A write one byte past an allocation lands in its redzone.
 */
static void kasan_pool_overflow_redzone(struct kunit *test)
{
	struct gomem_pool *pool = kasan_pool(test, false);
	char *p = gomem_malloc(pool, 37, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 1, 37);		/* every byte asked for is valid */
	GOMEM_EXPECT_KASAN(test, p + 37, kasan_write(p + 37));
	GOMEM_EXPECT_KASAN(test, p + 63, kasan_read(p + 63));
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 37), 0);
	gomem_pool_destroy(pool);
}

/*
 *   | a | q: 100 B, parked in the quick cache | b | free ...
 *
 * A parked block is free memory: its first byte and its last granule,
 * where its node lies, are both reported.
 */
static void kasan_arena_parked_block(struct kunit *test)
{
	struct gomem_arena *a = gomem_arena_create(SZ_64K, GOMEM_INDEX_TREAP,
						   GFP_KERNEL);
	char *p, *q, *r;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	if (!gomem_arena_quick_cache(a) &&
	    gomem_arena_set_quick_cache(a, true)) {
		gomem_arena_destroy(a);
		kunit_skip(test, "no quick cache");
	}
	a->fi.map_min = 0;	/* park from the second free block on */
	p = gomem_arena_alloc(a, 64);
	q = gomem_arena_alloc(a, 100);
	r = gomem_arena_alloc(a, 64);
	KUNIT_ASSERT_TRUE(test, p && q && r);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, q, 100), 0);
	/* Parked, not merged: two free blocks (q, and the rest after r). */
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), 2);
	GOMEM_EXPECT_KASAN(test, q, kasan_read(q));
	GOMEM_EXPECT_KASAN(test, q + 127, kasan_read(q + 127));
	/* Taken back at the same size: valid again, exactly. */
	KUNIT_EXPECT_PTR_EQ(test, (char *)gomem_arena_alloc(a, 100), q);
	memset(q, 2, 100);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

/*
 * A block freed into the per-CPU front end stays allocated in its arena
 * but is free to the consumer: a read of it is reported.
 */
static void kasan_pool_percpu_cached(struct kunit *test)
{
	struct gomem_pool *pool = kasan_pool(test, true);
	struct gomem_pool_stats st;
	char *p = gomem_malloc(pool, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 64), 0);
	gomem_pool_get_stats(pool, &st);
	if (!st.cached) {
		gomem_pool_destroy(pool);
		kunit_skip(test, "the per-CPU cache took nothing (percpu_cache_kb=0?)");
	}
	GOMEM_EXPECT_KASAN(test, p, kasan_read(p));
	GOMEM_EXPECT_KASAN(test, p + 40, kasan_write(p + 40));
	gomem_pool_destroy(pool);
}

/* A freed buddy block is poisoned whole. */
static void kasan_buddy_use_after_free(struct kunit *test)
{
	struct gomem_buddy *b = gomem_buddy_create(SZ_64K, SZ_1K, GFP_KERNEL);
	char *p;

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	p = gomem_buddy_alloc(b, 1500);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 1, 2048);		/* the whole block is the caller's */
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, p), 0);
	GOMEM_EXPECT_KASAN(test, p + 2047, kasan_read(p + 2047));
	gomem_buddy_destroy(b);
}

/*
 * Negative control: allocations used over every byte, freed in pieces and
 * whole, with the index working in poisoned memory underneath; nothing is
 * reported (kasan_case_exit() checks).
 */
static void kasan_normal_use_is_silent(struct kunit *test)
{
	struct gomem_pool *pools[2] = { kasan_pool(test, false),
					kasan_pool(test, true) };
	unsigned int i, k;
	char *p[64];

	for (k = 0; k < 2; k++) {
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			size_t n = 1 + i * 67 % 5000;

			p[i] = gomem_malloc(pools[k], n, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[i]);
			memset(p[i], i, n);
			kasan_read(p[i] + n - 1);
		}
		for (i = 0; i < ARRAY_SIZE(p); i += 2) {
			size_t n = 1 + i * 67 % 5000;

			KUNIT_EXPECT_EQ(test, gomem_free(pools[k], p[i], n), 0);
		}
		for (i = 1; i < ARRAY_SIZE(p); i += 2) {
			size_t n = 1 + i * 67 % 5000, h = n / 2;

			/* A tail first (FreeRest), then the head. */
			KUNIT_EXPECT_EQ(test, gomem_free(pools[k], p[i] + h,
							 n - h), 0);
			KUNIT_EXPECT_EQ(test, gomem_free(pools[k], p[i], h), 0);
		}
		KUNIT_EXPECT_EQ(test, gomem_pool_check(pools[k]), 0);
		gomem_pool_destroy(pools[k]);
	}
	KUNIT_EXPECT_FALSE(test, READ_ONCE(kasan_status.report_found));
}

static struct kunit_case gomem_kasan_cases[] = {
	KUNIT_CASE(kasan_normal_use_is_silent),
	KUNIT_CASE(kasan_pool_use_after_free),
	KUNIT_CASE(kasan_pool_overflow_redzone),
	KUNIT_CASE(kasan_arena_parked_block),
	KUNIT_CASE(kasan_pool_percpu_cached),
	KUNIT_CASE(kasan_buddy_use_after_free),
	{}
};

static struct kunit_suite gomem_kasan_suite = {
	.name = "gomem_kasan",
	.init = kasan_case_init,
	.exit = kasan_case_exit,
	.test_cases = gomem_kasan_cases,
};

kunit_test_suite(gomem_kasan_suite);

MODULE_DESCRIPTION("KUnit cases that expect KASAN reports in gomem memory");
MODULE_LICENSE("GPL");
