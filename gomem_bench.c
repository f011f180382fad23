// SPDX-License-Identifier: GPL-2.0
/*
 * gomem bench: the in-kernel benchmark behind
 * /sys/kernel/debug/gomem/bench, using only the public API (and the
 * memory-initialisation policy of gomem_init.h, which it prints).
 */

/**
 * DOC: Overview
 *
 * Writing to /sys/kernel/debug/gomem/bench runs benchmarks in the writer's
 * context; reading it returns the tables of the last run.  The write takes
 * space-separated words: section names and optionally ``iters=N``
 * (operations per measurement, default 20000, at most 1000000).  There are
 * five sections: ``alloc`` (one table, arenas, pools, buddy and kmalloc
 * side by side on the same rows; ``arena``, ``pool`` and ``buddy`` are
 * other names for it), ``scale``, ``frag``, ``rm`` and ``reader``; ``all``
 * runs the five.
 * Example::
 *
 *	echo "alloc iters=50000" > /sys/kernel/debug/gomem/bench
 *	cat /sys/kernel/debug/gomem/bench
 *
 * Every allocator of a row is measured in the same run on the same sizes
 * (drawn before timing from a fixed-seed generator), beside the kernel's
 * own: kmalloc/kfree (the baseline of the ratio table), a kmem_cache of the
 * row's size (fixed-size rows), gen_pool over a region of the arena's size
 * with the arena's 32-byte minimum order, alloc_pages of the order that
 * holds the size, and vmalloc (rows of 64 KiB and up); a dash marks a row
 * an allocator does not serve.  The pool has two columns: ``pool``, its
 * per-CPU front end off, and ``pool-pcp``, on.  After the tables, one line
 * per cell, ``gomem-bench section=alloc pattern=KEY allocator=NAME ns=N
 * iters=N init_on_alloc=0|1``, stable across versions, for scripts
 * (tools/bench-compare.py compares two runs).  Numbers are ns per
 * operation as ktime_get_ns() sees them; the benchmark asserts nothing
 * about time.
 *
 * ``scale``: the 1 KiB and random 64..4096 pair rows run by one kthread
 * bound to one CPU, then by one kthread bound to each online CPU, released
 * together, each doing 8 x ``iters`` pairs on the same allocator: kmalloc, or
 * one pool shared by all (front end off, then on).  It prints pairs per
 * second of all threads together and the ratio all CPUs / one CPU, and
 * ``gomem-bench section=scale pattern=KEY allocator=NAME cpus=N
 * ops_per_s=N iters=N init_on_alloc=0|1`` lines.  CPU hotplug waits
 * while it runs.
 *
 * ``frag``: a media-like trace (see bench_frag_draw(); its first ``iters``
 * buffers, 16384 at most and by default) run through every
 * allocator that can say what it holds, untimed: peak reserved bytes over
 * peak live bytes, and ``gomem-bench section=frag pattern=media
 * allocator=NAME peak_live=N peak_reserved=N init_on_alloc=0|1`` lines.
 *
 * The pools of the ``alloc`` and ``scale`` sections stay registered (as
 * ``bench_pool`` and ``bench_pool_pcp``) until the next run or module
 * unload, so their debugfs stats can be read afterwards.
 *
 * The first lines say the kernel's init_on_alloc / init_on_free and whether
 * gomem zeroes under them (gomem_init.h): kmalloc zeroes every allocation
 * under init_on_alloc=1, so a ratio against it holds for that setting
 * only.  The ``kzalloc`` and ``pool+z`` columns ask for __GFP_ZERO, which
 * gives the zeroing comparison on a kernel booted with init_on_alloc=0.
 *
 * Runs are serialised by a mutex; a run sleeps (it allocates with
 * GFP_KERNEL and calls cond_resched() between measurements).  Writers and
 * readers wait for the mutex killably, and a run looks for a fatal signal
 * between measurements: a long run (a large ``iters=`` on a debug kernel)
 * stops early when its writer is killed, the write then fails with -EINTR
 * and the tables of the previous run are gone.  A write that is not
 * understood fails with -EINVAL and is logged escaped.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/genalloc.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <gomem/gomem.h>
#include "gomem_init.h"
#include "gomem_internal.h"

#define BENCH_OUT_SIZE		(64 * 1024)
#define BENCH_DEFAULT_ITERS	20000
#define BENCH_MAX_ITERS		1000000
#define BENCH_STEADY_LIVE	10000
#define BENCH_SEQ		50

/* Arenas bare (the index's placement) and with the quick cache. */
enum bench_kind {
	BK_KMALLOC, BK_KZALLOC, BK_TREAP, BK_AVL, BK_TREAP_QC, BK_AVL_QC,
	BK_POOL, BK_POOL_PCP, BK_POOL_ZERO, BK_BUDDY,
	/* The kernel's own allocators, peers of the rows above. */
	BK_KMEM_CACHE, BK_GENPOOL, BK_PAGES, BK_VMALLOC, BK_NR
};

static const char *const bench_kind_names[BK_NR] = {
	[BK_KMALLOC] = "kmalloc", [BK_KZALLOC] = "kzalloc",
	[BK_TREAP] = "treap", [BK_AVL] = "avl",
	[BK_TREAP_QC] = "treap+qc", [BK_AVL_QC] = "avl+qc",
	[BK_POOL] = "pool", [BK_POOL_PCP] = "pool-pcp",
	[BK_POOL_ZERO] = "pool+z", [BK_BUDDY] = "buddy",
	[BK_KMEM_CACHE] = "kmem_cache", [BK_GENPOOL] = "gen_pool",
	[BK_PAGES] = "pages", [BK_VMALLOC] = "vmalloc",
};

/* One allocator under test; a switch, not a function pointer, per call. */
struct bench_target {
	enum bench_kind kind;
	struct gomem_arena *arena;
	struct gomem_pool *pool;
	struct gomem_buddy *buddy;
	struct kmem_cache *cache;	/* one object size */
	struct gen_pool *genpool;	/* over @region, min order a granule */
	void *region;
};

enum bench_shape {
	BS_PAIR,	/* alloc then free at once */
	BS_SEQ,		/* BENCH_SEQ allocs, then the same frees */
	BS_STEADY,	/* BENCH_STEADY_LIVE live blocks; replace one per op */
};

struct bench_pattern {
	const char *name;
	const char *key;	/* its name in the machine-readable lines */
	size_t min, max;	/* size range; min == max for a fixed size */
	size_t arena;		/* region size for arena and buddy targets */
	enum bench_shape shape;
};

