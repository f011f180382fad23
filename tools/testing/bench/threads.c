// SPDX-License-Identifier: GPL-2.0
/*
 * Pool scaling: 1 thread against 2 threads, threads standing in for CPUs
 * (each sets its shim_cpu, gomem_kshim.h, and is pinned to a CPU of its
 * own when the machine has them).  Allocators, in the same run:
 *
 *   shared     one pool for both threads, per-CPU front end off
 *   shared+pcpu one pool for both threads, front end on
 *   per-thread a pool for each thread (front end off): what no sharing
 *              gives, for reference
 *   glibc      malloc/free
 *
 * Patterns (an op is one malloc and one free):
 *   pair 1 KiB, pair 64 B  malloc then free at once
 *   random+live            64 live blocks per thread; each op frees a
 *                          random one and allocates 64..4096 bytes (uniform)
 *                          in its place
 *   cross-thread           each thread allocates batches of 32 blocks of
 *                          64..4096 bytes and hands them through a ring to
 *                          the other thread, which frees them (with one
 *                          thread: to itself, freed FIFO)
 *
 * Each thread does N ops; ops/s is all threads' ops over the wall time
 * from the first thread's start to the last one's end (each thread reads
 * the clock itself), best of 3 rounds; ratio is
 * 2 threads' ops/s over 1 thread's (2.0 would be perfect scaling).  On a
 * machine shared with other work the 2-thread numbers are the noisiest.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include "bench.h"

#include <gomem/gomem.h>
#include "gomem_internal.h"

#define MT_MAX		2
#define MT_LIVE		64
#define MT_BATCH	32
#define MT_RING		1024	/* entries, a power of two */

enum mt_kind { MT_SHARED, MT_SHARED_PCPU, MT_PER_THREAD, MT_GLIBC };

struct mt_alloc {
	const char *name;
	enum mt_kind kind;
	struct gomem_pool *pool[MT_MAX];	/* [0] only when shared */
};

/* A single-producer single-consumer ring of blocks. */
struct mt_entry {
	void *p;
	size_t size;
};

/* @prod: entries put in (the producer's); @cons: taken out, a line apart */
struct mt_ring {
	unsigned long prod;
	unsigned long pad[7];
	unsigned long cons;
	unsigned long pad2[7];
	struct mt_entry e[MT_RING];
};

struct mt_thread {
	pthread_t t;
	unsigned int id, nr;
	struct mt_alloc *a;
	int pattern;
	unsigned long n;
	struct mt_ring *inbox;		/* what the previous thread sends */
	struct mt_ring *outbox;		/* the next thread's inbox */
	pthread_barrier_t *start;
	u64 t0, t1;			/* its own start and end, ns */
	void *live[MT_LIVE];
	size_t live_size[MT_LIVE];
} __aligned(64);

