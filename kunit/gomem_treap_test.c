// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_treap: the treap free-block index (gomem_treap.c),
 * driven through its own entry points, in granules.
 */
#include <kunit/test.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/random.h>

#include "gomem_kunit.h"
#include "gomem_range_kunit.h"

/* 0: a random seed per run; set it to repeat a run (the log prints it). */
static ulong treap_seed;
module_param(treap_seed, ulong, 0444);
MODULE_PARM_DESC(treap_seed, "seed of the gomem_treap random cases (0: random)");

static const struct range_ops treap_bytes = IDX_RANGE_OPS("treap", false);

static const struct idx_ops treap_ops = {
	.bytes = &treap_bytes,
	.init = gomem_treap_init,
	.init_map = gomem_treap_init_map,
	.alloc = gomem_treap_alloc,
	.free = gomem_treap_free,
	.find = gomem_treap_find,
	.largest = gomem_treap_largest,
	.flush = gomem_treap_flush,
	.walk = gomem_treap_walk,
	.check = gomem_treap_check,
};

static void treap_gomem_testallocator_sequence(struct kunit *test)
{
	idx_gomem_sequence(test, &treap_ops);
}

static void treap_finds_small_hole_gomem_misses(struct kunit *test)
{
	idx_complete_search(test, &treap_ops);
}

static void treap_aligned_search_is_complete(struct kunit *test)
{
	idx_aligned(test, &treap_ops);
}

static void treap_bad_free_refused_whole(struct kunit *test)
{
	idx_bad_free(test, &treap_ops);
}

static void treap_checker_catches_corruption(struct kunit *test)
{
	idx_checker_catches(test, &treap_ops);
}

static void treap_checker_catches_bad_end_map(struct kunit *test)
{
	idx_map_checker(test, &treap_ops);
}

/*
 * First fit by address, not best fit:
 *
 *   |free 0..4|alloc|free 10..30|alloc|free 40..50|alloc ... 100|
 *
 * a request for 5 takes 10 (the lowest block that fits), not 40.
 */
static void treap_first_fit_takes_lowest_address(struct kunit *test)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, gomem_treap_init(&fi, idx_region(test, 100), 100),
			0);
	KUNIT_ASSERT_EQ(test, gomem_treap_alloc(&fi, 100, 1), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, 40, 10), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, 10, 20), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, 0, 4), 0);
	KUNIT_EXPECT_EQ(test, gomem_treap_largest(&fi), 20);
	KUNIT_EXPECT_EQ(test, gomem_treap_find(&fi, 4), 10);
	KUNIT_EXPECT_EQ(test, gomem_treap_alloc(&fi, 5, 1), 10);
	KUNIT_EXPECT_EQ(test, gomem_treap_alloc(&fi, 4, 1), 0);
	KUNIT_EXPECT_EQ(test, gomem_treap_alloc(&fi, 15, 1), 15);
	KUNIT_EXPECT_EQ(test, gomem_treap_alloc(&fi, 1, 1), 40);
	KUNIT_EXPECT_EQ(test, gomem_treap_largest(&fi), 9);
	KUNIT_EXPECT_EQ(test, gomem_treap_check(&fi), 0);
}

static int count_blocks(void *arg, u32 start, u32 n)
{
	u32 *prev_end = arg;

	/* Address order, and never adjacent. */
	if (start <= prev_end[0] && prev_end[1])
		return -EUCLEAN;
	prev_end[0] = start + n;
	prev_end[1]++;
	return 0;
}

/* Free every other granule of 4096: 2048 blocks, walked in order. */
static void treap_many_blocks_walk_in_order(struct kunit *test)
{
	struct gomem_freeidx fi;
	u32 i, state[2] = { 0, 0 };
	void *base;

	base = idx_region(test, 4096);
	KUNIT_ASSERT_EQ(test, gomem_treap_init(&fi, base, 4096), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_alloc(&fi, 4096, 1), 0);
	for (i = 0; i < 4096; i += 2)
		KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, i, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 2048);
	KUNIT_EXPECT_EQ(test, gomem_treap_check(&fi), 0);
	KUNIT_EXPECT_EQ(test, gomem_treap_walk(&fi, count_blocks, state), 0);
	KUNIT_EXPECT_EQ(test, state[1], 2048);
	KUNIT_EXPECT_EQ(test, gomem_treap_alloc(&fi, 2, 1), -ENOMEM);
	for (i = 1; i < 4096; i += 2)
		KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, i, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, gomem_treap_largest(&fi), 4096);
	KUNIT_EXPECT_EQ(test, gomem_treap_check(&fi), 0);
}

