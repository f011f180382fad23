// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_drm_bench: drm_mm, the DRM core's range manager, beside gomem's
 * arenas on the rows of gomem's in-kernel benchmark.  A module of its own,
 * so that gomem.ko never depends on drm.ko.
 */

/**
 * DOC: gomem_drm_bench
 *
 * Writing to /sys/kernel/debug/gomem_drm_bench/bench runs the benchmark in
 * the writer's context; reading it returns the tables of the last run.  The
 * write takes the words gomem's bench file takes: ``alloc`` (or ``arena``),
 * ``frag``, ``all`` (the two) and ``iters=N``; gomem's other section names
 * (``pool``, ``buddy``, ``scale``, ``rm``, ``reader``) are accepted and
 * run nothing here, so that one command can be written to both files.
 *
 * ``alloc``: the range-allocator rows of gomem_bench.c (the same sizes,
 * drawn from the same fixed-seed generator in the same order, the same
 * region sizes, pairs, 50 allocs then 50 frees, 10,000 live blocks) on
 * gomem's arenas through the public API (``treap``, ``avl``, bare and with
 * the quick cache, ``+qc``) and on drm_mm in the same run:
 *
 * - ``drm_mm``: DRM_MM_INSERT_BEST (the smallest hole that fits, as the
 *   ``avl`` index does), nodes taken from an array allocated before timing:
 *   the index alone, like the arena columns.
 * - ``drm_mm-low``: DRM_MM_INSERT_LOW (the lowest address that fits, the
 *   ``treap`` index's first fit), the same node array.
 * - ``drm_mm+kmalloc``: DRM_MM_INSERT_BEST with a node kzalloc()ed per
 *   range and kfree()d with it: what a driver that allocates its object
 *   per range pays.
 *
 * drm_mm manages [0, region size) with 32-byte granules as the arenas do:
 * sizes are rounded up to 32 and the alignment asked is 32.  Each cell is
 * ns per alloc+free pair (insert+remove), best of two; a second table gives
 * each cell as a ratio to ``drm_mm``.  Then one line per drm_mm cell, in
 * the format of gomem's bench (``gomem-bench section=alloc pattern=KEY
 * allocator=drm_mm ns=N iters=N init_on_alloc=0|1``), so that a run of
 * both modules in one boot merges into one set of cells
 * (tools/benchlines.py).  The arena columns print no such lines: gomem's
 * own bench prints them.
 *
 * ``frag``: gomem's media-like trace (see bench_frag_draw() in
 * gomem_bench.c; the first ``iters`` buffers, 16384 at most), untimed,
 * through the arenas and drm_mm over a 32 MiB region: peak live bytes and
 * the high-water mark (the highest end of a range handed out), and
 * ``gomem-bench section=frag`` lines for drm_mm.
 *
 * Runs are serialised by a mutex and stop between measurements when the
 * writer gets a fatal signal (the write then fails with -EINTR).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <drm/drm_mm.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <gomem/gomem.h>

#define PEER_OUT_SIZE		(32 * 1024)
#define PEER_DEFAULT_ITERS	20000
#define PEER_MAX_ITERS		1000000
#define PEER_STEADY_LIVE	10000
#define PEER_SEQ		50
#define PEER_GRANULE		32	/* gomem's granule (GOMEM_GRANULE) */
#define PEER_COL		14	/* the width of a column */

enum peer_kind {
	PK_TREAP, PK_AVL, PK_TREAP_QC, PK_AVL_QC,
	PK_DRM_MM, PK_DRM_MM_LOW, PK_DRM_MM_KMALLOC, PK_NR
};

static const char *const peer_kind_names[PK_NR] = {
	[PK_TREAP] = "treap", [PK_AVL] = "avl",
	[PK_TREAP_QC] = "treap+qc", [PK_AVL_QC] = "avl+qc",
	[PK_DRM_MM] = "drm_mm", [PK_DRM_MM_LOW] = "drm_mm-low",
	[PK_DRM_MM_KMALLOC] = "drm_mm+kmalloc",
};

static bool peer_is_drm(enum peer_kind kind)
{
	return kind >= PK_DRM_MM;
}

