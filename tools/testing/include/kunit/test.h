/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <kunit/test.h>: enough of the KUnit API for the
 * suites under kunit/ to build unchanged against the shim and run from one
 * program (tools/testing/kunit/runner.c).
 *
 * An EXPECT that fails marks the case failed and goes on; an ASSERT that
 * fails, or kunit_skip(), leaves the case at once (longjmp back into the
 * runner).  Memory from kunit_kmalloc() and friends, and every resource, is
 * released when the case ends, in reverse order of allocation.
 */
#ifndef _SHIM_KUNIT_TEST_H
#define _SHIM_KUNIT_TEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#define KUNIT_PARAM_DESC_SIZE	128
#define KUNIT_LOG_SIZE		512

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

enum kunit_speed {
	KUNIT_SPEED_UNSET,
	KUNIT_SPEED_VERY_SLOW,
	KUNIT_SPEED_SLOW,
	KUNIT_SPEED_NORMAL,
};

struct kunit_attributes {
	enum kunit_speed speed;
};

struct kunit_resource;
typedef int (*kunit_resource_init_t)(struct kunit_resource *res, void *ctx);
typedef void (*kunit_resource_free_t)(struct kunit_resource *res);

struct kunit_resource {
	void *data;
	const char *name;
	kunit_resource_free_t free;
	/* private: the case's list, newest first */
	struct kunit_resource *next;
};

