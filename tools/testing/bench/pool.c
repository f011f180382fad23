// SPDX-License-Identifier: GPL-2.0
/*
 * Pool and recyclable-memory benchmark: GoMem's scalable_bench_test.go
 * patterns on gomem pools (treap and AVL arenas) side by side with glibc
 * malloc/free.  GoMem's reference: ScalableMemoryAllocator Malloc 13 ns,
 * RecyclableMemory NextN 32 ns, batch of 10 NextN + Recycle 312 ns.
 *
 * gomem_pool.c and the files below it are linked unchanged against the
 * shim (include/linux/gomem_kshim.h): its spinlock is a real atomic lock,
 * taken uncontended, as the kernel's would be (without the interrupt
 * masking).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include "bench.h"

#include <gomem/gomem.h>
#include "gomem_internal.h"
#include "gomem_report.h"

static const size_t random_sizes[] = { 64, 128, 256, 512, 1024, 2048, 4096 };
static const size_t scaling_sizes[] = { 1024, 2048, 4096, 8192, 16384 };

/* One allocator: a pool, or glibc when @pool is NULL. */
struct palloc {
	const char *name;
	struct gomem_pool *pool;
};

static inline void *pa_malloc(struct palloc *a, size_t n)
{
	return a->pool ? gomem_malloc(a->pool, n, GFP_KERNEL) : malloc(n);
}

static inline void pa_free(struct palloc *a, void *p, size_t n)
{
	if (a->pool)
		gomem_free(a->pool, p, n);
	else
		free(p);
}

typedef unsigned long (*pattern_fn)(struct palloc *a, unsigned long n);

/* Each returns the number of operations it timed (n of them, or so). */
static unsigned long p_fixed(struct palloc *a, unsigned long n, size_t size)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		void *p = pa_malloc(a, size);

		bench_keep((uintptr_t)p);
		pa_free(a, p, size);
	}
	return n;
}

static unsigned long p_1k(struct palloc *a, unsigned long n)
{
	return p_fixed(a, n, 1024);
}

static unsigned long p_64(struct palloc *a, unsigned long n)
{
	return p_fixed(a, n, 64);
}

static unsigned long p_8k(struct palloc *a, unsigned long n)
{
	return p_fixed(a, n, 8192);
}

static unsigned long p_cycle(struct palloc *a, unsigned long n,
			     const size_t *sizes, unsigned int nr)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		size_t size = sizes[i % nr];
		void *p = pa_malloc(a, size);

		bench_keep((uintptr_t)p);
		pa_free(a, p, size);
	}
	return n;
}

static unsigned long p_random(struct palloc *a, unsigned long n)
{
	return p_cycle(a, n, random_sizes, ARRAY_SIZE(random_sizes));
}

static unsigned long p_scaling(struct palloc *a, unsigned long n)
{
	return p_cycle(a, n, scaling_sizes, ARRAY_SIZE(scaling_sizes));
}

/*
 * Steady state, bench-cg's pattern in time: 10,000 live blocks of 64..4096
 * bytes (uniform); each op frees a random one and allocates one in its
 * place.  The time includes the fill and the final frees (10,000 pairs
 * against the 1,000,000 ops of the default scale), alike for every
 * allocator.
 */
#define STEADY_LIVE	10000
static void *steady_p[STEADY_LIVE];
static size_t steady_n[STEADY_LIVE];

static unsigned long p_steady(struct palloc *a, unsigned long n)
{
	u64 s = 0x9e3779b97f4a7c15ull;
	unsigned long i;
	unsigned int j;

	for (j = 0; j < STEADY_LIVE; j++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		steady_n[j] = 64 + s % 4033;
		steady_p[j] = pa_malloc(a, steady_n[j]);
	}
	for (i = 0; i < n; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		j = s % STEADY_LIVE;
		pa_free(a, steady_p[j], steady_n[j]);
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		steady_n[j] = 64 + s % 4033;
		steady_p[j] = pa_malloc(a, steady_n[j]);
	}
	for (j = 0; j < STEADY_LIVE; j++)
		pa_free(a, steady_p[j], steady_n[j]);
	return n;
}

