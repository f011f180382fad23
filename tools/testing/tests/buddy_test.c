// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of gomem_buddy.c: fixed cases, bad input, and a long
 * random run checked step by step against a reference model (one owner
 * byte per unit), under ASan and UBSan.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <gomem/buddy.h>
#include <string.h>
#include "harness.h"

#define UNIT 1024u

static unsigned long rng;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * A region of 8 units:
 *   [0 1 2 3 4 5 6 7]
 * alloc 1 unit -> unit 0; alloc 2 units -> units 2-3; alloc 4 -> 4-7;
 * alloc 1 -> unit 1; then full.  Frees coalesce back to one block of 8.
 */
static void test_fixed(void)
{
	static char region[8 * UNIT] __aligned(UNIT);
	struct gomem_buddy *b = gomem_buddy_create_on(region, sizeof(region),
						      UNIT, GFP_KERNEL);
	char *a, *c, *d, *e;

	EXPECT(!IS_ERR(b), "create");
	EXPECT_EQ(gomem_buddy_largest_free(b), 8 * UNIT);
	a = gomem_buddy_alloc(b, 1);
	c = gomem_buddy_alloc(b, 2 * UNIT);
	d = gomem_buddy_alloc(b, 3 * UNIT + 1);
	e = gomem_buddy_alloc(b, UNIT);
	EXPECT(a == region, "a at %td", a - region);
	EXPECT(c == region + 2 * UNIT, "c at %td", c - region);
	EXPECT(d == region + 4 * UNIT, "d at %td", d - region);
	EXPECT(e == region + UNIT, "e at %td", e - region);
	EXPECT_EQ(gomem_buddy_free_bytes(b), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), 0);
	EXPECT(!gomem_buddy_alloc(b, 1), "full");
	EXPECT_EQ(gomem_buddy_block_size(b, d), 4 * UNIT);
	EXPECT_EQ(gomem_buddy_block_size(b, d + UNIT), 0);
	EXPECT_EQ(gomem_buddy_check(b), 0);

	EXPECT_EQ(gomem_buddy_free(b, a), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), UNIT);
	EXPECT_EQ(gomem_buddy_free(b, e), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), 2 * UNIT);
	EXPECT_EQ(gomem_buddy_free(b, c), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), 4 * UNIT);
	EXPECT_EQ(gomem_buddy_free(b, d), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), 8 * UNIT);
	EXPECT_EQ(gomem_buddy_nr_allocated(b), 0);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * Best fit between siblings: unit 0 is taken, so the left half offers at
 * most an order-1 block (units 2-3) while the right half is one free
 * order-2 block.  A 2-unit request takes the tighter left hole and leaves
 * the order-2 block whole for a later 4-unit request.
 *   [A . y y | z z z z]
 */
