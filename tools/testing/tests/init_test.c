// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace twin of the KUnit suite gomem_init (kunit/gomem_init_test.c):
 * under each setting of the shim's init_on_alloc / init_on_free (and of
 * gomem's forcing parameters), every path that hands memory out again after
 * a first user filled it with a pattern and freed it returns it zeroed when
 * the policy says so, and with the pattern intact when it does not.
 */
#include <stdbool.h>
#include <string.h>
#include <linux/gomem_kshim.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <gomem/gomem.h>
#include "gomem_init.h"
#include "gomem_report.h"
#include "harness.h"

#define PATTERN	0xa5
#define SIZE	1024

static const char *setting;

static size_t first_not(const unsigned char *p, size_t n, unsigned char c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return i;
	return n;
}

/* See expect_reused() in the KUnit suite. */
static void expect_reused(const char *path, const unsigned char *p, size_t n,
			  bool zero, bool node_tail)
{
	if (zero) {
		EXPECT(first_not(p, n, 0) == n, "%s, %s: not zeroed on alloc",
		       setting, path);
	} else if (gomem_want_init_on_free()) {
		size_t span = node_tail ? n - GOMEM_GRANULE : n;

		EXPECT(first_not(p, span, 0) == span,
		       "%s, %s: not zeroed on free", setting, path);
	} else {
		EXPECT(p[0] == PATTERN, "%s, %s: zeroed with the policy off",
		       setting, path);
	}
}

static void expect_freed(const char *path, const unsigned char *p, size_t n)
{
	if (gomem_want_init_on_free())
		EXPECT(first_not(p, n, 0) == n, "%s, %s: freed bytes not zeroed",
		       setting, path);
}

static void arena_paths(enum gomem_index index)
{
	struct gomem_arena *a = gomem_arena_create(SZ_64K, index, GFP_KERNEL);
	bool z = gomem_want_init_on_alloc(0);
	unsigned char *p, *b, *q;

	EXPECT(!IS_ERR(a), "arena");
	p = gomem_arena_alloc(a, SIZE);
	b = gomem_arena_alloc(a, SIZE);
	memset(p, PATTERN, SIZE);
	EXPECT_EQ(gomem_arena_free(a, p, SIZE), 0);
	expect_freed("arena free", p, SIZE - GOMEM_GRANULE);
	q = gomem_arena_alloc(a, SIZE);
	EXPECT(q == p, "same block");
	expect_reused("gomem_arena_alloc", q, SIZE, z, true);

	memset(p, PATTERN, SIZE);
	EXPECT_EQ(gomem_arena_free(a, p, SIZE), 0);
	q = gomem_arena_alloc_aligned(a, SIZE, 64);
	EXPECT(q == p, "same block");
	expect_reused("gomem_arena_alloc_aligned", q, SIZE, z, true);

	/* A refused free (double free) zeroes nothing. */
	memset(b, PATTERN, SIZE);
	EXPECT_EQ(gomem_arena_free(a, p, SIZE), 0);
	gomem_quiet_caller_bugs = 1;
	EXPECT_EQ(gomem_arena_free(a, p, 2 * SIZE), -EINVAL);
	gomem_quiet_caller_bugs = 0;
	EXPECT_EQ(first_not(b, SIZE, PATTERN), SIZE);

	/* Find after B merges with the free rest: lends B's bytes. */
	p = gomem_arena_alloc(a, SIZE);
	EXPECT_EQ(gomem_arena_free(a, b, SIZE), 0);
	expect_freed("arena free (merged)", b, SIZE);
	q = gomem_arena_find(a, SIZE);
	EXPECT(q == b, "find lends B");
	expect_reused("gomem_arena_find", q, SIZE, z, false);
	EXPECT_EQ(gomem_arena_check(a), 0);
	gomem_arena_destroy(a);
}

