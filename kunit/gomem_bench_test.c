// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite gomem_bench: the in-kernel benchmark (gomem_bench.c) stops
 * for its killed writer and refuses what it does not understand.
 * Kernel-only: the benchmark is glue, not an algorithm file.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>

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

static struct kunit_case bench_cases[] = {
	KUNIT_CASE(bench_run_stops_when_killed),
	KUNIT_CASE(bench_run_refuses_bad_commands),
	{}
};

static struct kunit_suite bench_suite = {
	.name = "gomem_bench",
	.test_cases = bench_cases,
};

kunit_test_suite(bench_suite);