struct kunit {
	const char *name;		/* the case's name */
	void *priv;			/* for the suite's init and exit */
	const void *param_value;	/* the current parameter, or NULL */
	enum kunit_status status;
	char status_comment[KUNIT_LOG_SIZE];
	/* private: */
	jmp_buf *abort;
	struct kunit_resource *resources;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	struct kunit_attributes attr;
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
	/* private: registration order */
	struct kunit_suite *next;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_SLOW(fn)						\
	{ .run_case = fn, .name = #fn,					\
	  .attr = { .speed = KUNIT_SPEED_SLOW } }
#define KUNIT_CASE_PARAM(fn, gen)					\
	{ .run_case = fn, .name = #fn, .generate_params = gen }

/* An array's elements as parameters; @get_desc may be NULL. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
static const void *name##_gen_params(const void *prev, char *desc)	\
{									\
	typeof((array)[0]) *__next = prev ?				\
		((typeof(__next))prev) + 1 : (array);			\
	void (*__get_desc)(typeof(__next), char *) = get_desc;		\
									\
	if (__next - (array) >= (long)ARRAY_SIZE(array))		\
		return NULL;						\
	if (__get_desc)							\
		__get_desc(__next, desc);				\
	else								\
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%ld",		\
			 (long)(__next - (array)));			\
	return __next;							\
}

void __kunit_register_suite(struct kunit_suite *suite);

#define __kunit_cat2(a, b)	a##b
#define __kunit_cat(a, b)	__kunit_cat2(a, b)

/* Suites register themselves before main(), as a module's would at load. */
#define kunit_test_suites(...)						\
static void __attribute__((constructor))				\
__kunit_cat(__kunit_register_, __LINE__)(void)				\
{									\
	struct kunit_suite *__s[] = { __VA_ARGS__ };			\
	size_t __i;							\
									\
	for (__i = 0; __i < ARRAY_SIZE(__s); __i++)			\
		__kunit_register_suite(__s[__i]);			\
}
#define kunit_test_suite(suite)	kunit_test_suites(&(suite))

/* ---- memory and resources, released at the end of the case ---- */

void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t gfp, void *ctx);
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* ---- logging, failing, skipping ---- */

void __kunit_log(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void __kunit_fail(struct kunit *test, bool abort, const char *file, int line,
		  const char *what, const char *fmt, ...);
void __kunit_fail_cmp(struct kunit *test, bool abort, const char *file,
		      int line, const char *expr, const char *l,
		      long long lv, const char *r, long long rv,
		      const char *fmt, ...);
void __kunit_fail_ptr(struct kunit *test, bool abort, const char *file,
		      int line, const char *expr, const char *l,
		      const void *lv, const char *r, const void *rv,
		      const char *fmt, ...);
void __kunit_skip(struct kunit *test, bool abort, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* @test: a struct kunit or a struct kunit_suite; both have a name. */
#define kunit_info(test, fmt, ...)					\
	__kunit_log((test)->name, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_log(lvl, test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)

#define kunit_mark_skipped(test, fmt, ...)				\
	__kunit_skip(test, false, fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...)					\
	__kunit_skip(test, true, fmt, ##__VA_ARGS__)

#define KUNIT_FAIL(test, fmt, ...)					\
	__kunit_fail(test, false, __FILE__, __LINE__, "KUNIT_FAIL",	\
		     fmt, ##__VA_ARGS__)

/*
 * The checks.  Each operand is evaluated once; on failure the report names
 * the file, the line, the expression and both values.
 */
#define __KUNIT_BOOL(test, abort, cond, want, fmt, ...) do {		\
	if ((bool)(cond) != (want))						\
		__kunit_fail(test, abort, __FILE__, __LINE__,		\
			     (want) ? #cond " is true" :		\
				      #cond " is false",		\
			     fmt, ##__VA_ARGS__);			\
} while (0)

#define __KUNIT_CMP(test, abort, left, op, right, fmt, ...) do {	\
	typeof(left) __left = (left);					\
	typeof(right) __right = (right);				\
									\
	if (!((__left) op (__right)))					\
		__kunit_fail_cmp(test, abort, __FILE__, __LINE__,	\
				 #left " " #op " " #right,		\
				 #left, (long long)__left,		\
				 #right, (long long)__right,		\
				 fmt, ##__VA_ARGS__);			\
} while (0)

#define __KUNIT_PTR(test, abort, left, op, right, fmt, ...) do {	\
	const void *__left = (left);					\
	const void *__right = (right);					\
									\
	if (!((__left) op (__right)))					\
		__kunit_fail_ptr(test, abort, __FILE__, __LINE__,	\
				 #left " " #op " " #right,		\
				 #left, __left, #right, __right,	\
				 fmt, ##__VA_ARGS__);			\
} while (0)

#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)				\
	__KUNIT_BOOL(t, false, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)				\
	__KUNIT_BOOL(t, false, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...)				\
	__KUNIT_BOOL(t, true, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...)				\
	__KUNIT_BOOL(t, true, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_EXPECT_TRUE_MSG(t, c, NULL)
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_EXPECT_FALSE_MSG(t, c, NULL)
#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_ASSERT_TRUE_MSG(t, c, NULL)
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_ASSERT_FALSE_MSG(t, c, NULL)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, false, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...)				\
	__KUNIT_CMP(t, true, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_EXPECT_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_EXPECT_NE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_EXPECT_LT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_EXPECT_LE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_EXPECT_GT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_EXPECT_GE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_ASSERT_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_ASSERT_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_ASSERT_LT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_ASSERT_LE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_ASSERT_GT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_ASSERT_GE_MSG(t, l, r, NULL)

#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, fmt, ...)			\
	__KUNIT_PTR(t, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, fmt, ...)			\
	__KUNIT_PTR(t, false, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, fmt, ...)			\
	__KUNIT_PTR(t, true, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, fmt, ...)			\
	__KUNIT_PTR(t, true, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	KUNIT_EXPECT_PTR_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE(t, l, r)	KUNIT_ASSERT_PTR_NE_MSG(t, l, r, NULL)

#define KUNIT_EXPECT_NULL(t, p)		KUNIT_EXPECT_PTR_EQ(t, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_EXPECT_PTR_NE(t, p, NULL)
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_ASSERT_PTR_EQ(t, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_ASSERT_PTR_NE(t, p, NULL)
#define KUNIT_EXPECT_NULL_MSG(t, p, fmt, ...)				\
	KUNIT_EXPECT_PTR_EQ_MSG(t, p, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, fmt, ...)			\
	KUNIT_EXPECT_PTR_NE_MSG(t, p, NULL, fmt, ##__VA_ARGS__)

/* Byte arrays: memcmp() of @size bytes. */
#define KUNIT_EXPECT_MEMEQ(t, l, r, size)				\
	KUNIT_EXPECT_EQ_MSG(t, memcmp(l, r, size), 0, "%s", "memory differs")
#define KUNIT_EXPECT_STREQ(t, l, r)					\
	KUNIT_EXPECT_EQ_MSG(t, strcmp(l, r), 0, "\"%s\" vs \"%s\"", l, r)

#endif /* _SHIM_KUNIT_TEST_H */