/* One allocator under test; a switch, not a function pointer, per call. */
struct peer_target {
	enum peer_kind kind;
	struct gomem_arena *arena;
	struct drm_mm mm;
	bool mm_ready;
	enum drm_mm_insert_mode mode;
	struct drm_mm_node *nodes;	/* one per slot, or NULL (kmalloc) */
};

enum peer_shape {
	PS_PAIR,	/* alloc then free at once */
	PS_SEQ,		/* PEER_SEQ allocs, then the same frees */
	PS_STEADY,	/* PEER_STEADY_LIVE live blocks; replace one per op */
};

/* The range-allocator rows of gomem_bench.c's bench_patterns[]. */
struct peer_pattern {
	const char *name;
	const char *key;	/* its name in the machine-readable lines */
	size_t min, max;	/* size range; min == max for a fixed size */
	size_t region;		/* the arena's size, drm_mm's range */
	enum peer_shape shape;
};

static const struct peer_pattern peer_patterns[] = {
	{ "1 KiB, 64 KiB arena", "1k", 1024, 1024, SZ_64K, PS_PAIR },
	{ "64 B", "64b", 64, 64, SZ_1M, PS_PAIR },
	{ "8 KiB", "8k", 8192, 8192, SZ_1M, PS_PAIR },
	{ "64 KiB, 1 MiB arena", "64k", SZ_64K, SZ_64K, SZ_1M, PS_PAIR },
	{ "random 64..4096 B", "random", 64, 4096, SZ_1M, PS_PAIR },
	{ "50 allocs, then 50 frees", "seq50", 64, 4096, SZ_1M, PS_SEQ },
	{ "10k live, random 64..4096", "live10k", 64, 4096, SZ_64M,
	  PS_STEADY },
};

struct peer_run {
	char *out;
	size_t len;
	unsigned long iters;
	u32 rng;
	u32 *sizes;		/* iters + PEER_STEADY_LIVE sizes */
	u32 *slots;		/* iters slots to replace (steady state) */
	void **live;		/* PEER_STEADY_LIVE handles */
	u32 *live_size;
	bool killed;		/* a fatal signal came: stop measuring */
};

static DEFINE_MUTEX(peer_mutex);	/* serialises runs and guards below */
static char *peer_result;		/* text of the last run */
static size_t peer_result_len;
static struct dentry *peer_dir;

static __printf(2, 3) void peer_printf(struct peer_run *r,
				       const char *fmt, ...)
{
	va_list args;

	if (r->len >= PEER_OUT_SIZE - 1)
		return;
	va_start(args, fmt);
	r->len += vscnprintf(r->out + r->len, PEER_OUT_SIZE - r->len, fmt,
			     args);
	va_end(args);
}

/* gomem_bench.c's xorshift32, so that the sizes are the same. */
static u32 peer_rand(struct peer_run *r)
{
	u32 x = r->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	r->rng = x;
	return x;
}

/*
 * Allocate @n bytes; @slot names the node of the preallocated array a
 * drm_mm column uses (the pair, the sequence position, the live slot).
 * Return: the arena's pointer or the drm_mm node; NULL when it failed.
 */
static __always_inline void *peer_alloc(struct peer_target *t, size_t n,
					unsigned int slot)
{
	struct drm_mm_node *node;

	switch (t->kind) {
	case PK_TREAP:
	case PK_AVL:
	case PK_TREAP_QC:
	case PK_AVL_QC:
		return gomem_arena_alloc(t->arena, n);
	case PK_DRM_MM_KMALLOC:
		node = kzalloc(sizeof(*node), GFP_KERNEL);
		if (unlikely(!node))
			return NULL;
		break;
	default:
		node = &t->nodes[slot];
		break;
	}
	if (unlikely(drm_mm_insert_node_in_range(&t->mm, node,
						 ALIGN(n, PEER_GRANULE),
						 PEER_GRANULE, 0, 0, U64_MAX,
						 t->mode))) {
		if (t->kind == PK_DRM_MM_KMALLOC)
			kfree(node);
		return NULL;
	}
	return node;
}

