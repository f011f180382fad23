// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_buddy: the buddy allocator's layout, tail handling,
 * bad input, checker, and a random run against a reference model.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <gomem/buddy.h>
#include "gomem_buddy_model.h"
#include "gomem_kunit.h"
#include "../gomem_report.h"

#define UNIT	1024UL
/* A call that is a caller bug on purpose (warning silenced, see kunit.h). */
#define bad_call(expr)	GOMEM_EXPECT_MISUSE(expr)

static u32 buddy_seed;

static int gomem_buddy_suite_init(struct kunit_suite *suite)
{
	while (!buddy_seed)
		buddy_seed = get_random_u32();
	pr_info("gomem_buddy: random seed %u\n", buddy_seed);
	return 0;
}

static struct gomem_buddy *make_buddy(struct kunit *test, size_t units)
{
	struct gomem_buddy *b = gomem_buddy_create(units * UNIT, UNIT,
						   GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	return b;
}

static long unit_of(struct gomem_buddy *b, void *p)
{
	return ((char *)p - (char *)gomem_buddy_base(b)) / (long)UNIT;
}

/*
 * A region of 8 units:
 *   [a e c c | d d d d]
 * 1 unit, 2 units, 4 units, 1 unit land lowest first, the region is then
 * full, and the frees coalesce back to one block of 8.
 */
static void buddy_places_blocks_lowest_first(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 8);
	void *a, *c, *d, *e;

	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 8 * UNIT);
	a = gomem_buddy_alloc(b, 1);
	c = gomem_buddy_alloc(b, 2 * UNIT);
	d = gomem_buddy_alloc(b, 3 * UNIT + 1);
	e = gomem_buddy_alloc(b, UNIT);
	KUNIT_EXPECT_EQ(test, unit_of(b, a), 0);
	KUNIT_EXPECT_EQ(test, unit_of(b, c), 2);
	KUNIT_EXPECT_EQ(test, unit_of(b, d), 4);
	KUNIT_EXPECT_EQ(test, unit_of(b, e), 1);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 0);
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, 1));
	KUNIT_EXPECT_EQ(test, gomem_buddy_block_size(b, d), 4 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_block_size(b, d + UNIT), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);

	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, a), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, e), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 2 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, c), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, d), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 8 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_nr_allocated(b), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * A region of 5 units is tiled as [0 1 2 3 | 4]: a 4-unit block and a
 * 1-unit block; nothing larger than 4 units fits, nothing past unit 4 is
 * ever handed out.
 */
static void buddy_odd_size_never_uses_the_tail(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 5);
	void *p[5];
	int i;

	KUNIT_EXPECT_EQ(test, gomem_buddy_size(b), 5 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 4 * UNIT);
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, 5 * UNIT));
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, 8 * UNIT));
	for (i = 0; i < 5; i++) {
		p[i] = gomem_buddy_alloc(b, UNIT);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_LT(test, unit_of(b, p[i]), 5);
	}
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, 1));
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, p[i]), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), 5 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b), 4 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * Best fit between siblings: unit 0 is taken, so the left half offers at
 * most an order-1 block (units 2-3) while the right half is one free
 * order-2 block.  A 2-unit request takes the tighter left hole and leaves
 * the order-2 block whole for a later 4-unit request.
 *   [x . y y | z z z z]
 */
static void buddy_best_fit_between_siblings(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 8);
	void *x, *y, *z;

	x = gomem_buddy_alloc(b, UNIT);
	y = gomem_buddy_alloc(b, 2 * UNIT);
	z = gomem_buddy_alloc(b, 4 * UNIT);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_EQ(test, unit_of(b, x), 0);
	KUNIT_EXPECT_EQ(test, unit_of(b, y), 2);
	KUNIT_EXPECT_EQ(test, unit_of(b, z), 4);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, x), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, y), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, z), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * On the caller's memory: a unit that is no power of two or under the
 * minimum, a misaligned region and one under a unit are refused; a free
 * of the region's end or of NULL is a counted caller bug.
 */
