// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of the free-block indexes (gomem_treap.c, gomem_avl.c),
 * built from the very same files under ASan and UBSan.
 *
 * Fixed cases (GoMem's TestAllocator scaled by the granule, its find()
 * defect, the segment-free example, bad input) and a randomised run of more
 * than a million operations per index against a granule bitmap model, which
 * predicts every placement exactly (first fit for the treap, best fit for
 * the AVL).  Allocated granules are poisoned for ASan, so the index touching
 * anything but free memory is caught.  GOMEM_SEED repeats a run,
 * GOMEM_OPS changes its length.
 *
 * The quick cache (gomem_qcache.c) has fixed cases of its own (LIFO reuse,
 * depth and budget limits, no coalescing with parked blocks until a flush,
 * refused double frees, attach rules, allocations only a flush satisfies,
 * corruption the checker must see) and randomised runs with the cache
 * attached, map_min 0 and the default, where placement is checked only as
 * far as it is still defined: GOMEM_QC_OPS sets their length.
 */
#include <sanitizer/asan_interface.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "gomem_index.h"
#include "harness.h"
#include "kunit/gomem_range_model.h"

#define G GOMEM_GRANULE

struct ops {
	const char *name;
	bool best_fit;
	int (*init)(struct gomem_freeidx *fi, void *base, u32 nr);
	s64 (*alloc)(struct gomem_freeidx *fi, u32 n, u32 align);
	int (*free)(struct gomem_freeidx *fi, u32 start, u32 n);
	s64 (*find)(const struct gomem_freeidx *fi, u32 n);
	u32 (*largest)(const struct gomem_freeidx *fi);
	int (*walk)(const struct gomem_freeidx *fi, gomem_walk_fn fn, void *a);
	int (*check)(const struct gomem_freeidx *fi);
	/* The quick cache tests only: */
	int (*init_map)(struct gomem_freeidx *fi, void *base, u32 nr,
			unsigned long *map);
	void (*flush)(struct gomem_freeidx *fi, u32 min);
};

/*
 * The "+map" variants give the index an end map and make free use it at
 * any number of blocks (map_min 0), so that both ways of finding a freed
 * range's neighbours, the descent and the map, are proven on every case.
 */
static unsigned long *test_map;

static unsigned long *map_for(u32 nr)
{
	free(test_map);
	test_map = malloc(gomem_map_words(nr) * sizeof(*test_map));
	memset(test_map, 0xa5, gomem_map_words(nr) * sizeof(*test_map));
	return test_map;
}

static int treap_init_map(struct gomem_freeidx *fi, void *base, u32 nr)
{
	int ret = gomem_treap_init_map(fi, base, nr, map_for(nr));

	fi->map_min = 0;
	return ret;
}

static int avl_init_map(struct gomem_freeidx *fi, void *base, u32 nr)
{
	int ret = gomem_avl_init_map(fi, base, nr, map_for(nr));

	fi->map_min = 0;
	return ret;
}

static const struct ops indexes[] = {
	{ "treap", false, gomem_treap_init, gomem_treap_alloc, gomem_treap_free,
	  gomem_treap_find, gomem_treap_largest, gomem_treap_walk,
	  gomem_treap_check },
	{ "avl", true, gomem_avl_init, gomem_avl_alloc, gomem_avl_free,
	  gomem_avl_find, gomem_avl_largest, gomem_avl_walk, gomem_avl_check },
	{ "treap+map", false, treap_init_map, gomem_treap_alloc,
	  gomem_treap_free, gomem_treap_find, gomem_treap_largest,
	  gomem_treap_walk, gomem_treap_check },
	{ "avl+map", true, avl_init_map, gomem_avl_alloc, gomem_avl_free,
	  gomem_avl_find, gomem_avl_largest, gomem_avl_walk, gomem_avl_check },
};

static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static u32 rnd_below(u32 n)
{
	return n ? (u32)(rnd() % n) : 0;
}

/* ---- fixed cases ---- */

/* Expects blocks [0,5) and [20,1000), in that order. */
static int walk_fn(void *arg, u32 s, u32 n)
{
	u32 *k = arg;

	EXPECT_EQ(s, *k ? 20 : 0);
	EXPECT_EQ(n, *k ? 980 : 5);
	(*k)++;
	return 0;
}

