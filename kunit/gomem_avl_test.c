// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_avl: the AVL two-tree free-block index (gomem_avl.c),
 * driven through its own entry points, in granules.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/random.h>

#include "gomem_kunit.h"
#include "gomem_range_kunit.h"

/* 0: a random seed per run; set it to repeat a run (the log prints it). */
static ulong avl_seed;
module_param(avl_seed, ulong, 0444);
MODULE_PARM_DESC(avl_seed, "seed of the gomem_avl random cases (0: random)");

static const struct range_ops avl_bytes = IDX_RANGE_OPS("avl", true);

static const struct idx_ops avl_ops = {
	.bytes = &avl_bytes,
	.init = gomem_avl_init,
	.init_map = gomem_avl_init_map,
	.alloc = gomem_avl_alloc,
	.free = gomem_avl_free,
	.find = gomem_avl_find,
	.largest = gomem_avl_largest,
	.flush = gomem_avl_flush,
	.walk = gomem_avl_walk,
	.check = gomem_avl_check,
};

static void avl_gomem_testallocator_sequence(struct kunit *test)
{
	idx_gomem_sequence(test, &avl_ops);
}

static void avl_finds_small_hole_gomem_misses(struct kunit *test)
{
	idx_complete_search(test, &avl_ops);
}

static void avl_aligned_search_is_complete(struct kunit *test)
{
	idx_aligned(test, &avl_ops);
}

static void avl_bad_free_refused_whole(struct kunit *test)
{
	idx_bad_free(test, &avl_ops);
}

static void avl_checker_catches_corruption(struct kunit *test)
{
	idx_checker_catches(test, &avl_ops);
}

static void avl_checker_catches_bad_end_map(struct kunit *test)
{
	idx_map_checker(test, &avl_ops);
}

/*
 * Best fit, lowest address on ties:
 *
 *   |free 0..4|alloc|free 10..30|alloc|free 40..50|alloc|free 60..70|alloc|
 *
 * a request for 5 takes 40: the smallest block that fits, and of the two
 * blocks of 10 the lower one.
 */
static void avl_best_fit_lowest_address_on_ties(struct kunit *test)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, gomem_avl_init(&fi, idx_region(test, 100), 100),
			0);
	KUNIT_ASSERT_EQ(test, gomem_avl_alloc(&fi, 100, 1), 0);
	KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, 60, 10), 0);
	KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, 40, 10), 0);
	KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, 10, 20), 0);
	KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, 0, 4), 0);
	KUNIT_EXPECT_EQ(test, gomem_avl_largest(&fi), 20);
	KUNIT_EXPECT_EQ(test, gomem_avl_find(&fi, 4), 40);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 5, 1), 40);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 4, 1), 0);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 5, 1), 45);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 10, 1), 60);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 1, 1), 10);
	KUNIT_EXPECT_EQ(test, gomem_avl_largest(&fi), 19);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, gomem_avl_check(&fi), 0);
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
static void avl_many_blocks_walk_in_order(struct kunit *test)
{
	struct gomem_freeidx fi;
	u32 i, state[2] = { 0, 0 };
	void *base;

	base = idx_region(test, 4096);
	KUNIT_ASSERT_EQ(test, gomem_avl_init(&fi, base, 4096), 0);
	KUNIT_ASSERT_EQ(test, gomem_avl_alloc(&fi, 4096, 1), 0);
	for (i = 0; i < 4096; i += 2)
		KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, i, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 2048);
	KUNIT_EXPECT_EQ(test, gomem_avl_check(&fi), 0);
	KUNIT_EXPECT_EQ(test, gomem_avl_walk(&fi, count_blocks, state), 0);
	KUNIT_EXPECT_EQ(test, state[1], 2048);
	KUNIT_EXPECT_EQ(test, gomem_avl_alloc(&fi, 2, 1), -ENOMEM);
	for (i = 1; i < 4096; i += 2)
		KUNIT_ASSERT_EQ(test, gomem_avl_free(&fi, i, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, gomem_avl_largest(&fi), 4096);
	KUNIT_EXPECT_EQ(test, gomem_avl_check(&fi), 0);
}

static void avl_random_matches_bitmap(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed, 512, 60000, 64, IDX_PLAIN);
}

static void avl_random_checked_every_step(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed + 1, 256, 8000, 1, IDX_PLAIN);
}

static void avl_random_with_end_map_matches_bitmap(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed + 2, 512, 60000, 64, IDX_MAP);
}

static void avl_random_with_end_map_checked_every_step(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed + 3, 256, 8000, 1, IDX_MAP);
}

static void avl_quick_cache_parks_and_absorbs(struct kunit *test)
{
	idx_quick_cache(test, &avl_ops);
}

static void avl_random_with_quick_cache_matches_bitmap(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed + 4, 512, 60000, 64, IDX_QC);
}