static __always_inline void peer_free(struct peer_target *t, void *p,
				      size_t n)
{
	switch (t->kind) {
	case PK_TREAP:
	case PK_AVL:
	case PK_TREAP_QC:
	case PK_AVL_QC:
		gomem_arena_free(t->arena, p, n);
		break;
	case PK_DRM_MM_KMALLOC:
		drm_mm_remove_node(p);
		kfree(p);
		break;
	default:
		drm_mm_remove_node(p);
		break;
	}
}

/*
 * Set up @t over a region of @size bytes, with @nr_nodes preallocated
 * nodes for the drm_mm columns that take them.  Over @base when given
 * (the frag section, to know where the region starts).
 */
static int peer_target_init(struct peer_target *t, enum peer_kind kind,
			    size_t size, unsigned int nr_nodes, void *base)
{
	enum gomem_index index = kind == PK_AVL || kind == PK_AVL_QC ?
				 GOMEM_INDEX_AVL : GOMEM_INDEX_TREAP;

	memset(t, 0, sizeof(*t));
	t->kind = kind;
	if (!peer_is_drm(kind)) {
		t->arena = base ? gomem_arena_create_on(base, size, index,
							GFP_KERNEL) :
				  gomem_arena_create(size, index, GFP_KERNEL);
		if (IS_ERR(t->arena)) {
			int ret = PTR_ERR(t->arena);

			t->arena = NULL;
			return ret;
		}
		/* Off always works; on needs the end map, which may be missing. */
		return gomem_arena_set_quick_cache(t->arena, kind == PK_TREAP_QC ||
						   kind == PK_AVL_QC);
	}
	t->mode = kind == PK_DRM_MM_LOW ? DRM_MM_INSERT_LOW : DRM_MM_INSERT_BEST;
	if (kind != PK_DRM_MM_KMALLOC) {
		/* Zeroed once: drm_mm_remove_node() leaves a node reusable. */
		t->nodes = kvcalloc(nr_nodes, sizeof(*t->nodes), GFP_KERNEL);
		if (!t->nodes)
			return -ENOMEM;
	}
	drm_mm_init(&t->mm, 0, size);
	t->mm_ready = true;
	return 0;
}

static void peer_target_fini(struct peer_target *t)
{
	if (t->arena)
		gomem_arena_destroy(t->arena);
	if (t->mm_ready)
		drm_mm_takedown(&t->mm);	/* warns if a node is left */
	kvfree(t->nodes);
}

/* Between measurements: has the writer been killed?  Then stop the run. */
static bool peer_killed(struct peer_run *r)
{
	if (fatal_signal_pending(current))
		r->killed = true;
	return r->killed;
}

static unsigned int peer_nr_nodes(const struct peer_pattern *pat)
{
	switch (pat->shape) {
	case PS_SEQ:
		return PEER_SEQ;
	case PS_STEADY:
		return PEER_STEADY_LIVE;
	default:
		return 1;
	}
}

/*
 * Time one pattern on one target, as gomem_bench.c's bench_measure() does.
 * Return ns per alloc+free pair, or a negative errno.
 */
static long peer_measure(struct peer_run *r, enum peer_kind kind,
			 const struct peer_pattern *pat)
{
	struct peer_target t;
	unsigned long i, j, pairs = 0, failed = 0;
	void *seq[PEER_SEQ];
	u64 t0, t1;
	int ret;

	if (peer_killed(r))
		return -EINTR;
	ret = peer_target_init(&t, kind, pat->region, peer_nr_nodes(pat),
			       NULL);
	if (ret) {
		peer_target_fini(&t);
		return ret;
	}

	if (pat->shape == PS_STEADY) {
		for (j = 0; j < PEER_STEADY_LIVE; j++) {
			r->live_size[j] = r->sizes[r->iters + j];
			r->live[j] = peer_alloc(&t, r->live_size[j], j);
			if (!r->live[j])
				failed++;
		}
	}

	t0 = ktime_get_ns();
	switch (pat->shape) {
	case PS_PAIR:
		for (i = 0; i < r->iters; i++) {
			void *p = peer_alloc(&t, r->sizes[i], 0);

			if (unlikely(!p)) {
				failed++;
				continue;
			}
			peer_free(&t, p, r->sizes[i]);
		}
		pairs = r->iters;
		break;
	case PS_SEQ:
		for (i = 0; i + PEER_SEQ <= r->iters; i += PEER_SEQ) {
			for (j = 0; j < PEER_SEQ; j++) {
				seq[j] = peer_alloc(&t, r->sizes[i + j], j);
				if (unlikely(!seq[j]))
					failed++;
			}
			for (j = 0; j < PEER_SEQ; j++)
				if (seq[j])
					peer_free(&t, seq[j], r->sizes[i + j]);
		}
		pairs = i;
		break;
	case PS_STEADY:
		for (i = 0; i < r->iters; i++) {
			j = r->slots[i];
			if (r->live[j])
				peer_free(&t, r->live[j], r->live_size[j]);
			r->live_size[j] = r->sizes[i];
			r->live[j] = peer_alloc(&t, r->sizes[i], j);
			if (unlikely(!r->live[j]))
				failed++;
		}
		pairs = r->iters;
		break;
	}
	t1 = ktime_get_ns();

	if (pat->shape == PS_STEADY) {
		for (j = 0; j < PEER_STEADY_LIVE; j++)
			if (r->live[j])
				peer_free(&t, r->live[j], r->live_size[j]);
	}
	peer_target_fini(&t);
	cond_resched();
	if (failed)
		return -ENOMEM;
	return pairs ? div64_u64(t1 - t0, pairs) : 0;
}

