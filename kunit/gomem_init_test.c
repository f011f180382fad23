// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_init: every path that hands out memory zeroes it as the
 * kernel's init_on_alloc / init_on_free say (gomem_init.h), and only then.
 *
 * Each case lets a first user fill memory with a pattern and free it, then
 * takes the same memory again through one path and checks it against the
 * policy read from the kernel (want_init_on_alloc(), want_init_on_free())
 * and gomem's module parameters:
 *
 *  - zeroing on alloc (init_on_alloc, or __GFP_ZERO): every byte handed out
 *    reads zero;
 *  - zeroing on free only: the memory reads zero while it is free and when
 *    handed out again, but for the index node in a free block's last
 *    granule (index bookkeeping, not the first user's data);
 *  - neither: the first user's pattern is still there (nothing else zeroes).
 *
 * tools/vm/kunit.sh boots the test kernel with init_on_alloc=1 (INIT_ARGS
 * chooses other switches, e.g. "init_on_alloc=0 init_on_free=1").
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <gomem/gomem.h>
#include "gomem_kunit.h"
#include "../gomem_init.h"
#include "../gomem_kasan.h"

#define INIT_PATTERN	0xa5
#define INIT_SIZE	SZ_1K

struct init_policy {
	bool on_alloc;	/* allocations are zeroed */
	bool on_free;	/* frees are zeroed */
};

/* The policy from the kernel and the parameters, not from gomem's helper. */
static struct init_policy init_policy(void)
{
	struct init_policy p = {
		.on_alloc = want_init_on_alloc(0) ||
			    static_key_enabled(&gomem_force_init_on_alloc),
		.on_free = want_init_on_free() ||
			   static_key_enabled(&gomem_force_init_on_free),
	};

	return p;
}

/* Index of the first byte of @p[0, @n) that is not @c, or @n. */
static size_t first_not(const u8 *p, size_t n, u8 c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return i;
	return n;
}

/*
 * Check @n bytes handed out again at @p after a user filled them with the
 * pattern and freed them.  @zero: the path must have zeroed them on alloc
 * (policy or __GFP_ZERO); @node_tail: under zeroing on free alone, the last
 * granule may hold an index node and is not checked.
 */
static void expect_reused(struct kunit *test, const char *path, const u8 *p,
			  size_t n, bool zero, bool node_tail)
{
	struct init_policy pol = init_policy();
	size_t i;

	if (zero) {
		i = first_not(p, n, 0);
		KUNIT_EXPECT_EQ_MSG(test, i, n,
				    "%s: byte %zu of %zu is %#x, not zeroed on alloc",
				    path, i, n, i < n ? p[i] : 0);
	} else if (pol.on_free) {
		size_t span = node_tail ? n - GOMEM_GRANULE : n;

		i = first_not(p, span, 0);
		KUNIT_EXPECT_EQ_MSG(test, i, span,
				    "%s: byte %zu of %zu is %#x, not zeroed on free",
				    path, i, span, i < span ? p[i] : 0);
	} else {
		/* Policy off: the first user's bytes survive. */
		KUNIT_EXPECT_EQ_MSG(test, p[0], INIT_PATTERN,
				    "%s: zeroed with the policy off", path);
	}
}

/* Freed memory, while free, under zeroing on free (@n bytes, no node). */
static void expect_freed(struct kunit *test, const char *path, const u8 *p,
			 size_t n)
{
	size_t i;

	if (!init_policy().on_free)
		return;
	/* Free memory is poisoned (gomem_kasan.h): look as the index does. */
	gomem_meta_begin();
	i = first_not(p, n, 0);
	gomem_meta_end();
	KUNIT_EXPECT_EQ_MSG(test, i, n,
			    "%s: freed byte %zu of %zu is %#x, not zeroed",
			    path, i, n, i < n ? p[i] : 0);
}

static int init_suite_init(struct kunit_suite *suite)
{
	struct init_policy p = init_policy();

	pr_info("gomem_init: kernel init_on_alloc=%d init_on_free=%d, gomem init_on_alloc=%d init_on_free=%d\n",
		want_init_on_alloc(0), want_init_on_free(),
		static_key_enabled(&gomem_force_init_on_alloc),
		static_key_enabled(&gomem_force_init_on_free));
	pr_info("gomem_init: zeroing on alloc %s, on free %s\n",
		p.on_alloc ? "on" : "off", p.on_free ? "on" : "off");
	return 0;
}

static const enum gomem_index init_indexes[] = {
	GOMEM_INDEX_TREAP, GOMEM_INDEX_AVL,
};

static void init_index_desc(const enum gomem_index *i, char *desc)
{
	strscpy(desc, gomem_index_name(*i), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(init_index, init_indexes, init_index_desc);

static struct gomem_arena *init_arena(struct kunit *test)
{
	const enum gomem_index *index = test->param_value;
	struct gomem_arena *a = gomem_arena_create(SZ_64K, *index, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	return a;
}

/*
 * [ A 1 KiB | B 1 KiB | free ...]: A filled and freed (B keeps it from
 * merging right, so its node sits in its last granule), then allocated
 * again by gomem_arena_alloc() and gomem_arena_alloc_aligned().
 */
static void init_arena_alloc_reuses_zeroed(struct kunit *test)
{
	struct gomem_arena *a = init_arena(test);
	u8 *p, *b, *q;

	p = gomem_arena_alloc(a, INIT_SIZE);
	b = gomem_arena_alloc(a, INIT_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p, INIT_SIZE), 0);
	expect_freed(test, "arena free", p, INIT_SIZE - GOMEM_GRANULE);
	q = gomem_arena_alloc(a, INIT_SIZE);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_arena_alloc", q, INIT_SIZE,
		      init_policy().on_alloc, true);

	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p, INIT_SIZE), 0);
	q = gomem_arena_alloc_aligned(a, INIT_SIZE, 64);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_arena_alloc_aligned", q, INIT_SIZE,
		      init_policy().on_alloc, true);
	gomem_arena_destroy(a);
}