/* The priority hash of before issue 12, unkeyed; seed 0 gives it still. */
static u32 unkeyed_prio(u32 ref)
{
	ref ^= ref >> 16;
	ref *= 0x85ebca6bu;
	ref ^= ref >> 13;
	ref *= 0xc2b2ae35u;
	ref ^= ref >> 16;
	return ref;
}

/*
 * The single-granule blocks [r - 1, r), r even in 2..@nr, whose unkeyed
 * priorities fall with their address, as many as there are (a longest
 * decreasing subsequence, patience sorting).  Even ends keep them apart.
 * Return: how many refs were put in @out (ascending).
 */
static u32 spine_layout(struct kunit *test, u32 nr, u32 *out)
{
	u32 m = nr / 2, len = 0, i, k;
	u32 *tail = kunit_kmalloc_array(test, m, sizeof(u32), GFP_KERNEL);
	u32 *prev = kunit_kmalloc_array(test, m, sizeof(u32), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tail);
	KUNIT_ASSERT_NOT_NULL(test, prev);
	for (i = 0; i < m; i++) {
		u32 v = unkeyed_prio(2 * (i + 1)), lo = 0, hi = len;

		/* First run whose last priority is not above v: extend before it. */
		while (lo < hi) {
			u32 mid = (lo + hi) / 2;

			if (unkeyed_prio(2 * (tail[mid] + 1)) > v)
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tail[lo - 1] : U32_MAX;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	for (k = len, i = tail[len - 1]; k; i = prev[i])
		out[--k] = 2 * (i + 1);
	return len;
}

/*
 * The attack the random seed stops (issue 12).  Everything allocated, then
 * free the blocks whose unkeyed priorities fall with their address:
 *
 *   |a|f|a|a|a|f|a|f|a|a|a| ... |a|f|   32768 granules, f freed
 *      p1      p2  p3            pn     p1 > p2 > p3 > ... > pn
 *
 * With seed 0 (the old hash) the treap is a spine: as deep as it has
 * blocks.  With the seed gomem_treap_init() draws, the same frees leave a
 * tree of logarithmic depth.
 */
static void treap_chosen_frees_keep_depth_logarithmic(struct kunit *test)
{
	const u32 nr = 32768;
	struct gomem_freeidx fi;
	u32 *refs, n, i, depth, bound;
	void *base;

	refs = kunit_kmalloc_array(test, nr / 2, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, refs);
	n = spine_layout(test, nr, refs);
	KUNIT_ASSERT_GE(test, n, 64);
	base = idx_region(test, nr);

	/* The layout is the worst case for seed 0: a spine. */
	KUNIT_ASSERT_EQ(test, gomem_treap_init(&fi, base, nr), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_alloc(&fi, nr, 1), 0);
	fi.seed = 0;
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, refs[i] - 1, 1), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_check(&fi), 0);
	KUNIT_EXPECT_EQ(test, gomem_treap_depth(&fi), n);

	/* The same frees with the seed init drew. */
	KUNIT_ASSERT_EQ(test, gomem_treap_init(&fi, base, nr), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_alloc(&fi, nr, 1), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, gomem_treap_free(&fi, refs[i] - 1, 1), 0);
	KUNIT_ASSERT_EQ(test, gomem_treap_check(&fi), 0);
	KUNIT_ASSERT_EQ(test, fi.nr_blocks, n);
	depth = gomem_treap_depth(&fi);
	/* A random treap of n nodes: height about 4.3 ln n, rarely more. */
	bound = 4 * (ilog2(n) + 1);
	kunit_info(test, "%u chosen blocks: depth %u with seed 0, %u with seed %#x (bound %u)\n",
		   n, n, depth, fi.seed, bound);
	KUNIT_EXPECT_LE(test, depth, bound);
}

static void treap_random_matches_bitmap(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed, 512, 60000, 64, IDX_PLAIN);
}

static void treap_random_checked_every_step(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed + 1, 256, 8000, 1, IDX_PLAIN);
}

static void treap_random_with_end_map_matches_bitmap(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed + 2, 512, 60000, 64, IDX_MAP);
}

static void treap_random_with_end_map_checked_every_step(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed + 3, 256, 8000, 1, IDX_MAP);
}

static void treap_quick_cache_parks_and_absorbs(struct kunit *test)
{
	idx_quick_cache(test, &treap_ops);
}

static void treap_random_with_quick_cache_matches_bitmap(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed + 4, 512, 60000, 64, IDX_QC);
}

static void treap_random_with_quick_cache_checked_every_step(struct kunit *test)
{
	idx_random(test, &treap_ops, treap_seed + 5, 256, 8000, 1, IDX_QC);
}