static void fixed_cases(const struct ops *o)
{
	struct gomem_freeidx fi;
	char *buf = aligned_alloc(4096, ALIGN((size_t)(1000 * G), 4096));
	u32 walk_n = 0;

	/* GoMem TestAllocator, offsets and sizes in granules instead of bytes */
	EXPECT_EQ(o->init(&fi, buf, 1000), 0);
	EXPECT_EQ(o->alloc(&fi, 100, 1), 0);
	EXPECT_EQ(o->alloc(&fi, 200, 1), 100);
	EXPECT_EQ(o->free(&fi, 0, 299), 0);
	EXPECT_EQ(fi.free_granules, 999);
	EXPECT_EQ(o->free(&fi, 299, 1), 0);
	EXPECT_EQ(fi.free_granules, 1000);
	EXPECT_EQ(fi.nr_blocks, 1);
	EXPECT_EQ(o->alloc(&fi, 50, 1), 0);
	EXPECT_EQ(o->free(&fi, 0, 50), 0);
	EXPECT_EQ(o->alloc(&fi, 1000, 1), 0);
	EXPECT_EQ(o->alloc(&fi, 1, 1), -ENOMEM);
	EXPECT_EQ(o->free(&fi, 0, 1000), 0);
	EXPECT_EQ(o->check(&fi), 0);

	/*
	 * GoMem's find() defect: free [0,10) and [100,105) only; a request
	 * for 8 must succeed (at 0).
	 */
	EXPECT_EQ(o->alloc(&fi, 1000, 1), 0);
	EXPECT_EQ(o->free(&fi, 100, 5), 0);
	EXPECT_EQ(o->free(&fi, 0, 10), 0);
	EXPECT_EQ(o->check(&fi), 0);
	EXPECT_EQ(o->find(&fi, 7), 0);
	EXPECT_EQ(o->alloc(&fi, 8, 1), 0);
	EXPECT_EQ(o->alloc(&fi, 5, 1), 100);
	EXPECT_EQ(o->alloc(&fi, 3, 1), -ENOMEM);
	EXPECT_EQ(o->alloc(&fi, 2, 1), 8);
	EXPECT_EQ(fi.free_granules, 0);
	EXPECT_EQ(fi.nr_blocks, 0);
	EXPECT_EQ(o->largest(&fi), 0);
	EXPECT_EQ(o->check(&fi), 0);

	/* Bad input is refused whole: double free, overlap, out of range. */
	EXPECT_EQ(o->free(&fi, 0, 1000), 0);
	EXPECT_EQ(o->alloc(&fi, 10, 1), 0);
	EXPECT_EQ(o->free(&fi, 0, 11), -EINVAL);
	EXPECT_EQ(o->free(&fi, 5, 10), -EINVAL);
	EXPECT_EQ(o->free(&fi, 10, 1), -EINVAL);
	EXPECT_EQ(o->free(&fi, 0, 0), -EINVAL);
	EXPECT_EQ(o->free(&fi, 1000, 1), -EINVAL);
	EXPECT_EQ(o->free(&fi, 999, 2), -EINVAL);
	EXPECT_EQ(o->free(&fi, 1, 0xffffffffu), -EINVAL);
	EXPECT_EQ(o->alloc(&fi, 0, 1), -EINVAL);
	EXPECT_EQ(fi.free_granules, 990);
	EXPECT_EQ(o->check(&fi), 0);
	EXPECT_EQ(o->free(&fi, 0, 10), 0);

	/* Walk reports the blocks in address order. */
	EXPECT_EQ(o->alloc(&fi, 10, 1), 0);
	EXPECT_EQ(o->alloc(&fi, 10, 1), 10);
	EXPECT_EQ(o->free(&fi, 0, 5), 0);
	EXPECT_EQ(fi.nr_blocks, 2);
	EXPECT_EQ(o->largest(&fi), 980);
	EXPECT_EQ(o->walk(&fi, walk_fn, &walk_n), 0);
	EXPECT_EQ(walk_n, 2);
	free(buf);
}

/*
 * The rounding rule, exhaustively: for every allocation of 1..160 bytes at
 * granule a and every cut into three pieces, the pieces' granules are
 * [a, x), [x, y), [y, a + ceil(len / G)) for some x <= y: a partition.
 */
static void partition_rule(void)
{
	unsigned long bad = 0, cases = 0;
	size_t len, c1, c2;
	u32 a = 5;

	for (len = 1; len <= 160; len++) {
		size_t off = (size_t)a * G;
		u32 end = a + gomem_bytes_to_granules(len);

		for (c1 = 0; c1 <= len; c1++) {
			for (c2 = c1; c2 <= len; c2++) {
				u32 s0, n0, s1, n1, s2, n2;

				gomem_free_range_to_granules(off, c1, &s0, &n0);
				gomem_free_range_to_granules(off + c1, c2 - c1,
							     &s1, &n1);
				gomem_free_range_to_granules(off + c2, len - c2,
							     &s2, &n2);
				cases++;
				if (s0 != a || s0 + n0 != s1 || s1 + n1 != s2 ||
				    s2 + n2 != end)
					bad++;
			}
		}
	}
	EXPECT(bad == 0, "%lu of %lu partitions broke the rule", bad, cases);
}

/* ---- randomised run against a granule bitmap ---- */

#define NR_MAX	1024u
#define NR_BIG	5000u		/* the quick cache's run: three map levels */
static u32 NR;			/* granules in this run's region */
#define MAXP	4096

static u8 model[NR_BIG];		/* 1: allocated */
static struct piece { size_t bs, be; } pieces[MAXP];	/* live, in bytes */
static u32 nr_pieces;
static char *base;

static void poison(u32 s, u32 n, bool on)
{
	if (on)
		ASAN_POISON_MEMORY_REGION(base + (size_t)s * G, (size_t)n * G);
	else
		ASAN_UNPOISON_MEMORY_REGION(base + (size_t)s * G, (size_t)n * G);
}

/* Model placement: first fit or best fit for @n granules at @align. */
static s64 model_fit(bool best, u32 n, u32 align, u32 *blocks)
{
	return gomem_model_fit(model, NR, base, best, n, align, blocks, NULL);
}

static u32 model_free(void)
{
	u32 i, f = 0;

	for (i = 0; i < NR; i++)
		f += !model[i];
	return f;
}

static unsigned long fails;

#define CHECK_EQ(a, b, what) do {					\
	long long __a = (a), __b = (b);					\
	if (__a != __b && fails++ < 10)					\
		fprintf(stderr, "%s op %lu: %s: got %lld want %lld\n",	\
			o->name, op, what, __a, __b);			\
} while (0)

static void free_bytes(const struct ops *o, struct gomem_freeidx *fi,
		       unsigned long op, size_t bs, size_t be)
{
	u32 s, n, i, np;

	gomem_free_range_to_granules(bs, be - bs, &s, &n);
	if (!n)
		return;		/* holds no granule's first byte */
	/* The quick cache's policy, exactly (see gomem_qcache.c). */
	np = gomem_model_parked_after_free(fi, model, NR, s, n);
	poison(s, n, false);
	CHECK_EQ(o->free(fi, s, n), 0, "free");
	CHECK_EQ(fi->nr_parked, np, "free: parked or not");
	for (i = s; i < s + n; i++) {
		CHECK_EQ(model[i], 1, "model: freeing a free granule");
		model[i] = 0;
	}
}

/*
 * Free part of live piece @k, cut at random bytes: all of it (weight
 * @whole), a head, a tail or a middle (weight 1 each).
 * Return: the granules of a piece freed whole, else 0.
 */
