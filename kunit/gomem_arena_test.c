// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_arena: the arena API (gomem_arena.c) over both indexes;
 * every case runs with the treap and with the AVL index, without the quick
 * cache (placement exactly the index's), and most also with it, parking
 * from the second free block on (map_min 0).  Sizes are in bytes; the
 * granule is GOMEM_GRANULE (G, 32 bytes).
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <gomem/gomem.h>
#include "../gomem_internal.h"
#include "../gomem_report.h"
#include "gomem_kunit.h"
#include "gomem_range_kunit.h"

#define G GOMEM_GRANULE

/* 0: a random seed per run; set it to repeat a run (the log prints it). */
static ulong arena_seed;
module_param(arena_seed, ulong, 0444);
MODULE_PARM_DESC(arena_seed, "seed of the gomem_arena random cases (0: random)");

struct arena_param {
	enum gomem_index index;
	bool quick;
	const char *name;
};

/* The first two: exact placement; all four: the quick cache too. */
static const struct arena_param arena_params[] = {
	{ .index = GOMEM_INDEX_TREAP, .name = "treap" },
	{ .index = GOMEM_INDEX_AVL, .name = "avl" },
	{ .index = GOMEM_INDEX_TREAP, .quick = true, .name = "treap+qc" },
	{ .index = GOMEM_INDEX_AVL, .quick = true, .name = "avl+qc" },
};

static void arena_param_desc(const struct arena_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

static const void *arena_index_gen_params(const void *prev, char *desc)
{
	const struct arena_param *p = prev ? (const struct arena_param *)prev + 1 :
					     arena_params;

	if (p >= arena_params + 2)
		return NULL;
	arena_param_desc(p, desc);
	return p;
}

KUNIT_ARRAY_PARAM(arena_all, arena_params, arena_param_desc);

static const struct arena_param *param(struct kunit *test)
{
	return test->param_value;
}

static enum gomem_index param_index(struct kunit *test)
{
	return param(test)->index;
}

static int arena_res_init(struct kunit_resource *res, void *arena)
{
	res->data = arena;
	return 0;
}

static void arena_res_free(struct kunit_resource *res)
{
	gomem_arena_destroy(res->data);
}

/* A fresh arena of @size bytes with the case's index, destroyed at exit. */
static struct gomem_arena *new_arena(struct kunit *test, size_t size)
{
	struct gomem_arena *a = gomem_arena_create(size, param_index(test),
						   GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	if (!kunit_alloc_resource(test, arena_res_init, arena_res_free,
				  GFP_KERNEL, a)) {
		gomem_arena_destroy(a);
		GOMEM_KUNIT_ABORT(test, "no memory for a KUnit resource");
	}
	KUNIT_ASSERT_EQ(test, gomem_arena_set_quick_cache(a, param(test)->quick),
			0);
	if (param(test)->quick)
		a->fi.map_min = 0;	/* park from the second block on */
	return a;
}

static long bad_input_count(void)
{
	return gomem_stat_read(GOMEM_STAT_ARENA_BAD_INPUT);
}

/*
 * GoMem's TestAllocator scaled by G (its offsets assume bytes; ours are
 * granules of G bytes): arena of 1000 G; alloc 100 G -> 0, 200 G -> 100 G,
 * free [0, 299 G) leaves 999 G free, free the last G, alloc 50 G -> 0,
 * free it, alloc 1000 G -> 0.
 */
static void arena_gomem_testallocator_scaled(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 1000 * G);
	char *base = gomem_arena_alloc(a, 100 * G);

	KUNIT_ASSERT_NOT_NULL(test, base);
	KUNIT_EXPECT_EQ(test, gomem_arena_size(a), (size_t)1000 * G);
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 200 * G),
			    (void *)(base + 100 * G));
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, base, 299 * G), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), (size_t)999 * G);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, base + 299 * G, G), 0);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 50 * G), (void *)base);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, base, 50 * G), 0);
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 1000 * G),
			    (void *)base);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), (size_t)0);
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc(a, 1));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
}

