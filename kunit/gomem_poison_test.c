// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_poison: gomem's poison mode (module parameter
 * ``poison``, gomem_init.h).  Free memory holds GOMEM_POISON_BYTE but for
 * the index nodes, whatever the frees, merges, parked blocks and aligned
 * allocations do to them; a write into freed memory is reported by the
 * checkers and when the memory is handed out again, counted in the
 * module's poison_bad, and the block is withheld, not reused.  The suite
 * turns the mode on for its own arenas, pools and buddies only (they are
 * created after it and destroyed before it ends).
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <gomem/gomem.h>
#include "../gomem_init.h"
#include "../gomem_kasan.h"
#include "../gomem_report.h"
#include "gomem_kunit.h"

static ulong poison_seed;
module_param(poison_seed, ulong, 0444);
MODULE_PARM_DESC(poison_seed, "seed of the gomem_poison random case (0: random)");

#define POISON_LIVE	64

struct poison_param {
	enum gomem_index index;
	bool quick;
	const char *name;
};

static const struct poison_param poison_params[] = {
	{ .index = GOMEM_INDEX_TREAP, .name = "treap" },
	{ .index = GOMEM_INDEX_AVL, .name = "avl" },
	{ .index = GOMEM_INDEX_TREAP, .quick = true, .name = "treap+qc" },
	{ .index = GOMEM_INDEX_AVL, .quick = true, .name = "avl+qc" },
};

static void poison_param_desc(const struct poison_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(poison_all, poison_params, poison_param_desc);

static int poison_suite_init(struct kunit_suite *suite)
{
	if (!poison_seed)
		poison_seed = get_random_u32() | 1;
	pr_info("gomem_poison: random seed %lu (module parameter poison_seed to repeat)\n",
		poison_seed);
	static_branch_enable(&gomem_poison);
	return 0;
}

static void poison_suite_exit(struct kunit_suite *suite)
{
	static_branch_disable(&gomem_poison);
}

/* A consumer's write into freed memory: past KASAN (gomem_kasan.h). */
static void poison_scribble(void *p, u8 c)
{
	gomem_meta_begin();
	*(u8 *)p = c;
	gomem_meta_end();
}

static struct gomem_arena *poison_arena(struct kunit *test,
					const struct poison_param *prm)
{
	struct gomem_arena *a = gomem_arena_create(SZ_64K, prm->index,
						   GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	if (gomem_arena_set_quick_cache(a, prm->quick) && prm->quick) {
		gomem_arena_destroy(a);
		kunit_skip(test, "no quick cache");
	}
	if (prm->quick)
		a->fi.map_min = 0;	/* park from the second free block on */
	return a;
}

/*
 * Random allocations (1 to 700 bytes, some 256-byte aligned) filled with
 * the user's bytes, freed whole or tail first in two pieces: with the quick
 * cache parking and flushing, blocks merging both ways, the nodes moving,
 * every free byte but the nodes must hold the pattern (the arena's check,
 * every 8 steps), and no allocation may find it overwritten.
 */
static void poison_random_workload_stays_clean(struct kunit *test)
{
	const struct poison_param *prm = test->param_value;
	struct gomem_arena *a = poison_arena(test, prm);
	long bad = gomem_stat_read(GOMEM_STAT_POISON_BAD);
	size_t sz[POISON_LIVE] = { };
	u8 *p[POISON_LIVE] = { };
	struct rnd_state rs;
	unsigned int step, i;

	prandom_seed_state(&rs, poison_seed);
	for (step = 0; step < 2000 * GOMEM_TEST_SCALE; step++) {
		i = prandom_u32_state(&rs) % POISON_LIVE;
		if (p[i]) {
			size_t h = sz[i] / 2;

			if (h && prandom_u32_state(&rs) % 2) {
				int tail = gomem_arena_free(a, p[i] + h,
							    sz[i] - h);

				KUNIT_ASSERT_EQ(test, tail, 0);
				KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p[i], h), 0);
			} else {
				KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p[i], sz[i]),
						0);
			}
			p[i] = NULL;
		} else {
			sz[i] = 1 + prandom_u32_state(&rs) % 700;
			p[i] = prandom_u32_state(&rs) % 8 ?
			       gomem_arena_alloc(a, sz[i]) :
			       gomem_arena_alloc_aligned(a, sz[i], 256);
			if (p[i])
				memset(p[i], 0x11, sz[i]);
		}
		if (step % 8 == 0)
			KUNIT_ASSERT_EQ_MSG(test, gomem_arena_check(a), 0,
					    "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, gomem_stat_read(GOMEM_STAT_POISON_BAD),
				    bad, "step %u: a false report", step);
	}
	for (i = 0; i < POISON_LIVE; i++)
		if (p[i])
			KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p[i], sz[i]), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POISON_BAD), bad);
	gomem_arena_destroy(a);
}

/*
 *   | A: 96 B, freed, byte 10 overwritten | B: 64 B | free ...
 *
 * The check finds the byte and counts it; with the pattern put back it
 * passes again.
 */
