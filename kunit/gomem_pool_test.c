// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_pool: growth (doubling, then by an eighth), dedicated
 * arenas for oversize requests, first fit over arenas, trim, borrow,
 * free_rest, partial frees across arenas, exact stats after each step, bad
 * input, destroy with live memory, and a random run per index and backing.
 */
#include <kunit/test.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "gomem_kunit.h"
#include "../gomem_internal.h"
#include "../gomem_kasan.h"

/* A call that is a caller bug on purpose (warning silenced, see kunit.h). */
#define bad_call(expr)	GOMEM_EXPECT_MISUSE(expr)

#define GRANULE	32UL

static u32 pool_seed;

static int gomem_pool_suite_init(struct kunit_suite *suite)
{
	while (!pool_seed)
		pool_seed = get_random_u32();
	pr_info("gomem_pool: random seed %u\n", pool_seed);
	return 0;
}

static struct gomem_pool *make_pool(struct kunit *test, size_t initial,
				    size_t max)
{
	struct gomem_pool_params p = {
		.initial_size = initial,
		.max_arena_size = max,
		.index = GOMEM_INDEX_TREAP,
		/* Exact arena layouts below: no blocks held per CPU, */
		.percpu = GOMEM_PERCPU_OFF,
		/* and growth by new arenas (pool_grows_in_place: the other). */
		.grow = GOMEM_GROW_NEW_ARENAS,
	};
	struct gomem_pool *pool = gomem_pool_create("kunit_pool", &p);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(pool), "create: %ld",
			       PTR_ERR(pool));
	return pool;
}

static struct gomem_pool_stats stats(struct gomem_pool *pool)
{
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	return st;
}

static void pool_create_refuses_bad_params(struct kunit *test)
{
	struct gomem_pool_params big = { .initial_size = SZ_1M,
					 .max_arena_size = SZ_64K };
	struct gomem_pool_params bad_backing = { .backing = 7 };
	struct gomem_pool *pool;

	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create(NULL, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("", NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("a/b", NULL)), -EINVAL);
	pool = gomem_pool_create("a_name_that_is_far_too_long_for_a_pool",
				 NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pool), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("x", &big)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("x", &bad_backing)),
			-EINVAL);
	/* Names that debugfs cannot make or the pools file cannot show. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create(".", NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("..", NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("a\nb", NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("\x1b[2J", NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("a b", NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("tab\t", NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("del\x7f", NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("caf\xc3\xa9", NULL)),
			-EINVAL);
	/* Dots are fine inside a name. */
	pool = gomem_pool_create("...kunit.v1", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	gomem_pool_destroy(pool);
	/* "stats" is a file of the module itself. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("stats", NULL)),
			-EEXIST);

	pool = gomem_pool_create("kunit_dup", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_pool_create("kunit_dup", NULL)),
			-EEXIST);
	KUNIT_EXPECT_STREQ(test, gomem_pool_name(pool), "kunit_dup");
	/* Defaults: one arena of 64 KiB, max 4 MiB. */
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved, GOMEM_POOL_DEFAULT_INITIAL);
	gomem_pool_destroy(pool);
}

/*
 * Arenas double while they stay within an eighth of the max, then each
 * growth adds an eighth of the pool (the max's eighth at least, the max
 * at most); a request larger than the next doubling doubles until it fits.
 * With a 64K first arena and a 1M max (an eighth: 128K):
 *   64K (full) -> 128K (doubled) -> 128K, 128K, ... while the pool holds
 *   at most 1M -> 192K (1088K / 8 = 136K, in 64K multiples) -> ...
 */
static void pool_grows_by_doubling_then_by_an_eighth(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_1M);
	size_t want = SZ_64K, sz[12];
	void *p[12];
	int i;

	sz[0] = SZ_64K;
	p[0] = gomem_malloc(pool, sz[0], GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	for (i = 1; i < ARRAY_SIZE(p); i++) {
		/* Fills the new arena exactly: the next malloc grows again. */
		sz[i] = i == 1 ? SZ_128K :
			max_t(size_t, SZ_128K, round_up(want / 8, SZ_64K));
		p[i] = gomem_malloc(pool, sz[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		want += sz[i];
		KUNIT_EXPECT_EQ(test, stats(pool).arenas, i + 1);
		KUNIT_EXPECT_EQ(test, stats(pool).reserved, want);
	}
	/* The last steps were past the 128K floor: 1088K / 8 -> 192K, ... */
	KUNIT_EXPECT_GT(test, sz[ARRAY_SIZE(p) - 1], (size_t)SZ_128K);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, want);
	KUNIT_EXPECT_EQ(test, stats(pool).dedicated, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	for (i = 0; i < ARRAY_SIZE(p); i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], sz[i]), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);

	/* From 64K, a 200K request skips 128K and gets a 256K arena. */
	pool = make_pool(test, SZ_64K, SZ_4M);
	p[0] = gomem_malloc(pool, 200 * 1024, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved, SZ_64K + SZ_256K);
	gomem_free(pool, p[0], 200 * 1024);
	gomem_pool_destroy(pool);

	/* A max of 256K (an eighth: 32K): no doubling, 64K-multiple steps. */
	pool = make_pool(test, SZ_64K, SZ_256K);
	p[0] = gomem_malloc(pool, SZ_64K, GFP_KERNEL);
	p[1] = gomem_malloc(pool, 1, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved, SZ_64K + SZ_64K);
	gomem_free(pool, p[0], SZ_64K);
	gomem_free(pool, p[1], 1);
	gomem_pool_destroy(pool);
}

