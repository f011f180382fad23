// SPDX-License-Identifier: GPL-2.0
/*
 * Footprint on a media-like trace: peak reserved bytes over peak live
 * bytes (1.00 is no overhead at all), for a pool with the per-CPU front
 * end off and on, a bare arena, and glibc; then on the in-kernel bench's
 * trace, for pools (kernel_trace()).
 *
 * The trace (one thread, xorshift64 seeded 0x9e3779b97f4a7c15, so the
 * same every run): 4000 bursts.  A burst is 4 + (r % 61) buffers, each
 * with probability 3/4 a run of k transport-stream packets, 188 * k bytes
 * with k = 1 + (r % 7) (188..1316 B), else a frame slice of
 * 4096 + (r % 61441) bytes (4..64 KiB).  Buffers are queued in order of
 * allocation and freed FIFO, oldest first: after each burst, until the
 * live bytes are at most the target of that burst, which rises and falls
 * as a triangle wave from 256 KiB to a top and back over 256 bursts.  The
 * trace runs with tops of 1, 2, 3 and 6 MiB: a pool grows by doubling
 * arenas (64 KiB, 128 KiB, ... up to 4 MiB each), so its ratio depends
 * on where the peak falls against the sums of those sizes, and one top
 * alone would show a best or a worst case.  Live bytes are the sizes
 * asked for.
 *
 * Reserved bytes, measured after every allocation:
 *   pool       gomem_pool_get_stats() reserved: every arena's bytes, the
 *              per-CPU caches' blocks included (they are allocated in the
 *              arenas); trimming is never called
 *   arena      the high-water mark: the end of the highest block ever
 *              allocated in one 64 MiB arena (what of its region was
 *              ever used)
 *   glibc      mallinfo2() of the main heap: arena (bytes taken from the
 *              system, free chunks included) + hblkhd (mmapped chunks),
 *              less what was in use before the trace (uordblks + hblkhd);
 *              each glibc trace runs in a fresh process (this program
 *              run again with FP_GLIBC_TOP set), so that no trace
 *              inherits free chunks or a raised mmap threshold (glibc
 *              raises it when a large mmapped chunk is freed) from what
 *              ran before it
 */
#include <sys/wait.h>
#include <unistd.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include "bench.h"

#include <gomem/gomem.h>
#include "gomem_internal.h"

#define FP_BURSTS	4000
#define FP_MAX_LIVE	4096	/* queue slots: live buffers at most */

enum fp_kind { FP_POOL, FP_ARENA, FP_GLIBC };

struct fp_alloc {
	const char *name;
	enum fp_kind kind;
	struct gomem_pool *pool;
	struct gomem_arena *arena;
	size_t base;		/* glibc: footprint before the trace */
	size_t peak_reserved;
	size_t peak_cached;
};

static void *fp_q[FP_MAX_LIVE];
static size_t fp_qsize[FP_MAX_LIVE];