static u32 free_piece(const struct ops *o, struct gomem_freeidx *fi,
		      unsigned long op, u32 k, u32 whole)
{
	struct piece *p = &pieces[k];
	size_t len = p->be - p->bs;
	size_t c1 = p->bs + rnd_below(len);
	size_t c2 = c1 + 1 + rnd_below(p->be - c1);
	u32 kind = rnd_below(whole + 3), g = 0;

	if (kind < whole) {
		g = gomem_bytes_to_granules(p->be) -
		    gomem_bytes_to_granules(p->bs);
		free_bytes(o, fi, op, p->bs, p->be);
		*p = pieces[--nr_pieces];
	} else if (kind == whole) {		/* a head */
		if (c1 == p->bs)
			c1++;
		if (c1 < p->be) {
			free_bytes(o, fi, op, p->bs, c1);
			p->bs = c1;
		}
	} else if (kind == whole + 1) {		/* a tail */
		if (c1 != p->bs) {
			free_bytes(o, fi, op, c1, p->be);
			p->be = c1;
		}
	} else if (c1 != p->bs && c2 < p->be && nr_pieces < MAXP) {
		free_bytes(o, fi, op, c1, c2);	/* a middle: two pieces */
		pieces[nr_pieces].bs = c2;
		pieces[nr_pieces].be = p->be;
		nr_pieces++;
		p->be = c1;
	}
	return g;
}

static void random_run(const struct ops *o, u32 nr, unsigned long nr_ops)
{
	struct gomem_freeidx fi;
	char *buf;
	unsigned long op, warn0 = gomem_shim_warnings;
	u32 i;

	NR = nr;
	buf = aligned_alloc(4096, ALIGN((size_t)((NR + 8) * G), 4096));
	base = buf + (size_t)rnd_below(8) * G;	/* vary the alignment phase */
	memset(model, 0, sizeof(model));
	nr_pieces = 0;
	fails = 0;
	o->init(&fi, base, NR);
	for (op = 0; op < nr_ops && fails < 10; op++) {
		u32 r = rnd_below(100);

		if (r < 40 && nr_pieces < MAXP) {
			/* alloc: mostly small, some big, some aligned */
			u32 n = rnd_below(8) ? 1 + rnd_below(min(16u, NR + 1)) :
					       1 + rnd_below(NR / 4 + 1);
			u32 align = rnd_below(5) ? 1 : 1u << rnd_below(6);
			size_t bytes = (size_t)n * G - rnd_below(G);
			s64 want = model_fit(o->best_fit, n, align, NULL);
			s64 got = o->alloc(&fi, n, align);

			CHECK_EQ(got, want, "alloc");
			if (got < 0)
				continue;
			for (i = got; i < got + n; i++)
				model[i] = 1;
			poison(got, n, true);
			pieces[nr_pieces].bs = (size_t)got * G;
			pieces[nr_pieces].be = (size_t)got * G + bytes;
			nr_pieces++;
		} else if (r < 80 && nr_pieces) {
			/* free all, a head, a tail or a middle, at any byte */
			free_piece(o, &fi, op, rnd_below(nr_pieces), 1);
		} else if (r < 90) {
			/* find, and write all the room it gives */
			u32 n = 1 + rnd_below(32);
			s64 want = model_fit(o->best_fit, n + 1, 1, NULL);
			s64 got = o->find(&fi, n);

			CHECK_EQ(got, want, "find");
			if (got >= 0)
				memset(base + (size_t)got * G, 0xa5,
				       (size_t)n * G);
		} else {
			/* bad free: overlaps free space or runs outside */
			u32 s = rnd_below(NR + 4), n = rnd_below(NR / 8 + 2);
			bool overlap = false, inside = n && s < NR &&
				n <= NR - s;
			u32 before = fi.free_granules, nb = fi.nr_blocks;

			for (i = s; inside && i < s + n; i++)
				overlap |= !model[i];
			if (inside && !overlap)
				continue;	/* would be a legal free */
			CHECK_EQ(o->free(&fi, s, n), -EINVAL, "bad free");
			CHECK_EQ(fi.free_granules, before, "bad free kept");
			CHECK_EQ(fi.nr_blocks, nb, "bad free kept blocks");
		}
		CHECK_EQ(fi.free_granules, model_free(), "free granules");
		if (op % 64 == 0 || op + 1 == nr_ops) {
			u32 blocks;

			model_fit(false, NR + 1, 1, &blocks);
			CHECK_EQ(fi.nr_blocks, blocks, "blocks");
			CHECK_EQ(o->check(&fi), 0, "check");
		}
	}
	EXPECT(fails == 0, "%s: %lu mismatches in %lu ops", o->name, fails,
	       op);
	EXPECT_EQ(gomem_shim_warnings, warn0);
	printf("%s: %lu random ops on %u granules, %u pieces live at the end\n",
	       o->name, op, NR, nr_pieces);
	/* Free what is left; the region must come back whole. */
	while (nr_pieces) {
		free_bytes(o, &fi, op, pieces[nr_pieces - 1].bs,
			   pieces[nr_pieces - 1].be);
		nr_pieces--;
	}
	EXPECT_EQ(fi.free_granules, NR);
	EXPECT_EQ(fi.nr_blocks, 1);
	EXPECT_EQ(o->check(&fi), 0);
	ASAN_UNPOISON_MEMORY_REGION(buf, (NR + 8) * G);
	free(buf);
}