/*
 * GoMem's segment free: an allocation freed in three pieces, in each of the
 * six orders, returns exactly the allocation.  Once with GoMem's 1024 bytes
 * cut at 256 and 512, once with 1000 bytes cut at odd bytes 100 and 517.
 *
 *   |alloc A (the pieces)|alloc B (a fence)|free ...|
 */
static void arena_partial_free_any_order_is_exact(struct kunit *test)
{
	static const u8 orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	static const size_t cuts[2][4] = {
		{ 0, 256, 512, 1024 }, { 0, 100, 517, 1000 },
	};
	struct gomem_arena *a = new_arena(test, 64 * 1024);
	size_t full = gomem_arena_free_bytes(a);
	int c, o, i;

	for (c = 0; c < 2; c++) {
		for (o = 0; o < 6; o++) {
			const size_t *cut = cuts[c];
			char *p = gomem_arena_alloc(a, cut[3]);
			char *fence = gomem_arena_alloc(a, 1);
			size_t before = gomem_arena_free_bytes(a);

			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_ASSERT_NOT_NULL(test, fence);
			for (i = 0; i < 3; i++) {
				int k = orders[o][i];
				size_t len = cut[k + 1] - cut[k];

				KUNIT_EXPECT_EQ(test,
						gomem_arena_free(a, p + cut[k], len),
						0);
				KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
			}
			KUNIT_EXPECT_EQ_MSG(test, gomem_arena_free_bytes(a),
					    before + ALIGN(cut[3], G),
					    "cuts %d order %d", c, o);
			KUNIT_EXPECT_EQ(test, gomem_arena_free(a, fence, 1), 0);
			KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), full);
			KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a),
					(size_t)1);
		}
	}
}

/*
 * FreeRest: keep the head of an allocation and free its tail from any byte
 * offset; the granule holding the cut stays with the head.  Then the head
 * goes too and the arena is whole again.
 */
static void arena_tail_free_from_any_byte_offset(struct kunit *test)
{
	static const size_t offs[] = { 1, 31, 32, 33, 100, 500, 999 };
	struct gomem_arena *a = new_arena(test, 16 * 1024);
	size_t full = gomem_arena_free_bytes(a);
	int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		char *p = gomem_arena_alloc(a, 1000);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p + offs[i],
						       1000 - offs[i]), 0);
		KUNIT_EXPECT_EQ_MSG(test, gomem_arena_free_bytes(a),
				    full - ALIGN(offs[i], G), "cut at %zu",
				    offs[i]);
		/* The kept head is still allocated: freeing it again works. */
		KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p, offs[i]), 0);
		KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
		KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	}
}

/* Aligned allocations land on the alignment and waste nothing for good. */
static void arena_aligned_alloc(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 64 * 1024);
	size_t aligns[] = { 1, 8, 32, 64, 256, 4096, 16384 };
	void *p[ARRAY_SIZE(aligns)];
	long bad = bad_input_count();
	int i;

	KUNIT_ASSERT_NOT_NULL(test, gomem_arena_alloc(a, 40));	/* skew */
	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t want = max_t(size_t, aligns[i], G);

		p[i] = gomem_arena_alloc_aligned(a, 100, aligns[i]);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_TRUE_MSG(test,
				      IS_ALIGNED((unsigned long)p[i], want),
				      "align %zu", aligns[i]);
	}
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc_aligned(a, 100, 128 * 1024));
	range_quiet(true);
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc_aligned(a, 100, 48));
	range_quiet(false);
	KUNIT_EXPECT_EQ(test, bad_input_count(), bad + 1);
	for (i = 0; i < ARRAY_SIZE(aligns); i++)
		KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p[i], 100), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), (size_t)1);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a),
			gomem_arena_size(a) - ALIGN(40, G));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
}