static const struct bench_pattern bench_patterns[] = {
	{ "1 KiB, 64 KiB arena", "1k", 1024, 1024, SZ_64K, BS_PAIR },
	{ "64 B", "64b", 64, 64, SZ_1M, BS_PAIR },
	{ "8 KiB", "8k", 8192, 8192, SZ_1M, BS_PAIR },
	{ "64 KiB, 1 MiB arena", "64k", SZ_64K, SZ_64K, SZ_1M, BS_PAIR },
	{ "random 64..4096 B", "random", 64, 4096, SZ_1M, BS_PAIR },
	{ "50 allocs, then 50 frees", "seq50", 64, 4096, SZ_1M, BS_SEQ },
	{ "10k live, random 64..4096", "live10k", 64, 4096, SZ_64M,
	  BS_STEADY },
};

struct bench_run {
	char *out;
	size_t len;
	unsigned long iters;
	u32 rng;
	u32 *sizes;		/* iters + BENCH_STEADY_LIVE sizes */
	u32 *slots;		/* iters slots to replace (steady state) */
	void **live;		/* BENCH_STEADY_LIVE slots */
	u32 *live_size;
	bool killed;		/* a fatal signal came: stop measuring */
};

static DEFINE_MUTEX(bench_mutex);	/* serialises runs and guards below */
static char *bench_result;		/* text of the last run */
static size_t bench_result_len;
static struct gomem_pool *bench_pool;	/* kept for its stats after a run */
static struct gomem_pool *bench_pool_pcp;	/* the same, front end on */

static void bench_pools_destroy(void)
{
	if (bench_pool)
		gomem_pool_destroy(bench_pool);
	bench_pool = NULL;
	if (bench_pool_pcp)
		gomem_pool_destroy(bench_pool_pcp);
	bench_pool_pcp = NULL;
}

static __printf(2, 3) void bench_printf(struct bench_run *r,
					const char *fmt, ...)
{
	va_list args;

	if (r->len >= BENCH_OUT_SIZE - 1)
		return;
	va_start(args, fmt);
	r->len += vscnprintf(r->out + r->len, BENCH_OUT_SIZE - r->len, fmt,
			     args);
	va_end(args);
}

/* xorshift32: deterministic sizes, drawn before any timing starts. */
static u32 bench_rand(struct bench_run *r)
{
	u32 x = r->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	r->rng = x;
	return x;
}

static __always_inline void *bench_alloc(struct bench_target *t, size_t n)
{
	switch (t->kind) {
	case BK_KMALLOC:
		return kmalloc(n, GFP_KERNEL);
	case BK_KZALLOC:
		return kzalloc(n, GFP_KERNEL);
	case BK_TREAP:
	case BK_AVL:
	case BK_TREAP_QC:
	case BK_AVL_QC:
		return gomem_arena_alloc(t->arena, n);
	case BK_POOL:
	case BK_POOL_PCP:
		return gomem_malloc(t->pool, n, GFP_KERNEL);
	case BK_POOL_ZERO:
		return gomem_malloc(t->pool, n, GFP_KERNEL | __GFP_ZERO);
	case BK_BUDDY:
		return gomem_buddy_alloc(t->buddy, n);
	case BK_KMEM_CACHE:
		return kmem_cache_alloc(t->cache, GFP_KERNEL);
	case BK_GENPOOL:
		return (void *)gen_pool_alloc(t->genpool, n);
	case BK_PAGES: {
		struct page *page = alloc_pages(GFP_KERNEL, get_order(n));

		return page ? page_address(page) : NULL;
	}
	case BK_VMALLOC:
		return vmalloc(n);
	default:
		return NULL;
	}
}

static __always_inline void bench_free(struct bench_target *t, void *p,
				       size_t n)
{
	switch (t->kind) {
	case BK_KMALLOC:
	case BK_KZALLOC:
		kfree(p);
		break;
	case BK_TREAP:
	case BK_AVL:
	case BK_TREAP_QC:
	case BK_AVL_QC:
		gomem_arena_free(t->arena, p, n);
		break;
	case BK_POOL:
	case BK_POOL_PCP:
	case BK_POOL_ZERO:
		gomem_free(t->pool, p, n);
		break;
	case BK_BUDDY:
		gomem_buddy_free(t->buddy, p);
		break;
	case BK_KMEM_CACHE:
		kmem_cache_free(t->cache, p);
		break;
	case BK_GENPOOL:
		gen_pool_free(t->genpool, (unsigned long)p, n);
		break;
	case BK_PAGES:
		__free_pages(virt_to_page(p), get_order(n));
		break;
	case BK_VMALLOC:
		vfree(p);
		break;
	default:
		break;
	}
}

static int bench_target_init(struct bench_target *t, enum bench_kind kind,
			     const struct bench_pattern *pat)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	switch (kind) {
	case BK_TREAP:
	case BK_AVL:
	case BK_TREAP_QC:
	case BK_AVL_QC:
		t->arena = gomem_arena_create(pat->arena,
					      kind == BK_AVL || kind == BK_AVL_QC ?
					      GOMEM_INDEX_AVL : GOMEM_INDEX_TREAP,
					      GFP_KERNEL);
		if (IS_ERR(t->arena))
			return PTR_ERR(t->arena);
		/* Off always works; on needs the end map, which may be missing. */
		return gomem_arena_set_quick_cache(t->arena, kind == BK_TREAP_QC ||
						   kind == BK_AVL_QC);
	case BK_BUDDY:
		t->buddy = gomem_buddy_create(pat->arena, 0, GFP_KERNEL);
		return PTR_ERR_OR_ZERO(t->buddy);
	case BK_POOL:
	case BK_POOL_ZERO:
		t->pool = bench_pool;
		return 0;
	case BK_POOL_PCP:
		t->pool = bench_pool_pcp;
		return 0;
	case BK_KMEM_CACHE:
		/* A cache holds one size: fixed-size rows only. */
		if (pat->min != pat->max)
			return -EOPNOTSUPP;
		t->cache = kmem_cache_create("gomem_bench", pat->min, 0, 0,
					     NULL);
		return t->cache ? 0 : -ENOMEM;
	case BK_GENPOOL:
		/* The arena's peer: the same region size and granule. */
		t->region = vmalloc(pat->arena);
		t->genpool = gen_pool_create(GOMEM_GRANULE_SHIFT, NUMA_NO_NODE);
		if (!t->region || !t->genpool)
			return -ENOMEM;
		return gen_pool_add(t->genpool, (unsigned long)t->region,
				    pat->arena, NUMA_NO_NODE);
	case BK_VMALLOC:
		/* vmalloc is for large buffers: rows of 64 KiB and up. */
		return pat->min >= SZ_64K ? 0 : -EOPNOTSUPP;
	default:
		return 0;
	}
}

static void bench_target_fini(struct bench_target *t)
{
	if (!IS_ERR_OR_NULL(t->arena))
		gomem_arena_destroy(t->arena);
	if (t->buddy)
		gomem_buddy_destroy(t->buddy);
	kmem_cache_destroy(t->cache);
	if (t->genpool)
		gen_pool_destroy(t->genpool);
	vfree(t->region);
}

