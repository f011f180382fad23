// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the gomem_treap, gomem_avl and gomem_arena suites: a randomised
 * differential run of a range allocator against the granule bitmap model
 * (gomem_range_model.c), which predicts every placement exactly (first fit
 * or best fit, alignment included; with a quick cache in front, placement
 * is checked to be free, aligned, and refused only when no run fits), with
 * byte-granular partial frees, find() rooms written in full, and bad frees
 * that must be refused without a change; and the fixed cases both indexes
 * run through their struct idx_ops.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/string.h>
#include <gomem/gomem.h>
#include "../gomem_qcache.h"
#include "../gomem_report.h"
#include "gomem_kunit.h"
#include "gomem_range_kunit.h"
#include "gomem_range_model.h"

/* See gomem_range_kunit.h. */
void range_quiet(bool on)
{
	WRITE_ONCE(gomem_quiet_caller_bugs, on);
}

static bool range_ok(struct kunit *test)
{
	return READ_ONCE(test->status) == KUNIT_SUCCESS;
}

struct range_run {
	struct kunit *test;
	const struct range_ops *o;
	void *ctx;
	char *base;
	u32 nr;			/* granules */
	u8 *map;		/* 1: allocated */
	struct { size_t bs, be; } *pieces;	/* live byte ranges */
	u32 nr_pieces, max_pieces;
	u64 rng;
	unsigned long op;
};

/* xorshift64*: a number below @below (0 for 0), from the run's state. */
static u32 rnd_below(u64 *rng, u32 below)
{
	*rng ^= *rng >> 12;
	*rng ^= *rng << 25;
	*rng ^= *rng >> 27;
	return below ? (u32)((*rng * 0x2545f4914f6cdd1dull >> 32) % below) : 0;
}

static u32 range_rnd(struct range_run *r, u32 below)
{
	return rnd_below(&r->rng, below);
}

/* Where the model places @n granules at @align granules; counts blocks. */
static s64 range_model_fit(struct range_run *r, u32 n, u32 align, u32 *blocks)
{
	return gomem_model_fit(r->map, r->nr, r->base, r->o->best_fit, n, align,
			       blocks, NULL);
}

static u32 range_model_free(struct range_run *r)
{
	return gomem_model_free(r->map, r->nr);
}

static bool range_free_bytes(struct range_run *r, size_t bs, size_t be)
{
	struct kunit *test = r->test;
	u32 s, n, i;

	gomem_free_range_to_granules(bs, be - bs, &s, &n);
	gomem_test_unpoison(r->base + (size_t)s * GOMEM_GRANULE,
			    (size_t)n * GOMEM_GRANULE);
	KUNIT_EXPECT_EQ_MSG(test, r->o->free(r->ctx, bs, be - bs), 0,
			    "op %lu: free [%zu,%zu)", r->op, bs, be);
	for (i = s; i < s + n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, r->map[i], 1,
				    "op %lu: model granule %u", r->op, i);
		r->map[i] = 0;
	}
	return range_ok(test);
}

/*
 * With a quick cache the model cannot predict placement; what must hold:
 * the allocator fails only where no run fits (@want < 0), and what it
 * gives, [@got, @got + @n) granules, is free and aligned to @align.
 */
static bool range_fit_ok(struct range_run *r, s64 got, s64 want, u32 n,
			 u32 align)
{
	u32 i;

	if (got < 0 || want < 0)
		return got < 0 && want < 0;
	if (got + n > r->nr || gomem_align_start(r->base, got, align) != got)
		return false;
	for (i = got; i < got + n; i++)
		if (r->map[i])
			return false;
	return true;
}

/* One random step; false once a check failed. */
static bool range_step(struct range_run *r)
{
	struct kunit *test = r->test;
	const struct range_ops *o = r->o;
	u32 k = range_rnd(r, 100);

	if (k < 40 && r->nr_pieces < r->max_pieces) {
		u32 n = range_rnd(r, 8) ? 1 + range_rnd(r, 12) :
					  1 + range_rnd(r, r->nr / 4);
		u32 ag = range_rnd(r, 5) ? 1 : 1u << range_rnd(r, 5);
		size_t bytes = (size_t)n * GOMEM_GRANULE -
			       range_rnd(r, GOMEM_GRANULE);
		s64 want = range_model_fit(r, n, ag, NULL);
		s64 got = o->alloc(r->ctx, bytes,
				   (size_t)ag * GOMEM_GRANULE);
		u32 i;

		if (o->any_fit) {
			s64 g = got < 0 ? got : got / GOMEM_GRANULE;

			KUNIT_EXPECT_TRUE_MSG(test, got < 0 ||
					      got % GOMEM_GRANULE == 0,
					      "op %lu: alloc at %lld", r->op, got);
			KUNIT_EXPECT_TRUE_MSG(test,
					      range_fit_ok(r, g, want, n, ag),
					      "op %lu: alloc %zu bytes align %u granules at %lld, model %lld",
					      r->op, bytes, ag, g, want);
			want = got;
		} else if (want >= 0) {
			want *= GOMEM_GRANULE;
		}
		if (!o->any_fit)
			KUNIT_EXPECT_EQ_MSG(test, got, want,
					    "op %lu: alloc %zu bytes align %u granules",
					    r->op, bytes, ag);
		if (got < 0 || got != want || !range_ok(test))
			return range_ok(test);
		got /= GOMEM_GRANULE;
		for (i = got; i < got + n; i++)
			r->map[i] = 1;
		gomem_test_poison(r->base + (size_t)got * GOMEM_GRANULE,
				  (size_t)n * GOMEM_GRANULE);
		r->pieces[r->nr_pieces].bs = (size_t)got * GOMEM_GRANULE;
		r->pieces[r->nr_pieces].be = (size_t)got * GOMEM_GRANULE + bytes;
		r->nr_pieces++;
	} else if (k < 80 && r->nr_pieces) {
		u32 j = range_rnd(r, r->nr_pieces);
		size_t bs = r->pieces[j].bs, be = r->pieces[j].be;
		size_t c1 = bs + range_rnd(r, be - bs);
		size_t c2 = c1 + 1 + range_rnd(r, be - c1);

		switch (range_rnd(r, 4)) {
		case 0:		/* whole */
			r->pieces[j] = r->pieces[--r->nr_pieces];
			return range_free_bytes(r, bs, be);
		case 1:		/* head, up to any byte */
			if (c1 == bs)
				break;
			r->pieces[j].bs = c1;
			return range_free_bytes(r, bs, c1);
		case 2:		/* tail, from any byte (FreeRest) */
			if (c1 == bs)
				break;
			r->pieces[j].be = c1;
			return range_free_bytes(r, c1, be);
		default:	/* middle: the piece splits in two */
			if (c1 == bs || c2 >= be ||
			    r->nr_pieces >= r->max_pieces)
				break;
			r->pieces[r->nr_pieces].bs = c2;
			r->pieces[r->nr_pieces].be = be;
			r->nr_pieces++;
			r->pieces[j].be = c1;
			return range_free_bytes(r, c1, c2);
		}
	} else if (k < 90) {
		u32 n = 1 + range_rnd(r, 16);
		s64 want = range_model_fit(r, n + 1, 1, NULL);
		s64 got = o->find(r->ctx, (size_t)n * GOMEM_GRANULE);

		if (o->any_fit) {
			s64 g = got < 0 ? got : got / GOMEM_GRANULE;

			/* The room and the block's node after it are free. */
			KUNIT_EXPECT_TRUE_MSG(test,
					      range_fit_ok(r, g, want, n + 1, 1),
					      "op %lu: find %u granules at %lld",
					      r->op, n, got);
		} else {
			if (want >= 0)
				want *= GOMEM_GRANULE;
			KUNIT_EXPECT_EQ_MSG(test, got, want,
					    "op %lu: find %u granules", r->op, n);
		}
		/* The caller owns the room until its next call: use it all. */
		if (got >= 0)
			memset(r->base + got, 0xa5, (size_t)n * GOMEM_GRANULE);
	} else {
		u32 s = range_rnd(r, r->nr + 2), n = range_rnd(r, r->nr / 8);
		size_t fb = o->free_bytes(r->ctx), nb = o->nr_blocks(r->ctx);
		bool overlap = false;
		u32 i;
		int ret;

		if (n && s < r->nr && n <= r->nr - s) {
			for (i = s; i < s + n; i++)
				overlap |= !r->map[i];
			if (!overlap)
				return true;	/* a legal free: skip */
		}
		range_quiet(true);
		ret = o->free(r->ctx, (size_t)s * GOMEM_GRANULE,
			      (size_t)n * GOMEM_GRANULE);
		range_quiet(false);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL,
				    "op %lu: bad free [%u,+%u)", r->op, s, n);
		KUNIT_EXPECT_EQ(test, o->free_bytes(r->ctx), fb);
		KUNIT_EXPECT_EQ(test, o->nr_blocks(r->ctx), nb);
	}
	return range_ok(test);
}