static void treap_random_tiny_regions(struct kunit *test)
{
	/* Blocks of one granule, node and data alike. */
	idx_random(test, &treap_ops, treap_seed + 6, 1, 1500, 1, IDX_PLAIN);
	idx_random(test, &treap_ops, treap_seed + 7, 2, 1500, 1, IDX_MAP);
	idx_random(test, &treap_ops, treap_seed + 8, 7, 3000, 1, IDX_PLAIN);
	idx_random(test, &treap_ops, treap_seed + 9, 7, 3000, 1, IDX_MAP);
}

static void treap_quick_cache_rules(struct kunit *test)
{
	idx_quick_cache_rules(test, &treap_ops);
}

static void treap_quick_cache_checker_catches_corruption(struct kunit *test)
{
	idx_quick_cache_checker(test, &treap_ops);
}

/* With the cache's parking decisions and LIFO reuse predicted exactly. */
static void treap_random_quick_cache_exact(struct kunit *test)
{
	idx_qc_random(test, &treap_ops, treap_seed + 10, 1024, 25000, 0, 64, false);
}

static void treap_random_quick_cache_default_map_min(struct kunit *test)
{
	idx_qc_random(test, &treap_ops, treap_seed + 11, 1024, 12500,
		      GOMEM_MAP_MIN_BLOCKS, 64, false);
}

/* Sizes 1..8 only, no alignment: deep classes, full budget. */
static void treap_random_quick_cache_small_sizes(struct kunit *test)
{
	idx_qc_random(test, &treap_ops, treap_seed + 12, 1024, 6250, 0, 64, true);
}

/* 5000 granules: an end map of three levels. */
static void treap_random_quick_cache_three_map_levels(struct kunit *test)
{
	idx_qc_random(test, &treap_ops, treap_seed + 13, 5000, 3125, 0, 256, false);
}

/* Checker and coverage after every op, on small and tiny regions. */
static void treap_random_quick_cache_exact_checked_every_step(struct kunit *test)
{
	idx_qc_random(test, &treap_ops, treap_seed + 14, 96, 1250, 0, 1, false);
	idx_qc_random(test, &treap_ops, treap_seed + 15, 300, 1250, 0, 1, false);
	idx_qc_random(test, &treap_ops, treap_seed + 16, 300, 1250, 0, 1, true);
	idx_qc_random(test, &treap_ops, treap_seed + 17, 1, 300, 0, 1, false);
	idx_qc_random(test, &treap_ops, treap_seed + 18, 7, 1250, 0, 1, false);
}

static int treap_suite_init(struct kunit_suite *suite)
{
	if (!treap_seed)
		treap_seed = get_random_u32() | 1;
	pr_info("gomem_treap: random seed %lu (module parameter treap_seed to repeat)\n",
		treap_seed);
	return 0;
}

static struct kunit_case treap_cases[] = {
	KUNIT_CASE_PARAM(treap_gomem_testallocator_sequence, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(treap_finds_small_hole_gomem_misses, idx_fixed_gen_params),
	KUNIT_CASE(treap_first_fit_takes_lowest_address),
	KUNIT_CASE_PARAM(treap_aligned_search_is_complete, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(treap_bad_free_refused_whole, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(treap_checker_catches_corruption, idx_fixed_gen_params),
	KUNIT_CASE(treap_checker_catches_bad_end_map),
	KUNIT_CASE(treap_many_blocks_walk_in_order),
	KUNIT_CASE(treap_chosen_frees_keep_depth_logarithmic),
	KUNIT_CASE(treap_random_matches_bitmap),
	KUNIT_CASE_SLOW(treap_random_checked_every_step),
	KUNIT_CASE(treap_random_with_end_map_matches_bitmap),
	KUNIT_CASE_SLOW(treap_random_with_end_map_checked_every_step),
	KUNIT_CASE(treap_quick_cache_parks_and_absorbs),
	KUNIT_CASE(treap_random_with_quick_cache_matches_bitmap),
	KUNIT_CASE_SLOW(treap_random_with_quick_cache_checked_every_step),
	KUNIT_CASE(treap_random_tiny_regions),
	KUNIT_CASE(treap_quick_cache_rules),
	KUNIT_CASE(treap_quick_cache_checker_catches_corruption),
	KUNIT_CASE(treap_random_quick_cache_exact),
	KUNIT_CASE(treap_random_quick_cache_default_map_min),
	KUNIT_CASE(treap_random_quick_cache_small_sizes),
	KUNIT_CASE(treap_random_quick_cache_three_map_levels),
	KUNIT_CASE_SLOW(treap_random_quick_cache_exact_checked_every_step),
	{}
};

static struct kunit_suite treap_suite = {
	.name = "gomem_treap",
	.suite_init = treap_suite_init,
	.test_cases = treap_cases,
};

kunit_test_suite(treap_suite);