/* gomem_bench.c's bench_draw_sizes(): the same seed, the same order. */
static void peer_draw_sizes(struct peer_run *r,
			    const struct peer_pattern *pat)
{
	unsigned long i, span = pat->max - pat->min + 1;

	r->rng = 0x9e3779b9;
	for (i = 0; i < r->iters + PEER_STEADY_LIVE; i++)
		r->sizes[i] = pat->min + peer_rand(r) % span;
	for (i = 0; i < r->iters; i++)
		r->slots[i] = peer_rand(r) % PEER_STEADY_LIVE;
}

static const enum peer_kind peer_columns[] = {
	PK_TREAP, PK_AVL, PK_TREAP_QC, PK_AVL_QC,
	PK_DRM_MM, PK_DRM_MM_LOW, PK_DRM_MM_KMALLOC,
};

/* ns per pair of each row and column; < 0: none. */
static long peer_ns[ARRAY_SIZE(peer_patterns)][PK_NR];

static void peer_header(struct peer_run *r, const char *first)
{
	unsigned int k;

	peer_printf(r, "%-26s", first);
	for (k = 0; k < ARRAY_SIZE(peer_columns); k++)
		peer_printf(r, " %*s", PEER_COL,
			    peer_kind_names[peer_columns[k]]);
	peer_printf(r, "\n");
}

/* A cell of the ratio table: @ns / @base with two decimals, or a dash. */
static void peer_ratio(struct peer_run *r, long ns, long base)
{
	long c;

	if (ns < 0 || base <= 0) {
		peer_printf(r, " %*s", PEER_COL, "-");
		return;
	}
	c = div64_u64(100ULL * ns + base / 2, base);
	peer_printf(r, " %*ld.%02ld", PEER_COL - 3, c / 100, c % 100);
}