/*
 * Run @nr_ops random steps on a fresh, empty allocator of @nr granules at
 * @base; run the checker every @check_every steps (1: after each).
 */
void range_random_run(struct kunit *test, const struct range_ops *o,
		      void *ctx, void *base, u32 nr, u64 seed,
		      unsigned long nr_ops, unsigned long check_every)
{
	struct range_run r = {
		.test = test, .o = o, .ctx = ctx, .base = base, .nr = nr,
		.max_pieces = nr, .rng = seed * 2 + 1,
	};

	r.map = kunit_kzalloc(test, nr, GFP_KERNEL);
	r.pieces = kunit_kcalloc(test, nr, sizeof(*r.pieces), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.map);
	KUNIT_ASSERT_NOT_NULL(test, r.pieces);
	nr_ops *= GOMEM_TEST_SCALE;
	for (r.op = 0; r.op < nr_ops; r.op++) {
		if (!range_step(&r))
			goto out;
		if (r.op % check_every == 0 || r.op + 1 == nr_ops) {
			u32 blocks;

			range_model_fit(&r, nr + 1, 1, &blocks);
			KUNIT_EXPECT_EQ_MSG(test, o->free_bytes(ctx),
					    (size_t)range_model_free(&r) *
					    GOMEM_GRANULE, "op %lu", r.op);
			KUNIT_EXPECT_EQ_MSG(test, o->nr_blocks(ctx),
					    (size_t)blocks, "op %lu", r.op);
			KUNIT_EXPECT_EQ_MSG(test, o->check(ctx), 0, "op %lu",
					    r.op);
			if (!range_ok(test))
				goto out;
		}
	}
	/* Free what is left: the region comes back as one block. */
	while (r.nr_pieces) {
		r.nr_pieces--;
		if (!range_free_bytes(&r, r.pieces[r.nr_pieces].bs,
				      r.pieces[r.nr_pieces].be))
			goto out;
	}
	KUNIT_EXPECT_EQ(test, o->free_bytes(ctx), (size_t)nr * GOMEM_GRANULE);
	KUNIT_EXPECT_EQ(test, o->nr_blocks(ctx), (size_t)1);
	KUNIT_EXPECT_EQ(test, o->check(ctx), 0);
out:
	gomem_test_unpoison(base, (size_t)nr * GOMEM_GRANULE);
}

/* ---- index level: the treap and AVL suites ---- */

/* A region for an index test, freed by KUnit. */
void *idx_region(struct kunit *test, u32 nr)
{
	void *base = kunit_kzalloc(test, (size_t)nr * GOMEM_GRANULE,
				   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, base);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED((unsigned long)base,
					   GOMEM_GRANULE));
	return base;
}

static const enum idx_mode idx_fixed_modes[] = { IDX_PLAIN, IDX_MAP };

static void idx_fixed_mode_desc(const enum idx_mode *mode, char *desc)
{
	strscpy(desc, *mode == IDX_PLAIN ? "plain" : "end map",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(idx_fixed_mode, idx_fixed_modes, idx_fixed_mode_desc);

/* See gomem_range_kunit.h. */
const void *idx_fixed_gen_params(const void *prev, char *desc)
{
	return idx_fixed_mode_gen_params(prev, desc);
}

/*
 * Set up @fi over @nr granules at @base as the case's parameter says:
 * plain, or with an end map that free uses at any number of blocks
 * (map_min 0), so both ways of finding a freed range's neighbours, the
 * descent and the map, are proven by every fixed case.
 */
static int idx_init(struct kunit *test, const struct idx_ops *o,
		    struct gomem_freeidx *fi, void *base, u32 nr)
{
	const enum idx_mode *mode = test->param_value;
	int ret;

	if (!mode || *mode == IDX_PLAIN)
		return o->init(fi, base, nr);
	ret = o->init_map(fi, base, nr, idx_map(test, nr));
	fi->map_min = 0;
	return ret;
}

/*
 * GoMem's TestAllocator, offsets and sizes in granules instead of bytes:
 * alloc 100 -> 0, alloc 200 -> 100, free [0,299) leaves 999 free,
 * free [299,300), alloc 50 -> 0, free it, alloc 1000 -> 0.
 */
void idx_gomem_sequence(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, idx_init(test, o, &fi, idx_region(test, 1000), 1000), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 100, 1), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 200, 1), 100);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 299), 0);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 999);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 299, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 1000);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 50, 1), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 50), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 1000, 1), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 1, 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/*
 * GoMem's find() defect:
 *
 *   |free 0..10|   allocated   |free 100..105|   allocated ... 1000|
 *
 * a request for 8 must succeed at 0 (GoMem's treap returns -1).
 */
