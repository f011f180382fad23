// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions per malloc+free pair, counted by callgrind: `make -C tools
 * bench-cg` runs this program under valgrind --tool=callgrind
 * --collect-atstart=no and reports with cg/report.awk.  Instruction counts
 * do not depend on what else the machine runs, so they compare allocators
 * on a noisy machine where times cannot.
 *
 * Method.  Every allocator is called through the same two function
 * pointers from the same loop (cg_pair(), cg_random(), cg_steady()), with
 * the same random numbers.  Each (pattern, allocator) cell first warms up
 * uncounted (WARM pairs, or the fill of the live set), then counts exactly
 * N pairs: collection is switched on around the loop
 * (CALLGRIND_TOGGLE_COLLECT) and the count is dumped with the cell's name
 * (CALLGRIND_DUMP_STATS_AT).  The loop itself is measured the same way with
 * the "loop" allocator, whose malloc returns a fixed pointer and whose
 * free does nothing; the report subtracts the loop's count from every
 * cell and divides by N.  What remains is each allocator's own work per
 * pair, its call and return included, the loop's two empty calls (about
 * four instructions) taken off.  Callgrind counts instructions, not time:
 * cache misses, the locked instruction's latency and branch mispredictions
 * do not show.
 *
 * Allocators: a pool with the front end off, the same with it on, a bare
 * arena (64 MiB, the index and quick cache as the pool's arenas have
 * them), glibc malloc/free.  The program is single-threaded: shim_cpu 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <gomem/gomem.h>
#include "gomem_internal.h"

#if __has_include("valgrind/callgrind.h")
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT	((void)0)
#define CALLGRIND_DUMP_STATS_AT(s)	((void)(s))
#define RUNNING_ON_VALGRIND		0
#endif

#define N	100000		/* counted pairs per cell */
#define WARM	20000		/* uncounted pairs before */
#define LIVE	10000		/* live blocks of the steady pattern */

struct cg_alloc {
	const char *name;
	void *(*malloc)(void *ctx, size_t n);
	void (*free)(void *ctx, void *p, size_t n);
	void *ctx;
};

static void *loop_malloc(void *ctx, size_t n)
{
	return ctx;
}

static void loop_free(void *ctx, void *p, size_t n)
{
}

static void *pool_malloc(void *ctx, size_t n)
{
	return gomem_malloc(ctx, n, GFP_KERNEL);
}

static void pool_free(void *ctx, void *p, size_t n)
{
	gomem_free(ctx, p, n);
}

static void *arena_malloc(void *ctx, size_t n)
{
	return gomem_arena_alloc(ctx, n);
}

static void arena_free(void *ctx, void *p, size_t n)
{
	gomem_arena_free(ctx, p, n);
}

static void *glibc_malloc(void *ctx, size_t n)
{
	return malloc(n);
}

static void glibc_free(void *ctx, void *p, size_t n)
{
	free(p);
}

/* xorshift64: the same sequence for every allocator. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* 64..4096 bytes, uniform. */
static inline size_t rng_size(uint64_t *s)
{
	return 64 + rng_next(s) % (4096 - 64 + 1);
}

static inline void keep(void *p)
{
	__asm__ __volatile__("" : : "g"(p) : "memory");
}

static void *live[LIVE];
static size_t live_size[LIVE];

static noinline void cg_pair(struct cg_alloc *a, size_t size,
			     unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		void *p = a->malloc(a->ctx, size);

		keep(p);
		a->free(a->ctx, p, size);
	}
}

static noinline void cg_random(struct cg_alloc *a, uint64_t *s,
			       unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		size_t size = rng_size(s);
		void *p = a->malloc(a->ctx, size);

		keep(p);
		a->free(a->ctx, p, size);
	}
}

/* Free a random live block, allocate one of a random size in its place. */
static noinline void cg_steady(struct cg_alloc *a, uint64_t *s,
			       unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		unsigned int j = rng_next(s) % LIVE;

		a->free(a->ctx, live[j], live_size[j]);
		live_size[j] = rng_size(s);
		live[j] = a->malloc(a->ctx, live_size[j]);
		keep(live[j]);
	}
}

/* 8 KiB last: the cells before it ran first when it was added. */
enum { P_1K, P_64, P_RANDOM, P_STEADY, P_8K, NR_PATTERNS };
static const char *const pattern_name[] = {
	"fixed 1 KiB", "fixed 64 B", "random 64..4096", "steady 10,000 live",
	"fixed 8 KiB",
};

static void run_cell(struct cg_alloc *a, int pat)
{
	uint64_t s = 0x9e3779b97f4a7c15ull;
	char name[96];
	unsigned int j;

	/* Uncounted: the warm-up (and the live set). */
	switch (pat) {
	case P_1K:
		cg_pair(a, 1024, WARM);
		break;
	case P_64:
		cg_pair(a, 64, WARM);
		break;
	case P_8K:
		cg_pair(a, 8192, WARM);
		break;
	case P_RANDOM:
		cg_random(a, &s, WARM);
		break;
	case P_STEADY:
		for (j = 0; j < LIVE; j++) {
			live_size[j] = rng_size(&s);
			live[j] = a->malloc(a->ctx, live_size[j]);
			if (!live[j]) {
				fprintf(stderr, "%s: out of memory\n", a->name);
				exit(1);
			}
		}
		cg_steady(a, &s, WARM);
		break;
	}
	CALLGRIND_TOGGLE_COLLECT;
	switch (pat) {
	case P_1K:
		cg_pair(a, 1024, N);
		break;
	case P_64:
		cg_pair(a, 64, N);
		break;
	case P_8K:
		cg_pair(a, 8192, N);
		break;
	case P_RANDOM:
		cg_random(a, &s, N);
		break;
	case P_STEADY:
		cg_steady(a, &s, N);
		break;
	}
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(name, sizeof(name), "cell|%s|%s|%d", pattern_name[pat],
		 a->name, N);
	CALLGRIND_DUMP_STATS_AT(name);
	if (pat == P_STEADY)
		for (j = 0; j < LIVE; j++)
			a->free(a->ctx, live[j], live_size[j]);
}

static struct gomem_pool *make_pool(const char *name,
				    enum gomem_pool_percpu percpu)
{
	struct gomem_pool_params p = { .percpu = percpu };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	if (IS_ERR(pool)) {
		fprintf(stderr, "cannot create pool %s\n", name);
		exit(1);
	}
	return pool;
}

int main(void)
{
	static char dummy[4096];
	struct gomem_arena *arena = gomem_arena_create(64 << 20,
						       GOMEM_INDEX_DEFAULT,
						       GFP_KERNEL);
	struct cg_alloc allocs[] = {
		{ "loop", loop_malloc, loop_free, dummy },
		{ "pool", pool_malloc, pool_free,
		  make_pool("cg_pool", GOMEM_PERCPU_OFF) },
		{ "pool+pcpu", pool_malloc, pool_free,
		  make_pool("cg_pool_pcpu", GOMEM_PERCPU_ON) },
		{ "arena", arena_malloc, arena_free, arena },
		{ "glibc", glibc_malloc, glibc_free, NULL },
	};
	unsigned int k;
	int pat;

	if (IS_ERR_OR_NULL(arena)) {
		fprintf(stderr, "cannot create the arena\n");
		return 1;
	}
	if (!RUNNING_ON_VALGRIND)
		fprintf(stderr, "gomem-cg: not under callgrind; run make -C tools bench-cg\n");
	for (pat = 0; pat < NR_PATTERNS; pat++)
		for (k = 0; k < ARRAY_SIZE(allocs); k++)
			run_cell(&allocs[k], pat);
	gomem_pool_destroy(allocs[1].ctx);
	gomem_pool_destroy(allocs[2].ctx);
	gomem_arena_destroy(arena);
	return 0;
}
