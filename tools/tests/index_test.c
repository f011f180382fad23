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
 */
#include <sanitizer/asan_interface.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "gomem_index.h"
#include "harness.h"

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
static u32 NR;			/* granules in this run's region */
#define MAXP	4096

static u8 model[NR_MAX];		/* 1: allocated */
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
	s64 found = -ENOMEM;
	u32 i = 0, found_len = 0, nb = 0;

	while (i < NR) {
		u32 s, len;
		u64 a;

		if (model[i]) {
			i++;
			continue;
		}
		for (s = i; i < NR && !model[i]; i++)
			;
		len = i - s;
		nb++;
		a = gomem_align_start(base, s, align ? align : 1);
		if (a + n > i)
			continue;
		if (found < 0 || (best && len < found_len)) {
			found = a;
			found_len = len;
			if (!best && !blocks)
				break;
		}
	}
	if (blocks)
		*blocks = nb;
	return found;
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
	u32 s, n, i;

	gomem_free_range_to_granules(bs, be - bs, &s, &n);
	if (!n)
		return;		/* holds no granule's first byte */
	poison(s, n, false);
	CHECK_EQ(o->free(fi, s, n), 0, "free");
	for (i = s; i < s + n; i++) {
		CHECK_EQ(model[i], 1, "model: freeing a free granule");
		model[i] = 0;
	}
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
			u32 k = rnd_below(nr_pieces);
			struct piece *p = &pieces[k];
			size_t len = p->be - p->bs;
			size_t c1 = p->bs + rnd_below(len);
			size_t c2 = c1 + 1 + rnd_below(p->be - c1);

			switch (rnd_below(4)) {
			case 0:
				free_bytes(o, &fi, op, p->bs, p->be);
				*p = pieces[--nr_pieces];
				break;
			case 1:
				if (c1 == p->bs)
					c1++;
				if (c1 >= p->be)
					break;
				free_bytes(o, &fi, op, p->bs, c1);
				p->bs = c1;
				break;
			case 2:
				if (c1 == p->bs)
					break;
				free_bytes(o, &fi, op, c1, p->be);
				p->be = c1;
				break;
			default:
				if (c1 == p->bs || c2 >= p->be ||
				    nr_pieces >= MAXP)
					break;
				free_bytes(o, &fi, op, c1, c2);
				pieces[nr_pieces].bs = c2;
				pieces[nr_pieces].be = p->be;
				nr_pieces++;
				p->be = c1;
				break;
			}
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

int main(void)
{
	unsigned long seed = harness_seed();
	const char *env = getenv("GOMEM_OPS");
	unsigned long nr_ops = env ? strtoul(env, NULL, 0) : 1100000;
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
	return harness_done("index_test");
}