void idx_complete_search(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, idx_init(test, o, &fi, idx_region(test, 1000), 1000), 0);
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 1000, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 100, 5), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, o->find(&fi, 7), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 8, 1), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 3, 1), 100);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 3, 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 2, 1), 8);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 2, 1), 103);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 0);
	KUNIT_EXPECT_EQ(test, o->largest(&fi), 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/*
 * Alignment is of the absolute address and the search is complete.  With
 * a0 the first 16-granule aligned granule of the region:
 *
 *   |alloc|free a0+1..a0+9|alloc|free a0+17..a0+40|alloc ...
 *
 * the first block is large enough for 4 granules but holds no aligned
 * start; the second holds one at a0+32, and both its ends stay free.
 */
void idx_aligned(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_freeidx fi;
	void *base = idx_region(test, 128);
	u32 ag = 16;
	u32 a0 = (u32)gomem_align_start(base, 0, ag);

	KUNIT_ASSERT_EQ(test, idx_init(test, o, &fi, base, 128), 0);
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 128, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, a0 + 1, 8), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, a0 + 17, 23), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, ag), a0 + 32);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 3);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 8 + 23 - 4);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 64, ag), -ENOMEM);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, a0 + 32, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/*
 * Bad input is refused whole, the index unchanged:
 *
 *   |alloc 0..10|free 10..1000|
 *
 * free [0,11) and [5,15) overlap free space, [10,11) is free already,
 * n == 0, [1000,1001) and [999,1001) run outside.
 */
void idx_bad_free(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, idx_init(test, o, &fi, idx_region(test, 1000), 1000), 0);
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 10, 1), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 5, 10), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 10, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 3, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 1000, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 999, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 1, U32_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 991, 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 990);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/* The checker is worth its name: it notices broken accounting and nodes. */
void idx_checker_catches(struct kunit *test, const struct idx_ops *o)
{
	static const u32 flip[] = { 3, 63, 10 };
	struct gomem_freeidx fi;
	char *base = idx_region(test, 64);
	u32 *node = (u32 *)(base + 3 * GOMEM_GRANULE);	/* block [0,4) */
	int i;

	KUNIT_ASSERT_EQ(test, idx_init(test, o, &fi, base, 64), 0);
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 8, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 0, 4), 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	fi.free_granules++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	fi.free_granules--;
	node[0]++;	/* the size: now overlaps the free block's start */
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	node[0]--;
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/*
	 * Every word after the size is a link or a maximum; point each in
	 * turn at granule 5, allocated memory where no node lives.
	 */
	for (i = 1; i <= 5; i++) {
		u32 save = node[i];

		node[i] = 6;
		KUNIT_EXPECT_EQ_MSG(test, o->check(&fi), -EUCLEAN, "word %d", i);
		node[i] = save;
	}
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	if (!fi.map)
		return;
	/* Blocks [0,4) and [8,64): end bits 3 and 63 missing, 10 stray. */
	for (i = 0; i < ARRAY_SIZE(flip); i++) {
		fi.map[0] ^= BIT(flip[i]);
		KUNIT_EXPECT_EQ_MSG(test, o->check(&fi), -EUCLEAN, "end bit %u",
				    flip[i]);
		fi.map[0] ^= BIT(flip[i]);
	}
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/* Index adapter for range_random_run(): bytes in, granules to the index. */
struct idx_ctx {
	const struct idx_ops *o;
	struct gomem_freeidx fi;
};

s64 idx_b_alloc(void *ctx, size_t bytes, size_t align)
{
	struct idx_ctx *c = ctx;
	s64 g = c->o->alloc(&c->fi, gomem_bytes_to_granules(bytes),
			    max_t(size_t, align / GOMEM_GRANULE, 1));

	return g < 0 ? g : g * GOMEM_GRANULE;
}

int idx_b_free(void *ctx, size_t off, size_t len)
{
	struct idx_ctx *c = ctx;
	u32 s, n;

	if (!len || off > (size_t)c->fi.nr_granules * GOMEM_GRANULE)
		return -EINVAL;
	gomem_free_range_to_granules(off, len, &s, &n);
	return n ? c->o->free(&c->fi, s, n) : 0;
}

/*
 * As the arena does: find sees the tree only, so when it fails, move the
 * parked blocks large enough to lend from (n + 1 granules) and try again.
 */
s64 idx_b_find(void *ctx, size_t bytes)
{
	struct idx_ctx *c = ctx;
	u32 n = gomem_bytes_to_granules(bytes);
	s64 g = c->o->find(&c->fi, n);

	if (g < 0 && c->fi.nr_parked) {
		c->o->flush(&c->fi, n + 1);
		g = c->o->find(&c->fi, n);
	}
	return g < 0 ? g : g * GOMEM_GRANULE;
}

size_t idx_b_free_bytes(void *ctx)
{
	return (size_t)((struct idx_ctx *)ctx)->fi.free_granules *
	       GOMEM_GRANULE;
}

/* Free blocks are maximal, parked or not: they count the same. */
size_t idx_b_nr_blocks(void *ctx)
{
	struct idx_ctx *c = ctx;

	return (size_t)c->fi.nr_blocks + c->fi.nr_parked;
}

int idx_b_check(void *ctx)
{
	struct idx_ctx *c = ctx;

	return c->o->check(&c->fi);
}

/*
 * An end map for an index over @nr granules, freed by KUnit; filled with
 * garbage so that init must clear it.
 */
unsigned long *idx_map(struct kunit *test, u32 nr)
{
	size_t bytes = gomem_map_words(nr) * sizeof(unsigned long);
	unsigned long *map = kunit_kmalloc(test, bytes, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, map);
	memset(map, 0xa5, bytes);
	return map;
}

/* A quick cache for an index, freed by KUnit. */
struct gomem_qcache *idx_qc(struct kunit *test)
{
	struct gomem_qcache *qc = kunit_kmalloc(test, sizeof(*qc), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, qc);
	memset(qc, 0xa5, sizeof(*qc));	/* attach must clear it */
	return qc;
}

/*
 * IDX_MAP: the index gets an end map and free uses it at any number of
 * blocks (map_min 0), so the run proves the map path on every step.
 * IDX_QC: a quick cache too, parking from the second block on.
 */
void idx_random(struct kunit *test, const struct idx_ops *o, u64 seed,
		u32 nr, unsigned long nr_ops, unsigned long check_every,
		enum idx_mode mode)
{
	struct idx_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct range_ops *bytes = kunit_kmalloc(test, sizeof(*bytes),
						GFP_KERNEL);
	void *base;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, bytes);
	*bytes = *o->bytes;
	/* Vary the alignment phase of the region for aligned requests. */
	base = (char *)idx_region(test, nr + 8) + seed % 8 * GOMEM_GRANULE;
	c->o = o;
	if (mode == IDX_PLAIN) {
		KUNIT_ASSERT_EQ(test, o->init(&c->fi, base, nr), 0);
	} else {
		KUNIT_ASSERT_EQ(test, o->init_map(&c->fi, base, nr,
						  idx_map(test, nr)), 0);
		c->fi.map_min = 0;
	}
	if (mode == IDX_QC) {
		KUNIT_ASSERT_EQ(test, gomem_qc_attach(&c->fi, idx_qc(test)), 0);
		bytes->any_fit = true;
	}
	range_random_run(test, bytes, c, base, nr, seed, nr_ops, check_every);
}