static void peer_alloc_section(struct peer_run *r)
{
	unsigned int k, row;
	long ns;

	peer_printf(r, "\ndrm_mm beside gomem's arenas: %s (%lu pairs per cell, best of 2)\n",
		    "alloc+free pairs, ns per pair", r->iters);
	peer_header(r, "pattern");
	for (row = 0; !peer_killed(r) && row < ARRAY_SIZE(peer_patterns);
	     row++) {
		const struct peer_pattern *pat = &peer_patterns[row];

		peer_draw_sizes(r, pat);
		peer_printf(r, "%-26s", pat->name);
		for (k = 0; k < ARRAY_SIZE(peer_columns); k++) {
			enum peer_kind kind = peer_columns[k];

			/* Best of two: the first may pay for cold caches. */
			ns = peer_measure(r, kind, pat);
			if (ns >= 0)
				ns = min(ns, peer_measure(r, kind, pat));
			peer_ns[row][kind] = ns;
			if (ns < 0)
				peer_printf(r, " %*s", PEER_COL, "fail");
			else
				peer_printf(r, " %*ld", PEER_COL, ns);
		}
		peer_printf(r, "\n");
	}
	if (r->killed)
		return;

	peer_printf(r, "\nthe same, as a ratio to drm_mm (below 1: faster than drm_mm)\n");
	peer_header(r, "pattern");
	for (row = 0; row < ARRAY_SIZE(peer_patterns); row++) {
		peer_printf(r, "%-26s", peer_patterns[row].name);
		for (k = 0; k < ARRAY_SIZE(peer_columns); k++)
			peer_ratio(r, peer_ns[row][peer_columns[k]],
				   peer_ns[row][PK_DRM_MM]);
		peer_printf(r, "\n");
	}
	peer_printf(r, "drm_mm: DRM_MM_INSERT_BEST, nodes from an array (the index alone)\n");
	peer_printf(r, "drm_mm-low: DRM_MM_INSERT_LOW (first fit by address), the same\n");
	peer_printf(r, "drm_mm+kmalloc: DRM_MM_INSERT_BEST, a node kzalloc()ed per range\n");
	peer_printf(r, "all: one region of the row's size, 32-byte granules\n");

	peer_printf(r, "\n");
	for (row = 0; row < ARRAY_SIZE(peer_patterns); row++) {
		for (k = 0; k < ARRAY_SIZE(peer_columns); k++) {
			enum peer_kind kind = peer_columns[k];

			ns = peer_ns[row][kind];
			if (ns < 0 || !peer_is_drm(kind))
				continue;
			peer_printf(r, "gomem-bench section=alloc pattern=%s allocator=%s ns=%ld",
				    peer_patterns[row].key,
				    peer_kind_names[kind], ns);
			peer_printf(r, " iters=%lu init_on_alloc=%d\n",
				    r->iters, want_init_on_alloc(0));
		}
	}
}

/* === Fragmentation: gomem_bench.c's media-like trace === */

#define PEER_FRAG_BUFS		16384
#define PEER_FRAG_LIVE		SZ_8M
#define PEER_FRAG_REGION	SZ_32M

/* The columns that have a frag cell: drm_mm+kmalloc places as drm_mm. */
static const enum peer_kind peer_frag_kinds[] = {
	PK_TREAP, PK_AVL, PK_TREAP_QC, PK_AVL_QC, PK_DRM_MM, PK_DRM_MM_LOW,
};

struct peer_frag {
	unsigned int n;		/* buffers of the trace run */
	u32 *size;		/* PEER_FRAG_BUFS buffer sizes */
	u8 *burst;		/* burst lengths, one per buffer */
	void **p;		/* the buffers, a FIFO */
};

/* gomem_bench.c's bench_frag_draw(), draw for draw. */
static void peer_frag_draw(struct peer_run *r, struct peer_frag *f)
{
	unsigned int i;
	u32 x;

	r->rng = 0x2545f491;
	for (i = 0; i < PEER_FRAG_BUFS; i++) {
		x = peer_rand(r) % 10;
		if (x < 5)
			f->size[i] = 188 * (1 + peer_rand(r) % 7);
		else if (x < 8)
			f->size[i] = SZ_1K + peer_rand(r) % (SZ_4K - SZ_1K + 1);
		else
			f->size[i] = SZ_4K + 1 +
				     peer_rand(r) % (SZ_64K - SZ_4K);
		f->burst[i] = 1 + peer_rand(r) % 32;
	}
}

/*
 * Run the trace on one allocator: the peak live bytes and the high-water
 * mark of its region (the highest end of a range handed out, granules
 * whole).
 */