/*
 * Growth in place: with a max of 1 MiB the first arena reserves 128 KiB
 * and later ones 1 MiB; each growth maps 64 KiB (the first arena's size,
 * more than a 64th of these pools) at the end of the oldest arena with
 * room, so a block runs on from the last one in the same arena.  The same
 * mallocs with growth by new arenas take one arena per growth.  Every
 * block is written to its last byte; trim and destroy give it all back.
 */
static void pool_grows_in_place(struct kunit *test)
{
	struct gomem_pool_params par = {
		.initial_size = SZ_64K,
		.max_arena_size = SZ_1M,
		.percpu = GOMEM_PERCPU_OFF,
		.grow = GOMEM_GROW_IN_PLACE,
	};
	const size_t n = 48 * 1024;
	struct gomem_pool *pool;
	char *p[4];
	int i;

	if (!gomem_vres_supported())
		kunit_skip(test, "no growable regions on this architecture");
	pool = gomem_pool_create("kunit_pool", &par);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = gomem_malloc(pool, n, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], i + 1, n);
		KUNIT_EXPECT_EQ(test, stats(pool).reserved,
				(size_t)SZ_64K * (i + 1));
	}
	/* 48K, then 16K + 32K of the first growth: one arena of 128K. */
	KUNIT_EXPECT_PTR_EQ(test, (void *)p[1], (void *)(p[0] + n));
	/* The third fills no arena of 128K: a second arena, growing too. */
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_PTR_EQ(test, (void *)p[3], (void *)(p[2] + n));
	KUNIT_EXPECT_TRUE(test, gomem_pool_contains(pool, p[3] + n - 1));
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		KUNIT_EXPECT_EQ(test, p[i][0], i + 1);
		KUNIT_EXPECT_EQ(test, p[i][n - 1], i + 1);
		KUNIT_EXPECT_EQ(test, gomem_free(pool, p[i], n), 0);
	}
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_trim(pool), 1);
	gomem_pool_flush(pool);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);

	par.grow = GOMEM_GROW_NEW_ARENAS;
	pool = gomem_pool_create("kunit_pool", &par);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	p[0] = gomem_malloc(pool, n, GFP_KERNEL);
	p[1] = gomem_malloc(pool, n, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved, (size_t)SZ_64K + SZ_128K);
	gomem_free(pool, p[0], n);
	gomem_free(pool, p[1], n);
	gomem_pool_destroy(pool);
}

/*
 * Malloc is first fit over the arenas in creation order: memory freed in
 * the oldest arena is used again before a newer arena's, so that live
 * blocks pack into the old arenas and the new ones empty (for trim).  The
 * arena that served last used to be tried first: then q landed in the
 * 128K arena.  And the note malloc skips by follows every free: after
 * p[0]'s free the 64K arena serves 64K again.
 */
static void pool_malloc_first_fit_over_arenas(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_256K);
	void *p[2], *q;

	p[0] = gomem_malloc(pool, SZ_64K, GFP_KERNEL);	/* fills arena 1 */
	p[1] = gomem_malloc(pool, SZ_64K, GFP_KERNEL);	/* arena 2 */
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	KUNIT_ASSERT_NOT_NULL(test, p[1]);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p[0], SZ_64K), 0);
	q = gomem_malloc(pool, 1000, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, q, p[0]);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, q, 1000), 0);
	q = gomem_malloc(pool, SZ_64K, GFP_NOWAIT);
	KUNIT_EXPECT_PTR_EQ(test, q, p[0]);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_free(pool, q, SZ_64K);
	gomem_free(pool, p[1], SZ_64K);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* Every counter, checked after each step of a small sequence. */