/*
 * The quick cache at the index (map_min 0: it parks while the tree holds a
 * block).  With region R = 1000 granules and [100, 1000) the tree block:
 *
 *   |alloc 0..10|10..14|alloc|20..24|alloc ... 100|tree 100..1000|
 *
 * parked blocks come back last in, first out, by exact size; a free that
 * touches parked blocks absorbs them (blocks stay maximal), a free that
 * touches the tree goes to the tree; double frees are refused; an
 * allocation no tree block holds flushes the parked block that does.
 */
void idx_quick_cache(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_qcache *qc = idx_qc(test);
	struct gomem_freeidx fi;
	void *base = idx_region(test, 1000);
	u32 *node;

	KUNIT_ASSERT_EQ(test, o->init(&fi, base, 1000), 0);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), -EINVAL);  /* no map */
	KUNIT_ASSERT_EQ(test, o->init_map(&fi, base, 1000, idx_map(test, 1000)),
			0);
	fi.map_min = 0;
	KUNIT_ASSERT_EQ(test, gomem_qc_attach(&fi, qc), 0);
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 100, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 10, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 20, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 908);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* Last in, first out; then the tree's own policy. */
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 20);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 10);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 100);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 100, 4), 0);	/* joins the tree */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	/* A free between two parked blocks absorbs both, and is parked. */
	KUNIT_ASSERT_EQ(test, o->free(&fi, 10, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 20, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 14, 6), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 914);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* Double and overlapping frees of parked memory are refused. */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 12, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 8, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 23, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 914);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* The checker sees a broken cache. */
	node = (u32 *)((char *)base + 23 * GOMEM_GRANULE);	/* [10,24) */
	fi.nr_parked++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	fi.nr_parked--;
	node[0]++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	node[0]--;
	qc->slot[13][1] = qc->slot[13][0];	/* the same block twice */
	qc->count[13]++;
	fi.nr_parked++;
	qc->granules += 14;
	fi.free_granules += 14;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->count[13]--;
	fi.nr_parked--;
	qc->granules -= 14;
	fi.free_granules -= 14;
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* Attaching anew while parked is refused. */
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), -EBUSY);
	/* A free touching parked and tree blocks makes one tree block. */
	KUNIT_ASSERT_EQ(test, o->free(&fi, 24, 76), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->largest(&fi), 990);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, o->largest(&fi), 1000);
	/* Only a parked block holds 6 granules: the allocation flushes it. */
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 999, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 10, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 20, 8), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 6, 1), 20);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 9, 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 10);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 3);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* Detached after a flush, the index is as without a cache. */
	KUNIT_ASSERT_EQ(test, o->free(&fi, 40, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	o->flush(&fi, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 3);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, NULL), 0);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 7);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/*
 * The checker sees a wrong end map:
 *
 *   |alloc 0..100|free 100..5000|  then free 10..20
 *
 * leaves end bits 19 and 4999, level-1 bits 0 and 78, level-2 bits 0, 1.
 * A missing bit, a stray bit and a wrong summary bit each fail the check.
 */
void idx_map_checker(struct kunit *test, const struct idx_ops *o)
{
	static const u32 flip[][2] = {
		{ 0, 19 }, { 0, 4999 }, { 0, 30 }, { 1, 0 }, { 1, 78 },
		{ 1, 5 }, { 2, 1 }, { 2, 2 },
	};
	struct gomem_freeidx fi;
	void *base = idx_region(test, 5000);
	int i;

	KUNIT_ASSERT_EQ(test, o->init_map(&fi, base, 5000,
					  idx_map(test, 5000)), 0);
	KUNIT_ASSERT_EQ(test, fi.map_top, 2);
	fi.map_min = 0;
	KUNIT_ASSERT_EQ(test, o->alloc(&fi, 100, 1), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 10, 10), 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	for (i = 0; i < ARRAY_SIZE(flip); i++) {
		unsigned long *lv = fi.map + fi.map_off[flip[i][0]];
		u32 b = flip[i][1];

		lv[b / BITS_PER_LONG] ^= BIT(b % BITS_PER_LONG);
		KUNIT_EXPECT_EQ_MSG(test, o->check(&fi), -EUCLEAN,
				    "level %u bit %u", flip[i][0], b);
		lv[b / BITS_PER_LONG] ^= BIT(b % BITS_PER_LONG);
	}
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* The map finds the neighbours: free 0..10 and 20..100 joins all. */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 20, 80), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 50, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/* ---- the quick cache against the model: exact rules ---- */

/* An index over @nr granules at @base with an end map, and @qc if any. */
static void idx_qc_setup(struct kunit *test, const struct idx_ops *o,
			 struct gomem_freeidx *fi, void *base, u32 nr,
			 u32 map_min, struct gomem_qcache *qc)
{
	KUNIT_ASSERT_EQ(test, o->init_map(fi, base, nr, idx_map(test, nr)), 0);
	fi->map_min = map_min;
	if (qc)
		KUNIT_ASSERT_EQ(test, gomem_qc_attach(fi, qc), 0);
}

/* The tree's blocks, as the walk reports them. */
struct idx_walked {
	u32 nr, max;
	struct { u32 s, n; } b[128];
};

static int idx_walked_fn(void *arg, u32 s, u32 n)
{
	struct idx_walked *w = arg;

	if (w->nr < ARRAY_SIZE(w->b)) {
		w->b[w->nr].s = s;
		w->b[w->nr].n = n;
	}
	w->nr++;
	return 0;
}

static void idx_walk_collect(const struct idx_ops *o,
			     const struct gomem_freeidx *fi,
			     struct idx_walked *w)
{
	w->nr = 0;
	o->walk(fi, idx_walked_fn, w);
}

static bool idx_walked_has(const struct idx_walked *w, u32 s, u32 n)
{
	u32 i;

	for (i = 0; i < w->nr && i < ARRAY_SIZE(w->b); i++)
		if (w->b[i].s == s && w->b[i].n == n)
			return true;
	return false;
}

/*
 * The region as chunks of 4 granules, every fourth one free: 64 blocks.
 *
 *   |free 0..4|alloc 4..16|free 16..20|alloc ... |free 1008..1012|alloc|
 */
static void idx_qc_deep_tree(struct kunit *test, const struct idx_ops *o,
			     struct gomem_freeidx *fi, void *base)
{
	u32 i;