/* 50 allocations of 1 KiB, then 50 frees; per alloc+free. */
static unsigned long p_seq50(struct palloc *a, unsigned long n)
{
	void *p[50];
	unsigned long i;
	int j;

	for (i = 0; i < n / 50; i++) {
		for (j = 0; j < 50; j++)
			p[j] = pa_malloc(a, 1024);
		for (j = 0; j < 50; j++)
			pa_free(a, p[j], 1024);
	}
	return n / 50 * 50;
}

/* 20 allocations of 64 * (j + 1) bytes, then 20 frees. */
static unsigned long p_concurrent(struct palloc *a, unsigned long n)
{
	void *p[20];
	unsigned long i;
	int j;

	for (i = 0; i < n / 20; i++) {
		for (j = 0; j < 20; j++)
			p[j] = pa_malloc(a, 64 * (j + 1));
		for (j = 0; j < 20; j++)
			pa_free(a, p[j], 64 * (j + 1));
	}
	return n / 20 * 20;
}

/* Growing sizes, every third step frees the oldest: fragmentation. */
static unsigned long p_pressure(struct palloc *a, unsigned long n)
{
	void *p[100];
	size_t sz[100];
	unsigned long i;
	int j, head, tail;

	for (i = 0; i < n / 100; i++) {
		head = 0;
		tail = 0;
		for (j = 0; j < 100; j++) {
			sz[tail] = 1024 + j * 64;
			p[tail] = pa_malloc(a, sz[tail]);
			tail++;
			if (j % 3 == 0 && head < tail) {
				pa_free(a, p[head], sz[head]);
				head++;
			}
		}
		while (head < tail) {
			pa_free(a, p[head], sz[head]);
			head++;
		}
	}
	return n / 100 * 100;
}

/* Malloc 1 KiB, keep 256 bytes (FreeRest), free them. */
static unsigned long p_free_rest(struct palloc *a, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		char *p = pa_malloc(a, 1024);

		if (a->pool) {
			gomem_free_rest(a->pool, p, 1024, 256);
			gomem_free(a->pool, p, 256);
		} else {
			p = realloc(p, 256);
			free(p);
		}
	}
	return n;
}

/* Borrow 1 KiB (glibc: malloc + free, what Borrow replaces). */
static unsigned long p_borrow(struct palloc *a, unsigned long n)
{
	unsigned long i;

	if (!a->pool)
		return p_fixed(a, n, 1024);
	for (i = 0; i < n; i++)
		bench_keep((uintptr_t)gomem_borrow(a->pool, 1024));
	return n;
}

/* Recyclable memory: NextN(1 KiB), recycling every 100. */
static unsigned long p_rm_next(struct palloc *a, unsigned long n)
{
	struct gomem_rm rm;
	void *p[100];
	unsigned long i;
	int j = 0;

	if (a->pool) {
		gomem_rm_init(&rm, a->pool);
		for (i = 0; i < n; i++) {
			bench_keep((uintptr_t)gomem_rm_next(&rm, 1024,
							    GFP_KERNEL));
			if (i % 100 == 99)
				gomem_rm_recycle(&rm);
		}
		gomem_rm_fini(&rm);
		return n;
	}
	for (i = 0; i < n; i++) {
		p[j++] = malloc(1024);
		if (j == 100)
			while (j)
				free(p[--j]);
	}
	while (j)
		free(p[--j]);
	return n;
}

/* Batches of 10 NextN(1 KiB) + Recycle; the result is per batch. */
static unsigned long p_rm_batch(struct palloc *a, unsigned long n)
{
	struct gomem_rm rm;
	unsigned long i;
	void *p[10];
	int j;

	n /= 10;
	if (a->pool) {
		gomem_rm_init(&rm, a->pool);
		for (i = 0; i < n; i++) {
			for (j = 0; j < 10; j++)
				gomem_rm_next(&rm, 1024, GFP_KERNEL);
			gomem_rm_recycle(&rm);
		}
		gomem_rm_fini(&rm);
		return n;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < 10; j++)
			p[j] = malloc(1024);
		for (j = 0; j < 10; j++)
			free(p[j]);
	}
	return n;
}