/* Fill with 64-byte blocks until full, free all, and fill again. */
static void arena_exhaustion_and_refill(struct kunit *test)
{
	const size_t size = 16 * 1024, n = size / 64;
	struct gomem_arena *a = new_arena(test, size);
	void **p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	int round;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			p[i] = gomem_arena_alloc(a, 64);
			KUNIT_ASSERT_NOT_NULL(test, p[i]);
		}
		KUNIT_EXPECT_NULL(test, gomem_arena_alloc(a, 1));
		KUNIT_EXPECT_NULL(test, gomem_arena_find(a, 1));
		KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), (size_t)0);
		KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
		/* Free every other block, then the rest: coalescing. */
		for (i = 0; i < n; i += 2)
			KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p[i], 64), 0);
		KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), n / 2);
		KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), (size_t)64);
		for (i = 1; i < n; i += 2)
			KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p[i], 64), 0);
		KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
		KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), size);
		KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	}
}

/*
 * Each bad input is refused whole, warned (silenced here) and counted:
 *
 *   |alloc p: 256|free ...|
 *
 * size 0; pointers before, at the end of and far outside the arena; a range
 * past the end; a double free; a range straddling p's end into free space.
 * The arena is unchanged and the checker passes after each.
 */
static void arena_bad_input_refused_and_counted(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 4096);
	char *p = gomem_arena_alloc(a, 256);
	char *base = p, *end = base + gomem_arena_size(a);
	size_t fb;
	long bad;
	int local;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, gomem_arena_alloc(a, 256));
	KUNIT_ASSERT_EQ(test, gomem_arena_free(a, p + 256, 256), 0);
	fb = gomem_arena_free_bytes(a);
	bad = bad_input_count();

#define REFUSED(expr, want) do {					\
	range_quiet(true);						\
	KUNIT_EXPECT_EQ(test, expr, want);				\
	range_quiet(false);						\
	KUNIT_EXPECT_EQ(test, bad_input_count(), ++bad);		\
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), fb);		\
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);			\
} while (0)

	REFUSED(gomem_arena_free(a, p, 0), -EINVAL);
	REFUSED(gomem_arena_free(a, base - 1, 1), -EINVAL);
	REFUSED(gomem_arena_free(a, end, 1), -EINVAL);
	REFUSED(gomem_arena_free(a, &local, sizeof(local)), -EINVAL);
	REFUSED(gomem_arena_free(a, end - 32, 33), -EINVAL);
	REFUSED(gomem_arena_free(a, p + 100, SIZE_MAX), -EINVAL);
	REFUSED(gomem_arena_free(a, p + 256, 256), -EINVAL);	/* double */
	REFUSED(gomem_arena_free(a, p + 200, 100), -EINVAL);	/* straddles */
	REFUSED(gomem_arena_alloc(a, 0) ? 0 : -ENOMEM, -ENOMEM);
	/* find(0) follows alloc(0)'s rule: a caller bug, warned and counted. */
	REFUSED(gomem_arena_find(a, 0) ? 0 : -ENOMEM, -ENOMEM);
	/* Too big to fit is a plain failure, not a caller bug. */
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc(a, 4097));
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc(a, SIZE_MAX));
	KUNIT_EXPECT_NULL(test, gomem_arena_find(a, 4097));
	KUNIT_EXPECT_NULL(test, gomem_arena_find(a, SIZE_MAX));
	KUNIT_EXPECT_EQ(test, bad_input_count(), bad);
#undef REFUSED

	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p, 256), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), (size_t)1);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
}

/*
 * find() lends room inside a free block; writing all of it leaves the index
 * intact, and the same allocation then succeeds.  It needs one granule more
 * than alloc: a block of exactly 4 G is enough to allocate 4 G, not to lend.
 */
static void arena_find_room_is_writable(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 8 * G);
	char *p = gomem_arena_alloc(a, 4 * G), *room;

	KUNIT_ASSERT_NOT_NULL(test, p);
	room = gomem_arena_find(a, 3 * G);
	KUNIT_ASSERT_NOT_NULL(test, room);
	KUNIT_EXPECT_PTR_EQ(test, (void *)room, (void *)(p + 4 * G));
	memset(room, 0x5a, 3 * G);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	KUNIT_EXPECT_NULL(test, gomem_arena_find(a, 3 * G + 1));
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 4 * G), (void *)room);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p, 8 * G), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), (size_t)8 * G);
}