	idx_qc_setup(test, o, fi, base, 1024, GOMEM_MAP_MIN_BLOCKS, NULL);
	for (i = 0; i < 256; i++)
		KUNIT_ASSERT_EQ(test, o->alloc(fi, 4, 1), 4 * i);
	for (i = 0; i < 256; i += 4)
		KUNIT_ASSERT_EQ(test, o->free(fi, 4 * i, 4), 0);
	KUNIT_EXPECT_EQ(test, fi->nr_blocks, 64);
	KUNIT_EXPECT_EQ(test, fi->free_granules, 256);
}

/*
 * The quick cache's rules one by one, in a deep tree (above) and then in a
 * region of ten allocations of 100 granules: attach needs the end map;
 * last in, first out by exact size; aligned requests go to the tree; the
 * depth (16 per size) and budget (a quarter of the region) limits; frees
 * absorb the parked blocks they touch and join the tree when they touch
 * it; double and overlapping frees are refused unchanged; the cache
 * changes only when empty; flush leaves maximal runs; an allocation only
 * a parked block holds flushes it.
 */
void idx_quick_cache_rules(struct kunit *test, const struct idx_ops *o)
{
	static const u32 bad[][2] = {
		{ 8, 4 }, { 9, 2 }, { 11, 1 }, { 6, 4 }, { 10, 4 },
		{ 24, 8 }, { 26, 1 }, { 22, 3 }, { 0, 1024 },
	};
	struct idx_walked *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct gomem_qcache *qc = idx_qc(test);
	void *base = idx_region(test, 1024);
	struct gomem_freeidx fi;
	u32 i, k, fg, nb, np, qg;

	KUNIT_ASSERT_NOT_NULL(test, w);
	/* The cache needs the end map. */
	KUNIT_ASSERT_EQ(test, o->init_map(&fi, base, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), -EINVAL);
	KUNIT_EXPECT_NULL(test, fi.qc);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* LIFO reuse; chunks 4k + 2 touch no free block: they park. */
	idx_qc_deep_tree(test, o, &fi, base);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), 0);
	KUNIT_EXPECT_EQ(test, qc->budget, 256);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 8, 4), 0);	/* A: chunk 2 */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 24, 4), 0);	/* B: chunk 6 */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 64);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 264);
	KUNIT_EXPECT_EQ(test, qc->granules, 8);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 24);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 8);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 256);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* An aligned request goes to the tree, parked blocks stay parked. */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 8, 4), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 63);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 4), 0);	/* chunk 0: parked */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	o->flush(&fi, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, qc->granules, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 65);
	idx_walk_collect(o, &fi, w);
	KUNIT_EXPECT_TRUE(test, idx_walked_has(w, 0, 4));
	KUNIT_EXPECT_TRUE(test, idx_walked_has(w, 8, 4));
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 0);	/* nothing parked */
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 4, 1), 8);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 4), 0);
	o->flush(&fi, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 64);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* Depth: the 17th free of one size goes to the tree. */
	for (k = 0; k < 16; k++) {
		KUNIT_EXPECT_EQ(test, o->free(&fi, 16 * k + 8, 4), 0);
		KUNIT_EXPECT_EQ(test, fi.nr_parked, k + 1);
	}
	KUNIT_EXPECT_EQ(test, qc->count[3], GOMEM_QC_DEPTH);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 16 * 16 + 8, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 16);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 65);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 256 + 17 * 4);
	idx_walk_collect(o, &fi, w);
	KUNIT_EXPECT_TRUE(test, idx_walked_has(w, 264, 4));
	KUNIT_EXPECT_FALSE(test, idx_walked_has(w, 8, 4));
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/*
	 * Free blocks stay maximal: chunk 1 takes parked chunk 2 along and
	 * joins tree chunk 0: one tree block [0,12).
	 */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 4, 4), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 15);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 65);
	idx_walk_collect(o, &fi, w);
	KUNIT_EXPECT_TRUE(test, idx_walked_has(w, 0, 12));
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* Double frees and overlaps with parked blocks: refused, no change. */
	fg = fi.free_granules;
	nb = fi.nr_blocks;
	np = fi.nr_parked;
	qg = qc->granules;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, o->free(&fi, bad[i][0], bad[i][1]),
				    -EINVAL, "free [%u,+%u)", bad[i][0],
				    bad[i][1]);
		KUNIT_EXPECT_EQ(test, fi.free_granules, fg);
		KUNIT_EXPECT_EQ(test, fi.nr_blocks, nb);
		KUNIT_EXPECT_EQ(test, fi.nr_parked, np);
		KUNIT_EXPECT_EQ(test, qc->granules, qg);
	}
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* The cache changes only when empty. */
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), -EBUSY);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, NULL), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, fi.qc, qc);

	/* Flush: [0,12); chunks 4k and 4k + 2 for k = 1..16; 4k after. */
	o->flush(&fi, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 256 + 18 * 4);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 80);
	idx_walk_collect(o, &fi, w);
	KUNIT_EXPECT_EQ(test, w->nr, 80);
	KUNIT_EXPECT_TRUE(test, idx_walked_has(w, 0, 12));
	for (k = 1; k <= 16; k++) {
		KUNIT_EXPECT_TRUE_MSG(test, idx_walked_has(w, 16 * k, 4),
				      "block [%u,+4) missing", 16 * k);
		KUNIT_EXPECT_TRUE_MSG(test, idx_walked_has(w, 16 * k + 8, 4),
				      "block [%u,+4) missing", 16 * k + 8);
	}
	for (k = 17; k < 64; k++)
		KUNIT_EXPECT_TRUE_MSG(test, idx_walked_has(w, 16 * k, 4),
				      "block [%u,+4) missing", 16 * k);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, NULL), 0);
	KUNIT_EXPECT_NULL(test, fi.qc);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 28, 4), 0);	/* no cache: tree */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, gomem_qc_attach(&fi, qc), 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/*
	 * Budget: a quarter of the region, 256 granules; map_min 0.
	 * Allocations [100i, 100i + 100) for i < 10, and [1000,1024).
	 */
	idx_qc_setup(test, o, &fi, base, 1024, 0, qc);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, o->alloc(&fi, 100, 1), 100 * i);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 24, 1), 1000);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 1000, 24), 0); /* empty tree */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 0, 100), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 200, 100), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, qc->granules, 200);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 400, 100), 0); /* 300 > 256 */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 600, 56), 0);  /* exactly 256 */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 3);
	KUNIT_EXPECT_EQ(test, qc->granules, 256);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 800, 1), 0);   /* 257: tree */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 3);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 3);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 24 + 200 + 100 + 56 + 1);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/*
	 * [100,200) between two parked blocks absorbs both: [0,300) is too
	 * big to park and goes to the tree; [300,400) joins it and
	 * [400,500): the tree's largest is 500, nothing to flush for it.
	 */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 100, 100), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 4);
	KUNIT_EXPECT_EQ(test, o->largest(&fi), 300);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 300, 100), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, fi.nr_blocks, 3);
	KUNIT_EXPECT_EQ(test, o->largest(&fi), 500);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 500, 1), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, qc->granules, 56);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/* No run of 57: blocks never touch, a flush cannot make one. */
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 57, 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 56, 1), 600);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 24, 8), 1000);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 1, 1), 800);
	KUNIT_EXPECT_EQ(test, fi.free_granules, 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	/*
	 * An allocation only a parked block holds flushes it: [500,510)
	 * in the tree, [300,400) parked; then 50 granules, aligned too.
	 */
	KUNIT_EXPECT_EQ(test, o->free(&fi, 500, 10), 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 300, 100), 0);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 50, 1), 300);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 300, 50), 0);	/* joins */
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 100, 1), 300);
	KUNIT_EXPECT_EQ(test, o->free(&fi, 300, 100), 0);	/* parked */
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, o->alloc(&fi, 50, 2), 300);
	KUNIT_EXPECT_EQ(test, fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/*
 * The checker sees every kind of broken cache (invariant 6):
 *
 *   |parked 0..4|alloc|parked 8..12|a|parked 13..15|a|tree 16..64|
 *
 * a duplicated slot, lost and stray tags, a slot's block of the wrong
 * size or in the wrong class, each count off, a dropped slot with every
 * count to match, a wrong non-empty set, an exceeded budget, a parked
 * block's map bit; each is put back after.
 */
void idx_quick_cache_checker(struct kunit *test, const struct idx_ops *o)
{
	struct gomem_qcache *qc = idx_qc(test);
	char *base = idx_region(test, 64);
	struct gomem_freeidx fi;
	u32 save, *size;
	u8 *tag;
	int i;

	idx_qc_setup(test, o, &fi, base, 64, 0, qc);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, o->alloc(&fi, 4, 1), 4 * i);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 0, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 8, 4), 0);
	KUNIT_ASSERT_EQ(test, o->free(&fi, 13, 2), 0);
	KUNIT_ASSERT_EQ(test, fi.nr_parked, 3);
	KUNIT_ASSERT_EQ(test, qc->slot[3][0], 4);
	KUNIT_ASSERT_EQ(test, qc->slot[3][1], 12);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* A duplicated slot: block [8,12) is parked in no slot. */
	save = qc->slot[3][1];
	qc->slot[3][1] = qc->slot[3][0];
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->slot[3][1] = save;
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* A parked block's tag lost, a tree node's tag set. */
	tag = gomem_node_tag(&fi, 4);
	*tag = 0;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	*tag = GOMEM_PARKED;
	tag = gomem_node_tag(&fi, 64);
	*tag = GOMEM_PARKED;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	*tag = 0;
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* A slot's block of the wrong size, both ways. */
	size = (u32 *)(base + 11 * GOMEM_GRANULE);	/* node of [8,12) */
	(*size)++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	*size -= 2;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	(*size)++;
	/* A slot in the wrong class. */
	qc->slot[1][0] = 4;
	qc->slot[3][0] = 15;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->slot[1][0] = 15;
	qc->slot[3][0] = 4;
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);

	/* The counts: nr_parked, granules, count, the non-empty set, budget. */
	fi.nr_parked++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	fi.nr_parked -= 2;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	fi.nr_parked++;
	qc->granules++;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->granules--;
	/* A slot dropped with every count to match: the block is lost. */
	qc->count[3]--;
	fi.nr_parked--;
	qc->granules -= 4;
	fi.free_granules -= 4;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->count[3]++;
	fi.nr_parked++;
	qc->granules += 4;
	fi.free_granules += 4;
	qc->nonempty[0] &= ~BIT(1);
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->nonempty[0] |= BIT(1);
	qc->nonempty[0] |= BIT(5);
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->nonempty[0] &= ~BIT(5);
	save = qc->budget;
	qc->budget = qc->granules - 1;
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	qc->budget = save;
	/* A parked block's map bit. */
	fi.map[0] ^= BIT(11);
	KUNIT_EXPECT_EQ(test, o->check(&fi), -EUCLEAN);
	fi.map[0] ^= BIT(11);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
	o->flush(&fi, 0);
	KUNIT_EXPECT_EQ(test, o->check(&fi), 0);
}