/* Between measurements: has the writer been killed?  Then stop the run. */
static bool bench_killed(struct bench_run *r)
{
	if (fatal_signal_pending(current))
		r->killed = true;
	return r->killed;
}

/*
 * Time one pattern on one target.  Return ns per alloc+free pair, or a
 * negative errno when the target could not be set up or an allocation
 * failed (the row then shows "fail" for it).
 */
static long bench_measure(struct bench_run *r, enum bench_kind kind,
			  const struct bench_pattern *pat)
{
	struct bench_target t;
	unsigned long i, j, pairs = 0, failed = 0;
	void *seq[BENCH_SEQ];
	u64 t0, t1;
	int ret;

	if (bench_killed(r))
		return -EINTR;
	ret = bench_target_init(&t, kind, pat);
	if (ret) {
		bench_target_fini(&t);	/* what init made before failing */
		return ret;
	}

	if (pat->shape == BS_STEADY) {
		for (j = 0; j < BENCH_STEADY_LIVE; j++) {
			r->live_size[j] = r->sizes[r->iters + j];
			r->live[j] = bench_alloc(&t, r->live_size[j]);
			if (!r->live[j])
				failed++;
		}
	}

	t0 = ktime_get_ns();
	switch (pat->shape) {
	case BS_PAIR:
		for (i = 0; i < r->iters; i++) {
			void *p = bench_alloc(&t, r->sizes[i]);

			if (unlikely(!p)) {
				failed++;
				continue;
			}
			bench_free(&t, p, r->sizes[i]);
		}
		pairs = r->iters;
		break;
	case BS_SEQ:
		for (i = 0; i + BENCH_SEQ <= r->iters; i += BENCH_SEQ) {
			for (j = 0; j < BENCH_SEQ; j++) {
				seq[j] = bench_alloc(&t, r->sizes[i + j]);
				if (unlikely(!seq[j]))
					failed++;
			}
			for (j = 0; j < BENCH_SEQ; j++)
				if (seq[j])
					bench_free(&t, seq[j], r->sizes[i + j]);
		}
		pairs = i;
		break;
	case BS_STEADY:
		for (i = 0; i < r->iters; i++) {
			j = r->slots[i];
			if (r->live[j])
				bench_free(&t, r->live[j], r->live_size[j]);
			r->live_size[j] = r->sizes[i];
			r->live[j] = bench_alloc(&t, r->sizes[i]);
			if (unlikely(!r->live[j]))
				failed++;
		}
		pairs = r->iters;
		break;
	}
	t1 = ktime_get_ns();

	if (pat->shape == BS_STEADY) {
		for (j = 0; j < BENCH_STEADY_LIVE; j++)
			if (r->live[j])
				bench_free(&t, r->live[j], r->live_size[j]);
	}
	bench_target_fini(&t);
	cond_resched();
	if (failed)
		return -ENOMEM;
	return pairs ? div64_u64(t1 - t0, pairs) : 0;
}

static void bench_draw_sizes(struct bench_run *r,
			     const struct bench_pattern *pat)
{
	unsigned long i, span = pat->max - pat->min + 1;

	r->rng = 0x9e3779b9;
	for (i = 0; i < r->iters + BENCH_STEADY_LIVE; i++)
		r->sizes[i] = pat->min + bench_rand(r) % span;
	/* A stream of its own: a slot must not be tied to the size it gets. */
	for (i = 0; i < r->iters; i++)
		r->slots[i] = bench_rand(r) % BENCH_STEADY_LIVE;
}

/* ns per pair of each row and column of the alloc table; < 0: none. */
static long bench_ns[ARRAY_SIZE(bench_patterns)][BK_NR];

static const enum bench_kind bench_columns[] = {
	BK_KMALLOC, BK_KZALLOC, BK_KMEM_CACHE, BK_GENPOOL, BK_PAGES,
	BK_VMALLOC, BK_TREAP, BK_AVL, BK_TREAP_QC, BK_AVL_QC, BK_POOL,
	BK_POOL_PCP, BK_POOL_ZERO, BK_BUDDY,
};

static void bench_header(struct bench_run *r, const char *first)
{
	unsigned int k;

	bench_printf(r, "%-26s", first);
	for (k = 0; k < ARRAY_SIZE(bench_columns); k++)
		bench_printf(r, " %9s", bench_kind_names[bench_columns[k]]);
	bench_printf(r, "\n");
}

/* A cell of the ratio table: @ns / @base with two decimals, or a dash. */
static void bench_ratio(struct bench_run *r, long ns, long base)
{
	long c;

	if (ns < 0 || base <= 0) {
		bench_printf(r, " %9s", "-");
		return;
	}
	c = div64_u64(100ULL * ns + base / 2, base);
	bench_printf(r, " %6ld.%02ld", c / 100, c % 100);
}

static void bench_allocators(struct bench_run *r)
{
	unsigned int k, row;
	long ns;

	bench_printf(r, "\nalloc+free pairs, ns per pair (%lu pairs per cell, best of 2)\n",
		     r->iters);
	bench_header(r, "pattern");
	for (row = 0; !bench_killed(r) && row < ARRAY_SIZE(bench_patterns);
	     row++) {
		const struct bench_pattern *pat = &bench_patterns[row];

		bench_draw_sizes(r, pat);
		bench_printf(r, "%-26s", pat->name);
		for (k = 0; k < ARRAY_SIZE(bench_columns); k++) {
			enum bench_kind kind = bench_columns[k];

			/* Best of two: the first may pay for cold caches. */
			ns = bench_measure(r, kind, pat);
			if (ns >= 0)
				ns = min(ns, bench_measure(r, kind, pat));
			bench_ns[row][kind] = ns;
			if (ns == -EOPNOTSUPP)
				bench_printf(r, " %9s", "-");
			else if (ns < 0)
				bench_printf(r, " %9s", "fail");
			else
				bench_printf(r, " %9ld", ns);
		}
		bench_printf(r, "\n");
	}

	bench_printf(r, "\nthe same, as a ratio to kmalloc (below 1: faster)\n");
	bench_header(r, "pattern");
	for (row = 0; row < ARRAY_SIZE(bench_patterns) && !r->killed; row++) {
		bench_printf(r, "%-26s", bench_patterns[row].name);
		for (k = 0; k < ARRAY_SIZE(bench_columns); k++)
			bench_ratio(r, bench_ns[row][bench_columns[k]],
				    bench_ns[row][BK_KMALLOC]);
		bench_printf(r, "\n");
	}
	bench_printf(r, "-: the allocator does not serve the row\n");
	bench_printf(r, "  (kmem_cache: one size; vmalloc: 64 KiB and up)\n");
	bench_printf(r, "arena, buddy, gen_pool: one region of the row's size\n");
	bench_printf(r, "  (gen_pool: minimum order 5, the arena's 32-byte granule)\n");
	bench_printf(r, "pages: alloc_pages() of the order that holds the size\n");
	bench_printf(r, "+qc: the arena's quick cache on (bare: off)\n");
	bench_printf(r, "pool: the 'bench_pool' pool (treap, vmalloc), per-CPU front end off\n");
	bench_printf(r, "pool-pcp: the 'bench_pool_pcp' pool, the same with the front end on\n");
	bench_printf(r, "kzalloc, pool+z: with __GFP_ZERO (the same as kmalloc, pool\n");
	bench_printf(r, "  when allocations are zeroed anyway: see the memory-init line)\n");

	/* One line per cell for scripts (tools/bench-compare.py). */
	bench_printf(r, "\n");
	for (row = 0; row < ARRAY_SIZE(bench_patterns) && !r->killed; row++) {
		for (k = 0; k < ARRAY_SIZE(bench_columns); k++) {
			enum bench_kind kind = bench_columns[k];

			ns = bench_ns[row][kind];
			if (ns < 0)
				continue;
			bench_printf(r, "gomem-bench section=alloc pattern=%s allocator=%s ns=%ld",
				     bench_patterns[row].key,
				     bench_kind_names[kind], ns);
			bench_printf(r, " iters=%lu init_on_alloc=%d\n",
				     r->iters, want_init_on_alloc(0));
		}
	}
}