static void pool_stats_exact_after_each_step(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	struct gomem_pool_stats st;
	char *a, *b;

	a = gomem_malloc(pool, 100, GFP_KERNEL);	/* 4 granules */
	st = stats(pool);
	KUNIT_EXPECT_EQ(test, st.in_use, 4 * GRANULE);
	KUNIT_EXPECT_EQ(test, st.free, SZ_64K - 4 * GRANULE);
	KUNIT_EXPECT_EQ(test, st.largest_free, SZ_64K - 4 * GRANULE);
	KUNIT_EXPECT_EQ(test, st.mallocs, 1);
	KUNIT_EXPECT_EQ(test, st.malloc_bytes, 100);
	KUNIT_EXPECT_EQ(test, st.free_blocks, 1);
	KUNIT_EXPECT_EQ(test, st.fragmentation, 0);

	b = gomem_malloc(pool, 1000, GFP_KERNEL);	/* 32 granules */
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 36 * GRANULE);
	/* Free a: a hole of 4 granules before b, the rest after it. */
	KUNIT_EXPECT_EQ(test, gomem_free(pool, a, 100), 0);
	st = stats(pool);
	KUNIT_EXPECT_EQ(test, st.in_use, 32 * GRANULE);
	KUNIT_EXPECT_EQ(test, st.free_blocks, 2);
	KUNIT_EXPECT_EQ(test, st.largest_free, SZ_64K - 36 * GRANULE);
	KUNIT_EXPECT_EQ(test, st.fragmentation,
			100 - (unsigned int)(100 * (SZ_64K - 36 * GRANULE) /
					     (SZ_64K - 32 * GRANULE)));
	KUNIT_EXPECT_EQ(test, st.frees, 1);
	KUNIT_EXPECT_EQ(test, st.free_bytes, 100);

	/* b in two pieces, the second first. */
	KUNIT_EXPECT_EQ(test, gomem_free(pool, b + 500, 500), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 16 * GRANULE);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, b, 500), 0);
	st = stats(pool);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	KUNIT_EXPECT_EQ(test, st.free_blocks, 1);
	KUNIT_EXPECT_EQ(test, st.frees, 3);
	KUNIT_EXPECT_EQ(test, st.free_bytes, 1100);
	KUNIT_EXPECT_EQ(test, st.failures, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * A request over the max arena size gets a dedicated arena, can be freed
 * in pieces, and the arena goes when it is wholly free.
 */
static void pool_oversize_gets_dedicated_arena(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	size_t big = 100 * 1024 + 7;
	char *p = gomem_malloc(pool, big, GFP_KERNEL), *q;
	struct gomem_pool_stats st = stats(pool);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, st.arenas, 2);
	KUNIT_EXPECT_EQ(test, st.dedicated, 1);
	KUNIT_EXPECT_EQ(test, st.reserved, SZ_64K + PAGE_ALIGN(big));
	KUNIT_EXPECT_EQ(test, st.in_use, ALIGN(big, GRANULE));
	memset(p, 0x5a, big);
	/* Small requests never land in the dedicated arena's tail. */
	q = gomem_malloc(pool, 8, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, q < p || q >= p + PAGE_ALIGN(big));
	KUNIT_EXPECT_EQ(test, gomem_free(pool, q, 8), 0);
	/* Freed in two pieces; the arena stays until both are back. */
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 4096), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).dedicated, 1);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p + 4096, big - 4096), 0);
	gomem_pool_flush(pool);
	st = stats(pool);
	KUNIT_EXPECT_EQ(test, st.dedicated, 0);
	KUNIT_EXPECT_EQ(test, st.arenas, 1);
	KUNIT_EXPECT_EQ(test, st.reserved, SZ_64K);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	/* Atomic callers cannot get one: no vmalloc in atomic context. */
	KUNIT_EXPECT_NULL(test, gomem_malloc(pool, big, GFP_ATOMIC));
	KUNIT_EXPECT_EQ(test, stats(pool).failures, 1);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * Any valid gfp grows the pool.  A vmalloc-style gfp carries zone modifiers
 * (__GFP_HIGHMEM, __GFP_DMA32) that slab refuses with a warning and a stack
 * dump when it takes a new slab; growth must not hand them to kmalloc.  Many
 * arenas at once (dedicated and doubling), so that slab does take new pages.
 *
 *   malloc(64K + 4K, GFP_KERNEL | zone) x 96   -> 96 dedicated arenas
 *   malloc(32K, GFP_KERNEL | __GFP_HIGHMEM) x 8 -> the 64K arenas fill
 */