static void buddy_create_on_refuses_bad_regions(struct kunit *test)
{
	char *region = kunit_kmalloc(test, 16 * UNIT, GFP_KERNEL);
	long before = gomem_stat_read(GOMEM_STAT_BUDDY_BAD_INPUT);
	struct gomem_buddy *b;

	KUNIT_ASSERT_NOT_NULL(test, region);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED((unsigned long)region, UNIT));
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create_on(region, 16 * UNIT,
							     1000, GFP_KERNEL)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create_on(region + 1,
							     16 * UNIT - 1,
							     UNIT, GFP_KERNEL)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create_on(region, UNIT - 1,
							     UNIT, GFP_KERNEL)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create_on(region, 16 * UNIT,
							     8, GFP_KERNEL)));
	b = gomem_buddy_create_on(region, 16 * UNIT, UNIT, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_PTR_EQ(test, gomem_buddy_base(b), (void *)region);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_buddy_free(b, region + 16 * UNIT)),
			-EINVAL);	/* the end */
	KUNIT_EXPECT_EQ(test, bad_call(gomem_buddy_free(b, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_buddy_bad_input(b), 2);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_BUDDY_BAD_INPUT) - before,
			2);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), 16 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * The checker sees two free buddies of one order that did not merge:
 * units p and q = p + 1 are forgotten by hand and put on the order-0
 * list; one alone is legal (its buddy is live), both are not.
 */
static void buddy_check_catches_unmerged_buddies(struct kunit *test)
{
	struct gomem_buddy *b = gomem_buddy_create(64 * UNIT, 0, GFP_KERNEL);
	char *p, *q;
	long u;

	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, gomem_buddy_unit(b), GOMEM_BUDDY_DEFAULT_UNIT);
	KUNIT_ASSERT_EQ(test, gomem_buddy_unit(b), UNIT);
	p = gomem_buddy_alloc(b, UNIT);
	q = gomem_buddy_alloc(b, UNIT);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_PTR_EQ(test, (void *)q, (void *)(p + UNIT));
	u = unit_of(b, p);
	b->state[u + 1] = 0;			/* forget q ... */
	b->nr_allocated--;
	b->free_bytes += UNIT;
	b->next[u + 1] = b->head[0];		/* ... as an unmerged free unit */
	b->prev[u + 1] = U32_MAX;
	b->head[0] = u + 1;
	b->state[u + 1] = GOMEM_BUDDY_FREE;
	b->avail |= 1;
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);	/* p is live */
	b->state[u] = 0;			/* forget p the same way */
	b->nr_allocated--;
	b->free_bytes += UNIT;
	b->prev[b->head[0]] = u;
	b->next[u] = b->head[0];
	b->prev[u] = U32_MAX;
	b->head[0] = u;
	b->state[u] = GOMEM_BUDDY_FREE;
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), -EUCLEAN);
	gomem_buddy_destroy(b);
}

/*
 * Each bad input is refused with its error, counted in the buddy and in
 * the module's buddy_bad_input stat, and leaves the state consistent.
 */
static void buddy_refuses_bad_input(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 16);
	long before = gomem_stat_read(GOMEM_STAT_BUDDY_BAD_INPUT);
	char *other = kmalloc(UNIT, GFP_KERNEL);
	char *p, *q;

	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create(16 * UNIT, 1000,
							  GFP_KERNEL)));
	KUNIT_EXPECT_TRUE(test, IS_ERR(gomem_buddy_create(16 * UNIT, 8,
							  GFP_KERNEL)));
	p = gomem_buddy_alloc(b, 4 * UNIT);
	q = gomem_buddy_alloc(b, UNIT);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);

	KUNIT_EXPECT_NULL(test, bad_call(gomem_buddy_alloc(b, 0)));
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, SIZE_MAX));
	KUNIT_EXPECT_EQ(test, bad_call(gomem_buddy_free(b, other)),
			-EINVAL);	/* foreign */
	KUNIT_EXPECT_EQ(test,
			bad_call(gomem_buddy_free(b, p + UNIT)),
			-EINVAL);	/* inside a block */
	KUNIT_EXPECT_EQ(test, bad_call(gomem_buddy_free(b, p + 1)),
			-EINVAL);	/* misaligned */
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, q), 0);
	KUNIT_EXPECT_EQ(test, bad_call(gomem_buddy_free(b, q)),
			-EINVAL);	/* double free */

	KUNIT_EXPECT_EQ(test, gomem_buddy_bad_input(b), 5);
	KUNIT_EXPECT_EQ(test, gomem_stat_read(GOMEM_STAT_BUDDY_BAD_INPUT) - before,
			5);
	KUNIT_EXPECT_EQ(test, gomem_buddy_nr_allocated(b), 1);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), 12 * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, p), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	kfree(other);
	gomem_buddy_destroy(b);
}