/* === Scaling: one kthread per CPU on one shared allocator === */

/*
 * Each thread runs the row's sizes this many times over (iters pairs each
 * time), and each cell is the best of BENCH_SCALE_BEST: at the default
 * iters one pass of a fast allocator lasts some 20 ms under TCG, too short
 * against timer ticks and vCPU scheduling (the same cell read 1.05 and
 * 2.05 in two boots).
 */
#define BENCH_SCALE_ROUNDS	8
#define BENCH_SCALE_BEST	3

/* The allocators and rows of the scaling section. */
static const enum bench_kind bench_scale_kinds[] = {
	BK_KMALLOC, BK_POOL, BK_POOL_PCP,
};

static const unsigned int bench_scale_rows[] = { 0, 4 };	/* 1k, random */

struct bench_scale;

/* One kthread of a scaling measurement, bound to @cpu. */
struct bench_scale_thread {
	struct bench_scale *s;
	struct completion done;	/* kthread_complete_and_exit()ed */
	unsigned long pairs;	/* pairs it ran */
	unsigned long failed;
};

/* A scaling measurement: every thread runs the same sizes. */
struct bench_scale {
	struct bench_target t;	/* kmalloc or a shared pool */
	const u32 *sizes;
	unsigned long iters;
	atomic_t waiting;	/* threads not yet at the start line */
	struct completion ready;	/* the last one got there */
	struct completion go;	/* the start: all of them at once */
	bool stop;		/* the writer was killed: stop early */
};

static int bench_scale_fn(void *arg)
{
	struct bench_scale_thread *th = arg;
	struct bench_scale *s = th->s;
	unsigned long i;
	unsigned int round;

	if (atomic_dec_and_test(&s->waiting))
		complete(&s->ready);
	wait_for_completion(&s->go);
	for (round = 0; round < BENCH_SCALE_ROUNDS; round++) {
		for (i = 0; i < s->iters; i++) {
			void *p = bench_alloc(&s->t, s->sizes[i]);

			if (unlikely(!p))
				th->failed++;
			else
				bench_free(&s->t, p, s->sizes[i]);
			if ((i & 255) == 255) {
				cond_resched();
				if (READ_ONCE(s->stop))
					break;
			}
		}
		th->pairs += i;
		if (i < s->iters)
			break;
	}
	/* Not a return: the module may go once the completion is seen. */
	kthread_complete_and_exit(&th->done, 0);
}

/*
 * Run @s on every CPU of @cpus, one kthread bound to each, all released at
 * once.  Return: pairs per second of all the threads together, from the
 * release to the last one's end, or a negative errno.
 */
static long long bench_scale_once(struct bench_run *r, struct bench_scale *s,
				  const struct cpumask *cpus)
{
	unsigned int n = cpumask_weight(cpus), i = 0, started = 0, cpu;
	struct bench_scale_thread *th;
	unsigned long pairs = 0, failed = 0;
	long long ret = 0;
	u64 t0, t1;

	th = kcalloc(n, sizeof(*th), GFP_KERNEL);
	if (!th)
		return -ENOMEM;
	atomic_set(&s->waiting, n);
	init_completion(&s->ready);
	init_completion(&s->go);
	s->stop = false;
	for_each_cpu(cpu, cpus) {
		struct task_struct *task;

		th[i].s = s;
		init_completion(&th[i].done);
		task = kthread_create(bench_scale_fn, &th[i], "gomem_bench/%u",
				      cpu);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
		kthread_bind(task, cpu);
		wake_up_process(task);
		started++;
		i++;
	}
	if (started < n) {
		/* Those started run to the start line and stop at once. */
		WRITE_ONCE(s->stop, true);
		s->iters = 0;
		if (atomic_sub_and_test(n - started, &s->waiting))
			complete(&s->ready);
	}
	if (started)
		wait_for_completion(&s->ready);
	t0 = ktime_get_ns();
	complete_all(&s->go);
	for (i = 0; i < started; i++) {
		if (wait_for_completion_killable(&th[i].done)) {
			/* Killed: stop the rest, then wait for them anyway. */
			WRITE_ONCE(s->stop, true);
			r->killed = true;
			wait_for_completion(&th[i].done);
		}
	}
	t1 = ktime_get_ns();
	for (i = 0; i < started; i++) {
		pairs += th[i].pairs;
		failed += th[i].failed;
	}
	kfree(th);
	if (ret)
		return ret;
	if (r->killed)
		return -EINTR;
	if (failed)
		return -ENOMEM;
	return div64_u64((u64)pairs * NSEC_PER_SEC, max_t(u64, t1 - t0, 1));
}

/* ops/s of each scaling row, allocator and CPU count (0: one, 1: all). */
static long long bench_scale_ops[ARRAY_SIZE(bench_scale_rows)]
				[ARRAY_SIZE(bench_scale_kinds)][2];

static void bench_scale_cell(struct bench_run *r, long long ops)
{
	if (ops < 0)
		bench_printf(r, " %12s", "fail");
	else
		bench_printf(r, " %12lld", ops);
}

/*
 * The scaling section: for kmalloc and for one pool shared by all CPUs
 * (front end off, then on), the pair rows run by one kthread on one CPU,
 * then by one kthread on each online CPU at once, each thread doing
 * r->iters pairs.  CPU hotplug waits meanwhile.
 */