/* The checker must notice corruption, or the run above proves little. */
static void checker_catches(const struct ops *o)
{
	struct gomem_freeidx fi;
	char *buf = aligned_alloc(4096, ALIGN((size_t)(64 * G), 4096));
	u32 *node;
	int i;

	o->init(&fi, buf, 64);
	o->alloc(&fi, 4, 1);
	o->alloc(&fi, 4, 1);
	o->free(&fi, 0, 4);
	EXPECT_EQ(o->check(&fi), 0);
	fi.free_granules++;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	fi.free_granules--;
	node = (u32 *)(buf + 3 * G);	/* node of block [0,4): size first */
	(*node)++;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	(*node)--;
	/* Each word after the size is a link or a maximum: break each. */
	for (i = 1; i <= 5; i++) {
		u32 save = node[i];

		node[i] = 6;	/* granule 5: allocated, no node there */
		EXPECT_EQ(o->check(&fi), -EUCLEAN);
		node[i] = save;
	}
	EXPECT_EQ(o->check(&fi), 0);
	if (fi.map) {
		/* Blocks [0,4) and [8,64): end bits 3 and 63; a stray bit. */
		static const u32 flip[] = { 3, 63, 10 };

		for (i = 0; i < ARRAY_SIZE(flip); i++) {
			fi.map[0] ^= BIT(flip[i]);
			EXPECT_EQ(o->check(&fi), -EUCLEAN);
			fi.map[0] ^= BIT(flip[i]);
		}
		EXPECT_EQ(o->check(&fi), 0);
	}
	free(buf);
	if (!fi.map)
		return;
	/* Summary levels: blocks [10,20) and [100,5000). */
	buf = aligned_alloc(4096, ALIGN((size_t)5000 * G, 4096));
	o->init(&fi, buf, 5000);
	EXPECT_EQ(fi.map_top, 2);
	o->alloc(&fi, 100, 1);
	o->free(&fi, 10, 10);
	EXPECT_EQ(o->check(&fi), 0);
	{
		/* Level 1: bits 0 (word 0: bit 19) and 78 (bit 4999). */
		static const u32 flip[] = { 0, 78, 5, 64 };
		unsigned long *l1 = fi.map + fi.map_off[1];

		for (i = 0; i < ARRAY_SIZE(flip); i++) {
			l1[flip[i] / BITS_PER_LONG] ^= BIT(flip[i] % BITS_PER_LONG);
			EXPECT_EQ(o->check(&fi), -EUCLEAN);
			l1[flip[i] / BITS_PER_LONG] ^= BIT(flip[i] % BITS_PER_LONG);
		}
		/* Level 2, the top: words 0 and 1 of level 1. */
		fi.map[fi.map_off[2]] ^= BIT(1);
		EXPECT_EQ(o->check(&fi), -EUCLEAN);
		fi.map[fi.map_off[2]] ^= BIT(1);
	}
	EXPECT_EQ(o->check(&fi), 0);
	free(buf);
}

/* ---- the quick cache ---- */

/*
 * The indexes with an end map and a quick cache attached.  Placement is no
 * longer first or best fit once blocks are parked, so these runs check
 * what still holds: every allocation is free in the model, an allocation
 * fails only if the model has no room for it, a hit on the cache takes the
 * last block parked of its size, the accounting, and the checker.
 */
static const struct ops cached[] = {
	{ .name = "treap+qc", .init_map = gomem_treap_init_map,
	  .alloc = gomem_treap_alloc, .free = gomem_treap_free,
	  .find = gomem_treap_find, .largest = gomem_treap_largest,
	  .walk = gomem_treap_walk, .check = gomem_treap_check,
	  .flush = gomem_treap_flush },
	{ .name = "avl+qc", .best_fit = true, .init_map = gomem_avl_init_map,
	  .alloc = gomem_avl_alloc, .free = gomem_avl_free,
	  .find = gomem_avl_find, .largest = gomem_avl_largest,
	  .walk = gomem_avl_walk, .check = gomem_avl_check,
	  .flush = gomem_avl_flush },
};

static struct gomem_qcache test_qc;

/* An index over @nr granules at @b with an end map, and @qc if not NULL. */
static void qc_setup(const struct ops *o, struct gomem_freeidx *fi, void *b,
		     u32 nr, u32 map_min, struct gomem_qcache *qc)
{
	EXPECT_EQ(o->init_map(fi, b, nr, map_for(nr)), 0);
	fi->map_min = map_min;
	if (qc)
		EXPECT_EQ(gomem_qc_attach(fi, qc), 0);
}

/* The tree's blocks, as the walk reports them. */
static struct { u32 s, n; } wb[NR_MAX + 1];
static u32 nwb;

static int collect_fn(void *arg, u32 s, u32 n)
{
	if (nwb <= NR_MAX) {
		wb[nwb].s = s;
		wb[nwb].n = n;
	}
	nwb++;
	return 0;
}

static void collect(const struct ops *o, const struct gomem_freeidx *fi)
{
	nwb = 0;
	o->walk(fi, collect_fn, NULL);
}

static bool in_walk(u32 s, u32 n)
{
	u32 i;

	for (i = 0; i < nwb && i <= NR_MAX; i++)
		if (wb[i].s == s && wb[i].n == n)
			return true;
	return false;
}

/* The region as chunks of 4 granules, every fourth one free: 64 blocks. */
static void qc_deep_tree(const struct ops *o, struct gomem_freeidx *fi,
			 char *b)
{
	u32 i, bad = 0;

	qc_setup(o, fi, b, 1024, GOMEM_MAP_MIN_BLOCKS, NULL);
	for (i = 0; i < 256; i++)
		bad += o->alloc(fi, 4, 1) != 4 * i;
	for (i = 0; i < 256; i += 4)
		bad += o->free(fi, 4 * i, 4) != 0;
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(fi->nr_blocks, 64);
	EXPECT_EQ(fi->free_granules, 256);
}