/* An arena over caller memory: destroy leaves the memory to the caller. */
static void arena_create_on_caller_memory(struct kunit *test)
{
	size_t size = 4096 + 17;	/* a ragged tail is not used */
	/* A power-of-two kmalloc is naturally aligned, so granule aligned. */
	char *mem = kunit_kmalloc(test, 8192, GFP_KERNEL);
	struct gomem_arena *a;
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	a = gomem_arena_create_on(mem + 1, 4096, param_index(test), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(a), -EINVAL);
	a = gomem_arena_create_on(mem, G - 1, param_index(test), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(a), -EINVAL);
	a = gomem_arena_create_on(mem, size, param_index(test), GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_EXPECT_EQ(test, gomem_arena_size(a), (size_t)4096);
	KUNIT_EXPECT_TRUE(test, gomem_arena_contains(a, mem + 4095));
	KUNIT_EXPECT_FALSE(test, gomem_arena_contains(a, mem + 4096));
	p = gomem_arena_alloc(a, 4096);
	KUNIT_EXPECT_PTR_EQ(test, (void *)p, (void *)mem);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
	memset(mem, 0, size);	/* still ours: KASAN would object if not */
}

/* A 2 MiB region (vmalloc_huge() where allowed) is usable to its last byte. */
static void arena_huge_region_usable_to_the_end(struct kunit *test)
{
	const size_t size = 2 << 20;
	struct gomem_arena *a = new_arena(test, size);
	char *p = gomem_arena_alloc(a, size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p[0] = 1;
	p[size - 1] = 1;
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p + size / 2, size / 2), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), size / 2);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p, size / 2), 0);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
}

/* An arena embedded in the caller's structure: init and fini allocate nothing. */
static void arena_embedded_init_fini(struct kunit *test)
{
	struct {
		int before;
		struct gomem_arena arena;
		int after;
	} *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	char *mem = kunit_kmalloc(test, 1024, GFP_KERNEL);
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, gomem_arena_init(&s->arena, mem, 1024,
					       param_index(test)), 0);
	p = gomem_arena_alloc(&s->arena, 100);
	KUNIT_EXPECT_PTR_EQ(test, (void *)p, (void *)mem);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(&s->arena),
			(size_t)1024 - ALIGN(100, G));
	KUNIT_EXPECT_EQ(test, gomem_arena_free(&s->arena, p, 100), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(&s->arena), 0);
	gomem_arena_fini(&s->arena);
	KUNIT_EXPECT_EQ(test, gomem_arena_init(&s->arena, mem + 8, 1024,
					       param_index(test)), -EINVAL);
	KUNIT_EXPECT_EQ(test, s->before, 0);
	KUNIT_EXPECT_EQ(test, s->after, 0);
}

/* GOMEM_INDEX_DEFAULT resolves to a real index; bad indexes are refused. */
static void arena_default_index_resolves(struct kunit *test)
{
	struct gomem_arena *a = gomem_arena_create(4096, GOMEM_INDEX_DEFAULT,
						   GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	KUNIT_EXPECT_TRUE(test, a->index == GOMEM_INDEX_TREAP ||
			  a->index == GOMEM_INDEX_AVL);
	KUNIT_EXPECT_NOT_NULL(test, gomem_arena_alloc(a, 100));
	gomem_arena_destroy(a);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_arena_create(4096, (enum gomem_index)7,
							 GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gomem_arena_create(0, GOMEM_INDEX_TREAP,
							 GFP_KERNEL)), -EINVAL);
}