/* The checker is not a rubber stamp: each hand-made corruption is caught. */
static void buddy_check_detects_corruption(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 64);
	char *p = gomem_buddy_alloc(b, 3 * UNIT);
	long u = unit_of(b, p);
	u8 save;

	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	save = b->state[u + 1];
	b->state[u + 1] = GOMEM_BUDDY_USED;		/* block in a block */
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), -EUCLEAN);
	b->state[u + 1] = save;
	save = b->state[u + 4];
	b->state[u + 4] = GOMEM_BUDDY_USED | 2;		/* lost free block */
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), -EUCLEAN);
	b->state[u + 4] = save;
	b->avail ^= 1UL << 3;				/* list bit wrong */
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), -EUCLEAN);
	b->avail ^= 1UL << 3;
	b->free_bytes -= UNIT;				/* count wrong */
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), -EUCLEAN);
	b->free_bytes += UNIT;
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, p), 0);
	gomem_buddy_destroy(b);
}

/*
 * Freed blocks are parked unmerged, yet the buddy stays complete: after
 * filling a region with 1-unit blocks and freeing them all, a request for
 * the whole region succeeds.
 */
static void buddy_parked_blocks_do_not_cost_completeness(struct kunit *test)
{
	struct gomem_buddy *b = make_buddy(test, 32);
	void *p[32], *whole;
	int i;

	for (i = 0; i < 32; i++)
		p[i] = gomem_buddy_alloc(b, UNIT);
	KUNIT_EXPECT_NULL(test, gomem_buddy_alloc(b, 1));
	for (i = 0; i < 32; i += 2)
		gomem_buddy_free(b, p[i]);
	for (i = 1; i < 32; i += 2)
		gomem_buddy_free(b, p[i]);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	whole = gomem_buddy_alloc(b, 32 * UNIT);
	KUNIT_EXPECT_PTR_EQ(test, whole, gomem_buddy_base(b));
	KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, whole), 0);
	/* An alloc+free pair reuses the parked block: same address. */
	p[0] = gomem_buddy_alloc(b, UNIT);
	gomem_buddy_free(b, p[0]);
	KUNIT_EXPECT_PTR_EQ(test, gomem_buddy_alloc(b, UNIT), p[0]);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

struct buddy_model_case {
	const char *name;
	unsigned long units;
	unsigned long steps;
};

static const struct buddy_model_case buddy_model_cases[] = {
	{ .name = "64 units", .units = 64, .steps = 4000 },
	{ .name = "100 units", .units = 100, .steps = 4000 },
	{ .name = "1000 units", .units = 1000, .steps = 4000 },
};