static int peer_frag_one(struct peer_run *r, struct peer_frag *f,
			 enum peer_kind kind, size_t *peak_live,
			 size_t *high)
{
	unsigned int head = 0, tail = 0, b;
	struct peer_target t;
	size_t live = 0, end;
	char *base = NULL;
	int ret;

	*peak_live = 0;
	*high = 0;
	if (peer_killed(r))
		return -EINTR;
	if (!peer_is_drm(kind)) {
		base = vmalloc(PEER_FRAG_REGION);
		if (!base)
			return -ENOMEM;
	}
	ret = peer_target_init(&t, kind, PEER_FRAG_REGION, PEER_FRAG_BUFS,
			       base);
	if (ret)
		goto out;

	for (b = 0; head < f->n; b++) {
		unsigned int stop = min_t(unsigned int, f->n,
					  head + f->burst[b]);

		for (; head < stop; head++) {
			f->p[head] = peer_alloc(&t, f->size[head], head);
			if (!f->p[head]) {
				ret = -ENOMEM;
				goto drain;
			}
			if (peer_is_drm(kind)) {
				struct drm_mm_node *node = f->p[head];

				end = node->start + node->size;
			} else {
				end = (char *)f->p[head] - base +
				      ALIGN(f->size[head], PEER_GRANULE);
			}
			*high = max(*high, end);
			live += f->size[head];
			*peak_live = max(*peak_live, live);
		}
		while (live > PEER_FRAG_LIVE) {
			peer_free(&t, f->p[tail], f->size[tail]);
			live -= f->size[tail++];
		}
		if ((b & 63) == 63)
			cond_resched();
	}
drain:
	while (tail < head) {
		peer_free(&t, f->p[tail], f->size[tail]);
		tail++;
	}
out:
	peer_target_fini(&t);
	vfree(base);
	cond_resched();
	return ret;
}

static void peer_frag_cell(struct peer_run *r, bool have, size_t v)
{
	if (have)
		peer_printf(r, " %*zu", PEER_COL, v);
	else
		peer_printf(r, " %*s", PEER_COL, "-");
}

static void peer_frag_section(struct peer_run *r)
{
	size_t live[PK_NR] = { }, high[PK_NR] = { };
	bool have[PK_NR] = { };
	struct peer_frag f = { };
	unsigned int k;
	u64 c;

	f.size = kvmalloc_array(PEER_FRAG_BUFS, sizeof(*f.size), GFP_KERNEL);
	f.burst = kvmalloc(PEER_FRAG_BUFS, GFP_KERNEL);
	f.p = kvmalloc_array(PEER_FRAG_BUFS, sizeof(*f.p), GFP_KERNEL);
	if (!f.size || !f.burst || !f.p) {
		peer_printf(r, "\nfragmentation: no memory\n");
		goto out;
	}
	peer_frag_draw(r, &f);
	f.n = min_t(unsigned long, r->iters, PEER_FRAG_BUFS);
	for (k = 0; k < ARRAY_SIZE(peer_frag_kinds) && !peer_killed(r); k++) {
		enum peer_kind kind = peer_frag_kinds[k];

		have[kind] = !peer_frag_one(r, &f, kind, &live[kind],
					    &high[kind]) && live[kind];
	}
	if (r->killed)
		goto out;

	peer_printf(r, "\nfragmentation: gomem's media-like trace (%u buffers), %s\n",
		    f.n, "peak reserved / peak live bytes");
	peer_header(r, "");
	peer_printf(r, "%-26s", "peak live, KiB");
	for (k = 0; k < ARRAY_SIZE(peer_columns); k++)
		peer_frag_cell(r, have[peer_columns[k]],
			       live[peer_columns[k]] / SZ_1K);
	peer_printf(r, "\n%-26s", "peak reserved, KiB");
	for (k = 0; k < ARRAY_SIZE(peer_columns); k++)
		peer_frag_cell(r, have[peer_columns[k]],
			       high[peer_columns[k]] / SZ_1K);
	peer_printf(r, "\n%-26s", "reserved / live");
	for (k = 0; k < ARRAY_SIZE(peer_columns); k++) {
		enum peer_kind kind = peer_columns[k];

		if (!have[kind]) {
			peer_printf(r, " %*s", PEER_COL, "-");
			continue;
		}
		c = div64_u64(1000ULL * high[kind] + live[kind] / 2, live[kind]);
		peer_printf(r, " %*llu.%03llu", PEER_COL - 4, c / 1000,
			    c % 1000);
	}
	peer_printf(r, "\nreserved: the high-water mark of the %d MiB region; %s\n",
		    PEER_FRAG_REGION / SZ_1M,
		    "drm_mm+kmalloc places as drm_mm");

	peer_printf(r, "\n");
	for (k = 0; k < ARRAY_SIZE(peer_columns); k++) {
		enum peer_kind kind = peer_columns[k];

		if (!have[kind] || !peer_is_drm(kind))
			continue;
		peer_printf(r, "gomem-bench section=frag pattern=media allocator=%s",
			    peer_kind_names[kind]);
		peer_printf(r, " peak_live=%zu peak_reserved=%zu init_on_alloc=%d\n",
			    live[kind], high[kind], want_init_on_alloc(0));
	}
out:
	kvfree(f.p);
	kvfree(f.burst);
	kvfree(f.size);
}

