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
#include "../gomem_report.h"

static struct gomem_pool *rm_pool_percpu(struct kunit *test,
					 enum gomem_pool_percpu percpu)
{
	struct gomem_pool_params p = { .initial_size = SZ_64K,
				       .max_arena_size = SZ_64K,
				       .percpu = percpu };
	struct gomem_pool *pool = gomem_pool_create("kunit_rm", &p);

	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	return pool;
}

/* The default pool: the per-CPU front end on, as gomem loads. */
static struct gomem_pool *rm_pool(struct kunit *test)
{
	return rm_pool_percpu(test, GOMEM_PERCPU_DEFAULT);
}

static size_t in_use(struct gomem_pool *pool)
{
	struct gomem_pool_stats st;

	gomem_pool_get_stats(pool, &st);
	return st.in_use;
}

/* Is buffer @i of @rm one that recycle frees? */
static bool recycles(const struct gomem_rm *rm, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < rm->nr_recycle; j++)
		if (rm->recycle[j] == i)
			return true;
	return false;
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
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&rm.bufs), 10);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&rm.bufs), total);
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_PTR_EQ(test, rm.bufs.segs[i].iov_base,
				    (void *)p[i]);
		KUNIT_EXPECT_EQ(test, rm.bufs.segs[i].iov_len, 100 + i);
		KUNIT_EXPECT_TRUE(test, recycles(&rm, i));
	}
	KUNIT_EXPECT_EQ(test, in_use(pool), 10 * 128);
	gomem_rm_recycle(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&rm.bufs), 0);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&rm.bufs), 0);
	KUNIT_EXPECT_EQ(test, rm.nr_recycle, 0);
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
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&rm.bufs), 4);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&rm.bufs),
			64 + 300 + sizeof(stack) + 200);
	KUNIT_EXPECT_EQ(test, rm.nr_recycle, 2);
	KUNIT_EXPECT_TRUE(test, recycles(&rm, 0));
	KUNIT_EXPECT_FALSE(test, recycles(&rm, 1));
	KUNIT_EXPECT_FALSE(test, recycles(&rm, 2));
	KUNIT_EXPECT_TRUE(test, recycles(&rm, 3));

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

/*
 * The lists double as needed and keep their room: later rounds allocate
 * no list memory.
 */
static void rm_list_keeps_its_room(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	unsigned int *idx;
	struct kvec *segs;
	struct gomem_rm rm;
	int i, round;

	gomem_rm_init(&rm, pool);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_NOT_NULL(test, gomem_rm_next(&rm, 32, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, rm.cap_recycle, 64);
	segs = rm.bufs.segs;
	idx = rm.recycle;
	for (round = 0; round < 3; round++) {
		gomem_rm_recycle(&rm);
		for (i = 0; i < 40; i++)
			KUNIT_ASSERT_NOT_NULL(test,
					      gomem_rm_next(&rm, 32, GFP_ATOMIC));
		KUNIT_EXPECT_PTR_EQ(test, rm.bufs.segs, segs);
		KUNIT_EXPECT_PTR_EQ(test, rm.recycle, idx);
	}
	KUNIT_EXPECT_EQ(test, in_use(pool), 40 * 32);
	gomem_rm_fini(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	KUNIT_EXPECT_NULL(test, rm.recycle);
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
	KUNIT_EXPECT_EQ(test, gomem_bufs_count(&rm.bufs), 1);
	KUNIT_EXPECT_EQ(test, gomem_bufs_size(&rm.bufs), SZ_64K - 32);
	KUNIT_EXPECT_EQ(test, rm.nr_recycle, 1);
	gomem_rm_recycle(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	gomem_rm_fini(&rm);
	gomem_pool_destroy(pool);
}

/* The buffers are a gomem buffer list: a reader reads across them. */
static void rm_buffers_are_readable(struct kunit *test)
{
	struct gomem_pool *pool = rm_pool(test);
	char tail[] = "-world", out[16] = { };
	struct gomem_reader rd;
	struct gomem_rm rm;
	char *a, *b;

	gomem_rm_init(&rm, pool);
	a = gomem_rm_next(&rm, 3, GFP_KERNEL);
	b = gomem_rm_next(&rm, 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(a, "hel", 3);
	memcpy(b, "lo", 2);
	KUNIT_ASSERT_EQ(test, gomem_rm_add(&rm, tail, 6, GFP_KERNEL), 0);
	gomem_reader_init(&rd, &rm.bufs);
	KUNIT_EXPECT_EQ(test, gomem_reader_read(&rd, out, sizeof(out)), 11);
	KUNIT_EXPECT_STREQ(test, out, "hello-world");
	gomem_rm_fini(&rm);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	gomem_pool_destroy(pool);
}

/*
 * A pool buffer freed behind recycle's back: recycle refuses the second
 * free, counts it, and still frees the other buffers.
 */
static void rm_recycle_survives_a_buffer_freed_twice(struct kunit *test)
{
	/*
	 * Front end off: it sees a double free only on top of a magazine
	 * (the Pool DOC block); every free here must meet the arena's check.
	 */
	struct gomem_pool *pool = rm_pool_percpu(test, GOMEM_PERCPU_OFF);
	long before = gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT);
	struct gomem_pool_stats st;
	struct gomem_rm rm;
	void *a, *b;

	gomem_rm_init(&rm, pool);
	a = gomem_rm_next(&rm, 256, GFP_KERNEL);
	b = gomem_rm_next(&rm, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, gomem_free(pool, a, 256), 0);	/* the bug */
	/* A caller bug on purpose: silence its warning. */
	WRITE_ONCE(gomem_quiet_caller_bugs, 1);
	gomem_rm_recycle(&rm);
	WRITE_ONCE(gomem_quiet_caller_bugs, 0);
	gomem_pool_get_stats(pool, &st);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 1);
	KUNIT_EXPECT_EQ(test, st.in_use, 0);
	KUNIT_EXPECT_EQ(test, st.frees, 2);
	KUNIT_EXPECT_EQ(test,
			gomem_stat_read(GOMEM_STAT_POOL_BAD_INPUT) - before, 1);
	KUNIT_EXPECT_EQ(test, gomem_pool_check(pool), 0);
	gomem_rm_fini(&rm);
	gomem_pool_destroy(pool);
}

static struct kunit_case gomem_rm_cases[] = {
	KUNIT_CASE(rm_next_buffers_are_recycled_together),
	KUNIT_CASE(rm_add_frees_only_pool_buffers),
	KUNIT_CASE(rm_list_keeps_its_room),
	KUNIT_CASE(rm_failed_next_records_nothing),
	KUNIT_CASE(rm_buffers_are_readable),
	KUNIT_CASE(rm_recycle_survives_a_buffer_freed_twice),
	{}
};

static struct kunit_suite gomem_rm_suite = {
	.name = "gomem_rm",
	.test_cases = gomem_rm_cases,
};

kunit_test_suite(gomem_rm_suite);
