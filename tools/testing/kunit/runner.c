// SPDX-License-Identifier: GPL-2.0
/*
 * Runner of the KUnit suites in userspace: every suite that registered
 * itself through kunit_test_suite() (tools/testing/include/kunit/test.h)
 * runs in registration order; the output is KTAP-like, and the last line
 * reads "kunit: N passed, N failed" (cases; a parameterised case passes
 * when every parameter does; skipped cases count as passed and are listed
 * on a line of their own).
 *
 * Filter: the first argument, or else KUNIT_FILTER, is a glob over the
 * suite name, optionally ".glob" over the case name: "gomem_avl",
 * "gomem_*", "gomem_reader.leb128*".  KUNIT_SKIP_SLOW=1 skips the cases
 * marked KUNIT_CASE_SLOW.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kunit/test.h>

static struct kunit_suite *suites, **suites_tail = &suites;
static struct kunit *current_test;

void __kunit_register_suite(struct kunit_suite *suite)
{
	suite->next = NULL;
	*suites_tail = suite;
	suites_tail = &suite->next;
}

/* ---- resources ---- */

void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t gfp, void *ctx)
{
	struct kunit_resource *res = calloc(1, sizeof(*res));

	if (!res)
		return NULL;
	if (init && init(res, ctx)) {
		free(res);
		return NULL;
	}
	res->free = free;
	res->next = test->resources;
	test->resources = res;
	return res->data;
}

static void kfree_res(struct kunit_resource *res)
{
	kfree(res->data);
}

/*
 * Aligned as kmalloc() aligns a block of this size (the natural alignment
 * of its power-of-two size class, up to a page), so that tests asserting
 * a kmalloc'ed region's alignment hold here too.
 */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	size_t bytes, align = sizeof(void *);
	struct kunit_resource *res;
	void *p;

	if (n && size > SIZE_MAX / n)
		return NULL;
	bytes = n * size;
	while (align < bytes && align < 4096)
		align <<= 1;
	p = aligned_alloc(align, ALIGN(bytes ? bytes : 1, align));
	if (!p)
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, bytes);
	res = calloc(1, sizeof(*res));
	if (!res) {
		free(p);
		return NULL;
	}
	res->data = p;
	res->free = kfree_res;
	res->next = test->resources;
	test->resources = res;
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_resource **pp, *res;

	for (pp = &test->resources; (res = *pp); pp = &res->next) {
		if (res->data == ptr && res->free == kfree_res) {
			*pp = res->next;
			kfree(res->data);
			free(res);
			return;
		}
	}
	__kunit_fail(test, false, __FILE__, __LINE__, "kunit_kfree",
		     "%p was not allocated by this case", ptr);
}

static void release_resources(struct kunit *test)
{
	struct kunit_resource *res;

	while ((res = test->resources)) {
		test->resources = res->next;
		if (res->free)
			res->free(res);
		free(res);
	}
}

/* ---- reports ---- */