static void pool_paths(void)
{
	struct gomem_pool_params params = { .initial_size = SZ_64K,
					     .max_arena_size = SZ_64K };
	struct gomem_pool *pool = gomem_pool_create("init_test", &params);
	bool z = gomem_want_init_on_alloc(0);
	unsigned char *p, *b, *q, *g;
	struct gomem_rm rm;

	EXPECT(!IS_ERR(pool), "pool");
	p = gomem_malloc(pool, SIZE, GFP_KERNEL);
	b = gomem_malloc(pool, SIZE, GFP_KERNEL);
	memset(p, PATTERN, SIZE);
	EXPECT_EQ(gomem_free(pool, p, SIZE), 0);
	expect_freed("pool free", p, SIZE - GOMEM_GRANULE);
	q = gomem_malloc(pool, SIZE, GFP_KERNEL);
	EXPECT(q == p, "same block");
	expect_reused("gomem_malloc", q, SIZE, z, true);

	memset(p, PATTERN, SIZE);
	EXPECT_EQ(gomem_free(pool, p, SIZE), 0);
	q = gomem_malloc(pool, SIZE, GFP_KERNEL | __GFP_ZERO);
	EXPECT(q == p, "same block");
	expect_reused("gomem_malloc(__GFP_ZERO)", q, SIZE, true, true);

	memset(b, PATTERN, SIZE);
	EXPECT_EQ(gomem_free(pool, b, SIZE), 0);
	q = gomem_borrow(pool, SIZE);
	EXPECT(q == b, "borrow lends B");
	expect_reused("gomem_borrow", q, SIZE, z, false);

	/* [ p | guard | rm buffer | second | free ...] */
	g = gomem_malloc(pool, SIZE, GFP_KERNEL);
	gomem_rm_init(&rm, pool);
	q = gomem_rm_next(&rm, SIZE, GFP_KERNEL);
	b = gomem_malloc(pool, SIZE, GFP_KERNEL);
	memset(q, PATTERN, SIZE);
	gomem_rm_recycle(&rm);
	EXPECT(gomem_rm_next(&rm, SIZE, GFP_KERNEL) == q, "same block");
	expect_reused("gomem_rm_next", q, SIZE, z, true);
	gomem_rm_fini(&rm);
	gomem_free(pool, g, SIZE);
	gomem_free(pool, b, SIZE);
	gomem_free(pool, p, SIZE);
	EXPECT_EQ(gomem_pool_check(pool), 0);
	gomem_pool_destroy(pool);
}

static void buddy_paths(void)
{
	struct gomem_buddy *bd = gomem_buddy_create(SZ_1M, SZ_1K, GFP_KERNEL);
	unsigned char *p, *q;

	EXPECT(!IS_ERR(bd), "buddy");
	p = gomem_buddy_alloc(bd, SZ_4K);
	memset(p, PATTERN, SZ_4K);
	EXPECT_EQ(gomem_buddy_free(bd, p), 0);
	expect_freed("buddy free", p, SZ_4K);
	q = gomem_buddy_alloc(bd, SZ_4K);
	EXPECT(q == p, "same block");
	expect_reused("gomem_buddy_alloc", q, SZ_4K,
		      gomem_want_init_on_alloc(0), false);
	EXPECT_EQ(gomem_buddy_check(bd), 0);
	gomem_buddy_destroy(bd);
}

int main(void)
{
	static const struct {
		const char *name;
		bool on_alloc, on_free, force_alloc, force_free;
	} settings[] = {
		{ "policy off", false, false, false, false },
		{ "init_on_alloc=1", true, false, false, false },
		{ "init_on_free=1", false, true, false, false },
		{ "both", true, true, false, false },
		{ "gomem.init_on_alloc=1", false, false, true, false },
		{ "gomem.init_on_free=1", false, false, false, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		setting = settings[i].name;
		shim_init_on_alloc = settings[i].on_alloc;
		shim_init_on_free = settings[i].on_free;
		gomem_force_init_on_alloc.enabled = settings[i].force_alloc;
		gomem_force_init_on_free.enabled = settings[i].force_free;
		arena_paths(GOMEM_INDEX_TREAP);
		arena_paths(GOMEM_INDEX_AVL);
		pool_paths();
		buddy_paths();
	}
	return harness_done("init_test");
}