static void pool_grow_accepts_zone_modifiers(struct kunit *test)
{
	static const gfp_t zone[] = { __GFP_HIGHMEM, __GFP_DMA32,
				      __GFP_HIGHMEM | __GFP_MOVABLE };
	enum { NR_BIG = 96, NR_SMALL = 8 };
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	const size_t big = SZ_64K + PAGE_SIZE;
	void **p;
	int i;

	p = kunit_kcalloc(test, NR_BIG + NR_SMALL, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < NR_BIG; i++) {
		p[i] = gomem_malloc(pool, big,
				    GFP_KERNEL | zone[i % ARRAY_SIZE(zone)]);
		KUNIT_EXPECT_NOT_NULL(test, p[i]);
	}
	for (i = NR_BIG; i < NR_BIG + NR_SMALL; i++) {
		p[i] = gomem_malloc(pool, SZ_32K, GFP_KERNEL | __GFP_HIGHMEM);
		KUNIT_EXPECT_NOT_NULL(test, p[i]);
	}
	KUNIT_EXPECT_EQ(test, stats(pool).dedicated, NR_BIG);
	KUNIT_EXPECT_GT(test, stats(pool).arenas, NR_BIG + 1);
	KUNIT_EXPECT_EQ(test, stats(pool).failures, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	for (i = 0; i < NR_BIG + NR_SMALL; i++)
		if (p[i])
			gomem_free(pool, p[i], i < NR_BIG ? big : SZ_32K);
	gomem_pool_destroy(pool);
}

/*
 * The check walks every arena, one lock hold each, and finds a corrupt one
 * wherever it sits: one 60 KiB allocation per 64 KiB arena, a 1 KiB hole
 * punched in each; the hole's index node (its last granule) is scribbled
 * on, checked, and restored, arena by arena.
 *
 *   arena i: |alloc 1K|hole 1K (node in its last 32 B)|alloc 58K|free 4K|
 */
static void pool_check_visits_every_arena(struct kunit *test)
{
	enum { NR = 6 };
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	u8 saved[GOMEM_GRANULE], *node;
	char *p[NR];
	int i;

	for (i = 0; i < NR; i++) {
		p[i] = gomem_malloc(pool, 60 * SZ_1K, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		gomem_free(pool, p[i] + SZ_1K, SZ_1K);
	}
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, NR);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	for (i = 0; i < NR; i++) {
		node = p[i] + 2 * SZ_1K - GOMEM_GRANULE;
		/* The node lies in free (KASAN-poisoned) memory. */
		gomem_meta_begin();
		memcpy(saved, node, sizeof(saved));
		memset(node, 0xa5, sizeof(saved));
		gomem_meta_end();
		KUNIT_EXPECT_EQ_MSG(test, gomem_pool_check(pool), -EUCLEAN,
				    "arena %d", i);
		gomem_meta_begin();
		memcpy(node, saved, sizeof(saved));
		gomem_meta_end();
		KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	}
	for (i = 0; i < NR; i++) {
		gomem_free(pool, p[i], SZ_1K);
		gomem_free(pool, p[i] + 2 * SZ_1K, 58 * SZ_1K);
	}
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	gomem_pool_destroy(pool);
}

/* A nonblocking malloc is served from existing arenas only. */
static void pool_atomic_malloc_never_grows(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_1M);
	void *p = gomem_malloc(pool, SZ_64K - 64, GFP_ATOMIC), *q;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, gomem_malloc(pool, 128, GFP_ATOMIC));
	KUNIT_EXPECT_NULL(test, gomem_malloc(pool, 128, GFP_NOWAIT));
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	KUNIT_EXPECT_EQ(test, stats(pool).failures, 2);
	q = gomem_malloc(pool, 64, GFP_ATOMIC);		/* still fits */
	KUNIT_EXPECT_NOT_NULL(test, q);
	gomem_free(pool, q, 64);
	q = gomem_malloc(pool, 128, GFP_KERNEL);	/* grows */
	KUNIT_EXPECT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	gomem_free(pool, q, 128);
	gomem_free(pool, p, SZ_64K - 64);
	gomem_pool_destroy(pool);
}

/*
 * Allocations in three arenas, each freed in pieces, in shuffled order
 * across arenas: every byte comes back, nothing else.
 */