static void bench_scale(struct bench_run *r)
{
	unsigned int row, k, all, which, one_cpu, best;
	struct bench_scale s = { .iters = r->iters };
	cpumask_var_t cpus;
	long long ops;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL)) {
		bench_printf(r, "\nscaling: no memory\n");
		return;
	}
	cpus_read_lock();
	all = num_online_cpus();
	one_cpu = cpumask_first(cpu_online_mask);
	bench_printf(r, "\nscaling: one kthread per CPU (%u online), %lu pairs each, %s\n",
		     all, r->iters * BENCH_SCALE_ROUNDS,
		     "all at once, on one allocator");
	bench_printf(r, "(kmalloc, or one pool shared by all); %s %d\n",
		     "pairs per second, best of", BENCH_SCALE_BEST);
	bench_printf(r, "%-26s %-10s %12s %7u CPUs %9s\n", "pattern",
		     "allocator", "1 CPU", all, "all/1");
	for (row = 0; row < ARRAY_SIZE(bench_scale_rows) && !r->killed; row++) {
		const struct bench_pattern *pat =
			&bench_patterns[bench_scale_rows[row]];

		bench_draw_sizes(r, pat);
		s.sizes = r->sizes;
		for (k = 0; k < ARRAY_SIZE(bench_scale_kinds) && !r->killed;
		     k++) {
			memset(&s.t, 0, sizeof(s.t));
			s.t.kind = bench_scale_kinds[k];
			s.t.pool = s.t.kind == BK_POOL_PCP ? bench_pool_pcp :
				   bench_pool;
			for (which = 0; which < 2 && !r->killed; which++) {
				cpumask_clear(cpus);
				if (which)
					cpumask_copy(cpus, cpu_online_mask);
				else
					cpumask_set_cpu(one_cpu, cpus);
				s.iters = r->iters;
				ops = bench_scale_once(r, &s, cpus);
				for (best = 1; best < BENCH_SCALE_BEST &&
				     ops >= 0 && !bench_killed(r); best++) {
					s.iters = r->iters;
					ops = max(ops, bench_scale_once(r, &s,
									cpus));
				}
				bench_scale_ops[row][k][which] = ops;
			}
			if (r->killed)
				break;
			bench_printf(r, "%-26s %-10s", pat->name,
				     bench_kind_names[s.t.kind]);
			bench_scale_cell(r, bench_scale_ops[row][k][0]);
			bench_scale_cell(r, bench_scale_ops[row][k][1]);
			bench_ratio(r, bench_scale_ops[row][k][1],
				    bench_scale_ops[row][k][0]);
			bench_printf(r, "\n");
		}
	}
	cpus_read_unlock();
	free_cpumask_var(cpus);
	if (r->killed)
		return;
	bench_printf(r, "all/1: the all-CPU rate over the one-CPU rate (%u.00: linear)\n",
		     all);

	bench_printf(r, "\n");
	for (row = 0; row < ARRAY_SIZE(bench_scale_rows); row++) {
		for (k = 0; k < ARRAY_SIZE(bench_scale_kinds); k++) {
			for (which = 0; which < 2; which++) {
				ops = bench_scale_ops[row][k][which];
				if (ops < 0)
					continue;
				bench_printf(r, "gomem-bench section=scale pattern=%s",
					     bench_patterns[bench_scale_rows[row]].key);
				bench_printf(r, " allocator=%s cpus=%u",
					     bench_kind_names[bench_scale_kinds[k]],
					     which ? all : 1);
				bench_printf(r, " ops_per_s=%lld iters=%lu init_on_alloc=%d\n",
					     ops, r->iters,
					     want_init_on_alloc(0));
			}
		}
	}
}

/* === Fragmentation: a media-like trace === */

/*
 * The trace of bench_frag_draw() (from a fixed seed, the same for every
 * allocator):
 * BENCH_FRAG_BUFS buffers as a media server's ingest makes them, in
 * bursts of 1 to 32 buffers (a frame's packets arrive together); each
 * buffer is, with probability
 *   1/2: a run of 1 to 7 MPEG-TS packets, 188 * k bytes (188 .. 1316 B),
 *   3/10: an audio frame or a small video slice, 1 .. 4 KiB,
 *   1/5: a video frame, 4 .. 64 KiB.
 * After each burst the oldest buffers are freed, first in first out, until
 * at most BENCH_FRAG_LIVE bytes are live (the stream's buffered window).
 * Peak live: the most bytes asked for and not yet freed, after any
 * allocation.  Peak reserved: the most memory the allocator held for them
 * at the same moments (see bench_frag_reserved()).
 */
#define BENCH_FRAG_BUFS		16384
#define BENCH_FRAG_LIVE		SZ_8M
#define BENCH_FRAG_REGION	SZ_32M

static const enum bench_kind bench_frag_kinds[] = {
	BK_KMALLOC, BK_GENPOOL, BK_PAGES, BK_TREAP, BK_AVL, BK_TREAP_QC,
	BK_AVL_QC, BK_POOL, BK_POOL_PCP, BK_BUDDY,
};

struct bench_frag {
	unsigned int n;		/* buffers of the trace run */
	u32 *size;		/* BENCH_FRAG_BUFS buffer sizes */
	u8 *burst;		/* burst lengths, one per buffer (sum >= all) */
	void **p;		/* the buffers, a FIFO */
	char *base;		/* the region of an arena, gen_pool, buddy */
	size_t high;		/* highest byte of it used so far */
	size_t held;		/* bytes held (kmalloc: ksize; pages) */
};

static void bench_frag_draw(struct bench_run *r, struct bench_frag *f)
{
	unsigned int i;
	u32 x;

	r->rng = 0x2545f491;
	for (i = 0; i < BENCH_FRAG_BUFS; i++) {
		x = bench_rand(r) % 10;
		if (x < 5)
			f->size[i] = 188 * (1 + bench_rand(r) % 7);
		else if (x < 8)
			f->size[i] = SZ_1K + bench_rand(r) % (SZ_4K - SZ_1K + 1);
		else
			f->size[i] = SZ_4K + 1 +
				     bench_rand(r) % (SZ_64K - SZ_4K);
		f->burst[i] = 1 + bench_rand(r) % 32;
	}
}

/*
 * What an allocator holds for the live buffers: a pool's reserved bytes
 * (its arenas, per-CPU cached blocks included), the bytes kmalloc and the
 * page allocator hand out (ksize(), whole pages: slab pages partly empty
 * are not seen, so kmalloc's is a lower bound), or for the allocators over
 * one region (arenas, gen_pool, buddy) its high-water mark: how much of
 * the region the trace needed.
 */
static size_t bench_frag_reserved(struct bench_frag *f, struct bench_target *t)
{
	struct gomem_pool_stats st;

	switch (t->kind) {
	case BK_POOL:
	case BK_POOL_PCP:
		gomem_pool_get_stats(t->pool, &st);
		return st.reserved;
	case BK_KMALLOC:
	case BK_PAGES:
		return f->held;
	default:
		return f->high;
	}
}