static void qc_fixed(const struct ops *o)
{
	struct gomem_freeidx fi;
	struct gomem_qcache *qc = &test_qc;
	char *buf = aligned_alloc(4096, (size_t)1024 * G);
	u32 i, k;

	/* The cache needs the end map. */
	EXPECT_EQ(o->init_map(&fi, buf, 1024, NULL), 0);
	EXPECT_EQ(gomem_qc_attach(&fi, qc), -EINVAL);
	EXPECT(!fi.qc, "attached without a map");
	EXPECT_EQ(o->check(&fi), 0);

	/*
	 * LIFO exact-size reuse in a deep tree (64 blocks, map_min 32).
	 * Chunks 4k + 2 touch no free block: they park under any policy.
	 */
	qc_deep_tree(o, &fi, buf);
	EXPECT_EQ(gomem_qc_attach(&fi, qc), 0);
	EXPECT_EQ(qc->budget, 256);
	EXPECT_EQ(o->free(&fi, 8, 4), 0);	/* A: chunk 2 */
	EXPECT_EQ(o->free(&fi, 24, 4), 0);	/* B: chunk 6 */
	EXPECT_EQ(fi.nr_parked, 2);
	EXPECT_EQ(fi.nr_blocks, 64);
	EXPECT_EQ(fi.free_granules, 264);
	EXPECT_EQ(qc->granules, 8);
	EXPECT_EQ(o->check(&fi), 0);
	EXPECT_EQ(o->alloc(&fi, 4, 1), 24);
	EXPECT_EQ(o->alloc(&fi, 4, 1), 8);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(fi.free_granules, 256);
	EXPECT_EQ(o->check(&fi), 0);

	/* An aligned request goes to the tree, parked blocks stay parked. */
	EXPECT_EQ(o->free(&fi, 8, 4), 0);
	EXPECT_EQ(o->alloc(&fi, 4, 4), 0);
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(fi.nr_blocks, 63);
	EXPECT_EQ(o->free(&fi, 0, 4), 0);	/* chunk 0 alone: parked */
	EXPECT_EQ(fi.nr_parked, 2);
	o->flush(&fi, 0);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(qc->granules, 0);
	EXPECT_EQ(fi.nr_blocks, 65);
	collect(o, &fi);
	EXPECT(in_walk(0, 4) && in_walk(8, 4), "flush lost a block");
	EXPECT_EQ(o->alloc(&fi, 4, 1), 0);	/* the tree: nothing parked */
	EXPECT_EQ(o->alloc(&fi, 4, 1), 8);
	EXPECT_EQ(o->free(&fi, 0, 4), 0);
	o->flush(&fi, 0);
	EXPECT_EQ(fi.nr_blocks, 64);
	EXPECT_EQ(o->check(&fi), 0);

	/* Depth: the 17th free of one size goes to the tree. */
	for (k = 0; k < 16; k++) {
		EXPECT_EQ(o->free(&fi, 16 * k + 8, 4), 0);	/* chunk 4k+2 */
		EXPECT_EQ(fi.nr_parked, k + 1);
	}
	EXPECT_EQ(qc->count[3], GOMEM_QC_DEPTH);
	EXPECT_EQ(o->free(&fi, 16 * 16 + 8, 4), 0);
	EXPECT_EQ(fi.nr_parked, 16);
	EXPECT_EQ(fi.nr_blocks, 65);
	EXPECT_EQ(fi.free_granules, 256 + 17 * 4);
	collect(o, &fi);
	EXPECT(in_walk(264, 4), "the 17th free did not enter the tree");
	EXPECT(!in_walk(8, 4), "a parked block in the tree");
	EXPECT_EQ(o->check(&fi), 0);

	/*
	 * Free blocks stay maximal: a freed range absorbs the parked blocks
	 * it touches and, touching a tree block, joins the tree.  Chunk 1
	 * takes parked chunk 2 along and joins chunk 0: one block [0,12).
	 */
	EXPECT_EQ(o->free(&fi, 4, 4), 0);
	EXPECT_EQ(fi.nr_parked, 15);
	EXPECT_EQ(fi.nr_blocks, 65);
	collect(o, &fi);
	EXPECT(in_walk(0, 12), "chunks 0, 1 and parked 2 are not one block");
	EXPECT_EQ(o->check(&fi), 0);

	/* Double frees and overlaps with parked blocks: refused, no change. */
	{
		static const u32 bad[][2] = {
			{ 8, 4 }, { 9, 2 }, { 11, 1 }, { 6, 4 }, { 10, 4 },
			{ 24, 8 }, { 26, 1 }, { 22, 3 }, { 0, 1024 },
		};
		u32 fg = fi.free_granules, nb = fi.nr_blocks;
		u32 np = fi.nr_parked, qg = qc->granules;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			EXPECT_EQ(o->free(&fi, bad[i][0], bad[i][1]), -EINVAL);
			EXPECT_EQ(fi.free_granules, fg);
			EXPECT_EQ(fi.nr_blocks, nb);
			EXPECT_EQ(fi.nr_parked, np);
			EXPECT_EQ(qc->granules, qg);
		}
		EXPECT_EQ(o->check(&fi), 0);
	}

	/* The cache changes only when empty. */
	EXPECT_EQ(gomem_qc_attach(&fi, qc), -EBUSY);
	EXPECT_EQ(gomem_qc_attach(&fi, NULL), -EBUSY);
	EXPECT(fi.qc == qc, "attach while parked changed the cache");

	/* Flush coalesces everything: maximal runs only. */
	o->flush(&fi, 0);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(fi.free_granules, 256 + 18 * 4);
	/* [0,12); chunks 4k and 4k + 2 for k = 1..16; chunks 4k after. */
	EXPECT_EQ(fi.nr_blocks, 80);
	collect(o, &fi);
	EXPECT_EQ(nwb, 80);
	EXPECT(in_walk(0, 12), "flush left [0,12) apart");
	for (k = 1; k <= 16; k++)
		EXPECT(in_walk(16 * k, 4) && in_walk(16 * k + 8, 4),
		       "blocks at %u missing", 16 * k);
	for (k = 17; k < 64; k++)
		EXPECT(in_walk(16 * k, 4), "block [%u,+4) missing", 16 * k);
	EXPECT_EQ(o->check(&fi), 0);
	EXPECT_EQ(gomem_qc_attach(&fi, NULL), 0);
	EXPECT(!fi.qc, "detach");
	EXPECT_EQ(o->free(&fi, 28, 4), 0);	/* no cache: the tree */
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(gomem_qc_attach(&fi, qc), 0);
	EXPECT_EQ(o->check(&fi), 0);

	/*
	 * Budget: a quarter of the region, 256 granules; map_min 0.
	 * Allocations [100i, 100i + 100) for i < 10, and [1000,1024).
	 */
	qc_setup(o, &fi, buf, 1024, 0, qc);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(o->alloc(&fi, 100, 1), 100 * i);
	EXPECT_EQ(o->alloc(&fi, 24, 1), 1000);
	EXPECT_EQ(o->free(&fi, 1000, 24), 0);	/* empty tree: no park */
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(fi.nr_blocks, 1);
	EXPECT_EQ(o->free(&fi, 0, 100), 0);
	EXPECT_EQ(o->free(&fi, 200, 100), 0);
	EXPECT_EQ(fi.nr_parked, 2);
	EXPECT_EQ(qc->granules, 200);
	EXPECT_EQ(o->free(&fi, 400, 100), 0);	/* 300 > 256: the tree */
	EXPECT_EQ(fi.nr_parked, 2);
	EXPECT_EQ(fi.nr_blocks, 2);
	EXPECT_EQ(o->free(&fi, 600, 56), 0);	/* exactly 256: parked */
	EXPECT_EQ(fi.nr_parked, 3);
	EXPECT_EQ(qc->granules, 256);
	EXPECT_EQ(o->free(&fi, 800, 1), 0);	/* 257: the tree */
	EXPECT_EQ(fi.nr_parked, 3);
	EXPECT_EQ(fi.nr_blocks, 3);
	EXPECT_EQ(fi.free_granules, 24 + 200 + 100 + 56 + 1);
	EXPECT_EQ(o->check(&fi), 0);

	/*
	 * [100,200) between two parked blocks absorbs both: [0,300) is too
	 * big to park and goes to the tree; [300,400) joins it and
	 * [400,500): the tree's largest is 500, nothing to flush for it.
	 */
	EXPECT_EQ(o->free(&fi, 100, 100), 0);
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(fi.nr_blocks, 4);
	EXPECT_EQ(o->largest(&fi), 300);
	EXPECT_EQ(o->free(&fi, 300, 100), 0);
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(fi.nr_blocks, 3);
	EXPECT_EQ(o->largest(&fi), 500);
	EXPECT_EQ(o->check(&fi), 0);
	EXPECT_EQ(o->alloc(&fi, 500, 1), 0);
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(qc->granules, 56);
	EXPECT_EQ(o->check(&fi), 0);
	/*
	 * No run of 57 anywhere: blocks never touch, so flushing cannot
	 * make one; only a parked block of 57 or more would help.
	 */
	EXPECT_EQ(o->alloc(&fi, 57, 1), -ENOMEM);
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(o->alloc(&fi, 56, 1), 600);
	EXPECT_EQ(o->alloc(&fi, 24, 8), 1000);
	EXPECT_EQ(o->alloc(&fi, 1, 1), 800);
	EXPECT_EQ(fi.free_granules, 0);
	EXPECT_EQ(o->check(&fi), 0);
	/*
	 * An allocation only a parked block holds flushes it: [500,510)
	 * in the tree, [300,400) parked; then 50 granules, aligned too.
	 */
	EXPECT_EQ(o->free(&fi, 500, 10), 0);	/* the tree: empty before */
	EXPECT_EQ(o->free(&fi, 300, 100), 0);	/* parked */
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(o->alloc(&fi, 50, 1), 300);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(o->free(&fi, 300, 50), 0);	/* joins [350,400) */
	EXPECT_EQ(o->alloc(&fi, 100, 1), 300);
	EXPECT_EQ(o->free(&fi, 300, 100), 0);	/* parked again */
	EXPECT_EQ(fi.nr_parked, 1);
	EXPECT_EQ(o->alloc(&fi, 50, 2), 300);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(o->check(&fi), 0);
	free(buf);
}