/* ---- the quick cache against the model: random runs ---- */

struct qc_run {
	struct kunit *test;
	const struct idx_ops *o;
	struct gomem_freeidx fi;
	struct gomem_qcache *qc;
	char *base;
	u32 nr;
	u8 *model;		/* 1: allocated */
	u8 *cover;		/* scratch for gomem_model_cover_ok() */
	struct { size_t bs, be; } *pieces;	/* live byte ranges */
	u32 nr_pieces, max_pieces;
	u64 rng;
	unsigned long op;
};

static u32 qc_rnd(struct qc_run *r, u32 below)
{
	return rnd_below(&r->rng, below);
}

#define QC_EXPECT_EQ(r, got, want, what) do {				\
	const struct qc_run *__r = (r);					\
									\
	KUNIT_EXPECT_EQ_MSG(__r->test, got, want, "op %lu: %s", __r->op,	\
			    what);					\
} while (0)

static s64 qc_model_fit(struct qc_run *r, bool best, u32 n, u32 align,
			u32 *runs, u32 *largest)
{
	return gomem_model_fit(r->model, r->nr, r->base, best, n, align, runs,
			       largest);
}

/* Free [@bs, @be) bytes; the cache's parking decision is predicted. */
static void qc_free_bytes(struct qc_run *r, size_t bs, size_t be)
{
	u32 s, n, i, np;

	gomem_free_range_to_granules(bs, be - bs, &s, &n);
	if (!n)
		return;		/* holds no granule's first byte */
	np = gomem_model_parked_after_free(&r->fi, r->model, r->nr, s, n);
	gomem_test_unpoison(r->base + (size_t)s * GOMEM_GRANULE,
			    (size_t)n * GOMEM_GRANULE);
	QC_EXPECT_EQ(r, r->o->free(&r->fi, s, n), 0, "free");
	QC_EXPECT_EQ(r, r->fi.nr_parked, np, "free: parked or not");
	for (i = s; i < s + n; i++) {
		QC_EXPECT_EQ(r, r->model[i], 1, "model: freeing a free granule");
		r->model[i] = 0;
	}
}

/*
 * Free part of live piece @k, cut at random bytes: all of it (weight 2),
 * a head, a tail or a middle (weight 1 each).
 * Return: the granules of a piece freed whole, else 0.
 */
