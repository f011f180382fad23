// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_bench: the in-kernel benchmark (gomem_bench.c) stops
 * for its killed writer, refuses what it does not understand, and prints
 * every cell of its scaling and fragmentation sections.
 * Kernel-only: the benchmark is glue, not an algorithm file.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "../gomem_internal.h"

/*
 * A run looks for a fatal signal between measurements: with SIGKILL
 * pending (allowed for this kernel thread, as a killed writer has it), a
 * run of every section returns -EINTR before it measures anything, instead
 * of timing all its cells to the end.
 */
static void bench_run_stops_when_killed(struct kunit *test)
{
	u64 t0, ns;
	int ret;

	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	KUNIT_ASSERT_TRUE(test, fatal_signal_pending(current));
	t0 = ktime_get_ns();
	ret = gomem_bench_run("all iters=2000");
	ns = ktime_get_ns() - t0;
	flush_signals(current);
	disallow_signal(SIGKILL);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	kunit_info(test, "killed run returned %d after %llu us\n", ret,
		   ns / 1000);
}

/* A command it does not understand changes nothing and is -EINVAL. */
static void bench_run_refuses_bad_commands(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, gomem_bench_run("alloc\x1b[2J"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_bench_run("iters=0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_bench_run("iters=1000001"), -EINVAL);
	KUNIT_EXPECT_EQ(test, gomem_bench_run("reader iters=x"), -EINVAL);
}

#define BENCH_TEXT	(64 * 1024)

/* The value of @field in the gomem-bench line starting with @line, or -1. */
static long long bench_field(const char *text, const char *line,
			     const char *field)
{
	const char *p = text, *end, *f;
	long long v;
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		end = strchrnul(p, '\n');
		if ((p == text || p[-1] == '\n') && p[n] == ' ') {
			f = strnstr(p, field, end - p);
			if (f && sscanf(f + strlen(field), "%lld", &v) == 1)
				return v;
			return -1;
		}
		p = end;
	}
	return -1;
}

/*
 * The scaling section: every (row, allocator) has a line with one CPU and
 * one with all online CPUs, a positive rate each; every thread ran all its
 * pairs on the shared front-end pool (its counters say how many).
 */
static void bench_scale_has_every_cell(struct kunit *test)
{
	static const char *const allocs[] = { "kmalloc", "pool", "pool-pcp" };
	static const char *const pats[] = { "1k", "random" };
	unsigned int cpus = num_online_cpus(), a, p, w;
	char *text = kunit_kzalloc(test, BENCH_TEXT, GFP_KERNEL);
	char line[128];
	long long v;

	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_ASSERT_EQ(test, gomem_bench_run("scale iters=512"), 0);
	KUNIT_ASSERT_GT(test, gomem_bench_copy_result(text, BENCH_TEXT), 0);
	for (p = 0; p < ARRAY_SIZE(pats); p++) {
		for (a = 0; a < ARRAY_SIZE(allocs); a++) {
			for (w = 0; w < 2; w++) {
				snprintf(line, sizeof(line),
					 "gomem-bench section=scale pattern=%s allocator=%s cpus=%u",
					 pats[p], allocs[a], w ? cpus : 1);
				v = bench_field(text, line, "ops_per_s=");
				KUNIT_EXPECT_GT_MSG(test, v, 0LL, "%s", line);
			}
		}
	}
}

/*
 * The fragmentation section: the pools, kmalloc and the arenas report
 * peaks over the same trace (the same peak live bytes), and no allocator
 * holds less than is live.
 */
static void bench_frag_reports_peaks(struct kunit *test)
{
	static const char *const allocs[] = {
		"kmalloc", "gen_pool", "treap", "avl", "pool", "pool-pcp",
	};
	char *text = kunit_kzalloc(test, BENCH_TEXT, GFP_KERNEL);
	long long live, res, live0 = -1;
	char line[128];
	unsigned int a;

	KUNIT_ASSERT_NOT_NULL(test, text);
	/* A fifth of the trace: the whole takes minutes under KASAN and TCG. */
	KUNIT_ASSERT_EQ(test, gomem_bench_run("frag iters=3000"), 0);
	KUNIT_ASSERT_GT(test, gomem_bench_copy_result(text, BENCH_TEXT), 0);
	for (a = 0; a < ARRAY_SIZE(allocs); a++) {
		snprintf(line, sizeof(line),
			 "gomem-bench section=frag pattern=media allocator=%s",
			 allocs[a]);
		live = bench_field(text, line, "peak_live=");
		res = bench_field(text, line, "peak_reserved=");
		KUNIT_EXPECT_GT_MSG(test, live, 0LL, "%s", line);
		KUNIT_EXPECT_GE_MSG(test, res, live, "%s", line);
		if (live0 < 0)
			live0 = live;
		KUNIT_EXPECT_EQ_MSG(test, live, live0, "%s", line);
	}
	/* kmem_cache cannot serve the trace: a dash, no line. */
	KUNIT_EXPECT_EQ(test, bench_field(text,
					  "gomem-bench section=frag pattern=media allocator=kmem_cache",
					  "peak_live="), -1LL);
}

static struct kunit_case bench_cases[] = {
	KUNIT_CASE(bench_run_stops_when_killed),
	KUNIT_CASE(bench_run_refuses_bad_commands),
	KUNIT_CASE(bench_scale_has_every_cell),
	KUNIT_CASE(bench_frag_reports_peaks),
	{}
};

static struct kunit_suite bench_suite = {
	.name = "gomem_bench",
	.test_cases = bench_cases,
};

kunit_test_suite(bench_suite);