/* Free never sleeps: it runs under a spinlock with IRQs off. */
static void arena_free_in_atomic_context(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	struct gomem_arena *a = new_arena(test, 64 * 1024);
	void *p[16];
	unsigned long flags;
	int i;

	for (i = 0; i < 16; i++) {
		p[i] = gomem_arena_alloc(a, 1000 + i);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	spin_lock_irqsave(&lock, flags);
	for (i = 0; i < 16; i += 2)
		gomem_arena_free(a, p[i], 1000 + i);
	for (i = 1; i < 16; i += 2)
		gomem_arena_free(a, p[i], 1000 + i);
	spin_unlock_irqrestore(&lock, flags);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
}

/* range_ops adapter over a real arena, for range_random_run(). */
static s64 ar_alloc(void *ctx, size_t bytes, size_t align)
{
	struct gomem_arena *a = ctx;
	char *p = gomem_arena_alloc_aligned(a, bytes, align);

	return p ? p - (char *)a->fi.base : -ENOMEM;
}

static int ar_free(void *ctx, size_t off, size_t len)
{
	struct gomem_arena *a = ctx;

	return gomem_arena_free(a, (char *)a->fi.base + off, len);
}

static s64 ar_find(void *ctx, size_t bytes)
{
	struct gomem_arena *a = ctx;
	char *p = gomem_arena_find(a, bytes);

	return p ? p - (char *)a->fi.base : -ENOMEM;
}

static size_t ar_free_bytes(void *ctx)
{
	return gomem_arena_free_bytes(ctx);
}

static size_t ar_nr_blocks(void *ctx)
{
	return gomem_arena_nr_free_blocks(ctx);
}

static int ar_check(void *ctx)
{
	return gomem_arena_check(ctx);
}

#define ARENA_RANGE_OPS(_name, _best, _any)				\
	{ .name = _name, .best_fit = _best, .any_fit = _any,		\
	  .warns = true,						\
	  .alloc = ar_alloc, .free = ar_free, .find = ar_find,		\
	  .free_bytes = ar_free_bytes, .nr_blocks = ar_nr_blocks,	\
	  .check = ar_check }

/* In the order of arena_params. */
static const struct range_ops arena_range_ops[] = {
	ARENA_RANGE_OPS("arena/treap", false, false),
	ARENA_RANGE_OPS("arena/avl", true, false),
	ARENA_RANGE_OPS("arena/treap+qc", false, true),
	ARENA_RANGE_OPS("arena/avl+qc", true, true),
};

static void arena_random(struct kunit *test, u64 seed, u32 nr,
			 unsigned long ops, unsigned long check_every)
{
	struct gomem_arena *a = new_arena(test, (size_t)nr * G);
	const struct range_ops *o = &arena_range_ops[param(test) - arena_params];

	range_random_run(test, o, a, a->fi.base, nr, seed, ops, check_every);
}

static void arena_random_matches_bitmap(struct kunit *test)
{
	arena_random(test, arena_seed, 512, 60000, 64);
}

static void arena_random_checked_every_step(struct kunit *test)
{
	arena_random(test, arena_seed + 1, 256, 8000, 1);
}

/*
 * The quick cache through the arena API (map_min 0: parking starts at the
 * second free block):
 *
 *   |A 100|f|B 100|f|tree ...|
 *
 * A and B freed are parked and counted; the same size comes back last in,
 * first out; switching the cache off puts them in the index, whose
 * placement then rules; an embedded arena has no cache to switch on.
 */
static void arena_quick_cache_switch(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 64 * 1024);
	struct gomem_arena e;
	char *pa, *pb, *mem;
	size_t fb;

	KUNIT_EXPECT_TRUE(test, gomem_arena_quick_cache(a));
	pa = gomem_arena_alloc(a, 100);
	KUNIT_ASSERT_NOT_NULL(test, gomem_arena_alloc(a, 1));
	pb = gomem_arena_alloc(a, 100);
	KUNIT_ASSERT_NOT_NULL(test, gomem_arena_alloc(a, 1));
	KUNIT_ASSERT_NOT_NULL(test, pa);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, pa, 100), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, pb, 100), 0);
	KUNIT_EXPECT_EQ(test, a->fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), (size_t)3);
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 100), (void *)pb);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, pb, 100), 0);
	/* A double free of a parked block is refused and counted. */
	KUNIT_EXPECT_EQ(test, GOMEM_EXPECT_MISUSE(gomem_arena_free(a, pb, 100)),
			-EINVAL);
	fb = gomem_arena_free_bytes(a);
	KUNIT_EXPECT_EQ(test, gomem_arena_set_quick_cache(a, false), 0);
	KUNIT_EXPECT_FALSE(test, gomem_arena_quick_cache(a));
	KUNIT_EXPECT_EQ(test, a->fi.nr_parked, 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), (size_t)3);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), fb);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	/* The index's own placement: both fit, the lower wins (a tie). */
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_alloc(a, 100), (void *)pa);
	KUNIT_EXPECT_EQ(test, gomem_arena_set_quick_cache(a, true), 0);
	KUNIT_EXPECT_TRUE(test, gomem_arena_quick_cache(a));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);

	mem = kunit_kmalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, gomem_arena_init(&e, mem, 1024, param_index(test)),
			0);
	KUNIT_EXPECT_FALSE(test, gomem_arena_quick_cache(&e));
	KUNIT_EXPECT_EQ(test, gomem_arena_set_quick_cache(&e, true),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, gomem_arena_set_quick_cache(&e, false), 0);
	gomem_arena_fini(&e);
}