static u32 qc_free_piece(struct qc_run *r, u32 k)
{
	size_t bs = r->pieces[k].bs, be = r->pieces[k].be;
	size_t c1 = bs + qc_rnd(r, be - bs);
	size_t c2 = c1 + 1 + qc_rnd(r, be - c1);
	u32 kind = qc_rnd(r, 5), g = 0;

	if (kind < 2) {
		g = gomem_bytes_to_granules(be) - gomem_bytes_to_granules(bs);
		r->pieces[k] = r->pieces[--r->nr_pieces];
		qc_free_bytes(r, bs, be);
	} else if (kind == 2) {			/* a head */
		if (c1 == bs)
			c1++;
		if (c1 < be) {
			r->pieces[k].bs = c1;
			qc_free_bytes(r, bs, c1);
		}
	} else if (kind == 3) {			/* a tail */
		if (c1 != bs) {
			r->pieces[k].be = c1;
			qc_free_bytes(r, c1, be);
		}
	} else if (c1 != bs && c2 < be && r->nr_pieces < r->max_pieces) {
		r->pieces[r->nr_pieces].bs = c2;	/* a middle: two */
		r->pieces[r->nr_pieces].be = be;
		r->nr_pieces++;
		r->pieces[k].be = c1;
		qc_free_bytes(r, c1, c2);
	}
	return g;
}

/*
 * A free the index must refuse, leaving everything as it was: a parked
 * block again (a double free) or a range into one, a range over any free
 * granule, or one out of the region.
 */
static void qc_bad_free(struct qc_run *r)
{
	const struct gomem_qcache *qc = r->fi.qc;
	struct gomem_freeidx *fi = &r->fi;
	u32 fg = fi->free_granules, nb = fi->nr_blocks, np = fi->nr_parked;
	u32 qg = qc->granules, nr = r->nr, s, n, g = nr, c, i, k;
	bool overlap = false;

	if (fi->nr_parked && qc_rnd(r, 2)) {
		for (c = qc_rnd(r, GOMEM_QC_CLASSES); !qc->count[c];
		     c = (c + 1) % GOMEM_QC_CLASSES)
			;
		s = qc->slot[c][qc_rnd(r, qc->count[c])] - (c + 1);
		if (qc_rnd(r, 3)) {
			n = c + 1;	/* exactly a double free */
			goto try;
		}
		g = s + qc_rnd(r, c + 1);
	} else {
		for (k = qc_rnd(r, nr), i = 0; i < nr; i++, k = (k + 1) % nr) {
			if (!r->model[k]) {
				g = k;
				break;
			}
		}
	}
	if (g >= nr) {
		/* Nothing free: out of range instead. */
		s = nr - qc_rnd(r, min(nr, 4u));
		n = 1 + qc_rnd(r, 8);
		if (s < nr && n <= nr - s)
			return;
		goto try;
	}
	s = g - qc_rnd(r, min(g, 16u) + 1);
	n = g - s + 1 + qc_rnd(r, min(nr - g, 16u));
try:
	for (i = s; i < s + n && i < nr; i++)
		overlap |= !r->model[i];
	if (s < nr && n <= nr - s && !overlap)
		return;		/* legal after all */
	range_quiet(true);
	QC_EXPECT_EQ(r, r->o->free(fi, s, n), -EINVAL, "bad free");
	range_quiet(false);
	QC_EXPECT_EQ(r, fi->free_granules, fg, "bad free kept free_granules");
	QC_EXPECT_EQ(r, fi->nr_blocks, nb, "bad free kept nr_blocks");
	QC_EXPECT_EQ(r, fi->nr_parked, np, "bad free kept nr_parked");
	QC_EXPECT_EQ(r, qc->granules, qg, "bad free kept parked granules");
}

/* One random allocation; the cache's LIFO rule is predicted exactly. */
static void qc_alloc(struct qc_run *r, bool small, u32 last_n,
		     unsigned long *hits)
{
	struct gomem_freeidx *fi = &r->fi;
	const struct idx_ops *o = r->o;
	u32 np = fi->nr_parked, nr = r->nr, n, i, k;
	u32 align = qc_rnd(r, 6) ? 1 : 1u << qc_rnd(r, 6);
	s64 got, want = -1, lifo = -1;
	size_t bytes;
	bool fits;

	k = qc_rnd(r, small ? 10 : 20);
	if (small)
		align = 1;
	if (k < 5 && last_n)
		n = last_n;	/* the size just freed */
	else if (k < 10)
		n = 1 + qc_rnd(r, min(8u, nr));
	else if (k < 16)
		n = 1 + qc_rnd(r, min_t(u32, GOMEM_QC_CLASSES, nr));
	else if (k < 19)
		n = 1 + qc_rnd(r, nr / 4 + 1);
	else
		n = 1 + qc_rnd(r, nr + 1);
	bytes = (size_t)n * GOMEM_GRANULE - qc_rnd(r, GOMEM_GRANULE);
	if (align <= 1 && gomem_qc_has(fi, n))
		lifo = r->qc->slot[n - 1][r->qc->count[n - 1] - 1] - n;
	else if (!np)	/* nothing parked: the tree's policy */
		want = qc_model_fit(r, o->bytes->best_fit, n, align, NULL,
				    NULL);
	/* A fit in the tree: no flush. */
	fits = lifo < 0 && align <= 1 && np && o->largest(fi) >= n;
	got = o->alloc(fi, n, align);
	if (fits)
		QC_EXPECT_EQ(r, fi->nr_parked, np, "alloc: needless flush");
	if (lifo >= 0) {
		QC_EXPECT_EQ(r, got, lifo, "alloc: last parked");
		(*hits)++;
	} else if (!np) {
		QC_EXPECT_EQ(r, got, want, "alloc: placement");
	}
	if (got < 0) {
		QC_EXPECT_EQ(r, got, -ENOMEM, "alloc error");
		QC_EXPECT_EQ(r, qc_model_fit(r, false, n, align, NULL, NULL),
			     -ENOMEM, "alloc failed with room");
		return;
	}
	QC_EXPECT_EQ(r, got + n <= nr, true, "alloc in the region");
	if (got + n > nr)
		return;
	if (align > 1)
		QC_EXPECT_EQ(r, gomem_align_start(r->base, got, align), got,
			     "alloc aligned");
	for (i = got; i < got + n; i++) {
		QC_EXPECT_EQ(r, r->model[i], 0, "alloc of a used granule");
		r->model[i] = 1;
	}
	/* User data: a stale tag byte would read as parked. */
	memset(r->base + (size_t)got * GOMEM_GRANULE, GOMEM_PARKED,
	       (size_t)n * GOMEM_GRANULE);
	gomem_test_poison(r->base + (size_t)got * GOMEM_GRANULE,
			  (size_t)n * GOMEM_GRANULE);
	if (r->nr_pieces < r->max_pieces) {
		r->pieces[r->nr_pieces].bs = (size_t)got * GOMEM_GRANULE;
		r->pieces[r->nr_pieces].be = (size_t)got * GOMEM_GRANULE + bytes;
		r->nr_pieces++;
	}
}