static void pool_partial_frees_across_arenas(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_128K);
	struct { char *p; size_t off, len; } piece[48];
	size_t sizes[] = { 60000, 120000, 100000 };
	struct rnd_state rs;
	int i, j, n = 0;

	prandom_seed_state(&rs, pool_seed);
	for (i = 0; i < 3; i++) {
		char *p = gomem_malloc(pool, sizes[i], GFP_KERNEL);
		size_t off = 0;

		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, i, sizes[i]);
		/* 16 pieces of random byte lengths. */
		for (j = 0; j < 16; j++) {
			size_t len = j == 15 ? sizes[i] - off :
				     1 + prandom_u32_state(&rs) %
				     (sizes[i] / 16);

			piece[n].p = p;
			piece[n].off = off;
			piece[n++].len = len;
			off += len;
		}
	}
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 3);
	for (i = n - 1; i > 0; i--) {
		j = prandom_u32_state(&rs) % (i + 1);
		swap(piece[i], piece[j]);
	}
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, gomem_free(pool, piece[i].p + piece[i].off,
						 piece[i].len), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).free_blocks, 3);
	KUNIT_EXPECT_EQ(test, stats(pool).bad_frees, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* free_rest keeps the head; the granule holding byte keep-1 stays. */
static void pool_free_rest_keeps_the_head(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	char *p = gomem_malloc(pool, 1000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gomem_free_rest(pool, p, 1000, 1000), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 32 * GRANULE);
	KUNIT_EXPECT_EQ(test, gomem_free_rest(pool, p, 1000, 100), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 4 * GRANULE);
	/* The rest is free: a second free_rest is a double free. */
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free_rest(pool, p, 1000, 100)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 100), 0);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).bad_frees, 1);
	gomem_pool_destroy(pool);
}

/* Borrow hands out free room, allocates nothing, never grows. */
static void pool_borrow_allocates_nothing(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	char *b = gomem_borrow(pool, 4000), *p;

	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, 0xab, 4000);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).mallocs, 0);
	KUNIT_EXPECT_TRUE(test, gomem_pool_contains(pool, b));
	/* Still free: the next malloc may hand out the same bytes. */
	p = gomem_malloc(pool, 4000, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, p, b);
	KUNIT_EXPECT_NULL(test, gomem_borrow(pool, SZ_64K));
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	gomem_free(pool, p, 4000);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/* Trim releases every empty arena but the largest; stats drop at once. */
static void pool_trim_releases_empty_arenas(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_256K);
	void *p[3], *keep;
	int i;

	p[0] = gomem_malloc(pool, SZ_64K, GFP_KERNEL);
	p[1] = gomem_malloc(pool, SZ_128K, GFP_KERNEL);
	p[2] = gomem_malloc(pool, SZ_256K, GFP_KERNEL);
	/* A 4th arena: an eighth of the pool (56K), in 64K multiples. */
	keep = gomem_malloc(pool, 64, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, stats(pool).arenas, 4);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved,
			SZ_64K + SZ_128K + SZ_256K + SZ_64K);
	KUNIT_EXPECT_EQ(test, gomem_pool_trim(pool), 0);	/* none empty */
	gomem_free(pool, p[0], SZ_64K);
	gomem_free(pool, p[1], SZ_128K);
	gomem_free(pool, p[2], SZ_256K);
	/* Empty: 64K, 128K, 256K; the 256K one stays. */
	KUNIT_EXPECT_EQ(test, gomem_pool_trim(pool), 2);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_EQ(test, stats(pool).reserved, SZ_256K + SZ_64K);
	KUNIT_EXPECT_EQ(test, stats(pool).trims, 2);
	gomem_pool_flush(pool);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	/* The pool still serves atomic callers from the kept arena. */
	for (i = 0; i < 3; i++) {
		p[i] = gomem_malloc(pool, SZ_64K, GFP_ATOMIC);
		KUNIT_EXPECT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < 3; i++)
		gomem_free(pool, p[i], SZ_64K);
	gomem_free(pool, keep, 64);
	KUNIT_EXPECT_EQ(test, gomem_pool_trim(pool), 1);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 1);
	gomem_pool_destroy(pool);
}

/* Each bad input is refused, counted, and leaves the pool intact. */
static void pool_refuses_bad_input(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	long before = gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT);
	char *other = kmalloc(64, GFP_KERNEL);
	char *p = gomem_malloc(pool, 256, GFP_KERNEL);
	struct gomem_pool_stats st;

	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, bad_call(gomem_malloc(pool, 0, GFP_KERNEL)));
	KUNIT_EXPECT_NULL(test,
			  bad_call(gomem_malloc(pool, SIZE_MAX, GFP_KERNEL)));
	KUNIT_EXPECT_NULL(test, bad_call(gomem_malloc(pool, SIZE_MAX / 2,
						      GFP_ATOMIC)));
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free(pool, other, 64)), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free(pool, NULL, 64)), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free(pool, p, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 256), 0);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free(pool, p, 256)), -EINVAL);
	/* A piece running past the arena's end. */
	p = gomem_malloc(pool, 256, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_free(pool, p, SZ_1M)), -EINVAL);
	st = stats(pool);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 5);
	KUNIT_EXPECT_EQ(test, st.failures, 3);
	KUNIT_EXPECT_EQ(test, st.in_use, 256);
	KUNIT_EXPECT_EQ(test,
			gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT) - before, 8);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_free(pool, p, 256);
	kfree(other);
	gomem_pool_destroy(pool);
}