static inline uint64_t mt_rng(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static inline size_t mt_size(uint64_t *s)
{
	return 64 + mt_rng(s) % (4096 - 64 + 1);
}

static inline struct gomem_pool *mt_pool(struct mt_thread *t, unsigned int id)
{
	return t->a->kind == MT_PER_THREAD ? t->a->pool[id] : t->a->pool[0];
}

static inline void *mt_malloc(struct mt_thread *t, size_t n)
{
	void *p;

	if (t->a->kind == MT_GLIBC)
		p = malloc(n);
	else
		p = gomem_malloc(mt_pool(t, t->id), n, GFP_KERNEL);
	if (unlikely(!p)) {
		printf("%s: malloc of %zu failed\n", t->a->name, n);
		exit(1);
	}
	return p;
}

/* Free a block that thread @owner allocated. */
static inline void mt_free(struct mt_thread *t, unsigned int owner, void *p,
			   size_t n)
{
	if (t->a->kind == MT_GLIBC) {
		free(p);
	} else if (unlikely(gomem_free(mt_pool(t, owner), p, n))) {
		printf("%s: free refused\n", t->a->name);
		exit(1);
	}
}

static void mt_pair(struct mt_thread *t, size_t size)
{
	unsigned long i;

	for (i = 0; i < t->n; i++) {
		void *p = mt_malloc(t, size);

		bench_keep((uintptr_t)p);
		mt_free(t, t->id, p, size);
	}
}

static void mt_random_live(struct mt_thread *t, uint64_t *s)
{
	unsigned long i;
	unsigned int j;

	for (j = 0; j < MT_LIVE; j++) {
		t->live_size[j] = mt_size(s);
		t->live[j] = mt_malloc(t, t->live_size[j]);
	}
	for (i = 0; i < t->n; i++) {
		j = mt_rng(s) % MT_LIVE;
		mt_free(t, t->id, t->live[j], t->live_size[j]);
		t->live_size[j] = mt_size(s);
		t->live[j] = mt_malloc(t, t->live_size[j]);
	}
	for (j = 0; j < MT_LIVE; j++)
		mt_free(t, t->id, t->live[j], t->live_size[j]);
}

static void mt_cross(struct mt_thread *t, uint64_t *s)
{
	unsigned int from = (t->id + t->nr - 1) % t->nr, k;
	struct mt_ring *out = t->outbox, *in = t->inbox;
	unsigned long made = 0, freed = 0, pi, ci;

	while (made < t->n || freed < t->n) {
		bool moved = false;

		pi = out->prod;
		ci = __atomic_load_n(&out->cons, __ATOMIC_ACQUIRE);
		if (made < t->n && pi - ci <= MT_RING - MT_BATCH) {
			for (k = 0; k < MT_BATCH && made < t->n; k++, made++) {
				struct mt_entry *e = &out->e[pi++ % MT_RING];

				e->size = mt_size(s);
				e->p = mt_malloc(t, e->size);
			}
			__atomic_store_n(&out->prod, pi, __ATOMIC_RELEASE);
			moved = true;
		}
		ci = in->cons;
		pi = __atomic_load_n(&in->prod, __ATOMIC_ACQUIRE);
		for (k = 0; k < MT_BATCH && ci != pi; k++, freed++) {
			struct mt_entry *e = &in->e[ci++ % MT_RING];

			mt_free(t, from, e->p, e->size);
			moved = true;
		}
		__atomic_store_n(&in->cons, ci, __ATOMIC_RELEASE);
		if (!moved)
			sched_yield();
	}
}

static void *mt_run(void *arg)
{
	struct mt_thread *t = arg;
	uint64_t s = 0x9e3779b97f4a7c15ull * (t->id + 1);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	/* This thread is "CPU" id, on a CPU of its own when there is one. */
	shim_cpu = t->id;
	if (ncpu >= t->nr) {
		CPU_ZERO(&set);
		CPU_SET(t->id, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	pthread_barrier_wait(t->start);
	t->t0 = bench_now_ns();
	switch (t->pattern) {
	case 0:
		mt_pair(t, 1024);
		break;
	case 1:
		mt_pair(t, 64);
		break;
	case 2:
		mt_random_live(t, &s);
		break;
	case 3:
		mt_cross(t, &s);
		break;
	}
	t->t1 = bench_now_ns();
	return NULL;
}

static const char *const mt_pattern_name[] = {
	"pair 1 KiB", "pair 64 B", "random+live", "cross-thread",
};

static struct mt_ring mt_rings[MT_MAX];
static struct mt_thread mt_threads[MT_MAX];

/* ops/s of @nr threads, each doing @n ops of @pattern. */
static double mt_once(struct mt_alloc *a, int pattern, unsigned int nr,
		      unsigned long n)
{
	pthread_barrier_t start;
	unsigned int i;
	u64 t0, t1;

	pthread_barrier_init(&start, NULL, nr + 1);
	memset(mt_rings, 0, sizeof(mt_rings));
	for (i = 0; i < nr; i++) {
		struct mt_thread *t = &mt_threads[i];

		t->id = i;
		t->nr = nr;
		t->a = a;
		t->pattern = pattern;
		t->n = n;
		t->inbox = &mt_rings[i];
		t->outbox = &mt_rings[(i + 1) % nr];
		t->start = &start;
		if (pthread_create(&t->t, NULL, mt_run, t)) {
			printf("pthread_create failed\n");
			exit(1);
		}
	}
	pthread_barrier_wait(&start);
	for (i = 0; i < nr; i++)
		pthread_join(mt_threads[i].t, NULL);
	pthread_barrier_destroy(&start);
	/*
	 * From the first thread's start to the last one's end, as the
	 * threads saw them: this thread may run after the barrier only when
	 * they are done (it did, on this machine: ratios of thousands).
	 */
	t0 = mt_threads[0].t0;
	t1 = mt_threads[0].t1;
	for (i = 1; i < nr; i++) {
		t0 = min(t0, mt_threads[i].t0);
		t1 = max(t1, mt_threads[i].t1);
	}
	return (double)n * nr * 1e9 / (t1 - t0);
}

static struct gomem_pool *mt_make_pool(const char *name,
				       enum gomem_pool_percpu percpu)
{
	struct gomem_pool_params p = { .percpu = percpu };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	if (IS_ERR(pool)) {
		printf("cannot create pool %s\n", name);
		exit(1);
	}
	return pool;
}

static void pool_threads(void)
{
	struct mt_alloc allocs[] = {
		{ "shared", MT_SHARED,
		  { mt_make_pool("mt_shared", GOMEM_PERCPU_OFF) } },
		{ "shared+pcpu", MT_SHARED_PCPU,
		  { mt_make_pool("mt_shared_pcpu", GOMEM_PERCPU_ON) } },
		{ "per-thread", MT_PER_THREAD,
		  { mt_make_pool("mt_own0", GOMEM_PERCPU_OFF),
		    mt_make_pool("mt_own1", GOMEM_PERCPU_OFF) } },
		{ "glibc", MT_GLIBC, { NULL } },
	};
	unsigned long n = (unsigned long)(400000 * bench_scale());
	unsigned int k, i, nr, round;
	int pat;

	printf("ops/s (an op: one malloc + one free), 1 and 2 threads as CPUs 0 and 1\n");
	printf("(%ld CPUs online), best of 3; ratio = 2 threads / 1 thread\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("| %-13s | %-12s | %9s | %9s | %5s |\n", "pattern", "allocator",
	       "1 thread", "2 threads", "ratio");
	printf("|---------------|--------------|-----------|-----------|-------|\n");
	for (pat = 0; pat < 4; pat++) {
		for (k = 0; k < ARRAY_SIZE(allocs); k++) {
			double best[MT_MAX + 1] = { 0 };

			for (nr = 1; nr <= MT_MAX; nr++)
				for (round = 0; round < 3; round++) {
					double r = mt_once(&allocs[k], pat, nr, n);

					if (r > best[nr])
						best[nr] = r;
				}
			printf("| %-13s | %-12s | %8.2fM | %8.2fM | %5.2f |\n",
			       mt_pattern_name[pat], allocs[k].name,
			       best[1] / 1e6, best[2] / 1e6, best[2] / best[1]);
			fflush(stdout);
		}
	}
	for (k = 0; k < ARRAY_SIZE(allocs); k++)
		for (i = 0; i < MT_MAX; i++) {
			struct gomem_pool_stats st;
			struct gomem_pool *pool = allocs[k].pool[i];

			if (!pool)
				continue;
			gomem_pool_get_stats(pool, &st);
			if (st.in_use || st.bad_frees || st.failures ||
			    st.in_use + st.free + st.cached != st.reserved ||
			    gomem_pool_check(pool))
				printf("%s: inconsistent after the run\n",
				       allocs[k].name);
			gomem_pool_destroy(pool);
		}
}

GOMEM_BENCH(pool_threads);
