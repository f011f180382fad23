// SPDX-License-Identifier: GPL-2.0
/*
 * Range allocator benchmark: ns per alloc+free pair for the treap and the
 * AVL index (the module's own gomem_treap.c and gomem_avl.c, called the way
 * the arena calls them: bytes rounded to granules, a switch, no indirect
 * call), each bare and with the quick cache an arena puts in front of it
 * (gomem_qcache.c, "+qc"), side by side with glibc malloc/free, on GoMem's
 * benchmark patterns.
 * HUGE=1 asks for transparent huge pages on the arenas (as a huge vmalloc
 * mapping would give in the kernel); the 10,000-block steady state is bound
 * by TLB and cache misses on the scattered tree nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/kernel.h>
#include "gomem_qcache.h"
#include "bench.h"

/* Each index bare and with its quick cache (as arenas use it), and glibc. */
enum kind { K_TREAP, K_AVL, K_TREAP_QC, K_AVL_QC, K_GLIBC, K_COUNT };
static const char *const kind_name[K_COUNT] = {
	"treap", "avl", "treap+qc", "avl+qc", "glibc"
};

struct ra {
	enum kind kind;
	bool avl;
	struct gomem_freeidx fi;
	struct gomem_qcache qc;
	char *mem;
	unsigned long *map;
};

static void ra_init(struct ra *r, enum kind which, size_t size)
{
	u32 nr = size / GOMEM_GRANULE;

	r->kind = which;
	r->avl = which == K_AVL || which == K_AVL_QC;
	r->mem = NULL;
	r->map = NULL;
	if (which == K_GLIBC)
		return;
	r->mem = aligned_alloc(2 << 20, ALIGN(size, 2 << 20));
	if (getenv("HUGE"))
		madvise(r->mem, ALIGN(size, 2 << 20), MADV_HUGEPAGE);
	/* The end map, as gomem_arena_create() allocates it; NOMAP=1: none. */
	if (!getenv("NOMAP"))
		r->map = calloc(gomem_map_words(nr), sizeof(*r->map));
	if (r->avl)
		gomem_avl_init_map(&r->fi, r->mem, nr, r->map);
	else
		gomem_treap_init_map(&r->fi, r->mem, nr, r->map);
	if ((which == K_TREAP_QC || which == K_AVL_QC) &&
	    gomem_qc_attach(&r->fi, &r->qc)) {
		fprintf(stderr, "bench: the quick cache needs the end map\n");
		exit(1);
	}
}

static void ra_fini(struct ra *r)
{
	free(r->map);
	free(r->mem);
}

/* As gomem_arena_alloc() and gomem_arena_free() do it. */
static inline void *ra_alloc(struct ra *r, size_t size)
{
	u32 n = gomem_bytes_to_granules(size);
	s64 g;

	if (r->kind == K_GLIBC)
		return malloc(size);
	if (r->avl)
		g = gomem_avl_alloc(&r->fi, n, 1);
	else
		g = gomem_treap_alloc(&r->fi, n, 1);
	return g < 0 ? NULL : r->mem + ((size_t)g << GOMEM_GRANULE_SHIFT);
}

static inline void ra_free(struct ra *r, void *p, size_t size)
{
	u32 s, n;

	if (r->kind == K_GLIBC) {
		free(p);
		return;
	}
	gomem_free_range_to_granules((char *)p - r->mem, size, &s, &n);
	if (r->avl)
		gomem_avl_free(&r->fi, s, n);
	else
		gomem_treap_free(&r->fi, s, n);
}

static unsigned long iters(unsigned long base)
{
	unsigned long n = (unsigned long)(base * bench_scale());

	return n ? n : 1;
}

static void fail(const char *what, enum kind k)
{
	fprintf(stderr, "bench %s/%s: allocation failed\n", what, kind_name[k]);
	exit(1);
}

/* One size, alloc then free at once, in a 64 KiB arena. */
static double pat_fixed(enum kind k, size_t size)
{
	struct ra r;
	unsigned long i, n = iters(5000000);
	u64 t;

	ra_init(&r, k, 64 * 1024);
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		void *p = ra_alloc(&r, size);

		if (!p)
			fail("fixed", k);
		bench_keep((uintptr_t)p);
		ra_free(&r, p, size);
	}
	t = bench_now_ns() - t;
	ra_fini(&r);
	return (double)t / n;
}

static size_t sizes[4096];

/* Random sizes 64..4096, alloc then free, in a 64 KiB arena. */
static double pat_random(enum kind k)
{
	struct ra r;
	unsigned long i, n = iters(5000000);
	u64 t;

	ra_init(&r, k, 64 * 1024);
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		size_t size = sizes[i & 4095];
		void *p = ra_alloc(&r, size);

		if (!p)
			fail("random", k);
		bench_keep((uintptr_t)p);
		ra_free(&r, p, size);
	}
	t = bench_now_ns() - t;
	ra_fini(&r);
	return (double)t / n;
}

