// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_rm: recyclable memory records pool buffers and the
 * caller's own, recycles exactly the pool's (GoMem's recycle indexes), and
 * keeps its list room across rounds.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include <gomem/gomem.h>
#include "gomem_kunit.h"

static struct gomem_pool *rm_pool(struct kunit *test)
{
	struct gomem_pool_params p = { .initial_size = SZ_64K,
				       .max_arena_size = SZ_64K };
	struct gomem_pool *pool = gomem_pool_create("kunit_rm", &p);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

static size_t in_use(struct gomem_pool *pool)
{
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	return st.in_use;
}

/* Ten NextN buffers: listed in order with their sizes, freed in one go. */
static void rm_next_buffers_are_recycled_together(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	struct gomem_rm rm;
	size_t total = 0;
	u8 *p[10];
	int i;

	gomem_rm_init(&rm, pool);
	for (i = 0; i < 10; i++) {
		p[i] = gomem_rm_next(&rm, 100 + i, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], i, 100 + i);
		total += 100 + i;
	}
	KUNIT_EXPECT_EQ(test, rm.nr, 10);
	KUNIT_EXPECT_EQ(test, rm.size, total);
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_PTR_EQ(test, rm.bufs[i].base, (void *)p[i]);
		KUNIT_EXPECT_EQ(test, rm.bufs[i].len, 100 + i);
		KUNIT_EXPECT_TRUE(test, rm.bufs[i].recycle);
	}
	KUNIT_EXPECT_EQ(test, in_use(pool), 10 * 128);
	gomem_rm_recycle(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	KUNIT_EXPECT_EQ(test, rm.nr, 0);
	KUNIT_EXPECT_EQ(test, rm.size, 0);
	gomem_rm_fini(&rm);
	gomem_pool_destroy(pool);
}

/*
 * Added buffers: the caller's own (kmalloc) are listed but never freed by
 * recycle; a pool buffer handed over is freed with the rest.
 */
static void rm_add_frees_only_pool_buffers(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	char *mine = kmalloc(300, GFP_KERNEL);
	char stack[16];
	struct gomem_pool_stats st;
	struct gomem_rm rm;
	void *from_pool;

	KUNIT_ASSERT_NOT_NULL(test, mine);
	gomem_rm_init(&rm, pool);
	KUNIT_ASSERT_NOT_NULL(test, gomem_rm_next(&rm, 64, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, gomem_rm_add(&rm, mine, 300, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_rm_add(&rm, stack, sizeof(stack),
					   GFP_KERNEL), 0);
	from_pool = gomem_malloc(pool, 200, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, gomem_rm_add(&rm, from_pool, 200, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, gomem_rm_add(&rm, NULL, 1, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_rm_add(&rm, mine, 0, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, rm.nr, 4);
	KUNIT_EXPECT_EQ(test, rm.size, 64 + 300 + sizeof(stack) + 200);
	KUNIT_EXPECT_TRUE(test, rm.bufs[0].recycle);
	KUNIT_EXPECT_FALSE(test, rm.bufs[1].recycle);
	KUNIT_EXPECT_FALSE(test, rm.bufs[2].recycle);
	KUNIT_EXPECT_TRUE(test, rm.bufs[3].recycle);

	gomem_rm_recycle(&rm);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	KUNIT_EXPECT_EQ(test, st.frees, 2);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	/* Still ours and intact: KASAN would catch a free by recycle. */
	memset(mine, 1, 300);
	kfree(mine);
	gomem_rm_fini(&rm);
	gomem_pool_destroy(pool);
}

/* The list doubles as needed and keeps its room: round two allocates
 * no list memory. */
static void rm_list_keeps_its_room(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	struct gomem_rm_buf *bufs;
	struct gomem_rm rm;
	int i, round;

	gomem_rm_init(&rm, pool);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_NOT_NULL(test, gomem_rm_next(&rm, 32, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, rm.cap, 64);
	bufs = rm.bufs;
	for (round = 0; round < 3; round++) {
		gomem_rm_recycle(&rm);
		for (i = 0; i < 40; i++)
			KUNIT_ASSERT_NOT_NULL(test,
					      gomem_rm_next(&rm, 32, GFP_ATOMIC));
		KUNIT_EXPECT_PTR_EQ(test, rm.bufs, bufs);
	}
	KUNIT_EXPECT_EQ(test, in_use(pool), 40 * 32);
	gomem_rm_fini(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	KUNIT_EXPECT_NULL(test, rm.bufs);
	gomem_pool_destroy(pool);
}

/* A failed NextN records nothing. */
static void rm_failed_next_records_nothing(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	struct gomem_rm rm;

	gomem_rm_init(&rm, pool);
	KUNIT_ASSERT_NOT_NULL(test, gomem_rm_next(&rm, SZ_64K - 32,
						  GFP_ATOMIC));
	KUNIT_EXPECT_NULL(test, gomem_rm_next(&rm, 64, GFP_ATOMIC));
	KUNIT_EXPECT_EQ(test, rm.nr, 1);
	KUNIT_EXPECT_EQ(test, rm.size, SZ_64K - 32);
	gomem_rm_recycle(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	gomem_rm_fini(&rm);
	gomem_pool_destroy(pool);
}

static struct kunit_case gomem_rm_cases[] = {
	KUNIT_CASE(rm_next_buffers_are_recycled_together),
	KUNIT_CASE(rm_add_frees_only_pool_buffers),
	KUNIT_CASE(rm_list_keeps_its_room),
	KUNIT_CASE(rm_failed_next_records_nothing),
	{}
};

static struct kunit_suite gomem_rm_suite = {
	.name = "gomem_rm",
	.test_cases = gomem_rm_cases,
};

kunit_test_suite(gomem_rm_suite);