/*
 * Parked memory counts: in an arena of 64 G (a quarter may be parked) with
 * [63 G, 64 G) in the index and [G, 5 G) and [7 G, 9 G) parked, the
 * largest free block is 4 G, and find() moves the 4 G block into the index
 * to lend 3 G of it; the 2 G block, too small to help, stays parked.
 */
static void arena_quick_cache_counts_and_lends(struct kunit *test)
{
	struct gomem_arena *a = new_arena(test, 64 * G);
	char *p = gomem_arena_alloc(a, 63 * G);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p + G, 4 * G), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p + 7 * G, 2 * G), 0);
	KUNIT_EXPECT_EQ(test, a->fi.nr_parked, 2);
	KUNIT_EXPECT_EQ(test, gomem_arena_nr_free_blocks(a), (size_t)3);
	KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), (size_t)4 * G);
	KUNIT_EXPECT_EQ(test, gomem_arena_free_bytes(a), (size_t)7 * G);
	KUNIT_EXPECT_PTR_EQ(test, gomem_arena_find(a, 3 * G), (void *)(p + G));
	KUNIT_EXPECT_EQ(test, a->fi.nr_parked, 1);
	KUNIT_EXPECT_NULL(test, gomem_arena_find(a, 4 * G));
	KUNIT_EXPECT_EQ(test, a->fi.nr_parked, 1);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
}

static const void *arena_qc_gen_params(const void *prev, char *desc)
{
	const struct arena_param *p = prev ? (const struct arena_param *)prev + 1 :
					     arena_params + 2;

	if (p >= arena_params + ARRAY_SIZE(arena_params))
		return NULL;
	arena_param_desc(p, desc);
	return p;
}

/* Byte frees round to granules so that pieces always partition. */
static void arena_byte_free_rounding_partitions(struct kunit *test)
{
	idx_free_rounding_partitions(test);
}

/*
 * A growable arena (the pool's growth in place): 64 KiB mapped of 256 KiB
 * reserved.  Each extension maps more and joins the free tail, so that an
 * allocation runs on from the last one; past the cap it is refused and
 * counted.  Every byte handed out is written, the last ones included.
 */