static void avl_random_with_quick_cache_checked_every_step(struct kunit *test)
{
	idx_random(test, &avl_ops, avl_seed + 5, 256, 8000, 1, IDX_QC);
}

static void avl_random_tiny_regions(struct kunit *test)
{
	/* Blocks of one granule, node and data alike. */
	idx_random(test, &avl_ops, avl_seed + 6, 1, 1500, 1, IDX_PLAIN);
	idx_random(test, &avl_ops, avl_seed + 7, 2, 1500, 1, IDX_MAP);
	idx_random(test, &avl_ops, avl_seed + 8, 7, 3000, 1, IDX_PLAIN);
	idx_random(test, &avl_ops, avl_seed + 9, 7, 3000, 1, IDX_MAP);
}

static void avl_quick_cache_rules(struct kunit *test)
{
	idx_quick_cache_rules(test, &avl_ops);
}

static void avl_quick_cache_checker_catches_corruption(struct kunit *test)
{
	idx_quick_cache_checker(test, &avl_ops);
}

/* With the cache's parking decisions and LIFO reuse predicted exactly. */
static void avl_random_quick_cache_exact(struct kunit *test)
{
	idx_qc_random(test, &avl_ops, avl_seed + 10, 1024, 25000, 0, 64, false);
}

static void avl_random_quick_cache_default_map_min(struct kunit *test)
{
	idx_qc_random(test, &avl_ops, avl_seed + 11, 1024, 12500,
		      GOMEM_MAP_MIN_BLOCKS, 64, false);
}

/* Sizes 1..8 only, no alignment: deep classes, full budget. */
static void avl_random_quick_cache_small_sizes(struct kunit *test)
{
	idx_qc_random(test, &avl_ops, avl_seed + 12, 1024, 6250, 0, 64, true);
}

/* 5000 granules: an end map of three levels. */
static void avl_random_quick_cache_three_map_levels(struct kunit *test)
{
	idx_qc_random(test, &avl_ops, avl_seed + 13, 5000, 3125, 0, 256, false);
}

/* Checker and coverage after every op, on small and tiny regions. */
static void avl_random_quick_cache_exact_checked_every_step(struct kunit *test)
{
	idx_qc_random(test, &avl_ops, avl_seed + 14, 96, 1250, 0, 1, false);
	idx_qc_random(test, &avl_ops, avl_seed + 15, 300, 1250, 0, 1, false);
	idx_qc_random(test, &avl_ops, avl_seed + 16, 300, 1250, 0, 1, true);
	idx_qc_random(test, &avl_ops, avl_seed + 17, 1, 300, 0, 1, false);
	idx_qc_random(test, &avl_ops, avl_seed + 18, 7, 1250, 0, 1, false);
}

static int avl_suite_init(struct kunit_suite *suite)
{
	if (!avl_seed)
		avl_seed = get_random_u32() | 1;
	pr_info("gomem_avl: random seed %lu (module parameter avl_seed to repeat)\n",
		avl_seed);
	return 0;
}

static struct kunit_case avl_cases[] = {
	KUNIT_CASE_PARAM(avl_gomem_testallocator_sequence, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(avl_finds_small_hole_gomem_misses, idx_fixed_gen_params),
	KUNIT_CASE(avl_best_fit_lowest_address_on_ties),
	KUNIT_CASE_PARAM(avl_aligned_search_is_complete, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(avl_bad_free_refused_whole, idx_fixed_gen_params),
	KUNIT_CASE_PARAM(avl_checker_catches_corruption, idx_fixed_gen_params),
	KUNIT_CASE(avl_checker_catches_bad_end_map),
	KUNIT_CASE(avl_many_blocks_walk_in_order),
	KUNIT_CASE(avl_random_matches_bitmap),
	KUNIT_CASE_SLOW(avl_random_checked_every_step),
	KUNIT_CASE(avl_random_with_end_map_matches_bitmap),
	KUNIT_CASE_SLOW(avl_random_with_end_map_checked_every_step),
	KUNIT_CASE(avl_quick_cache_parks_and_absorbs),
	KUNIT_CASE(avl_random_with_quick_cache_matches_bitmap),
	KUNIT_CASE_SLOW(avl_random_with_quick_cache_checked_every_step),
	KUNIT_CASE(avl_random_tiny_regions),
	KUNIT_CASE(avl_quick_cache_rules),
	KUNIT_CASE(avl_quick_cache_checker_catches_corruption),
	KUNIT_CASE(avl_random_quick_cache_exact),
	KUNIT_CASE(avl_random_quick_cache_default_map_min),
	KUNIT_CASE(avl_random_quick_cache_small_sizes),
	KUNIT_CASE(avl_random_quick_cache_three_map_levels),
	KUNIT_CASE_SLOW(avl_random_quick_cache_exact_checked_every_step),
	{}
};

static struct kunit_suite avl_suite = {
	.name = "gomem_avl",
	.suite_init = avl_suite_init,
	.test_cases = avl_cases,
};

kunit_test_suite(avl_suite);