static inline u64 fp_rng(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static size_t fp_glibc_footprint(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.arena + mi.hblkhd;
}

static size_t fp_glibc_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void *fp_malloc(struct fp_alloc *a, size_t n)
{
	struct gomem_pool_stats st;
	size_t reserved = 0;
	void *p = NULL;

	switch (a->kind) {
	case FP_POOL:
		p = gomem_malloc(a->pool, n, GFP_KERNEL);
		gomem_pool_get_stats(a->pool, &st);
		reserved = st.reserved;
		a->peak_cached = max(a->peak_cached, st.cached);
		break;
	case FP_ARENA:
		p = gomem_arena_alloc(a->arena, n);
		if (p)
			reserved = (char *)p + n - (char *)a->arena->fi.base;
		break;
	case FP_GLIBC:
		p = malloc(n);
		reserved = fp_glibc_footprint() - a->base;
		break;
	}
	if (!p) {
		printf("%s: malloc of %zu failed\n", a->name, n);
		exit(1);
	}
	a->peak_reserved = max(a->peak_reserved, reserved);
	return p;
}

static void fp_free(struct fp_alloc *a, void *p, size_t n)
{
	switch (a->kind) {
	case FP_POOL:
		gomem_free(a->pool, p, n);
		break;
	case FP_ARENA:
		gomem_arena_free(a->arena, p, n);
		break;
	case FP_GLIBC:
		free(p);
		break;
	}
}

/* The trace's seed: fp_seeds() runs others. */
static u64 fp_seed = 0x9e3779b97f4a7c15ull;

/* Run the trace; return the peak live bytes. */
static size_t fp_trace(struct fp_alloc *a, size_t top)
{
	u64 s = fp_seed;
	size_t live = 0, peak = 0, target;
	unsigned int head = 0, tail = 0, b, i, len, phase;

	for (b = 0; b < FP_BURSTS; b++) {
		len = 4 + fp_rng(&s) % 61;
		for (i = 0; i < len; i++) {
			size_t n = fp_rng(&s) % 4 ? 188 * (1 + fp_rng(&s) % 7) :
				   4096 + fp_rng(&s) % 61441;

			if (tail - head == FP_MAX_LIVE) {
				printf("footprint: queue full\n");
				exit(1);
			}
			fp_q[tail % FP_MAX_LIVE] = fp_malloc(a, n);
			fp_qsize[tail++ % FP_MAX_LIVE] = n;
			live += n;
			peak = max(peak, live);
		}
		/* Triangle: 256 KiB up to @top over 128 bursts, then down. */
		phase = b % 256;
		phase = phase < 128 ? phase : 256 - phase;
		target = (256 << 10) + (size_t)phase * (top - (256 << 10)) / 128;
		while (live > target) {
			live -= fp_qsize[head % FP_MAX_LIVE];
			fp_free(a, fp_q[head % FP_MAX_LIVE],
				fp_qsize[head % FP_MAX_LIVE]);
			head++;
		}
	}
	while (head != tail) {
		fp_free(a, fp_q[head % FP_MAX_LIVE], fp_qsize[head % FP_MAX_LIVE]);
		head++;
	}
	return peak;
}

/* @grow: GOMEM_GROW_IN_PLACE (the default) or GOMEM_GROW_NEW_ARENAS. */
static struct gomem_pool *fp_make_pool(const char *name,
				       enum gomem_pool_percpu percpu,
				       enum gomem_pool_grow grow)
{
	struct gomem_pool_params p = { .percpu = percpu, .grow = grow };
	struct gomem_pool *pool = gomem_pool_create(name, &p);

	if (IS_ERR(pool)) {
		printf("cannot create pool %s\n", name);
		exit(1);
	}
	return pool;
}

static void fp_row(struct fp_alloc *a, size_t top)
{
	size_t live = fp_trace(a, top);

	printf("| %4zu MiB | %-10s | %14zu | %14zu | %6.3f | %12zu |\n",
	       top >> 20, a->name, a->peak_reserved, live,
	       (double)a->peak_reserved / live, a->peak_cached);
	fflush(stdout);
}

/*
 * The media trace with FP_SEEDS seeds (the table's seed first), for the
 * pool with the front end off and on: the mean and the largest ratio, and
 * the seeds over 1.10.  A growth adds up to an eighth of the pool, so one
 * growth more or less moves a single trace's ratio by up to 0.125: a
 * change in where blocks land (the front end's, or the pool's own) flips
 * single seeds either way.  The spread over seeds tells such a flip from a
 * change in the footprint itself.
 */
#define FP_SEEDS	32
#define FP_SEED_STEP	0x632be59bd9b4e019ull	/* seed i: the first + i * this */

/* The ratios of one allocator's row over the seeds. */
struct fp_spread {
	double sum;
	double max;
	unsigned int n;
	unsigned int over;	/* ratios over 1.10 */
};

static void fp_spread_add(struct fp_spread *sp, double r)
{
	sp->sum += r;
	sp->max = r > sp->max ? r : sp->max;
	sp->over += r > 1.10;
	sp->n++;
}

static void fp_spread_row(const struct fp_spread *sp, size_t top,
			  const char *name)
{
	if (sp->n != FP_SEEDS) {
		printf("| %s: %u of %u seeds answered |\n", name, sp->n,
		       FP_SEEDS);
		return;
	}
	printf("| %4zu MiB | %-10s | %6.3f | %6.3f | %12u |\n", top >> 20,
	       name, sp->sum / sp->n, sp->max, sp->over);
}

/* glibc's row of fp_seeds(): each seed's trace in a fresh process. */
static void fp_seeds_glibc(size_t top, u64 seed0)
{
	struct fp_spread sp = { };
	char cmd[256];
	unsigned int i;
	double r;
	FILE *f;

	for (i = 0; i < FP_SEEDS; i++) {
		snprintf(cmd, sizeof(cmd),
			 "FP_GLIBC_TOP=%zu FP_SEED=%llu FP_RAW=1 BENCH_QUIET=1 /proc/%d/exe pool_footprint",
			 top, (unsigned long long)(seed0 + i * FP_SEED_STEP),
			 (int)getpid());
		f = popen(cmd, "r");
		if (!f)
			break;
		if (fscanf(f, "%lf", &r) == 1)
			fp_spread_add(&sp, r);
		pclose(f);
	}
	fp_spread_row(&sp, top, "glibc");
}

static void fp_seeds(void)
{
	static const size_t tops[] = { 1 << 20, 2 << 20, 3 << 20, 6 << 20 };
	static const struct {
		const char *name;
		enum gomem_pool_percpu percpu;
		enum gomem_pool_grow grow;
	} kinds[] = {
		{ "pool", GOMEM_PERCPU_OFF, GOMEM_GROW_IN_PLACE },
		{ "pool+pcpu", GOMEM_PERCPU_ON, GOMEM_GROW_IN_PLACE },
		{ "pool/new", GOMEM_PERCPU_OFF, GOMEM_GROW_NEW_ARENAS },
		{ "pcpu/new", GOMEM_PERCPU_ON, GOMEM_GROW_NEW_ARENAS },
	};
	u64 saved = fp_seed;
	unsigned int t, k, i;

	printf("\nthe media trace over %u seeds: peak reserved / peak live (/new: the\n",
	       FP_SEEDS);
	printf("pool growing by new arenas instead of in place)\n\n");
	printf("| top     | allocator  |   mean |    max | seeds > 1.10 |\n");
	printf("|---------|------------|--------|--------|--------------|\n");
	for (t = 0; t < ARRAY_SIZE(tops); t++) {
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			struct fp_spread sp = { };

			for (i = 0; i < FP_SEEDS; i++) {
				struct fp_alloc a = { kinds[k].name, FP_POOL,
						      fp_make_pool("fp_seed",
								   kinds[k].percpu,
								   kinds[k].grow) };
				size_t live;

				fp_seed = saved + i * FP_SEED_STEP;
				live = fp_trace(&a, tops[t]);
				fp_spread_add(&sp, (double)a.peak_reserved / live);
				gomem_pool_destroy(a.pool);
			}
			fp_spread_row(&sp, tops[t], kinds[k].name);
		}
		fp_seeds_glibc(tops[t], saved);
	}
	fp_seed = saved;
}