static void arena_grows_in_place(struct kunit *test)
{
	struct gomem_region r;
	struct gomem_arena *a;
	long bad = bad_input_count();
	char *p, *q, *t;
	int ret;

	if (!gomem_vres_supported())
		kunit_skip(test, "no growable regions on this architecture");
	KUNIT_ASSERT_EQ(test, gomem_region_get_growable(&r, SZ_64K, SZ_256K,
							GFP_KERNEL), 0);
	a = gomem_arena_create_growable(r.base, SZ_64K, SZ_256K,
					param_index(test), GFP_KERNEL);
	if (IS_ERR(a)) {
		gomem_region_put(&r);
		KUNIT_FAIL(test, "create: %ld", PTR_ERR(a));
		return;
	}
	gomem_arena_set_quick_cache(a, param(test)->quick);
	KUNIT_EXPECT_EQ(test, gomem_arena_size(a), (size_t)SZ_64K);
	p = gomem_arena_alloc(a, 48 * 1024);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, gomem_arena_alloc(a, 32 * 1024));

	KUNIT_ASSERT_EQ(test, gomem_region_grow(&r, SZ_128K, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_extend(a, SZ_128K), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_size(a), (size_t)SZ_128K);
	/* The old free tail (16 KiB) and the new 64 KiB are one block. */
	KUNIT_EXPECT_EQ(test, gomem_arena_largest_free(a), (size_t)80 * 1024);
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	q = gomem_arena_alloc(a, 80 * 1024);
	KUNIT_EXPECT_PTR_EQ(test, (void *)q, (void *)(p + 48 * 1024));
	KUNIT_ASSERT_NOT_NULL(test, q);
	memset(q, 0x5a, 80 * 1024);
	KUNIT_EXPECT_FALSE(test, gomem_arena_contains(a, q + 80 * 1024));

	KUNIT_ASSERT_EQ(test, gomem_region_grow(&r, SZ_256K, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_extend(a, SZ_256K), 0);
	t = gomem_arena_alloc(a, SZ_128K);
	KUNIT_EXPECT_PTR_EQ(test, (void *)t, (void *)(p + SZ_128K));
	KUNIT_ASSERT_NOT_NULL(test, t);
	t[0] = 1;
	t[SZ_128K - 1] = 1;
	KUNIT_EXPECT_TRUE(test, gomem_arena_contains(a, t + SZ_128K - 1));

	/* No shrinking, nothing past the cap, whole granules only. */
	ret = GOMEM_EXPECT_MISUSE(gomem_arena_extend(a, SZ_256K));
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	ret = GOMEM_EXPECT_MISUSE(gomem_arena_extend(a, SZ_256K + SZ_4K));
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, bad_input_count(), bad + 2);
	KUNIT_EXPECT_EQ(test, gomem_arena_size(a), (size_t)SZ_256K);

	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, q, 80 * 1024), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, p, 48 * 1024), 0);
	KUNIT_EXPECT_EQ(test, gomem_arena_free(a, t, SZ_128K), 0);
	KUNIT_EXPECT_TRUE(test, gomem_arena_is_empty(a));
	KUNIT_EXPECT_EQ(test, gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
	gomem_region_put(&r);
}

static int arena_suite_init(struct kunit_suite *suite)
{
	if (!arena_seed)
		arena_seed = get_random_u32() | 1;
	pr_info("gomem_arena: random seed %lu (module parameter arena_seed to repeat)\n",
		arena_seed);
	return 0;
}

static struct kunit_case arena_cases[] = {
	KUNIT_CASE_PARAM(arena_gomem_testallocator_scaled,
			 arena_index_gen_params),
	KUNIT_CASE_PARAM(arena_partial_free_any_order_is_exact, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_tail_free_from_any_byte_offset, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_aligned_alloc, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_exhaustion_and_refill, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_bad_input_refused_and_counted, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_find_room_is_writable, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_create_on_caller_memory,
			 arena_index_gen_params),
	KUNIT_CASE_PARAM(arena_huge_region_usable_to_the_end, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_grows_in_place, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_embedded_init_fini, arena_index_gen_params),
	KUNIT_CASE(arena_default_index_resolves),
	KUNIT_CASE(arena_byte_free_rounding_partitions),
	KUNIT_CASE_PARAM(arena_free_in_atomic_context, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_random_matches_bitmap, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_random_checked_every_step, arena_all_gen_params),
	KUNIT_CASE_PARAM(arena_quick_cache_switch, arena_qc_gen_params),
	KUNIT_CASE_PARAM(arena_quick_cache_counts_and_lends,
			 arena_qc_gen_params),
	{}
};

static struct kunit_suite arena_suite = {
	.name = "gomem_arena",
	.suite_init = arena_suite_init,
	.test_cases = arena_cases,
};

kunit_test_suite(arena_suite);