/* The checker must see a broken cache (invariant 6); put each one back. */
static void qc_checker_catches(const struct ops *o)
{
	struct gomem_freeidx fi;
	struct gomem_qcache *qc = &test_qc;
	char *buf = aligned_alloc(4096, ALIGN((size_t)64 * G, 4096));
	u32 save, *size;
	u8 *tag;

	qc_setup(o, &fi, buf, 64, 0, qc);
	o->alloc(&fi, 4, 1);
	o->alloc(&fi, 4, 1);
	o->alloc(&fi, 4, 1);
	o->alloc(&fi, 4, 1);
	/* Tree [16,64); parked [0,4), [8,12) of class 3 and [13,15). */
	EXPECT_EQ(o->free(&fi, 0, 4), 0);
	EXPECT_EQ(o->free(&fi, 8, 4), 0);
	EXPECT_EQ(o->free(&fi, 13, 2), 0);
	EXPECT_EQ(fi.nr_parked, 3);
	EXPECT_EQ(qc->slot[3][0], 4);
	EXPECT_EQ(qc->slot[3][1], 12);
	EXPECT_EQ(o->check(&fi), 0);

	/* A duplicated slot: block [8,12) is parked in no slot. */
	save = qc->slot[3][1];
	qc->slot[3][1] = qc->slot[3][0];
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->slot[3][1] = save;
	EXPECT_EQ(o->check(&fi), 0);

	/* A parked block's tag lost, a tree node's tag set. */
	tag = gomem_node_tag(&fi, 4);
	*tag = 0;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	*tag = GOMEM_PARKED;
	tag = gomem_node_tag(&fi, 64);
	*tag = GOMEM_PARKED;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	*tag = 0;
	EXPECT_EQ(o->check(&fi), 0);

	/* A slot's block of the wrong size, both ways. */
	size = (u32 *)(buf + 11 * G);	/* node of [8,12) */
	(*size)++;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	*size -= 2;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	(*size)++;
	/* A slot in the wrong class. */
	qc->slot[1][0] = 4;
	qc->slot[3][0] = 15;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->slot[1][0] = 15;
	qc->slot[3][0] = 4;
	EXPECT_EQ(o->check(&fi), 0);

	/* The counts: nr_parked, granules, count, the non-empty set, budget. */
	fi.nr_parked++;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	fi.nr_parked -= 2;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	fi.nr_parked++;
	qc->granules++;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->granules--;
	/* A slot dropped with every count to match: the block is lost. */
	qc->count[3]--;
	fi.nr_parked--;
	qc->granules -= 4;
	fi.free_granules -= 4;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->count[3]++;
	fi.nr_parked++;
	qc->granules += 4;
	fi.free_granules += 4;
	qc->nonempty[0] &= ~BIT(1);
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->nonempty[0] |= BIT(1);
	qc->nonempty[0] |= BIT(5);
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->nonempty[0] &= ~BIT(5);
	save = qc->budget;
	qc->budget = qc->granules - 1;
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	qc->budget = save;
	/* A parked block's map bit. */
	fi.map[0] ^= BIT(11);
	EXPECT_EQ(o->check(&fi), -EUCLEAN);
	fi.map[0] ^= BIT(11);
	EXPECT_EQ(o->check(&fi), 0);
	o->flush(&fi, 0);
	EXPECT_EQ(o->check(&fi), 0);
	free(buf);
}