/* Destroy with live memory: warned, counted, everything freed. */
static void pool_destroy_with_live_memory_reports(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	long before = gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT);

	KUNIT_ASSERT_NOT_NULL(test, gomem_malloc(pool, 1000, GFP_KERNEL));
	KUNIT_ASSERT_NOT_NULL(test, gomem_malloc(pool, SZ_1M, GFP_KERNEL));
	/* A caller bug on purpose: silence its warning as bad_call() does. */
	WRITE_ONCE(gomem_quiet_caller_bugs, 1);
	gomem_pool_destroy(pool);
	WRITE_ONCE(gomem_quiet_caller_bugs, 0);
	KUNIT_EXPECT_EQ(test,
			gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT) - before, 1);
	/* Nothing leaked: kmemleak in the test run would report it. */
}

static void pool_zeroes_with_gfp_zero(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	char *p = gomem_malloc(pool, 512, GFP_KERNEL);

	memset(p, 0xff, 512);
	gomem_free(pool, p, 512);
	p = gomem_malloc(pool, 512, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 512));
	gomem_free(pool, p, 512);
	gomem_pool_destroy(pool);
}

/* Does debugfs hold gomem/<dir>/<file> (or gomem/<dir> for a NULL @file)? */
static bool debugfs_has(const char *dir, const char *file)
{
	struct dentry *root, *d, *f = NULL;

	root = debugfs_lookup("gomem", NULL);
	if (!root)
		return false;
	d = debugfs_lookup(dir, root);
	if (d && file)
		f = debugfs_lookup(file, d);
	dput(f);
	dput(d);
	dput(root);
	return file ? !!f : !!d;
}

/*
 * Each pool has /sys/kernel/debug/gomem/<name>/{stats,check}, and they go
 * with the pool.  (Their contents are shown by `make demo`: kernel_read()
 * cannot read seq_file debugfs files in 6.1.)
 */