/* Run what @cmd names; the words of gomem's bench file (see the DOC). */
static int peer_run(const char *cmd)
{
	struct peer_run r = { .iters = PEER_DEFAULT_ITERS };
	bool do_alloc = false, do_frag = false;
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
			do_frag = true;
		} else if (!strcmp(word, "alloc") || !strcmp(word, "arena")) {
			do_alloc = true;
		} else if (!strcmp(word, "frag")) {
			do_frag = true;
		} else if (!strcmp(word, "pool") || !strcmp(word, "buddy") ||
			   !strcmp(word, "scale") || !strcmp(word, "rm") ||
			   !strcmp(word, "reader")) {
			continue;	/* gomem's sections with no drm_mm peer */
		} else if (!strncmp(word, "iters=", 6)) {
			if (kstrtoul(word + 6, 0, &r.iters) || !r.iters ||
			    r.iters > PEER_MAX_ITERS)
				ret = -EINVAL;
		} else {
			ret = -EINVAL;
		}
	}
	kfree(args);
	if (ret)
		return ret;

	r.out = kvzalloc(PEER_OUT_SIZE, GFP_KERNEL);
	r.sizes = kvmalloc_array(r.iters + PEER_STEADY_LIVE, sizeof(u32),
				 GFP_KERNEL);
	r.slots = kvmalloc_array(r.iters, sizeof(u32), GFP_KERNEL);
	r.live = kvmalloc_array(PEER_STEADY_LIVE, sizeof(void *), GFP_KERNEL);
	r.live_size = kvmalloc_array(PEER_STEADY_LIVE, sizeof(u32),
				     GFP_KERNEL);
	if (!r.out || !r.sizes || !r.slots || !r.live || !r.live_size) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (mutex_lock_killable(&peer_mutex)) {
		ret = -EINTR;
		goto out_free;
	}
	peer_printf(&r, "gomem_drm_bench: %s\n", cmd);
	if (do_alloc)
		peer_alloc_section(&r);
	if (do_frag && !peer_killed(&r))
		peer_frag_section(&r);
	if (r.killed) {
		ret = -EINTR;
	} else {
		kvfree(peer_result);
		peer_result = r.out;
		peer_result_len = r.len;
		r.out = NULL;
	}
	mutex_unlock(&peer_mutex);
out_free:
	kvfree(r.live_size);
	kvfree(r.live);
	kvfree(r.slots);
	kvfree(r.sizes);
	kvfree(r.out);
	return ret;
}

static ssize_t peer_write(struct file *file, const char __user *ubuf,
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
	ret = peer_run(args);
	/* Escaped: whoever writes chooses the bytes, control ones included. */
	if (ret && ret != -EINTR)
		pr_warn_ratelimited("'%*pE' failed: %d\n", (int)strlen(args),
				    args, ret);
	return ret ? ret : count;
}

static ssize_t peer_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	static const char none[] = "no run yet: echo all > bench\n";
	ssize_t ret;

	if (mutex_lock_killable(&peer_mutex))
		return -EINTR;
	if (peer_result)
		ret = simple_read_from_buffer(ubuf, count, ppos, peer_result,
					      peer_result_len);
	else
		ret = simple_read_from_buffer(ubuf, count, ppos, none,
					      sizeof(none) - 1);
	mutex_unlock(&peer_mutex);
	return ret;
}

static const struct file_operations peer_fops = {
	.owner	= THIS_MODULE,
	.read	= peer_read,
	.write	= peer_write,
	.llseek	= default_llseek,
};

static int __init peer_init(void)
{
	peer_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("bench", 0600, peer_dir, NULL, &peer_fops);
	return 0;
}

static void __exit peer_exit(void)
{
	debugfs_remove(peer_dir);
	kvfree(peer_result);
}

module_init(peer_init);
module_exit(peer_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("drm_mm beside gomem's arenas on gomem's benchmark rows");