/* find and largest see the tree only. */
static void qc_find(struct qc_run *r)
{
	struct gomem_freeidx *fi = &r->fi;
	u32 n = 1 + qc_rnd(r, 32), np = fi->nr_parked, big, i;
	s64 got = r->o->find(fi, n);

	qc_model_fit(r, false, r->nr + 1, 1, NULL, &big);
	if (!np)
		QC_EXPECT_EQ(r, got, qc_model_fit(r, r->o->bytes->best_fit,
						  n + 1, 1, NULL, NULL),
			     "find");
	if (got >= 0) {
		QC_EXPECT_EQ(r, got + n < r->nr, true, "find in the region");
		for (i = got; i <= got + n && i < r->nr; i++)
			QC_EXPECT_EQ(r, r->model[i], 0, "find: used");
		memset(r->base + got * GOMEM_GRANULE, 0xa5,
		       (size_t)n * GOMEM_GRANULE);
	}
	if (np)
		QC_EXPECT_EQ(r, r->o->largest(fi) <= big, true, "largest");
	else
		QC_EXPECT_EQ(r, r->o->largest(fi), big, "largest");
}

/* Flush all; attach anew half the time (refused while parked). */
static void qc_flush(struct qc_run *r)
{
	struct gomem_freeidx *fi = &r->fi;
	u32 runs;

	if (fi->nr_parked)
		QC_EXPECT_EQ(r, gomem_qc_attach(fi, r->qc), -EBUSY,
			     "attach while parked");
	r->o->flush(fi, 0);
	QC_EXPECT_EQ(r, fi->nr_parked, 0, "flush: nr_parked");
	QC_EXPECT_EQ(r, r->qc->granules, 0, "flush: parked granules");
	qc_model_fit(r, false, r->nr + 1, 1, &runs, NULL);
	QC_EXPECT_EQ(r, fi->nr_blocks, runs, "flush: maximal runs");
	if (qc_rnd(r, 2))
		QC_EXPECT_EQ(r, gomem_qc_attach(fi, r->qc), 0, "attach");
}

/*
 * Random run with the quick cache attached to an index over @nr granules
 * (map_min @map_min): allocs (a third of them cache sizes of 1..8
 * granules, some aligned; @small: those only), frees of whole allocations
 * and of byte pieces with the parking decision predicted, refused frees,
 * flushes, finds.  The checker and the coverage test run every @every
 * ops; the userspace harness runs GOMEM_TEST_SCALE times as many.
 */
void idx_qc_random(struct kunit *test, const struct idx_ops *o, u64 seed,
		   u32 nr, unsigned long nr_ops, u32 map_min,
		   unsigned long every, bool small)
{
	struct qc_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long hits = 0;
	u32 max_parked = 0, last_n = 0, runs;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->test = test;
	r->o = o;
	r->nr = nr;
	r->rng = seed * 2 + 1;
	r->max_pieces = 2 * nr + 16;
	r->base = idx_region(test, nr);
	r->model = kunit_kzalloc(test, nr, GFP_KERNEL);
	r->cover = kunit_kzalloc(test, nr, GFP_KERNEL);
	r->pieces = kunit_kcalloc(test, r->max_pieces, sizeof(*r->pieces),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->model);
	KUNIT_ASSERT_NOT_NULL(test, r->cover);
	KUNIT_ASSERT_NOT_NULL(test, r->pieces);
	r->qc = idx_qc(test);
	idx_qc_setup(test, o, &r->fi, r->base, nr, map_min, r->qc);
	nr_ops *= GOMEM_TEST_SCALE;
	for (r->op = 0; r->op < nr_ops && range_ok(test); r->op++) {
		struct gomem_freeidx *fi = &r->fi;
		u32 k = qc_rnd(r, 100);
		/* Keep about half the region free, so that frees can park. */
		u32 p_alloc = fi->free_granules * 2 > nr ? 50 : 30;

		if (k < p_alloc) {
			qc_alloc(r, small, last_n, &hits);
		} else if (k < 82 && r->nr_pieces) {
			u32 g = qc_free_piece(r, qc_rnd(r, r->nr_pieces));

			if (g)
				last_n = g;
		} else if (k < 93) {
			qc_bad_free(r);
		} else if (k < 99) {
			qc_find(r);
		} else {
			qc_flush(r);
		}
		max_parked = max(max_parked, fi->nr_parked);
		QC_EXPECT_EQ(r, fi->free_granules,
			     gomem_model_free(r->model, nr), "free granules");
		QC_EXPECT_EQ(r, r->qc->granules <= r->qc->budget, true,
			     "budget");
		if (!fi->nr_parked) {
			qc_model_fit(r, false, nr + 1, 1, &runs, NULL);
			QC_EXPECT_EQ(r, fi->nr_blocks, runs,
				     "blocks, none parked");
		}
		if (r->op % every == 0 || r->op + 1 == nr_ops) {
			QC_EXPECT_EQ(r, o->check(fi), 0, "check");
			QC_EXPECT_EQ(r, gomem_model_cover_ok(fi, o->walk,
							     r->model, nr,
							     r->cover),
				     true, "tree + parked = free");
		}
	}
	if (range_ok(test) && nr >= 64 && nr_ops >= 10000) {
		KUNIT_EXPECT_GT_MSG(test, hits, 0, "no cache hit");
		KUNIT_EXPECT_GT_MSG(test, max_parked, 0, "nothing parked");
	}
	while (r->nr_pieces && range_ok(test)) {
		r->nr_pieces--;
		qc_free_bytes(r, r->pieces[r->nr_pieces].bs,
			      r->pieces[r->nr_pieces].be);
	}
	gomem_test_unpoison(r->base, (size_t)nr * GOMEM_GRANULE);
	if (!range_ok(test))
		return;
	o->flush(&r->fi, 0);
	KUNIT_EXPECT_EQ(test, r->fi.free_granules, nr);
	KUNIT_EXPECT_EQ(test, r->fi.nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, r->fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, o->check(&r->fi), 0);
}

/* ---- granule rounding ---- */

/*
 * The rounding rule of byte frees, exhaustively: for every allocation of
 * 1..160 bytes at granule 5 and every cut into three pieces, the pieces'
 * granules are [5, x), [x, y), [y, 5 + ceil(len / G)) for some x <= y: a
 * partition, whatever order they are freed in.
 */
void idx_free_rounding_partitions(struct kunit *test)
{
	const u32 a = 5;
	size_t len, c1, c2;

	for (len = 1; len <= 160; len++) {
		size_t off = (size_t)a * GOMEM_GRANULE;
		u32 end = a + gomem_bytes_to_granules(len);

		for (c1 = 0; c1 <= len; c1++) {
			for (c2 = c1; c2 <= len; c2++) {
				u32 s0, n0, s1, n1, s2, n2;

				gomem_free_range_to_granules(off, c1, &s0, &n0);
				gomem_free_range_to_granules(off + c1, c2 - c1,
							     &s1, &n1);
				gomem_free_range_to_granules(off + c2, len - c2,
							     &s2, &n2);
				KUNIT_ASSERT_TRUE_MSG(test, s0 == a &&
						      s0 + n0 == s1 &&
						      s1 + n1 == s2 &&
						      s2 + n2 == end,
						      "len %zu cut at %zu and %zu",
						      len, c1, c2);
			}
		}
	}
}