/*
 * The in-kernel bench's trace (gomem_bench.c, bench_frag_draw(): the same
 * generator and seed, so the same buffers): 16384 buffers in bursts of 1
 * to 32, each with probability 1/2 a run of 1..7 transport-stream packets
 * (188..1316 B), 3/10 an audio frame or small slice of 1..4 KiB, 1/5 a
 * video frame of 4..64 KiB; freed FIFO after each burst down to 8 MiB
 * live.  Its many 1..4 KiB buffers are what the per-CPU caches hold, so
 * the front end's rows are printed at three bounds (percpu_cache_kb, read
 * when a pool is made).
 */
#define KF_BUFS		16384
#define KF_LIVE		(8UL << 20)

static u32 kf_size[KF_BUFS];
static u8 kf_burst[KF_BUFS];
static void *kf_p[KF_BUFS];

static u32 kf_rand(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* Draw the trace's buffers from @seed (the in-kernel bench's: 0x2545f491). */
static void kf_draw(u32 s)
{
	unsigned int i, x;

	for (i = 0; i < KF_BUFS; i++) {
		x = kf_rand(&s) % 10;
		if (x < 5)
			kf_size[i] = 188 * (1 + kf_rand(&s) % 7);
		else if (x < 8)
			kf_size[i] = 1024 + kf_rand(&s) % (4096 - 1024 + 1);
		else
			kf_size[i] = 4096 + 1 + kf_rand(&s) % (65536 - 4096);
		kf_burst[i] = 1 + kf_rand(&s) % 32;
	}
}