static void pool_debugfs_files_follow_the_pool(struct kunit *test)
{
	struct gomem_pool_params p = { .initial_size = SZ_64K };
	struct gomem_pool *pool;

	if (!debugfs_has("stats", NULL))
		kunit_skip(test, "debugfs is not available");
	KUNIT_EXPECT_TRUE(test, debugfs_has("pools", NULL));
	KUNIT_EXPECT_TRUE(test, debugfs_has("buddy", NULL));
	KUNIT_EXPECT_FALSE(test, debugfs_has("kunit_dbg", NULL));
	pool = gomem_pool_create("kunit_dbg", &p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	KUNIT_EXPECT_TRUE(test, debugfs_has("kunit_dbg", "stats"));
	KUNIT_EXPECT_TRUE(test, debugfs_has("kunit_dbg", "check"));
	gomem_pool_destroy(pool);
	KUNIT_EXPECT_FALSE(test, debugfs_has("kunit_dbg", NULL));
}

/*
 * Buddy backing: arenas are blocks of the module buddy, given back when
 * trimmed; a dedicated arena still comes from vmalloc.
 */
static void pool_buddy_backing_carves_arenas(struct kunit *test)
{
	struct gomem_pool_params p = {
		.initial_size = SZ_64K, .max_arena_size = SZ_128K,
		.backing = GOMEM_BACKING_BUDDY,
	};
	struct gomem_pool *pool = gomem_pool_create("kunit_buddy", &p);
	unsigned long blocks;
	struct gomem_buddy *b;
	void *x, *y, *big;

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	b = gomem_pool_module_buddy();
	if (!b) {
		gomem_pool_destroy(pool);
		kunit_skip(test, "no module buddy (buddy_size_mb=0?)");
	}
	blocks = gomem_buddy_nr_allocated(b);
	x = gomem_malloc(pool, SZ_64K, GFP_KERNEL);	/* fills arena 1 */
	y = gomem_malloc(pool, 100, GFP_KERNEL);	/* arena 2: 64K */
	big = gomem_malloc(pool, SZ_256K, GFP_KERNEL);	/* dedicated */
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_TRUE(test, gomem_buddy_contains(b, x));
	KUNIT_EXPECT_TRUE(test, gomem_buddy_contains(b, y));
	KUNIT_EXPECT_FALSE(test, gomem_buddy_contains(b, big));
	KUNIT_EXPECT_EQ(test, gomem_buddy_nr_allocated(b), blocks + 1);
	/* Past the doubling (max 128K): the first arena's size at least. */
	KUNIT_EXPECT_EQ(test, gomem_buddy_block_size(b, y), SZ_64K);
	gomem_free(pool, x, SZ_64K);
	gomem_free(pool, y, 100);
	gomem_free(pool, big, SZ_256K);
	KUNIT_EXPECT_EQ(test, gomem_pool_trim(pool), 1);
	gomem_pool_flush(pool);
	KUNIT_EXPECT_EQ(test, gomem_buddy_nr_allocated(b), blocks);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
	KUNIT_EXPECT_EQ(test, gomem_buddy_nr_allocated(b), blocks - 1);
}

struct pool_random_case {
	const char *name;
	enum gomem_index index;
	enum gomem_backing backing;
	bool huge;
};

static const struct pool_random_case pool_random_cases[] = {
	{ .name = "treap vmalloc", .index = GOMEM_INDEX_TREAP },
	{ .name = "avl vmalloc", .index = GOMEM_INDEX_AVL },
	{ .name = "treap buddy", .index = GOMEM_INDEX_TREAP,
	  .backing = GOMEM_BACKING_BUDDY },
	{ .name = "avl buddy huge", .index = GOMEM_INDEX_AVL,
	  .backing = GOMEM_BACKING_BUDDY, .huge = true },
};

static void random_case_desc(const struct pool_random_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pool_random, pool_random_cases, random_case_desc);

/*
 * Random mallocs (some oversize) and frees (some in two pieces), each
 * buffer filled with a pattern checked before it is freed; the pool's
 * in-use bytes follow a running sum of granules, and the checker passes.
 */
static void pool_random_run_keeps_data_and_stats(struct kunit *test)
{
	const struct pool_random_case *rc = test->param_value;
	struct gomem_pool_params params = {
		.initial_size = SZ_16K, .max_arena_size = SZ_256K,
		.index = rc->index, .backing = rc->backing, .huge = rc->huge,
	};
	enum { NLIVE = 64 };
	struct live { u8 *p; size_t len; u8 pat; } *live;
	struct gomem_pool *pool = gomem_pool_create("kunit_random", &params);
	size_t in_use = 0;
	struct rnd_state rs;
	int step, i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	live = kunit_kcalloc(test, NLIVE, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	prandom_seed_state(&rs, pool_seed);
	for (step = 0; step < 1500; step++) {
		i = prandom_u32_state(&rs) % NLIVE;
		if (live[i].p) {
			size_t half = live[i].len / 2, k;

			for (k = 0; k < live[i].len; k += 97)
				KUNIT_ASSERT_EQ(test, live[i].p[k], live[i].pat);
			KUNIT_ASSERT_EQ(test, live[i].p[live[i].len - 1],
					live[i].pat);
			/* Two pieces split at any byte, the tail first. */
			if (half)
				KUNIT_ASSERT_EQ(test, gomem_free(pool, live[i].p + half,
								 live[i].len - half),
						0);
			KUNIT_ASSERT_EQ(test,
					gomem_free(pool, live[i].p,
						   half ? half : live[i].len), 0);
			in_use -= ALIGN(live[i].len, GRANULE);
			live[i].p = NULL;
		} else {
			u32 r = prandom_u32_state(&rs);
			size_t len = r % 64 == 0 ? SZ_256K + r % SZ_64K :
				     1 + r % (r % 8 ? 2048 : 65536);

			live[i].p = gomem_malloc(pool, len, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, live[i].p);
			live[i].len = len;
			live[i].pat = (u8)r;
			memset(live[i].p, live[i].pat, len);
			in_use += ALIGN(len, GRANULE);
		}
		KUNIT_ASSERT_EQ(test, stats(pool).in_use, in_use);
		if (step % 100 == 0)
			KUNIT_ASSERT_EQ(test, gomem_pool_check(pool), 0);
	}
	for (i = 0; i < NLIVE; i++)
		if (live[i].p)
			gomem_free(pool, live[i].p, live[i].len);
	KUNIT_EXPECT_EQ(test, stats(pool).in_use, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).bad_frees, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).failures, 0);
	KUNIT_EXPECT_EQ(test, stats(pool).huge, rc->huge);
	gomem_pool_flush(pool);
	KUNIT_EXPECT_EQ(test, stats(pool).dedicated, 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * A pool made with GOMEM_INDEX_DEFAULT takes the index the module parameter
 * names at create, once: switching ``default_index`` afterwards must not
 * give the arenas it adds later another index (gomem_pool_check() compares
 * every arena's index with the pool's).
 *
 *   create (default_index = treap)   [64K treap]
 *   default_index = avl, grow        [64K treap][128K treap]
 */
static void pool_default_index_resolved_once(struct kunit *test)
{
	struct gomem_pool_params p = {
		.initial_size = SZ_64K,
		.max_arena_size = SZ_1M,
		.index = GOMEM_INDEX_DEFAULT,
	};
	enum gomem_index saved = READ_ONCE(gomem_default_index);
	struct gomem_pool *pool;
	void *a;

	WRITE_ONCE(gomem_default_index, GOMEM_INDEX_TREAP);
	pool = gomem_pool_create("kunit_default", &p);
	WRITE_ONCE(gomem_default_index, GOMEM_INDEX_AVL);
	if (IS_ERR(pool)) {
		WRITE_ONCE(gomem_default_index, saved);
		KUNIT_FAIL(test, "create: %ld", PTR_ERR(pool));
		return;
	}
	a = gomem_malloc(pool, SZ_128K, GFP_KERNEL);
	WRITE_ONCE(gomem_default_index, saved);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, stats(pool).arenas, 2);
	KUNIT_EXPECT_EQ(test, gomem_pool_get_params(pool)->index, GOMEM_INDEX_TREAP);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_free(pool, a, SZ_128K);
	gomem_pool_destroy(pool);
}

struct map_seen {
	unsigned int arenas;
	char strip[GOMEM_STRIP_MAX + 1];
	u32 per;
};

static void map_collect(void *arg, const void *base, size_t size,
			bool dedicated, u32 per, const char *strip)
{
	struct map_seen *m = arg;

	if (!m->arenas++) {
		strscpy(m->strip, strip, sizeof(m->strip));
		m->per = per;
	}
}

/*
 * The map draws what is in use: one 64 KiB arena in 64 cells of 1 KiB.
 *
 *   malloc 32 KiB, then 512 B:   32 x '#', ':' (half a cell), 31 x '.'
 *   free both:                   64 x '.'
 */
static void pool_map_draws_occupancy(struct kunit *test)
{
	struct gomem_pool *pool = make_pool(test, SZ_64K, SZ_64K);
	struct map_seen m = { };
	char want[GOMEM_STRIP_MAX + 1];
	void *a, *b;

	a = gomem_malloc(pool, SZ_32K, GFP_KERNEL);
	b = gomem_malloc(pool, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	gomem_pool_map(pool, 64, map_collect, &m);
	memset(want, '#', 32);
	want[32] = ':';
	memset(want + 33, '.', 31);
	want[64] = '\0';
	KUNIT_EXPECT_EQ(test, m.arenas, 1);
	KUNIT_EXPECT_EQ(test, m.per, 32);
	KUNIT_EXPECT_STREQ(test, m.strip, want);

	gomem_free(pool, a, SZ_32K);
	gomem_free(pool, b, 512);
	memset(&m, 0, sizeof(m));
	gomem_pool_map(pool, 64, map_collect, &m);
	memset(want, '.', 64);
	KUNIT_EXPECT_STREQ(test, m.strip, want);
	gomem_pool_destroy(pool);
}

static struct kunit_case gomem_pool_cases[] = {
	KUNIT_CASE(pool_create_refuses_bad_params),
	KUNIT_CASE(pool_grows_by_doubling_then_by_an_eighth),
	KUNIT_CASE(pool_grows_in_place),
	KUNIT_CASE(pool_malloc_first_fit_over_arenas),
	KUNIT_CASE(pool_default_index_resolved_once),
	KUNIT_CASE(pool_map_draws_occupancy),
	KUNIT_CASE(pool_stats_exact_after_each_step),
	KUNIT_CASE(pool_oversize_gets_dedicated_arena),
	KUNIT_CASE(pool_grow_accepts_zone_modifiers),
	KUNIT_CASE(pool_atomic_malloc_never_grows),
	KUNIT_CASE(pool_check_visits_every_arena),
	KUNIT_CASE(pool_partial_frees_across_arenas),
	KUNIT_CASE(pool_free_rest_keeps_the_head),
	KUNIT_CASE(pool_borrow_allocates_nothing),
	KUNIT_CASE(pool_trim_releases_empty_arenas),
	KUNIT_CASE(pool_refuses_bad_input),
	KUNIT_CASE(pool_destroy_with_live_memory_reports),
	KUNIT_CASE(pool_zeroes_with_gfp_zero),
	KUNIT_CASE(pool_debugfs_files_follow_the_pool),
	KUNIT_CASE(pool_buddy_backing_carves_arenas),
	KUNIT_CASE_PARAM(pool_random_run_keeps_data_and_stats,
			 pool_random_gen_params),
	{}
};

static struct kunit_suite gomem_pool_suite = {
	.name = "gomem_pool",
	.suite_init = gomem_pool_suite_init,
	.test_cases = gomem_pool_cases,
};

kunit_test_suite(gomem_pool_suite);