static const struct {
	const char *name;
	pattern_fn fn;
} patterns[] = {
	{ "malloc+free 1 KiB", p_1k },
	{ "malloc+free 64 B", p_64 },
	{ "malloc+free 8 KiB", p_8k },
	{ "random 64 B..4 KiB", p_random },
	{ "scaling 1..16 KiB", p_scaling },
	{ "50 mallocs, 50 frees", p_seq50 },
	{ "20 sizes, then frees", p_concurrent },
	{ "pressure (fragmenting)", p_pressure },
	{ "malloc, free_rest, free", p_free_rest },
	{ "steady 10,000 live", p_steady },
	{ "borrow 1 KiB", p_borrow },
	{ "rm NextN 1 KiB", p_rm_next },
	{ "rm 10 x NextN + Recycle", p_rm_batch },
};

static struct gomem_pool *bench_make_pool(const char *name,
					  enum gomem_index index,
					  enum gomem_pool_percpu percpu)
{
	struct gomem_pool_params p = { .index = index, .percpu = percpu };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	if (IS_ERR(pool)) {
		printf("cannot create pool %s\n", name);
		exit(1);
	}
	return pool;
}

static void pool_patterns(void)
{
	struct palloc allocs[] = {
		{ "pool treap", bench_make_pool("bench_treap", GOMEM_INDEX_TREAP,
						GOMEM_PERCPU_OFF) },
		{ "pool avl", bench_make_pool("bench_avl", GOMEM_INDEX_AVL,
					      GOMEM_PERCPU_OFF) },
		{ "treap+pcpu", bench_make_pool("bench_treap_pcpu",
						GOMEM_INDEX_TREAP,
						GOMEM_PERCPU_ON) },
		{ "glibc", NULL },
	};
	unsigned long n = (unsigned long)(1000000 * bench_scale()), ops;
	const char *only = getenv("POOL_BENCH_ONLY");
	unsigned int i, k, round;

	printf("ns per op (an op is malloc+free; a borrow; one NextN; one batch),\n");
	printf("best of 3 rounds; pools: 64 KiB first arena, 4 MiB max\n\n");
	printf("| %-24s |", "pattern");
	for (k = 0; k < ARRAY_SIZE(allocs); k++)
		printf(" %10s |", allocs[k].name);
	printf("\n|--------------------------|");
	for (k = 0; k < ARRAY_SIZE(allocs); k++)
		printf("------------|");
	printf("\n");
	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		/* POOL_BENCH_ONLY=<words>: run the patterns whose name has them. */
		if (only && !strstr(patterns[i].name, only))
			continue;
		printf("| %-24s |", patterns[i].name);
		for (k = 0; k < ARRAY_SIZE(allocs); k++) {
			double best = 0;

			for (round = 0; round < 3; round++) {
				u64 t = bench_now_ns();
				double ns;

				ops = patterns[i].fn(&allocs[k], n);
				ns = (double)(bench_now_ns() - t) / ops;
				if (!round || ns < best)
					best = ns;
			}
			printf(" %10.1f |", best);
		}
		printf("\n");
	}
	for (k = 0; k < ARRAY_SIZE(allocs); k++) {
		struct gomem_pool_stats st;

		if (!allocs[k].pool)
			continue;
		gomem_pool_get_stats(allocs[k].pool, &st);
		if (st.in_use ||
		    st.in_use + st.free + st.cached != st.reserved ||
		    st.bad_frees || st.failures ||
		    gomem_pool_check(allocs[k].pool))
			printf("%s: inconsistent after the run\n",
			       allocs[k].name);
		gomem_pool_destroy(allocs[k].pool);
	}
}

GOMEM_BENCH(pool_patterns);