static void test_best_fit(void)
{
	static char region[8 * UNIT] __aligned(UNIT);
	struct gomem_buddy *b = gomem_buddy_create_on(region, sizeof(region),
						      UNIT, GFP_KERNEL);
	char *x, *y, *z;

	x = gomem_buddy_alloc(b, UNIT);
	y = gomem_buddy_alloc(b, 2 * UNIT);
	EXPECT(y == region + 2 * UNIT, "y at %td", y - region);
	z = gomem_buddy_alloc(b, 4 * UNIT);
	EXPECT(z == region + 4 * UNIT, "z at %td", z - region);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_free(b, x);
	gomem_buddy_free(b, y);
	gomem_buddy_free(b, z);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * A region of 5 units is not a power of two: the tree covers 8 and units
 * 5-7 are never handed out.
 *   [0 1 2 3 4 | x x x]
 */
static void test_odd_size(void)
{
	static char region[5 * UNIT + 100] __aligned(UNIT);
	struct gomem_buddy *b = gomem_buddy_create_on(region, sizeof(region),
						      UNIT, GFP_KERNEL);
	char *p[5];
	int i;

	EXPECT_EQ(gomem_buddy_size(b), 5 * UNIT);
	EXPECT_EQ(gomem_buddy_free_bytes(b), 5 * UNIT);
	EXPECT_EQ(gomem_buddy_largest_free(b), 4 * UNIT);
	EXPECT(!gomem_buddy_alloc(b, 5 * UNIT), "5 units cannot fit");
	EXPECT(!gomem_buddy_alloc(b, 8 * UNIT), "8 units cannot fit");
	for (i = 0; i < 5; i++) {
		p[i] = gomem_buddy_alloc(b, UNIT);
		EXPECT(p[i] && p[i] < region + 5 * UNIT, "unit %d", i);
	}
	EXPECT(!gomem_buddy_alloc(b, 1), "full");
	EXPECT_EQ(gomem_buddy_check(b), 0);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(gomem_buddy_free(b, p[i]), 0);
	EXPECT_EQ(gomem_buddy_largest_free(b), 4 * UNIT);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

static void test_bad_input(void)
{
	static char region[16 * UNIT] __aligned(UNIT);
	static char other[UNIT];
	struct gomem_buddy *b = gomem_buddy_create_on(region, sizeof(region),
						      UNIT, GFP_KERNEL);
	unsigned long warns = gomem_shim_warnings;
	char *p, *q;

	EXPECT(IS_ERR(gomem_buddy_create_on(region, sizeof(region), 1000,
					    GFP_KERNEL)), "unit not 2^n");
	EXPECT(IS_ERR(gomem_buddy_create_on(region + 1, sizeof(region) - 1,
					    UNIT, GFP_KERNEL)), "misaligned");
	EXPECT(IS_ERR(gomem_buddy_create_on(region, UNIT - 1, UNIT,
					    GFP_KERNEL)), "under a unit");
	EXPECT(IS_ERR(gomem_buddy_create_on(region, sizeof(region), 8,
					    GFP_KERNEL)), "unit too small");

	p = gomem_buddy_alloc(b, 4 * UNIT);
	q = gomem_buddy_alloc(b, UNIT);
	EXPECT(!gomem_buddy_alloc(b, 0), "size 0");
	EXPECT(!gomem_buddy_alloc(b, (size_t)-1), "absurd size");
	EXPECT_EQ(gomem_buddy_free(b, other), -EINVAL);		/* foreign */
	EXPECT_EQ(gomem_buddy_free(b, p + UNIT), -EINVAL);	/* interior */
	EXPECT_EQ(gomem_buddy_free(b, p + 1), -EINVAL);		/* misaligned */
	EXPECT_EQ(gomem_buddy_free(b, region + 16 * UNIT), -EINVAL); /* end */
	EXPECT_EQ(gomem_buddy_free(b, NULL), -EINVAL);
	EXPECT_EQ(gomem_buddy_free(b, q), 0);
	EXPECT_EQ(gomem_buddy_free(b, q), -EINVAL);		/* double */
	EXPECT_EQ(gomem_buddy_bad_input(b), 7);
	EXPECT_EQ(gomem_shim_warnings - warns, 7);
	EXPECT_EQ(gomem_buddy_nr_allocated(b), 1);
	EXPECT_EQ(gomem_buddy_free_bytes(b), 12 * UNIT);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	EXPECT_EQ(gomem_buddy_free(b, p), 0);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
}

/*
 * The checker must notice damage: each kind of corruption is made by hand
 * in the metadata, checked for, and undone.
 */
static void test_check_catches(void)
{
	struct gomem_buddy *b = gomem_buddy_create(64 * UNIT, 0, GFP_KERNEL);
	unsigned long unit;
	char *p, *q;
	u8 save;

	EXPECT(!IS_ERR(b), "create");
	EXPECT_EQ(gomem_buddy_unit(b), GOMEM_BUDDY_DEFAULT_UNIT);
	p = gomem_buddy_alloc(b, 3 * UNIT);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	EXPECT_EQ(gomem_buddy_block_size(b, p), 4 * UNIT);

	unit = (p - (char *)b->base) / UNIT;
	save = b->state[unit + 1];
	b->state[unit + 1] = GOMEM_BUDDY_USED;	/* a block inside a block */
	EXPECT_EQ(gomem_buddy_check(b), -EUCLEAN);
	b->state[unit + 1] = save;

	save = b->state[unit + 4];		/* free buddy of order 2 */
	b->state[unit + 4] = GOMEM_BUDDY_USED | 2; /* leaks it from its list */
	EXPECT_EQ(gomem_buddy_check(b), -EUCLEAN);
	b->state[unit + 4] = save;

	b->avail ^= 1;				/* list bit out of step */
	EXPECT_EQ(gomem_buddy_check(b), -EUCLEAN);
	b->avail ^= 1;

	b->free_bytes += UNIT;			/* count off by a unit */
	EXPECT_EQ(gomem_buddy_check(b), -EUCLEAN);
	b->free_bytes -= UNIT;
	EXPECT_EQ(gomem_buddy_check(b), 0);

	/* Two free buddies of one order that did not merge. */
	EXPECT_EQ(gomem_buddy_free(b, p), 0);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	p = gomem_buddy_alloc(b, UNIT);
	q = gomem_buddy_alloc(b, UNIT);
	EXPECT(q == p + UNIT, "q follows p");
	unit = (p - (char *)b->base) / UNIT;
	b->state[unit + 1] = 0;			/* forget q ... */
	b->nr_allocated--;
	b->free_bytes += UNIT;
	b->next[unit + 1] = b->head[0];		/* ... as an unmerged free unit */
	b->prev[unit + 1] = U32_MAX;
	b->head[0] = unit + 1;
	b->state[unit + 1] = GOMEM_BUDDY_FREE;
	b->avail |= 1;
	EXPECT_EQ(gomem_buddy_check(b), 0);	/* p is live: q may stay */
	b->state[unit] = 0;			/* forget p the same way */
	b->nr_allocated--;
	b->free_bytes += UNIT;
	b->prev[b->head[0]] = unit;
	b->next[unit] = b->head[0];
	b->prev[unit] = U32_MAX;
	b->head[0] = unit;
	b->state[unit] = GOMEM_BUDDY_FREE;
	EXPECT_EQ(gomem_buddy_check(b), -EUCLEAN); /* p and q unmerged */
	gomem_buddy_destroy(b);
}

/* Reference model: owner[u] = block id + 1, 0 if free. */
struct model {
	unsigned long nr;
	unsigned int *owner;
};

/* Largest k such that some 2^k-aligned run of 2^k units is all free. */
static int model_largest_order(const struct model *m)
{
	int k, best = -1;

	for (k = 0; (1UL << k) <= m->nr; k++) {
		unsigned long n = 1UL << k, u, j;

		for (u = 0; u + n <= m->nr; u += n) {
			for (j = u; j < u + n && !m->owner[j]; j++)
				;
			if (j == u + n) {
				best = k;
				break;
			}
		}
	}
	return best;
}

static void test_random_vs_model(unsigned long nr_units, unsigned long steps)
{
	size_t size = nr_units * UNIT;
	struct gomem_buddy *b = gomem_buddy_create(size, UNIT, GFP_KERNEL);
	struct model m = { nr_units, calloc(nr_units, sizeof(unsigned int)) };
	char **live = calloc(nr_units, sizeof(char *));
	size_t *lsz = calloc(nr_units, sizeof(size_t));
	unsigned long nlive = 0, s, fails = 0, model_free = nr_units;
	char *base = gomem_buddy_base(b);
	unsigned long bad = 0;

	for (s = 0; s < steps; s++) {
		if (nlive && (rnd() % 100 < 45 || nlive == nr_units)) {
			unsigned long i = rnd() % nlive, u, j;
			unsigned long n = lsz[i] / UNIT;

			u = (live[i] - base) / UNIT;
			for (j = u; j < u + n; j++) {
				if (m.owner[j] != u + 1)
					bad++;
				m.owner[j] = 0;
			}
			/* Pattern check: the block kept its bytes. */
			if (live[i][0] != (char)u || live[i][lsz[i] - 1] != (char)u)
				bad++;
			if (gomem_buddy_free(b, live[i]))
				bad++;
			model_free += n;
			live[i] = live[--nlive];
			lsz[i] = lsz[nlive];
		} else {
			size_t want = 1 + rnd() % (rnd() % 4 ? 4 * UNIT :
						  nr_units * UNIT / 2);
			unsigned long k = 0, n, u, j;
			char *p;

			while ((1UL << k) * UNIT < want)
				k++;
			n = 1UL << k;
			p = gomem_buddy_alloc(b, want);
			if (!p) {
				/* Complete: fails only if no aligned run fits. */
				if (model_largest_order(&m) >= (long)k)
					bad++;
				fails++;
				continue;
			}
			u = (p - base) / UNIT;
			if ((p - base) % UNIT || u % n || u + n > nr_units) {
				bad++;
				continue;
			}
			for (j = u; j < u + n; j++) {
				if (m.owner[j])
					bad++;
				m.owner[j] = u + 1;
			}
			p[0] = (char)u;
			p[n * UNIT - 1] = (char)u;
			model_free -= n;
			live[nlive] = p;
			lsz[nlive++] = n * UNIT;
		}
		if (gomem_buddy_free_bytes(b) != model_free * UNIT)
			bad++;
		if (s % 64 == 0) {
			int lo = model_largest_order(&m);
			size_t lf = lo < 0 ? 0 : (1UL << lo) * UNIT;

			if (gomem_buddy_largest_free(b) != lf)
				bad++;
			if (gomem_buddy_check(b))
				bad++;
		}
	}
	EXPECT(bad == 0, "%lu mismatches against the model (%lu units)", bad,
	       nr_units);
	EXPECT(fails > 0, "the run reached a full state at least once");
	while (nlive)
		EXPECT_EQ(gomem_buddy_free(b, live[--nlive]), 0);
	memset(m.owner, 0, nr_units * sizeof(unsigned int));
	EXPECT_EQ(gomem_buddy_free_bytes(b), size);
	EXPECT_EQ(gomem_buddy_nr_allocated(b), 0);
	/* Everything coalesced back: the largest aligned power of two. */
	EXPECT_EQ(gomem_buddy_largest_free(b),
		  (1UL << model_largest_order(&m)) * UNIT);
	EXPECT_EQ(gomem_buddy_check(b), 0);
	gomem_buddy_destroy(b);
	free(m.owner);
	free(live);
	free(lsz);
}

int main(void)
{
	rng = harness_seed() | 1;
	test_fixed();
	test_best_fit();
	test_odd_size();
	test_bad_input();
	test_check_catches();
	test_random_vs_model(64, 20000);
	test_random_vs_model(100, 20000);
	test_random_vs_model(1000, 20000);
	return harness_done("buddy_test");
}
