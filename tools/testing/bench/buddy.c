// SPDX-License-Identifier: GPL-2.0
/*
 * Buddy benchmark: ns per alloc and per free over a 128 MiB region of
 * 1 KiB units (GoMem's MinPowerOf2), side by side with glibc malloc/free
 * on the same request stream.  GoMem's BenchmarkBuddyAlloc (an alloc+free
 * pair of 1 KiB on an empty buddy) takes 388 ns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <gomem/buddy.h>
#include "bench.h"

#define REGION		(128ul << 20)
#define UNIT		1024ul

static unsigned long brng = 88172645463325252ul;

static unsigned long brnd(void)
{
	brng ^= brng << 13;
	brng ^= brng >> 7;
	brng ^= brng << 17;
	return brng;
}

struct pattern {
	const char *name;
	size_t min, max;	/* request sizes, uniform in [min, max] */
	unsigned long live;	/* blocks held at once */
};

static const struct pattern patterns[] = {
	{ "sequential 1 KiB, 100 live",	1024, 1024, 100 },
	{ "fixed 1 KiB, 4096 live",	1024, 1024, 4096 },
	{ "small 1-4 KiB, 4096 live",	1, 4096, 4096 },
	{ "mixed 1-64 KiB, 1024 live",	1, 65536, 1024 },
	{ "large 64-512 KiB, 128 live",	65536, 524288, 128 },
};

/*
 * Each round allocates @live blocks then frees them in a shuffled order;
 * timing the two phases apart gives ns per alloc and ns per free.
 */
static void run_pattern(const struct pattern *p, struct gomem_buddy *b)
{
	unsigned long live = p->live, rounds, r, i;
	size_t *sizes = malloc(live * sizeof(*sizes));
	unsigned long *order = malloc(live * sizeof(*order));
	void **ptrs = malloc(live * sizeof(*ptrs));
	uint64_t t, ta = 0, tf = 0, ga = 0, gf = 0;
	unsigned long n = 0, fails = 0;

	rounds = (unsigned long)(2000000 * bench_scale()) / live;
	if (!rounds)
		rounds = 1;
	for (i = 0; i < live; i++) {
		sizes[i] = p->min + brnd() % (p->max - p->min + 1);
		order[i] = i;
	}
	for (i = live - 1; i > 0; i--) {
		unsigned long j = brnd() % (i + 1), x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	for (r = 0; r < rounds; r++) {
		t = bench_now_ns();
		for (i = 0; i < live; i++)
			ptrs[i] = gomem_buddy_alloc(b, sizes[i]);
		ta += bench_now_ns() - t;
		for (i = 0; i < live; i++)
			fails += !ptrs[i];
		t = bench_now_ns();
		for (i = 0; i < live; i++)
			if (ptrs[order[i]])
				gomem_buddy_free(b, ptrs[order[i]]);
		tf += bench_now_ns() - t;

		t = bench_now_ns();
		for (i = 0; i < live; i++)
			ptrs[i] = malloc(sizes[i]);
		ga += bench_now_ns() - t;
		bench_keep((uintptr_t)ptrs[0]);
		t = bench_now_ns();
		for (i = 0; i < live; i++)
			free(ptrs[order[i]]);
		gf += bench_now_ns() - t;
		n += live;
	}
	printf("| %-28s | %8.1f | %8.1f | %8.1f | %8.1f | %5lu |\n", p->name,
	       (double)ta / n, (double)tf / n, (double)ga / n, (double)gf / n,
	       fails);
	free(sizes);
	free(order);
	free(ptrs);
}

/* One block at a time: alloc then free at once, the hot-cache case. */
static void run_pairs(struct gomem_buddy *b, size_t size)
{
	unsigned long n = (unsigned long)(4000000 * bench_scale()), i;
	uint64_t t, tb, tg;
	void *p;

	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		p = gomem_buddy_alloc(b, size);
		bench_keep((uintptr_t)p);
		gomem_buddy_free(b, p);
	}
	tb = bench_now_ns() - t;
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		p = malloc(size);
		bench_keep((uintptr_t)p);
		free(p);
	}
	tg = bench_now_ns() - t;
	printf("| alloc+free pair, %-11zu | %19.1f | %19.1f | %5s |\n", size,
	       (double)tb / n, (double)tg / n, "0");
}

static void buddy_alloc_free(void)
{
	struct gomem_buddy *b = gomem_buddy_create(REGION, UNIT, GFP_KERNEL);
	unsigned long i;

	if (IS_ERR(b)) {
		printf("cannot create the buddy\n");
		return;
	}
	/* Touch the region once so page faults stay out of the numbers. */
	memset(gomem_buddy_base(b), 0, REGION);
	printf("region %lu MiB, unit %lu B; ns per call\n\n", REGION >> 20,
	       UNIT);
	printf("| %-28s | %8s | %8s | %8s | %8s | %5s |\n", "pattern",
	       "alloc", "free", "glibc m", "glibc f", "fails");
	printf("|------------------------------|----------|----------|");
	printf("----------|----------|-------|\n");
	for (i = 0; i < ARRAY_SIZE(patterns); i++)
		run_pattern(&patterns[i], b);
	/* GoMem's BenchmarkBuddyAlloc{,Small,Large,NonPowerOf2}. */
	run_pairs(b, 1024);
	run_pairs(b, 64);
	run_pairs(b, 8192);
	run_pairs(b, 1000);
	if (gomem_buddy_check(b) || gomem_buddy_nr_allocated(b))
		printf("buddy state inconsistent after the run\n");
	gomem_buddy_destroy(b);
}

GOMEM_BENCH(buddy_alloc_free);