static void model_case_desc(const struct buddy_model_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(buddy_model, buddy_model_cases, model_case_desc);

/*
 * Random allocs and frees checked at every step against a model with one
 * owner per unit: blocks are aligned, inside the region and disjoint, keep
 * their contents, free bytes agree, an alloc fails only when no aligned
 * free run fits, and the largest free block is exact.
 */
static void buddy_random_matches_model(struct kunit *test)
{
	const struct buddy_model_case *mc = test->param_value;
	unsigned long nr = mc->units, nlive = 0, s, fails = 0, mfree = nr;
	struct gomem_buddy *b = make_buddy(test, nr);
	u32 *owner = kunit_kcalloc(test, nr, sizeof(u32), GFP_KERNEL);
	char **live = kunit_kcalloc(test, nr, sizeof(char *), GFP_KERNEL);
	unsigned long *lun = kunit_kcalloc(test, nr, sizeof(long), GFP_KERNEL);
	char *base = gomem_buddy_base(b);
	struct rnd_state rs;

	KUNIT_ASSERT_NOT_NULL(test, owner);
	KUNIT_ASSERT_NOT_NULL(test, live);
	KUNIT_ASSERT_NOT_NULL(test, lun);
	prandom_seed_state(&rs, buddy_seed + nr);
	for (s = 0; s < mc->steps * GOMEM_TEST_SCALE; s++) {
		if (nlive && (prandom_u32_state(&rs) % 100 < 45 || nlive == nr)) {
			unsigned long i = prandom_u32_state(&rs) % nlive;
			unsigned long u = unit_of(b, live[i]), n = lun[i];

			KUNIT_ASSERT_TRUE_MSG(test,
					      gomem_buddy_model_give(owner, nr, u, n),
					      "step %lu: units %lu+%lu not the block's",
					      s, u, n);
			KUNIT_ASSERT_EQ(test, live[i][0], (char)u);
			KUNIT_ASSERT_EQ(test, live[i][n * UNIT - 1], (char)u);
			KUNIT_ASSERT_EQ(test, gomem_buddy_free(b, live[i]), 0);
			mfree += n;
			live[i] = live[--nlive];
			lun[i] = lun[nlive];
		} else {
			u32 r = prandom_u32_state(&rs);
			size_t want = 1 + prandom_u32_state(&rs) %
				      (r % 4 ? 4 * UNIT : nr * UNIT / 2);
			unsigned long k = order_base_2(DIV_ROUND_UP(want, UNIT));
			unsigned long n = 1UL << k, u;
			char *p = gomem_buddy_alloc(b, want);

			if (!p) {
				KUNIT_ASSERT_LT(test,
						gomem_buddy_model_largest_order(owner, nr),
						(int)k);
				fails++;
				continue;
			}
			u = unit_of(b, p);
			KUNIT_ASSERT_EQ(test, (p - base) % UNIT, 0);
			KUNIT_ASSERT_EQ(test, u % n, 0);
			KUNIT_ASSERT_LE(test, u + n, nr);
			KUNIT_ASSERT_TRUE_MSG(test,
					      gomem_buddy_model_take(owner, nr, u, n),
					      "step %lu: units %lu+%lu not free", s, u, n);
			p[0] = (char)u;
			p[n * UNIT - 1] = (char)u;
			mfree -= n;
			live[nlive] = p;
			lun[nlive++] = n;
		}
		KUNIT_ASSERT_EQ(test, gomem_buddy_free_bytes(b), mfree * UNIT);
		if (s % 64 == 0) {
			int lo = gomem_buddy_model_largest_order(owner, nr);

			KUNIT_ASSERT_EQ(test, gomem_buddy_largest_free(b),
					lo < 0 ? 0 : (1UL << lo) * UNIT);
			KUNIT_ASSERT_EQ(test, gomem_buddy_check(b), 0);
		}
	}
	KUNIT_EXPECT_GT(test, fails, 0);
	while (nlive)
		KUNIT_EXPECT_EQ(test, gomem_buddy_free(b, live[--nlive]), 0);
	KUNIT_EXPECT_EQ(test, gomem_buddy_free_bytes(b), nr * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_largest_free(b),
			rounddown_pow_of_two(nr) * UNIT);
	KUNIT_EXPECT_EQ(test, gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

static struct kunit_case gomem_buddy_cases[] = {
	KUNIT_CASE(buddy_places_blocks_lowest_first),
	KUNIT_CASE(buddy_best_fit_between_siblings),
	KUNIT_CASE(buddy_odd_size_never_uses_the_tail),
	KUNIT_CASE(buddy_create_on_refuses_bad_regions),
	KUNIT_CASE(buddy_refuses_bad_input),
	KUNIT_CASE(buddy_check_detects_corruption),
	KUNIT_CASE(buddy_check_catches_unmerged_buddies),
	KUNIT_CASE(buddy_parked_blocks_do_not_cost_completeness),
	KUNIT_CASE_PARAM(buddy_random_matches_model, buddy_model_gen_params),
	{}
};

static struct kunit_suite gomem_buddy_suite = {
	.name = "gomem_buddy",
	.suite_init = gomem_buddy_suite_init,
	.test_cases = gomem_buddy_cases,
};

kunit_test_suite(gomem_buddy_suite);
