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
#include "../gomem_index.h"
#include "../gomem_internal.h"
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

static u32 range_rnd(struct range_run *r, u32 below)
{
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return below ? (u32)((r->rng * 0x2545f4914f6cdd1dull >> 32) % below) :
		       0;
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

static bool range_free_bytes(struct range_run *r, size_t bs,
				    size_t be)
{
	struct kunit *test = r->test;
	u32 s, n, i;

	gomem_free_range_to_granules(bs, be - bs, &s, &n);
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
static bool range_fit_ok(struct range_run *r, s64 got, s64 want,
				u32 n, u32 align)
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
void range_random_run(struct kunit *test,
				    const struct range_ops *o, void *ctx,
				    void *base, u32 nr, u64 seed,
				    unsigned long nr_ops,
				    unsigned long check_every)
{
	struct range_run r = {
		.test = test, .o = o, .ctx = ctx, .base = base, .nr = nr,
		.max_pieces = nr, .rng = seed * 2 + 1,
	};

	r.map = kunit_kzalloc(test, nr, GFP_KERNEL);
	r.pieces = kunit_kcalloc(test, nr, sizeof(*r.pieces), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.map);
	KUNIT_ASSERT_NOT_NULL(test, r.pieces);
	for (r.op = 0; r.op < nr_ops; r.op++) {
		if (!range_step(&r))
			return;
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
				return;
		}
	}
	/* Free what is left: the region comes back as one block. */
	while (r.nr_pieces) {
		r.nr_pieces--;
		if (!range_free_bytes(&r, r.pieces[r.nr_pieces].bs,
				      r.pieces[r.nr_pieces].be))
			return;
	}
	KUNIT_EXPECT_EQ(test, o->free_bytes(ctx), (size_t)nr * GOMEM_GRANULE);
	KUNIT_EXPECT_EQ(test, o->nr_blocks(ctx), (size_t)1);
	KUNIT_EXPECT_EQ(test, o->check(ctx), 0);
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

/*
 * GoMem's TestAllocator, offsets and sizes in granules instead of bytes:
 * alloc 100 -> 0, alloc 200 -> 100, free [0,299) leaves 999 free,
 * free [299,300), alloc 50 -> 0, free it, alloc 1000 -> 0.
 */
void idx_gomem_sequence(struct kunit *test,
				      const struct idx_ops *o)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, o->init(&fi, idx_region(test, 1000), 1000), 0);
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
void idx_complete_search(struct kunit *test,
				       const struct idx_ops *o)
{
	struct gomem_freeidx fi;

	KUNIT_ASSERT_EQ(test, o->init(&fi, idx_region(test, 1000), 1000), 0);
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

	KUNIT_ASSERT_EQ(test, o->init(&fi, base, 128), 0);
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

	KUNIT_ASSERT_EQ(test, o->init(&fi, idx_region(test, 1000), 1000), 0);
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
void idx_checker_catches(struct kunit *test,
				       const struct idx_ops *o)
{
	struct gomem_freeidx fi;
	char *base = idx_region(test, 64);
	u32 *node = (u32 *)(base + 3 * GOMEM_GRANULE);	/* block [0,4) */
	int i;

	KUNIT_ASSERT_EQ(test, o->init(&fi, base, 64), 0);
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
void idx_random(struct kunit *test, const struct idx_ops *o,
			      u64 seed, u32 nr, unsigned long nr_ops,
			      unsigned long check_every, enum idx_mode mode)
{
	struct idx_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct range_ops *bytes = kunit_kmalloc(test, sizeof(*bytes),
						GFP_KERNEL);
	void *base;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, bytes);
	*bytes = *o->bytes;
	base = idx_region(test, nr);
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