/* Note a new buffer @p of @n bytes: what it holds, how high it lies. */
static void bench_frag_note(struct bench_frag *f, struct bench_target *t,
			    void *p, size_t n, bool alloc)
{
	size_t held;

	switch (t->kind) {
	case BK_KMALLOC:
		held = ksize(p);
		break;
	case BK_PAGES:
		held = PAGE_SIZE << get_order(n);
		break;
	case BK_BUDDY:
		held = 0;
		if (alloc)
			f->high = max(f->high, (size_t)((char *)p - f->base) +
				      gomem_buddy_block_size(t->buddy, p));
		break;
	default:
		held = 0;
		if (alloc)
			f->high = max(f->high, (size_t)((char *)p - f->base) +
				      ALIGN(n, GOMEM_GRANULE));
		break;
	}
	if (alloc)
		f->held += held;
	else
		f->held -= held;
}

/*
 * Run the trace on one allocator.  Return 0 with the peaks, -EOPNOTSUPP
 * for an allocator that cannot report, or another negative errno.
 */
static int bench_frag_one(struct bench_run *r, struct bench_frag *f,
			  enum bench_kind kind, size_t *peak_live,
			  size_t *peak_reserved)
{
	static const struct bench_pattern pat = {
		"media", "media", 188, SZ_64K, BENCH_FRAG_REGION, BS_PAIR
	};
	struct gomem_pool_params params = { .index = GOMEM_INDEX_TREAP };
	unsigned int head = 0, tail = 0, b;
	size_t live = 0;
	struct bench_target t;
	int ret = 0;

	*peak_live = 0;
	*peak_reserved = 0;
	f->high = 0;
	f->held = 0;
	f->base = NULL;
	if (bench_killed(r))
		return -EINTR;
	memset(&t, 0, sizeof(t));
	t.kind = kind;
	switch (kind) {
	case BK_POOL:
	case BK_POOL_PCP:
		/* A pool of its own, the defaults bench_pool has. */
		params.percpu = kind == BK_POOL_PCP ? GOMEM_PERCPU_ON :
						      GOMEM_PERCPU_OFF;
		t.pool = gomem_pool_create(kind == BK_POOL_PCP ?
					   "bench_frag_pcp" : "bench_frag",
					   &params);
		if (IS_ERR(t.pool))
			return PTR_ERR(t.pool);
		break;
	case BK_TREAP:
	case BK_AVL:
	case BK_TREAP_QC:
	case BK_AVL_QC:
		/* Over a region of our own, to know where it starts. */
		t.region = vmalloc(pat.arena);
		if (!t.region)
			return -ENOMEM;
		t.arena = gomem_arena_create_on(t.region, pat.arena,
						kind == BK_AVL ||
						kind == BK_AVL_QC ?
						GOMEM_INDEX_AVL :
						GOMEM_INDEX_TREAP, GFP_KERNEL);
		if (IS_ERR(t.arena)) {
			ret = PTR_ERR(t.arena);
			goto out;
		}
		ret = gomem_arena_set_quick_cache(t.arena,
						  kind == BK_TREAP_QC ||
						  kind == BK_AVL_QC);
		if (ret)
			goto out;
		f->base = t.region;
		break;
	default:
		ret = bench_target_init(&t, kind, &pat);
		if (ret)
			goto out;
		f->base = kind == BK_BUDDY ? gomem_buddy_base(t.buddy) :
					     t.region;
		break;
	}

	for (b = 0; head < f->n; b++) {
		unsigned int end = min_t(unsigned int, f->n, head + f->burst[b]);

		for (; head < end; head++) {
			f->p[head] = bench_alloc(&t, f->size[head]);
			if (!f->p[head]) {
				ret = -ENOMEM;
				goto drain;
			}
			bench_frag_note(f, &t, f->p[head], f->size[head],
					true);
			live += f->size[head];
			*peak_live = max(*peak_live, live);
			*peak_reserved = max(*peak_reserved,
					     bench_frag_reserved(f, &t));
		}
		while (live > BENCH_FRAG_LIVE) {
			bench_frag_note(f, &t, f->p[tail], f->size[tail],
					false);
			bench_free(&t, f->p[tail], f->size[tail]);
			live -= f->size[tail++];
		}
		if ((b & 63) == 63)
			cond_resched();
	}
drain:
	while (tail < head) {
		bench_free(&t, f->p[tail], f->size[tail]);
		tail++;
	}
out:
	if (kind == BK_POOL || kind == BK_POOL_PCP) {
		gomem_pool_destroy(t.pool);
	} else if (t.arena && t.region) {
		if (!IS_ERR(t.arena))
			gomem_arena_destroy(t.arena);
		t.arena = NULL;
	}
	if (kind != BK_POOL && kind != BK_POOL_PCP)
		bench_target_fini(&t);
	cond_resched();
	return ret;
}

/* A ratio with three decimals, or a dash. */
static void bench_frag_ratio(struct bench_run *r, size_t num, size_t den)
{
	u64 c;

	if (!den) {
		bench_printf(r, " %9s", "-");
		return;
	}
	c = div64_u64(1000ULL * num + den / 2, den);
	bench_printf(r, " %5llu.%03llu", c / 1000, c % 1000);
}