void __kunit_log(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("        # %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		putchar('\n');
}

static void vmsg(const char *fmt, va_list ap)
{
	if (!fmt)
		return;
	printf("        # message: ");
	vprintf(fmt, ap);
	putchar('\n');
}

static void __noreturn leave_case(struct kunit *test)
{
	fflush(stdout);
	longjmp(*test->abort, 1);
}

static void failed(struct kunit *test, bool abort, const char *file,
		   int line)
{
	test->status = KUNIT_FAILURE;
	printf("        # %s: %s at %s:%d\n", test->name,
	       abort ? "ASSERTION FAILED" : "EXPECTATION FAILED", file, line);
}

void __kunit_fail(struct kunit *test, bool abort, const char *file, int line,
		  const char *what, const char *fmt, ...)
{
	va_list ap;

	failed(test, abort, file, line);
	printf("        # expected %s\n", what);
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (abort)
		leave_case(test);
}

void __kunit_fail_cmp(struct kunit *test, bool abort, const char *file,
		      int line, const char *expr, const char *l,
		      long long lv, const char *r, long long rv,
		      const char *fmt, ...)
{
	va_list ap;

	failed(test, abort, file, line);
	printf("        # expected %s, but\n", expr);
	printf("        #     %s == %lld (%#llx)\n", l, lv,
	       (unsigned long long)lv);
	printf("        #     %s == %lld (%#llx)\n", r, rv,
	       (unsigned long long)rv);
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (abort)
		leave_case(test);
}

void __kunit_fail_ptr(struct kunit *test, bool abort, const char *file,
		      int line, const char *expr, const char *l,
		      const void *lv, const char *r, const void *rv,
		      const char *fmt, ...)
{
	va_list ap;

	failed(test, abort, file, line);
	printf("        # expected %s, but\n", expr);
	printf("        #     %s == %p\n", l, lv);
	printf("        #     %s == %p\n", r, rv);
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (abort)
		leave_case(test);
}

void __kunit_skip(struct kunit *test, bool abort, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	if (abort)
		leave_case(test);
}

/* ---- running ---- */

static const char *case_filter;
static bool skip_slow;

/* One run of @c (one parameter): init, the case, exit, then cleanup. */
static enum kunit_status run_once(struct kunit_suite *s, struct kunit_case *c,
				  const void *param, char *comment,
				  size_t comment_size)
{
	struct kunit test = { .name = c->name, .param_value = param };
	jmp_buf env;

	test.abort = &env;
	current_test = &test;
	if (!setjmp(env)) {
		if (s->init && s->init(&test)) {
			test.status = KUNIT_FAILURE;
			printf("        # %s: suite init failed\n", c->name);
		} else {
			c->run_case(&test);
		}
	}
	/* exit runs after an abort too, as KUnit's does. */
	if (s->exit && !setjmp(env))
		s->exit(&test);
	release_resources(&test);
	current_test = NULL;
	snprintf(comment, comment_size, "%s", test.status_comment);
	return test.status;
}

static const char *status_word(enum kunit_status st)
{
	return st == KUNIT_FAILURE ? "not ok" : "ok";
}

static void print_result(const char *indent, int nr, const char *name,
			 enum kunit_status st, const char *comment)
{
	printf("%s%s %d %s", indent, status_word(st), nr, name);
	if (st == KUNIT_SKIPPED)
		printf(" # SKIP %s", comment);
	putchar('\n');
	fflush(stdout);
}

static enum kunit_status run_case(struct kunit_suite *s, struct kunit_case *c,
				  int nr)
{
	char comment[KUNIT_LOG_SIZE] = "";
	enum kunit_status st;

	if (skip_slow && c->attr.speed == KUNIT_SPEED_SLOW) {
		print_result("    ", nr, c->name, KUNIT_SKIPPED,
			     "slow (KUNIT_SKIP_SLOW)");
		return KUNIT_SKIPPED;
	}
	if (c->generate_params) {
		char desc[KUNIT_PARAM_DESC_SIZE];
		const void *param = NULL;
		int n = 0, failed = 0, skipped = 0;

		printf("        KTAP version 1\n        # Subtest: %s\n",
		       c->name);
		for (;;) {
			desc[0] = 0;
			param = c->generate_params(param, desc);
			if (!param)
				break;
			st = run_once(s, c, param, comment, sizeof(comment));
			print_result("        ", ++n, desc, st, comment);
			failed += st == KUNIT_FAILURE;
			skipped += st == KUNIT_SKIPPED;
		}
		printf("        1..%d\n", n);
		st = failed ? KUNIT_FAILURE : skipped == n && n ?
			KUNIT_SKIPPED : KUNIT_SUCCESS;
		print_result("    ", nr, c->name, st, "every parameter");
		return st;
	}
	st = run_once(s, c, NULL, comment, sizeof(comment));
	print_result("    ", nr, c->name, st, comment);
	return st;
}

static int nr_cases(const struct kunit_suite *s)
{
	int n = 0;

	while (s->test_cases[n].run_case)
		n++;
	return n;
}

static bool case_selected(const struct kunit_case *c)
{
	return !case_filter || !fnmatch(case_filter, c->name, 0);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : getenv("KUNIT_FILTER");
	const char *slow = getenv("KUNIT_SKIP_SLOW");
	char suite_filter[256] = "*";
	unsigned long passed = 0, failed_cases = 0, skipped = 0;
	struct kunit_suite *s;
	int nr_suites = 0, i;

	skip_slow = slow && *slow && strcmp(slow, "0");
	if (filter && *filter) {
		char *dot;

		snprintf(suite_filter, sizeof(suite_filter), "%s", filter);
		dot = strchr(suite_filter, '.');
		if (dot) {
			*dot = 0;
			case_filter = filter + (dot - suite_filter) + 1;
		}
	}
	for (s = suites; s; s = s->next)
		nr_suites += !fnmatch(suite_filter, s->name, 0);
	printf("KTAP version 1\n1..%d\n", nr_suites);
	i = 0;
	for (s = suites; s; s = s->next) {
		int n = 0, f = 0, k;

		if (fnmatch(suite_filter, s->name, 0))
			continue;
		printf("    KTAP version 1\n    # Subtest: %s\n", s->name);
		printf("    1..%d\n", nr_cases(s));
		if (s->suite_init && s->suite_init(s)) {
			printf("    # %s: suite_init failed\n", s->name);
			failed_cases += nr_cases(s);
			print_result("", ++i, s->name, KUNIT_FAILURE, "");
			continue;
		}
		for (k = 0; s->test_cases[k].run_case; k++) {
			struct kunit_case *c = &s->test_cases[k];
			enum kunit_status st;

			if (!case_selected(c))
				continue;
			st = run_case(s, c, k + 1);
			n++;
			if (st == KUNIT_FAILURE) {
				f++;
				failed_cases++;
			} else {
				passed++;
				skipped += st == KUNIT_SKIPPED;
			}
		}
		if (s->suite_exit)
			s->suite_exit(s);
		printf("    # %s: pass:%d fail:%d total:%d\n", s->name, n - f,
		       f, n);
		print_result("", ++i, s->name, f ? KUNIT_FAILURE :
			     KUNIT_SUCCESS, "");
	}
	if (skipped)
		printf("kunit: %lu skipped (counted as passed)\n", skipped);
	printf("kunit: %lu passed, %lu failed\n", passed, failed_cases);
	return failed_cases ? 1 : 0;
}