/*
 * [ A 1 KiB | free ...]: A filled and freed merges with the free rest;
 * gomem_arena_find() lends the same bytes, zeroed like an allocation.
 */
static void init_arena_find_lends_zeroed(struct kunit *test)
{
	struct gomem_arena *a = init_arena(test);
	u8 *p, *q;

	p = gomem_arena_alloc(a, INIT_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p, INIT_SIZE), 0);
	expect_freed(test, "arena free (merged)", p, INIT_SIZE);
	q = gomem_arena_find(a, INIT_SIZE);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_arena_find", q, INIT_SIZE,
		      init_policy().on_alloc, false);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

/*
 * Pieces: [0, 100) then [100, 1024) freed separately; the granules each
 * releases are zeroed, and the index stays sound.
 */
static void init_arena_piece_frees_zero_released_granules(struct kunit *test)
{
	struct gomem_arena *a = init_arena(test);
	u8 *p, *b;

	p = gomem_arena_alloc(a, INIT_SIZE);
	b = gomem_arena_alloc(a, INIT_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p + 100, INIT_SIZE - 100), 0);
	/* Granules [4, 32) went back: bytes 128.. minus the node granule. */
	expect_freed(test, "arena tail piece", p + 128,
		     INIT_SIZE - 128 - GOMEM_GRANULE);
	/* The head piece's granules are still the caller's: untouched. */
	KUNIT_EXPECT_EQ(test, first_not(p, 100, INIT_PATTERN), 100);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p, 100), 0);
	expect_freed(test, "arena head piece", p, 128);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