static void bench_frag(struct bench_run *r)
{
	size_t live[ARRAY_SIZE(bench_columns)] = { };
	size_t res[ARRAY_SIZE(bench_columns)] = { };
	struct bench_frag f = { };
	unsigned int k, j;
	int ret;

	f.size = kvmalloc_array(BENCH_FRAG_BUFS, sizeof(*f.size), GFP_KERNEL);
	f.burst = kvmalloc(BENCH_FRAG_BUFS, GFP_KERNEL);
	f.p = kvmalloc_array(BENCH_FRAG_BUFS, sizeof(*f.p), GFP_KERNEL);
	if (!f.size || !f.burst || !f.p) {
		bench_printf(r, "\nfragmentation: no memory\n");
		goto out;
	}
	bench_frag_draw(r, &f);
	f.n = min_t(unsigned long, r->iters, BENCH_FRAG_BUFS);
	for (k = 0; k < ARRAY_SIZE(bench_columns) && !bench_killed(r); k++) {
		for (j = 0; j < ARRAY_SIZE(bench_frag_kinds); j++)
			if (bench_frag_kinds[j] == bench_columns[k])
				break;
		if (j == ARRAY_SIZE(bench_frag_kinds))
			continue;
		ret = bench_frag_one(r, &f, bench_columns[k], &live[k],
				     &res[k]);
		if (ret) {
			live[k] = 0;
			res[k] = 0;
		}
	}
	if (r->killed)
		goto out;
	bench_printf(r, "\nfragmentation: a media-like trace (%u buffers, %s\n",
		     f.n, "188 B to 64 KiB, in bursts, freed");
	bench_printf(r, "first in first out down to %d KiB live): %s\n",
		     BENCH_FRAG_LIVE / SZ_1K, "peak reserved / peak live bytes");
	bench_header(r, "");
	bench_printf(r, "%-26s", "peak live, KiB");
	for (k = 0; k < ARRAY_SIZE(bench_columns); k++) {
		if (live[k])
			bench_printf(r, " %9zu", live[k] / SZ_1K);
		else
			bench_printf(r, " %9s", "-");
	}
	bench_printf(r, "\n%-26s", "peak reserved, KiB");
	for (k = 0; k < ARRAY_SIZE(bench_columns); k++) {
		if (live[k])
			bench_printf(r, " %9zu", res[k] / SZ_1K);
		else
			bench_printf(r, " %9s", "-");
	}
	bench_printf(r, "\n%-26s", "reserved / live");
	for (k = 0; k < ARRAY_SIZE(bench_columns); k++)
		bench_frag_ratio(r, res[k], live[k]);
	bench_printf(r, "\nreserved: pools, their arenas (per-CPU cached blocks in them);\n");
	bench_printf(r, "  kmalloc, the ksize() of each buffer (slab pages' slack unseen:\n");
	bench_printf(r, "  a lower bound); pages, whole blocks of pages; arenas, gen_pool,\n");
	bench_printf(r, "  buddy: the high-water mark of their %d MiB region\n",
		     BENCH_FRAG_REGION / SZ_1M);
	bench_printf(r, "-: cannot serve the trace (kmem_cache, vmalloc) or %s\n",
		     "is another column's allocator");

	bench_printf(r, "\n");
	for (k = 0; k < ARRAY_SIZE(bench_columns); k++) {
		if (!live[k])
			continue;
		bench_printf(r, "gomem-bench section=frag pattern=media allocator=%s",
			     bench_kind_names[bench_columns[k]]);
		bench_printf(r, " peak_live=%zu peak_reserved=%zu init_on_alloc=%d\n",
			     live[k], res[k], want_init_on_alloc(0));
	}
out:
	kvfree(f.p);
	kvfree(f.burst);
	kvfree(f.size);
}

/*
 * The kernel's memory-initialisation switches and what gomem does under
 * them (gomem_init.h): every ratio against kmalloc holds for this setting
 * only (kmalloc zeroes under init_on_alloc=1).
 */
static void bench_print_init(struct bench_run *r)
{
	bench_printf(r, "memory init: kernel init_on_alloc=%d init_on_free=%d; ",
		     want_init_on_alloc(0), want_init_on_free());
	bench_printf(r, "gomem zeroes on alloc: %s, on free: %s\n",
		     gomem_want_init_on_alloc(0) ? "yes" : "no (__GFP_ZERO only)",
		     gomem_want_init_on_free() ? "yes" : "no");
}

/* GoMem's RecyclableMemory benchmark: 10 buffers, then one recycle. */
static void bench_rm(struct bench_run *r)
{
	unsigned long i, j, failed = 0;
	struct gomem_rm rm;
	u64 t0, t1;

	gomem_rm_init(&rm, bench_pool);
	t0 = ktime_get_ns();
	for (i = 0; i < r->iters / 10; i++) {
		for (j = 0; j < 10; j++)
			if (!gomem_rm_next(&rm, 1024, GFP_KERNEL))
				failed++;
		gomem_rm_recycle(&rm);
	}
	t1 = ktime_get_ns();
	gomem_rm_fini(&rm);
	bench_printf(r, "\nrecyclable memory: 10 x next(1 KiB) + recycle: %llu ns per batch%s\n",
		     i ? div64_u64(t1 - t0, i) : 0, failed ? " (failures)" : "");
}

static int bench_piece(void *arg, const void *buf, size_t len)
{
	*(size_t *)arg += len;
	return 0;
}

/* The reader over 64 segments of 1500 bytes, as packets arrive. */
static void bench_reader(struct bench_run *r)
{
	enum { SEGS = 64, SEG = 1500, TOTAL = SEGS * SEG };
	struct gomem_reader rd;
	struct gomem_bufs b;
	unsigned long n, ops;
	u8 *data, byte;
	size_t seen;
	u64 v, t0;
	unsigned int k, len;
	int i;

	data = vmalloc(TOTAL);
	if (!data) {
		bench_printf(r, "\nreader: no memory\n");
		return;
	}
	/* LEB128 stream of small and large values; other reads reuse it. */
	for (i = 0; i < TOTAL; i++)
		data[i] = (bench_rand(r) & 0x7f) | ((i % 3 != 2) ? 0x80 : 0);
	gomem_bufs_init(&b);
	for (i = 0; i < SEGS; i++)
		if (gomem_bufs_push(&b, data + i * SEG, SEG, GFP_KERNEL))
			goto out;

	bench_printf(r, "\nreader over %d segments of %d bytes, ns per operation\n",
		     SEGS, SEG);

#define BENCH_READER(label, op)					\
	do {								\
		if (bench_killed(r))					\
			break;					\
		cond_resched();						\
		ops = 0;						\
		t0 = ktime_get_ns();					\
		for (n = 0; n < r->iters / 1000 + 1; n++) {		\
			gomem_reader_init(&rd, &b);			\
			while (op)					\
				ops++;					\
		}							\
		bench_printf(r, "  %-28s %8llu\n", label,		\
			     ops ? div64_u64(ktime_get_ns() - t0, ops) : 0); \
	} while (0)

	BENCH_READER("read_u8", !gomem_reader_read_u8(&rd, &byte));
	BENCH_READER("read_be (4 bytes)", !gomem_reader_read_be(&rd, 4, &v));
	BENCH_READER("read_leb128", !gomem_reader_read_leb128(&rd, &v, &len));
	BENCH_READER("skip 100", !gomem_reader_skip(&rd, 100));
	{
		u8 tmp[256];

		BENCH_READER("read 256 bytes",
			     gomem_reader_read(&rd, tmp, sizeof(tmp)) > 0);
	}
#undef BENCH_READER

	if (bench_killed(r))
		goto out;
	ops = 0;
	t0 = ktime_get_ns();
	for (k = 0; k < r->iters / 100 + 1; k++) {
		gomem_reader_init(&rd, &b);
		seen = 0;
		gomem_reader_range(&rd, bench_piece, &seen);
		ops++;
	}
	bench_printf(r, "  %-28s %8llu\n", "range (whole, 64 pieces)",
		     div64_u64(ktime_get_ns() - t0, ops));
out:
	gomem_bufs_fini(&b);
	vfree(data);
}