/* Run the drawn trace on a new pool; @peak_res etc. filled in. */
static void kf_run(enum gomem_pool_percpu percpu, unsigned int kb,
		   enum gomem_pool_grow grow, size_t *peak_res,
		   size_t *peak_live, size_t *peak_cached)
{
	unsigned int saved = gomem_pool_percpu_cache_kb, i, head = 0, tail = 0;
	struct gomem_pool_stats st;
	struct gomem_pool *pool;
	size_t live = 0;
	unsigned int b;

	*peak_res = *peak_live = *peak_cached = 0;
	gomem_pool_percpu_cache_kb = kb;
	pool = fp_make_pool("fp_kernel", percpu, grow);
	gomem_pool_percpu_cache_kb = saved;
	for (b = 0; head < KF_BUFS; b++) {
		unsigned int end = min(KF_BUFS, head + kf_burst[b]);

		for (; head < end; head++) {
			kf_p[head] = gomem_malloc(pool, kf_size[head], GFP_KERNEL);
			if (!kf_p[head]) {
				printf("kernel trace: malloc failed\n");
				exit(1);
			}
			live += kf_size[head];
			*peak_live = max(*peak_live, live);
			gomem_pool_get_stats(pool, &st);
			*peak_res = max(*peak_res, st.reserved);
			*peak_cached = max(*peak_cached, st.cached);
		}
		while (live > KF_LIVE) {
			gomem_free(pool, kf_p[tail], kf_size[tail]);
			live -= kf_size[tail++];
		}
	}
	for (i = tail; i < KF_BUFS; i++)
		gomem_free(pool, kf_p[i], kf_size[i]);
	gomem_pool_destroy(pool);
}

static void kf_row(const char *name, enum gomem_pool_percpu percpu,
		   unsigned int kb, enum gomem_pool_grow grow)
{
	size_t res, live, cached;

	kf_run(percpu, kb, grow, &res, &live, &cached);
	printf("| %-22s | %14zu | %14zu | %6.3f | %12zu |\n", name, res,
	       live, (double)res / live, cached);
}

/*
 * The same trace with FP_SEEDS seeds (the in-kernel bench's first): one
 * trace moves by a growth step (a 64th of the pool) with any change in
 * where blocks land, so a rule is judged on the spread, not on one seed.
 */
static void kf_seeds(void)
{
	static const struct {
		const char *name;
		enum gomem_pool_percpu percpu;
		unsigned int kb;
	} kinds[] = {
		{ "pool", GOMEM_PERCPU_OFF, 1024 },
		{ "pool+pcpu, 64 KiB", GOMEM_PERCPU_ON, 64 },
		{ "pool+pcpu, 1 MiB", GOMEM_PERCPU_ON, 1024 },
	};
	unsigned int k, i;

	printf("\nthe in-kernel bench's trace over %u seeds: peak reserved / peak live\n\n",
	       FP_SEEDS);
	printf("| %-22s |   mean |    max | seeds > 1.10 |\n", "allocator");
	printf("|------------------------|--------|--------|--------------|\n");
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct fp_spread sp = { };

		for (i = 0; i < FP_SEEDS; i++) {
			size_t res, live, cached;

			kf_draw(0x2545f491u + i * 0x9e3779b9u);
			kf_run(kinds[k].percpu, kinds[k].kb, GOMEM_GROW_IN_PLACE,
			       &res, &live, &cached);
			fp_spread_add(&sp, (double)res / live);
		}
		printf("| %-22s | %6.3f | %6.3f | %12u |\n", kinds[k].name,
		       sp.sum / sp.n, sp.max, sp.over);
	}
}

static void kernel_trace(void)
{
	kf_draw(0x2545f491);
	printf("\nthe in-kernel bench's trace (gomem_bench.c frag): peak reserved / peak live\n\n");
	printf("| %-22s | %14s | %14s | %6s | %12s |\n", "allocator",
	       "peak reserved", "peak live", "ratio", "peak cached");
	printf("|------------------------|----------------|----------------");
	printf("|--------|--------------|\n");
	kf_row("pool", GOMEM_PERCPU_OFF, gomem_pool_percpu_cache_kb,
	       GOMEM_GROW_IN_PLACE);
	kf_row("pool+pcpu, 64 KiB", GOMEM_PERCPU_ON, 64, GOMEM_GROW_IN_PLACE);
	kf_row("pool+pcpu, 256 KiB", GOMEM_PERCPU_ON, 256, GOMEM_GROW_IN_PLACE);
	kf_row("pool+pcpu, 1 MiB", GOMEM_PERCPU_ON, 1024, GOMEM_GROW_IN_PLACE);
	kf_row("pool/new", GOMEM_PERCPU_OFF, gomem_pool_percpu_cache_kb,
	       GOMEM_GROW_NEW_ARENAS);
	kf_row("pcpu/new, 1 MiB", GOMEM_PERCPU_ON, 1024, GOMEM_GROW_NEW_ARENAS);
	kf_seeds();
}