/* Tree blocks and parked blocks: disjoint, exactly the model's free set. */
static u8 cover[NR_BIG];
static bool qc_cover_ok(const struct ops *o, const struct gomem_freeidx *fi)
{
	return gomem_model_cover_ok(fi, o->walk, model, NR, cover);
}

static u32 model_largest(void)
{
	u32 i = 0, best = 0;

	while (i < NR) {
		u32 s;

		for (s = i; i < NR && !model[i]; i++)
			;
		best = max(best, i - s);
		i++;
	}
	return best;
}

/* A free attempt the index must refuse, leaving everything as it was. */
static void qc_bad_free(const struct ops *o, struct gomem_freeidx *fi,
			unsigned long op)
{
	const struct gomem_qcache *qc = fi->qc;
	u32 fg = fi->free_granules, nb = fi->nr_blocks, np = fi->nr_parked;
	u32 qg = qc->granules, s, n, g = NR, c, i, k;
	bool overlap = false;

	if (fi->nr_parked && rnd_below(2)) {
		/* A parked block: the whole of it, or a range into it. */
		for (c = rnd_below(GOMEM_QC_CLASSES); !qc->count[c];
		     c = (c + 1) % GOMEM_QC_CLASSES)
			;
		s = qc->slot[c][rnd_below(qc->count[c])] - (c + 1);
		if (rnd_below(3)) {
			n = c + 1;	/* exactly a double free */
			goto try;
		}
		g = s + rnd_below(c + 1);
	} else {
		/* Any free granule. */
		for (k = rnd_below(NR), i = 0; i < NR; i++, k = (k + 1) % NR) {
			if (!model[k]) {
				g = k;
				break;
			}
		}
	}
	if (g >= NR) {
		/* Nothing free: out of range instead. */
		s = NR - rnd_below(min(NR, 4u));
		n = 1 + rnd_below(8);
		if (s < NR && n <= NR - s)
			return;
		goto try;
	}
	s = g - rnd_below(min(g, 16u) + 1);
	n = g - s + 1 + rnd_below(min(NR - g, 16u));
try:
	for (i = s; i < s + n && i < NR; i++)
		overlap |= !model[i];
	if (s < NR && n <= NR - s && !overlap)
		return;		/* legal after all */
	CHECK_EQ(o->free(fi, s, n), -EINVAL, "bad free");
	CHECK_EQ(fi->free_granules, fg, "bad free kept free_granules");
	CHECK_EQ(fi->nr_blocks, nb, "bad free kept nr_blocks");
	CHECK_EQ(fi->nr_parked, np, "bad free kept nr_parked");
	CHECK_EQ(qc->granules, qg, "bad free kept parked granules");
}

/*
 * Random run with the quick cache attached: allocs (a third of them cache
 * sizes of 1..8 granules, a third up to 128, some aligned), frees of whole
 * allocations and of byte pieces, refused frees, flushes, finds.  The
 * checker and the coverage test run every @every ops.
 */