/* A refused free (a double free) zeroes nothing, the neighbour included. */
static void init_arena_refused_free_zeroes_nothing(struct kunit *test)
{
	struct gomem_arena *a = init_arena(test);
	u8 *p, *b;

	p = gomem_arena_alloc(a, INIT_SIZE);
	b = gomem_arena_alloc(a, INIT_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p, INIT_SIZE), 0);
	KUNIT_EXPECT_EQ(test,
			GOMEM_EXPECT_MISUSE(gomem_arena_free(a, p,
							     2 * INIT_SIZE)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, first_not(b, INIT_SIZE, INIT_PATTERN), INIT_SIZE);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

static struct gomem_pool *init_pool(struct kunit *test, const char *name)
{
	/* Borrow lends arena free space: no blocks held per CPU. */
	struct gomem_pool_params params = { .initial_size = SZ_64K,
					     .max_arena_size = SZ_64K,
					     .percpu = GOMEM_PERCPU_OFF };
	struct gomem_pool *pool = gomem_pool_create(name, &params);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

/*
 * gomem_malloc() without and with __GFP_ZERO, then gomem_borrow(), each
 * over the bytes a first user filled and freed.
 */
static void init_pool_malloc_and_borrow_zeroed(struct kunit *test)
{
	struct gomem_pool *pool = init_pool(test, "kunit_init");
	bool on_alloc = init_policy().on_alloc;
	u8 *p, *b, *q;

	p = gomem_malloc(pool, INIT_SIZE, GFP_KERNEL);
	b = gomem_malloc(pool, INIT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, b);

	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_free(pool, p, INIT_SIZE), 0);
	expect_freed(test, "pool free", p, INIT_SIZE - GOMEM_GRANULE);
	q = gomem_malloc(pool, INIT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_malloc", q, INIT_SIZE, on_alloc, true);

	/* __GFP_ZERO zeroes whatever the policy. */
	memset(p, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_free(pool, p, INIT_SIZE), 0);
	q = gomem_malloc(pool, INIT_SIZE, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_malloc(__GFP_ZERO)", q, INIT_SIZE, true,
		      true);

	/* Borrow: B freed merges with the free rest; the room is B's. */
	memset(b, INIT_PATTERN, INIT_SIZE);
	KUNIT_ASSERT_EQ(test, gomem_free(pool, b, INIT_SIZE), 0);
	q = gomem_borrow(pool, INIT_SIZE);
	KUNIT_ASSERT_PTR_EQ(test, q, b);
	expect_reused(test, "gomem_borrow", q, INIT_SIZE, on_alloc, false);

	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, INIT_SIZE), 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* gomem_rm_next() after a recycle hands the recycled bytes out again. */
static void init_rm_next_zeroed(struct kunit *test)
{
	struct gomem_pool *pool = init_pool(test, "kunit_init_rm");
	struct gomem_rm rm;
	u8 *p, *q, *guard;

	guard = gomem_malloc(pool, 2 * INIT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, guard);
	gomem_rm_init(&rm, pool);
	p = gomem_rm_next(&rm, INIT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* Keep p from merging right: a second buffer after it. */
	KUNIT_ASSERT_NOT_NULL(test, gomem_malloc(pool, INIT_SIZE, GFP_KERNEL));
	memset(p, INIT_PATTERN, INIT_SIZE);
	gomem_rm_recycle(&rm);
	q = gomem_rm_next(&rm, INIT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_rm_next", q, INIT_SIZE,
		      init_policy().on_alloc, true);
	gomem_rm_fini(&rm);
	/* The guard and the second buffer. */
	gomem_free(pool, guard, 2 * INIT_SIZE);
	gomem_free(pool, guard + 3 * INIT_SIZE, INIT_SIZE);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* gomem_buddy_alloc() of a block a first user filled and freed. */
static void init_buddy_alloc_zeroed(struct kunit *test)
{
	struct gomem_buddy *b = gomem_buddy_create(SZ_1M, SZ_1K, GFP_KERNEL);
	u8 *p, *q;

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	p = gomem_buddy_alloc(b, SZ_4K);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, INIT_PATTERN, SZ_4K);
	KUNIT_ASSERT_EQ(test, gomem_buddy_free(b, p), 0);
	expect_freed(test, "buddy free", p, SZ_4K);
	q = gomem_buddy_alloc(b, SZ_4K);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	expect_reused(test, "gomem_buddy_alloc", q, SZ_4K,
		      init_policy().on_alloc, false);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, q), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

static struct kunit_case gomem_init_cases[] = {
	KUNIT_CASE_PARAM(init_arena_alloc_reuses_zeroed, init_index_gen_params),
	KUNIT_CASE_PARAM(init_arena_find_lends_zeroed, init_index_gen_params),
	KUNIT_CASE_PARAM(init_arena_piece_frees_zero_released_granules,
			 init_index_gen_params),
	KUNIT_CASE_PARAM(init_arena_refused_free_zeroes_nothing,
			 init_index_gen_params),
	KUNIT_CASE(init_pool_malloc_and_borrow_zeroed),
	KUNIT_CASE(init_rm_next_zeroed),
	KUNIT_CASE(init_buddy_alloc_zeroed),
	{}
};

static struct kunit_suite gomem_init_suite = {
	.name = "gomem_init",
	.suite_init = init_suite_init,
	.test_cases = gomem_init_cases,
};

kunit_test_suite(gomem_init_suite);