/* 50 allocations of 1 KiB, then 50 frees, in a 64 KiB arena. */
static double pat_seq50(enum kind k)
{
	struct ra r;
	void *p[50];
	unsigned long i, n = iters(60000);
	int j;
	u64 t;

	ra_init(&r, k, 64 * 1024);
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		for (j = 0; j < 50; j++) {
			p[j] = ra_alloc(&r, 1024);
			if (!p[j])
				fail("seq50", k);
		}
		bench_keep((uintptr_t)p[49]);
		for (j = 0; j < 50; j++)
			ra_free(&r, p[j], 1024);
	}
	t = bench_now_ns() - t;
	ra_fini(&r);
	return (double)t / (n * 50);
}

/*
 * Steady state: 10,000 live blocks of random sizes 64..4096 in a 64 MiB
 * arena; each step frees a random live block and allocates a new one.
 */
#define LIVE 10000
static double pat_steady(enum kind k, bool show)
{
	static void *p[LIVE];
	static size_t psize[LIVE];
	static u32 pick[65536];
	struct ra r;
	unsigned long i, n = iters(1000000);
	u64 t, x = 12345;

	for (i = 0; i < 65536; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		pick[i] = (u32)(x >> 33) % LIVE;
	}
	ra_init(&r, k, 64u << 20);
	for (i = 0; i < LIVE; i++) {
		psize[i] = sizes[i & 4095];
		p[i] = ra_alloc(&r, psize[i]);
		if (!p[i])
			fail("steady", k);
	}
	/* Warm up to a fragmented steady state before timing. */
	for (i = 0; i < LIVE * 4; i++) {
		u32 j = pick[i & 65535];

		ra_free(&r, p[j], psize[j]);
		psize[j] = sizes[(i * 7) & 4095];
		p[j] = ra_alloc(&r, psize[j]);
		if (!p[j])
			fail("steady", k);
	}
	t = bench_now_ns();
	for (i = 0; i < n; i++) {
		u32 j = pick[i & 65535];

		ra_free(&r, p[j], psize[j]);
		psize[j] = sizes[(i * 13) & 4095];
		p[j] = ra_alloc(&r, psize[j]);
		if (!p[j])
			fail("steady", k);
	}
	t = bench_now_ns() - t;
	if (k != K_GLIBC && show)
		printf("  (%s steady state: %u blocks in the tree, %u parked, largest %lu KiB)\n",
		       kind_name[k], r.fi.nr_blocks, r.fi.nr_parked,
		       (r.avl ? gomem_avl_largest(&r.fi) :
			gomem_treap_largest(&r.fi)) * GOMEM_GRANULE / 1024);
	for (i = 0; i < LIVE; i++)
		ra_free(&r, p[i], psize[i]);
	ra_fini(&r);
	return (double)t / n;
}

static void index_bench(void)
{
	static const char *const names[] = {
		"1 KiB in 64 KiB arena", "64 B", "8 KiB",
		"random 64..4096 B", "50 x 1 KiB, then 50 frees",
		"steady, 10,000 live blocks",
	};
	double ns[ARRAY_SIZE(names)][K_COUNT];
	u64 x = 42;
	int i, k, r;

	for (i = 0; i < 4096; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		sizes[i] = 64 + (x >> 33) % (4096 - 64 + 1);
	}
	/*
	 * The machine is shared: run the kinds interleaved, three rounds,
	 * and keep each one's best round.
	 */
	for (i = 0; i < ARRAY_SIZE(names); i++)
		for (k = 0; k < K_COUNT; k++)
			ns[i][k] = 1e30;
	for (r = 0; r < 3; r++) {
		for (k = 0; k < K_COUNT; k++) {
			double m[ARRAY_SIZE(names)];

			m[0] = pat_fixed(k, 1024);
			m[1] = pat_fixed(k, 64);
			m[2] = pat_fixed(k, 8192);
			m[3] = pat_random(k);
			m[4] = pat_seq50(k);
			m[5] = pat_steady(k, r == 0);
			for (i = 0; i < ARRAY_SIZE(names); i++)
				ns[i][k] = min(ns[i][k], m[i]);
		}
	}
	printf("ns per alloc+free pair (granule %lu B)\n", GOMEM_GRANULE);
	printf("%-30s", "pattern");
	for (k = 0; k < K_COUNT; k++)
		printf(" %9s", kind_name[k]);
	printf("\n");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		printf("%-30s", names[i]);
		for (k = 0; k < K_COUNT; k++)
			printf(" %9.1f", ns[i][k]);
		printf("\n");
	}
}

GOMEM_BENCH(index_bench);