static void qc_run(const struct ops *o, u32 nr, unsigned long nr_ops,
		   u32 map_min, unsigned long every, bool small)
{
	struct gomem_freeidx fi;
	struct gomem_qcache *qc = &test_qc;
	unsigned long op, hits = 0, flushing = 0, warn0 = gomem_shim_warnings;
	u32 i, max_parked = 0, last_n = 0;
	char *buf;

	NR = nr;
	buf = aligned_alloc(4096, ALIGN((size_t)((NR + 8) * G), 4096));
	base = buf + (size_t)rnd_below(8) * G;
	memset(model, 0, sizeof(model));
	nr_pieces = 0;
	fails = 0;
	qc_setup(o, &fi, base, NR, map_min, qc);
	for (op = 0; op < nr_ops && fails < 10; op++) {
		u32 r = rnd_below(100), np = fi.nr_parked;
		/* Keep about half the region free, so that frees can park. */
		u32 p_alloc = fi.free_granules * 2 > NR ? 50 : 30;

		if (r < p_alloc && nr_pieces < MAXP) {
			u32 n, align = rnd_below(6) ? 1 : 1u << rnd_below(6);
			s64 got, want = -1, lifo = -1;
			size_t bytes;
			bool fits;

			r = rnd_below(small ? 10 : 20);
			if (small)
				align = 1;
			if (r < 5 && last_n)
				n = last_n;	/* the size just freed */
			else if (r < 10)
				n = 1 + rnd_below(min(8u, NR));
			else if (r < 16)
				n = 1 + rnd_below(min(GOMEM_QC_CLASSES, NR));
			else if (r < 19)
				n = 1 + rnd_below(NR / 4 + 1);
			else
				n = 1 + rnd_below(NR + 1);
			bytes = (size_t)n * G - rnd_below(G);
			if (align <= 1 && gomem_qc_has(&fi, n))
				lifo = qc->slot[n - 1][qc->count[n - 1] - 1] - n;
			else if (!np)	/* nothing parked: the tree's policy */
				want = model_fit(o->best_fit, n, align, NULL);
			/* A fit in the tree: no flush. */
			fits = lifo < 0 && align <= 1 && np &&
			       o->largest(&fi) >= n;
			got = o->alloc(&fi, n, align);
			if (fits)
				CHECK_EQ(fi.nr_parked, np, "alloc: needless flush");
			if (lifo >= 0) {
				CHECK_EQ(got, lifo, "alloc: last parked");
				hits++;
			} else if (!np) {
				CHECK_EQ(got, want, "alloc: placement");
			} else if (fi.nr_parked < np) {
				flushing++;
			}
			if (got < 0) {
				CHECK_EQ(got, -ENOMEM, "alloc error");
				CHECK_EQ(model_fit(false, n, align, NULL),
					 -ENOMEM, "alloc failed with room");
				goto checks;
			}
			CHECK_EQ(got + n <= NR, 1, "alloc in the region");
			if (got + n > NR)
				goto checks;
			if (align > 1)
				CHECK_EQ(gomem_align_start(base, got, align),
					 got, "alloc aligned");
			for (i = got; i < got + n; i++) {
				CHECK_EQ(model[i], 0, "alloc of a used granule");
				model[i] = 1;
			}
			/* User data: a stale tag byte would read as parked. */
			memset(base + (size_t)got * G, GOMEM_PARKED,
			       (size_t)n * G);
			poison(got, n, true);
			pieces[nr_pieces].bs = (size_t)got * G;
			pieces[nr_pieces].be = (size_t)got * G + bytes;
			nr_pieces++;
		} else if (r < 82 && nr_pieces) {
			u32 g = free_piece(o, &fi, op, rnd_below(nr_pieces), 2);

			if (g)
				last_n = g;
		} else if (r < 93) {
			qc_bad_free(o, &fi, op);
		} else if (r < 99) {
			/* find and largest see the tree only */
			u32 n = 1 + rnd_below(32);
			s64 got = o->find(&fi, n);

			if (!np)
				CHECK_EQ(got, model_fit(o->best_fit, n + 1, 1,
							NULL), "find");
			if (got >= 0) {
				CHECK_EQ(got + n < NR, 1, "find in the region");
				for (i = got; i <= got + n && i < NR; i++)
					CHECK_EQ(model[i], 0, "find: used");
				memset(base + (size_t)got * G, 0xa5,
				       (size_t)n * G);
			}
			if (np)
				CHECK_EQ(o->largest(&fi) <= model_largest(), 1,
					 "largest");
			else
				CHECK_EQ(o->largest(&fi), model_largest(),
					 "largest");
		} else {
			u32 blocks;

			if (np)
				CHECK_EQ(gomem_qc_attach(&fi, qc), -EBUSY,
					 "attach while parked");
			o->flush(&fi, 0);
			CHECK_EQ(fi.nr_parked, 0, "flush: nr_parked");
			CHECK_EQ(qc->granules, 0, "flush: parked granules");
			model_fit(false, NR + 1, 1, &blocks);
			CHECK_EQ(fi.nr_blocks, blocks, "flush: maximal runs");
			if (rnd_below(2))
				CHECK_EQ(gomem_qc_attach(&fi, qc), 0, "attach");
		}
checks:
		max_parked = max(max_parked, fi.nr_parked);
		CHECK_EQ(fi.free_granules, model_free(), "free granules");
		CHECK_EQ(qc->granules <= qc->budget, 1, "budget");
		if (!fi.nr_parked) {
			u32 blocks;

			model_fit(false, NR + 1, 1, &blocks);
			CHECK_EQ(fi.nr_blocks, blocks, "blocks, none parked");
		}
		if (op % every == 0 || op + 1 == nr_ops) {
			CHECK_EQ(o->check(&fi), 0, "check");
			CHECK_EQ(qc_cover_ok(o, &fi), 1, "tree + parked = free");
		}
	}
	EXPECT(fails == 0, "%s: %lu mismatches in %lu ops", o->name, fails,
	       op);
	EXPECT_EQ(gomem_shim_warnings, warn0);
	if (NR >= 64 && nr_ops >= 10000) {
		EXPECT(hits > 0, "%s: no cache hit", o->name);
		EXPECT(max_parked > 0, "%s: nothing parked", o->name);
	}
	printf("%s: %lu random ops on %u granules, map_min %u%s: ", o->name,
	       op, NR, map_min, small ? ", small sizes" : "");
	printf("%lu cache hits, %lu flushing allocs, at most %u parked\n",
	       hits, flushing, max_parked);
	while (nr_pieces) {
		free_bytes(o, &fi, op, pieces[nr_pieces - 1].bs,
			   pieces[nr_pieces - 1].be);
		nr_pieces--;
	}
	o->flush(&fi, 0);
	EXPECT_EQ(fi.free_granules, NR);
	EXPECT_EQ(fi.nr_blocks, 1);
	EXPECT_EQ(fi.nr_parked, 0);
	EXPECT_EQ(o->check(&fi), 0);
	ASAN_UNPOISON_MEMORY_REGION(buf, (NR + 8) * G);
	free(buf);
}

int main(void)
{
	unsigned long seed = harness_seed();
	const char *env = getenv("GOMEM_OPS");
	unsigned long nr_ops = env ? strtoul(env, NULL, 0) : 1100000;
	const char *qenv = getenv("GOMEM_QC_OPS");
	unsigned long qc_ops = qenv ? strtoul(qenv, NULL, 0) : 400000;
	size_t i;

	partition_rule();
	for (i = 0; i < ARRAY_SIZE(indexes); i++) {
		rng_state = seed * 2 + 1 + i;
		fixed_cases(&indexes[i]);
		checker_catches(&indexes[i]);
		random_run(&indexes[i], NR_MAX, nr_ops);
		/* Tiny regions: blocks of one granule, node and data alike. */
		random_run(&indexes[i], 1, 20000);
		random_run(&indexes[i], 2, 20000);
		random_run(&indexes[i], 7, 50000);
	}
	for (i = 0; i < ARRAY_SIZE(cached); i++) {
		const struct ops *o = &cached[i];

		rng_state = seed * 2 + 101 + i;
		qc_fixed(o);
		qc_checker_catches(o);
		qc_run(o, NR_MAX, qc_ops, 0, 64, false);
		qc_run(o, NR_MAX, qc_ops / 2, GOMEM_MAP_MIN_BLOCKS, 64, false);
		/* Sizes 1..8 only, no alignment: deep classes, full budget. */
		qc_run(o, NR_MAX, qc_ops / 4, 0, 64, true);
		qc_run(o, NR_BIG, qc_ops / 8, 0, 256, false);
		/* Slow: checker and coverage after every op. */
		qc_run(o, 96, qc_ops / 20, 0, 1, false);
		qc_run(o, 300, qc_ops / 20, 0, 1, false);
		qc_run(o, 300, qc_ops / 20, 0, 1, true);
		qc_run(o, 1, 5000, 0, 1, false);
		qc_run(o, 7, 20000, 0, 1, false);
	}
	return harness_done("index_test");
}