static void pool_footprint(void)
{
	static const size_t tops[] = { 1 << 20, 2 << 20, 3 << 20, 6 << 20,
				       12 << 20, 24 << 20 };
	const char *glibc_top = getenv("FP_GLIBC_TOP");
	unsigned int t;
	int status;
	pid_t pid;

	/* The fresh process of one glibc trace: that row, then exit. */
	if (glibc_top) {
		struct fp_alloc glibc = { "glibc", FP_GLIBC };
		size_t live;

		if (getenv("FP_SEED"))
			fp_seed = strtoull(getenv("FP_SEED"), NULL, 0);
		glibc.base = fp_glibc_in_use();
		if (!getenv("FP_RAW")) {
			fp_row(&glibc, strtoull(glibc_top, NULL, 0));
			exit(0);
		}
		live = fp_trace(&glibc, strtoull(glibc_top, NULL, 0));
		printf("%.6f\n", (double)glibc.peak_reserved / live);
		exit(0);
	}
	printf("media-like trace: 188 B..64 KiB in bursts, freed FIFO, live from 256 KiB\n");
	printf("to a top and back (see the bench source); peak reserved / peak live,\n");
	printf("goal <= 1.10; pool/new and pcpu/new: the pool growing by new arenas\n");
	printf("instead of in place (GOMEM_GROW_NEW_ARENAS)\n\n");
	printf("| top     | allocator  |  peak reserved |      peak live ");
	printf("|  ratio |  peak cached |\n");
	printf("|---------|------------|----------------|----------------");
	printf("|--------|--------------|\n");
	for (t = 0; t < ARRAY_SIZE(tops); t++) {
		struct fp_alloc pool = { "pool", FP_POOL,
					 fp_make_pool("fp_pool", GOMEM_PERCPU_OFF,
						      GOMEM_GROW_IN_PLACE) };
		struct fp_alloc pcpu = { "pool+pcpu", FP_POOL,
					 fp_make_pool("fp_pool_pcpu",
						      GOMEM_PERCPU_ON,
						      GOMEM_GROW_IN_PLACE) };
		struct fp_alloc pool_new = { "pool/new", FP_POOL,
					     fp_make_pool("fp_pool_new",
							  GOMEM_PERCPU_OFF,
							  GOMEM_GROW_NEW_ARENAS) };
		struct fp_alloc pcpu_new = { "pcpu/new", FP_POOL,
					     fp_make_pool("fp_pcpu_new",
							  GOMEM_PERCPU_ON,
							  GOMEM_GROW_NEW_ARENAS) };
		struct fp_alloc arena = { "arena", FP_ARENA, NULL,
					  gomem_arena_create(64 << 20,
							     GOMEM_INDEX_DEFAULT,
							     GFP_KERNEL) };

		if (IS_ERR_OR_NULL(arena.arena)) {
			printf("cannot create the arena\n");
			exit(1);
		}
		fp_row(&pool, tops[t]);
		fp_row(&pcpu, tops[t]);
		fp_row(&pool_new, tops[t]);
		fp_row(&pcpu_new, tops[t]);
		fp_row(&arena, tops[t]);
		gomem_pool_destroy(pool.pool);
		gomem_pool_destroy(pcpu.pool);
		gomem_pool_destroy(pool_new.pool);
		gomem_pool_destroy(pcpu_new.pool);
		gomem_arena_destroy(arena.arena);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			char top[32];

			snprintf(top, sizeof(top), "%zu", tops[t]);
			setenv("FP_GLIBC_TOP", top, 1);
			setenv("BENCH_QUIET", "1", 1);
			execl("/proc/self/exe", "gomem-bench", "pool_footprint",
			      (char *)NULL);
			_exit(1);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			printf("| glibc: the fresh process failed |\n");
	}
	fp_seeds();
	kernel_trace();
}

GOMEM_BENCH(pool_footprint);