/**
 * gomem_bench_run() - run the benchmark sections a command names
 * @cmd: what a write to the bench file says (see the DOC block)
 *
 * What a write to the bench file runs; exported for the KUnit suite only.
 *
 * Context: process context; sleeps.  Waits killably for the run mutex and
 * stops between measurements on a fatal signal.
 * Return: 0, -EINVAL for a command not understood, -EINTR if killed while
 * waiting or running, -ENOMEM.
 */
int gomem_bench_run(const char *cmd)
{
	bool do_alloc = false, do_rm = false, do_reader = false;
	bool do_scale = false, do_frag = false;
	struct gomem_pool_params params = { .index = GOMEM_INDEX_TREAP,
					    .percpu = GOMEM_PERCPU_OFF };
	struct bench_run r = { .iters = BENCH_DEFAULT_ITERS };
	char *args, *s, *word;
	int ret = 0;

	args = kstrdup(cmd, GFP_KERNEL);
	if (!args)
		return -ENOMEM;
	s = strim(args);
	while ((word = strsep(&s, " \t\n")) != NULL) {
		if (!*word)
			continue;
		if (!strcmp(word, "all")) {
			do_alloc = true;
			do_scale = true;
			do_frag = true;
			do_rm = true;
			do_reader = true;
		} else if (!strcmp(word, "alloc") || !strcmp(word, "arena") ||
			   !strcmp(word, "pool") || !strcmp(word, "buddy")) {
			do_alloc = true;
		} else if (!strcmp(word, "scale")) {
			do_scale = true;
		} else if (!strcmp(word, "frag")) {
			do_frag = true;
		} else if (!strcmp(word, "rm")) {
			do_rm = true;
		} else if (!strcmp(word, "reader")) {
			do_reader = true;
		} else if (!strncmp(word, "iters=", 6)) {
			if (kstrtoul(word + 6, 0, &r.iters) || !r.iters ||
			    r.iters > BENCH_MAX_ITERS)
				ret = -EINVAL;
		} else {
			ret = -EINVAL;
		}
	}
	kfree(args);
	if (ret)
		return ret;

	r.out = kvzalloc(BENCH_OUT_SIZE, GFP_KERNEL);
	r.sizes = kvmalloc_array(r.iters + BENCH_STEADY_LIVE, sizeof(u32),
				 GFP_KERNEL);
	r.slots = kvmalloc_array(r.iters, sizeof(u32), GFP_KERNEL);
	r.live = kvmalloc_array(BENCH_STEADY_LIVE, sizeof(void *), GFP_KERNEL);
	r.live_size = kvmalloc_array(BENCH_STEADY_LIVE, sizeof(u32),
				     GFP_KERNEL);
	if (!r.out || !r.sizes || !r.slots || !r.live || !r.live_size) {
		ret = -ENOMEM;
		goto out_free;
	}

	if (mutex_lock_killable(&bench_mutex)) {
		ret = -EINTR;
		goto out_free;
	}
	bench_pools_destroy();
	bench_pool = gomem_pool_create("bench_pool", &params);
	if (IS_ERR(bench_pool)) {
		ret = PTR_ERR(bench_pool);
		bench_pool = NULL;
		goto out_unlock;
	}
	params.percpu = GOMEM_PERCPU_ON;
	bench_pool_pcp = gomem_pool_create("bench_pool_pcp", &params);
	if (IS_ERR(bench_pool_pcp)) {
		ret = PTR_ERR(bench_pool_pcp);
		bench_pool_pcp = NULL;
		goto out_unlock;
	}

	bench_printf(&r, "gomem benchmark: %s\n", cmd);
	bench_print_init(&r);
	if (do_alloc)
		bench_allocators(&r);
	if (do_scale && !bench_killed(&r))
		bench_scale(&r);
	if (do_frag && !bench_killed(&r))
		bench_frag(&r);
	if (do_rm && !bench_killed(&r))
		bench_rm(&r);
	if (do_reader && !bench_killed(&r))
		bench_reader(&r);
	gomem_pool_trim(bench_pool);
	gomem_pool_trim(bench_pool_pcp);
	if (r.killed) {
		ret = -EINTR;
		goto out_unlock;
	}

	kvfree(bench_result);
	bench_result = r.out;
	bench_result_len = r.len;
	r.out = NULL;
out_unlock:
	mutex_unlock(&bench_mutex);
out_free:
	kvfree(r.live_size);
	kvfree(r.live);
	kvfree(r.slots);
	kvfree(r.sizes);
	kvfree(r.out);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_bench_run);

/**
 * gomem_bench_copy_result() - copy the text of the last run
 * @buf: where to
 * @size: room at @buf; the text is cut to @size - 1 bytes and terminated
 *
 * What a read of the bench file returns; exported for the KUnit suite
 * only.
 *
 * Context: process context; sleeps (waits killably for the run mutex).
 * Return: the bytes copied (the terminating NUL not counted), -ENODATA
 * before the first run, -EINTR if killed while waiting.
 */
ssize_t gomem_bench_copy_result(char *buf, size_t size)
{
	ssize_t n;

	if (!size)
		return 0;
	if (mutex_lock_killable(&bench_mutex))
		return -EINTR;
	if (bench_result) {
		n = min(bench_result_len, size - 1);
		memcpy(buf, bench_result, n);
		buf[n] = '\0';
	} else {
		n = -ENODATA;
	}
	mutex_unlock(&bench_mutex);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_bench_copy_result);

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char cmd[128], *args;
	int ret;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	args = strim(cmd);
	ret = gomem_bench_run(args);
	/* Escaped: whoever writes chooses the bytes, control ones included. */
	if (ret && ret != -EINTR)
		pr_warn_ratelimited("bench: '%*pE' failed: %d\n",
				    (int)strlen(args), args, ret);
	return ret ? ret : count;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	static const char none[] = "no benchmark run yet: echo all > bench\n";
	ssize_t ret;

	if (mutex_lock_killable(&bench_mutex))
		return -EINTR;
	if (bench_result)
		ret = simple_read_from_buffer(ubuf, count, ppos, bench_result,
					      bench_result_len);
	else
		ret = simple_read_from_buffer(ubuf, count, ppos, none,
					      sizeof(none) - 1);
	mutex_unlock(&bench_mutex);
	return ret;
}

static const struct file_operations bench_fops = {
	.owner	= THIS_MODULE,
	.read	= bench_read,
	.write	= bench_write,
	.llseek	= default_llseek,
};

void gomem_bench_init(struct dentry *root)
{
	debugfs_create_file("bench", 0600, root, NULL, &bench_fops);
}

/*
 * Called at module exit before debugfs goes: the bench file holds a module
 * reference while open, so no run can be in flight.
 */
void gomem_bench_exit(void)
{
	bench_pools_destroy();
	kvfree(bench_result);
	bench_result = NULL;
}