static void poison_check_finds_write_after_free(struct kunit *test)
{
	const struct poison_param *prm = test->param_value;
	struct gomem_arena *a = poison_arena(test, prm);
	long bad = gomem_stat_read(GOMEM_STAT_POISON_BAD);
	u8 *pa = gomem_arena_alloc(a, 96), *pb = gomem_arena_alloc(a, 64);

	KUNIT_ASSERT_TRUE(test, pa && pb);
	memset(pa, 0x11, 96);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, pa, 96), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	poison_scribble(pa + 10, 0x11);
	KUNIT_EXPECT_EQ(test, GOMEM_EXPECT_MISUSE(gomem_arena_check(a)),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POISON_BAD), bad + 1);
	poison_scribble(pa + 10, GOMEM_POISON_BYTE);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

/*
 *   | A: 96 B, freed, overwritten | B: 64 B | C ...
 *
 * An allocation that would get A finds the write, reports it, withholds
 * A and gets other memory; A stays allocated, never handed out.
 */
static void poison_alloc_withholds_overwritten_block(struct kunit *test)
{
	const struct poison_param *prm = test->param_value;
	struct gomem_arena *a = poison_arena(test, prm);
	long bad = gomem_stat_read(GOMEM_STAT_POISON_BAD);
	u8 *pa = gomem_arena_alloc(a, 96), *pb = gomem_arena_alloc(a, 64);
	u8 *pc;

	KUNIT_ASSERT_TRUE(test, pa && pb);
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, pa, 96), 0);
	poison_scribble(pa + 33, 0);
	pc = GOMEM_EXPECT_MISUSE(gomem_arena_alloc(a, 96));
	KUNIT_ASSERT_NOT_NULL(test, pc);
	KUNIT_EXPECT_PTR_NE(test, pc, pa);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POISON_BAD), bad + 1);
	/* A is withheld: allocated, so the check no longer sees it. */
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), SZ_64K - 2 * 96 - 64);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

/* Borrowed room is written while it stays free: none is lent. */
static void poison_find_lends_nothing(struct kunit *test)
{
	const struct poison_param *prm = test->param_value;
	struct gomem_arena *a = poison_arena(test, prm);

	KUNIT_EXPECT_NULL(test, gomem_arena_find(a, 64));
	KUNIT_EXPECT_NOT_NULL(test, gomem_arena_alloc(a, 64));
	gomem_arena_destroy(a);
}

/* A pool's free blocks: checked by gomem_pool_check(). */
static void poison_pool_check_finds_write_after_free(struct kunit *test)
{
	struct gomem_pool_params params = {
		.initial_size = SZ_64K,
		.max_arena_size = SZ_64K,
		.index = GOMEM_INDEX_TREAP,
		.percpu = GOMEM_PERCPU_ON,	/* poison mode turns it off */
	};
	struct gomem_pool *pool = gomem_pool_create("poison_test", &params);
	long bad = gomem_stat_read(GOMEM_STAT_POISON_BAD);
	u8 *p, *q;

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(pool));
	p = gomem_malloc(pool, 200, GFP_KERNEL);
	q = gomem_malloc(pool, 200, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, p && q);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, p, 200), 0);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	poison_scribble(p + 7, 0);
	KUNIT_EXPECT_NE(test, GOMEM_EXPECT_MISUSE(gomem_pool_check(pool)), 0);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POISON_BAD), bad + 1);
	poison_scribble(p + 7, GOMEM_POISON_BYTE);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, q, 200), 0);
	gomem_pool_destroy(pool);
}

/* A buddy block overwritten while free is withheld at the next alloc. */
static void poison_buddy_withholds_overwritten_block(struct kunit *test)
{
	struct gomem_buddy *b = gomem_buddy_create(SZ_64K, SZ_1K, GFP_KERNEL);
	long bad = gomem_stat_read(GOMEM_STAT_POISON_BAD);
	u8 *p, *q;

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	p = gomem_buddy_alloc(b, 1500);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x11, 2048);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, p), 0);
	q = gomem_buddy_alloc(b, 1500);
	KUNIT_EXPECT_PTR_EQ(test, q, p);	/* the same block, clean */
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, q), 0);
	poison_scribble(p + 2047, 0);
	q = GOMEM_EXPECT_MISUSE(gomem_buddy_alloc(b, 1500));
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_POISON_BAD), bad + 1);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), SZ_64K - 4 * SZ_1K);
	gomem_buddy_destroy(b);
}

static struct kunit_case poison_cases[] = {
	KUNIT_CASE_PARAM(poison_random_workload_stays_clean,
			 poison_all_gen_params),
	KUNIT_CASE_PARAM(poison_check_finds_write_after_free,
			 poison_all_gen_params),
	KUNIT_CASE_PARAM(poison_alloc_withholds_overwritten_block,
			 poison_all_gen_params),
	KUNIT_CASE_PARAM(poison_find_lends_nothing, poison_all_gen_params),
	KUNIT_CASE(poison_pool_check_finds_write_after_free),
	KUNIT_CASE(poison_buddy_withholds_overwritten_block),
	{}
};

static struct kunit_suite poison_suite = {
	.name = "gomem_poison",
	.suite_init = poison_suite_init,
	.suite_exit = poison_suite_exit,
	.test_cases = poison_cases,
};

kunit_test_suite(poison_suite);
