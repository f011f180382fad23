// SPDX-License-Identifier: GPL-2.0
/*
 * gomem pool: GoMem's ScalableMemoryAllocator, a list of
 * arenas that grows and trims, with one lock; and the registry of live
 * pools by name.  Its per-CPU front end is gomem_pcp.c.
 */

/**
 * DOC: Pool
 *
 * A pool is GoMem's ScalableMemoryAllocator: a list of arenas (see the
 * Arena DOC block in gomem_arena.c), each a region with its own free-block
 * index.  The first arena is made by gomem_pool_create(); when no arena can
 * serve a request, the pool adds one of twice the previous size (doubled
 * again while the request does not fit) while arenas stay within an eighth
 * of ``max_arena_size`` (4 MiB by default, GoMem's MaxBlockSize); past
 * that, one of an eighth of the pool (an eighth of the max at least, the
 * max at most: pool_grow_size()).  A request larger than the max gets a
 * *dedicated* arena of its own, sized to it, which is released when it is
 * wholly free again; it is freed through gomem_free() like any other.
 *
 * Arenas come from vmalloc (vmalloc_huge() when the pool asks for huge
 * mappings) or are carved from the module-wide buddy region (see the
 * Backing DOC block in gomem_backing.c).
 *
 * Growth in place (``grow`` in gomem_pool_params, default the module
 * parameter ``grow_in_place``, on; vmalloc backing without huge pages, on
 * x86-64).  A regular arena then reserves address space for more than it
 * maps: the first one for an eighth of ``max_arena_size``, later ones for
 * all of it (the Growable regions DOC block in gomem_vres.c).  A growth
 * maps pages at the end of the oldest such arena with room
 * (pool_grow_in_place()), a 64th of the pool at a time (the first arena's
 * size at least, an eighth of the max at most), and extends the arena over
 * them: the new room coalesces with the arena's free tail.  Only when no
 * arena has room left does the pool add one.  So a pool of a few MiB is
 * one or two arenas, grows by 64 KiB steps, and has no arena ends for
 * large blocks to fall short of: the footprint bench's media trace went
 * from 1.14-1.18 times its live bytes (means over 32 seeds, 1 to 3 MiB,
 * with the front end) to 1.05-1.07 (README, "Footprint").  Growers take
 * the pool's ``grow_mutex`` (the mapping sleeps, outside the lock); the
 * release of arenas takes it too, so that an arena trim unlinks while a
 * grower maps into it is freed only after the grower let go.
 *
 * Finding the arena of a pointer (free) walks an rbtree of arenas keyed by
 * address: O(log arenas).  Malloc is first fit over the regular arenas in
 * creation order: each arena keeps a note of its largest free block (an
 * upper bound, exact after a free in it or a failed allocation), and the
 * walk skips an arena whose note is too small with one
 * compare: O(arenas) compares at worst, plus the arena's own O(log
 * blocks).  First fit packs live blocks into the oldest arenas, so that
 * the newest empty (for trim) and the pool grows later: trying the arena
 * that served last first, as before, spread the front end's misses over
 * the newest arena and took the footprint bench to 2.2 times its live
 * bytes where first fit reads 1.09 (README, "Footprint").
 *
 * Empty arenas stay (so the pool serves atomic callers without growing)
 * until gomem_pool_trim(), which releases all but one; dedicated arenas go
 * as soon as they are empty.
 *
 * Memory initialisation (gomem_init.h).  gomem_malloc() zeroes what it
 * hands out with __GFP_ZERO or under init_on_alloc, once, after dropping
 * the lock; gomem_borrow() zeroes its room under init_on_alloc; frees zero
 * the granules released under init_on_free, inside the lock (only there is
 * the free known to be good).  The regions of new arenas follow the same
 * policy where they come from (vmalloc's pages, the module buddy): under
 * init_on_alloc a new arena costs one memset of its region.
 *
 * Locking and contexts.  Each pool has one raw spinlock, taken with
 * interrupts off, around every arena operation and the arena lists.  Under
 * it runs only bounded work that never sleeps and never allocates: arena
 * alloc/free/find, the rbtree, counters.  Everything that may sleep --
 * vmalloc, vfree, kmalloc of arena structs, the buddy mutex, debugfs -- runs
 * outside it, in the caller's process context (growth, create, destroy) or
 * in a work item (release of arenas).  Hence:
 *
 * - gomem_malloc() is safe in process, softirq and hardirq context; it
 *   grows the pool only when its gfp allows blocking
 *   (gfpflags_allow_blocking()), otherwise a request the arenas cannot
 *   serve returns NULL and counts a failure.
 * - gomem_free(), gomem_free_rest(), gomem_borrow(), gomem_pool_trim(),
 *   gomem_pool_get_stats() are safe in any context.  An arena that free or
 *   trim releases is unlinked under the lock and handed to a work item,
 *   which destroys and vfrees it: never under a lock, never in atomic
 *   context.
 * - PREEMPT_RT: the lock is a raw_spinlock_t on purpose, so hardirq callers
 *   stay supported on RT kernels, where spinlock_t sleeps.  This is sound
 *   because nothing under it sleeps and its hold time is bounded by one
 *   arena operation (O(log n)), except for the O(arenas) walks of
 *   gomem_pool_get_stats(), gomem_pool_trim() and gomem_pool_check(), which
 *   are not hot-path calls (gomem_pool_check() checks each arena under a
 *   lock hold of its own).
 *
 * Per-CPU front end (``percpu`` in gomem_pool_params, default the module
 * parameter ``percpu``, on): per-CPU magazines in front of the arenas, in
 * gomem_pcp.c (its DOC block).  Trim, check and destroy drain them first.
 *
 * Bad input: size 0, a pointer no arena of the pool holds, a piece that
 * is already free (double free) or runs past its arena.  The call returns
 * NULL or -EINVAL, warns once (GOMEM_WARN_CALLER()), counts ``bad_frees``
 * (or a failure) in the pool and ``pool_bad_input`` in the module stats,
 * and changes nothing.  Destroying a pool that still has memory in use
 * warns once, prints what is live per arena, and frees everything anyway.
 *
 * Registry.  Live pools are listed under a mutex, by unique name.  Create
 * and destroy tell the registry's notifier chain (GOMEM_POOL_ADD,
 * GOMEM_POOL_DEL), so what shows pools (gomem_debugfs.c) hangs off the
 * pool without the pool calling up into it; a subscriber may refuse a name
 * (debugfs refuses the names of its own files).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/bitops.h>
#include <linux/cpuhotplug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <gomem/arena.h>
#include <gomem/pool.h>
#include "gomem_init.h"
#include "gomem_internal.h"
#include "gomem_pool_priv.h"
#include "gomem_kasan.h"
#include "gomem_report.h"

#define CREATE_TRACE_POINTS
#include <trace/events/gomem.h>

/* Past the doubling, a growth adds 1/8 of the pool (pool_grow_size()). */
#define POOL_GROW_SHARE		8
/* A growth in place adds 1/64 of the pool (pool_grow_step()). */
#ifndef POOL_GROW_INPLACE_SHARE
#define POOL_GROW_INPLACE_SHARE	64
#endif
/* The first arena may grow in place to max_arena_size / this. */
#ifndef POOL_FIRST_CAP_SHARE
#define POOL_FIRST_CAP_SHARE	8
#endif

bool gomem_pool_percpu_default = true;
bool gomem_pool_grow_in_place = true;
unsigned int gomem_pool_percpu_cache_kb = 1024;
bool gomem_pool_percpu_strict;
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_percpu_strict);
static int pool_cpuhp_state;	/* 0 until gomem_pool_init() */

static DEFINE_MUTEX(pools_mutex);	/* guards the registry list */
static LIST_HEAD(pools);
static BLOCKING_NOTIFIER_HEAD(pool_chain);	/* told of adds and dels */

/*
 * The gfp for what a growth allocates (arena structs, regions, pages, the
 * ranges array): the caller's (it allows blocking), but no zeroing of
 * arenas and no zone modifiers: an arena serves every later caller of the
 * pool, whatever zone this one named, and slab refuses __GFP_HIGHMEM; and
 * no warning: a failed growth is the caller's NULL, counted.
 */
static inline gfp_t pool_grow_gfp(gfp_t gfp)
{
	return (gfp & ~(__GFP_ZERO | GFP_ZONEMASK)) | __GFP_NOWARN;
}

/*
 * Make an arena of at least @size bytes, with nothing locked; one that may
 * grow in place up to @cap bytes when @cap is larger.  Process context: it
 * sleeps.
 */
static struct pool_arena *pool_arena_new(struct gomem_pool *pool,
					 size_t size, size_t cap,
					 bool dedicated, gfp_t gfp)
{
	struct pool_arena *pa;
	struct gomem_arena *a;

	gfp = pool_grow_gfp(gfp);
	if (gomem_should_fail(sizeof(*pa)))
		return NULL;
	pa = kzalloc(sizeof(*pa), gfp);
	if (!pa)
		return NULL;
	pa->dedicated = dedicated;
	pa->largest = SIZE_MAX;		/* unknown: the walk tries it */
	if (cap > size) {
		if (gomem_region_get_growable(&pa->region, size, cap, gfp))
			goto err_free_pa;
		a = gomem_arena_create_growable(pa->region.base, size, cap,
						pool->params.index, gfp);
	} else {
		if (gomem_region_get(&pa->region, size,
				     pool->params.backing == GOMEM_BACKING_BUDDY &&
				     !dedicated, pool->params.huge, gfp))
			goto err_free_pa;
		a = gomem_arena_create_on(pa->region.base, pa->region.size,
					  pool->params.index, gfp);
	}
	if (IS_ERR(a))
		goto err_put_region;
	pa->arena = a;
	a->owner = pool->name;	/* the pool outlives its arenas */
	return pa;

err_put_region:
	gomem_region_put(&pa->region);
err_free_pa:
	kfree(pa);
	return NULL;
}

/* Destroy an unlinked arena.  Process context: it sleeps. */
static void pool_arena_release(struct pool_arena *pa)
{
	gomem_arena_destroy(pa->arena);
	gomem_region_put(&pa->region);
	kfree(pa);
}

static struct pool_arena *__pool_lookup(struct gomem_pool *pool,
					const void *ptr)
{
	struct rb_node *n = pool->tree.rb_node;
	unsigned long p = (unsigned long)ptr;

	lockdep_assert_held(&pool->lock);
	while (n) {
		struct pool_arena *pa = rb_entry(n, struct pool_arena, node);
		unsigned long b = (unsigned long)pa->region.base;

		if (p < b)
			n = n->rb_left;
		else if (p - b >= pa->region.size)
			n = n->rb_right;
		else
			return pa;
	}
	return NULL;
}

/*
 * The per-CPU caches look arenas up without the pool's lock: a sorted
 * array of the regular arenas' ranges under the sequence count
 * &gomem_pool.gen.  Writers hold the lock and make @gen odd around their
 * change; a reader (under its CPU's cache lock) retries while @gen is odd
 * or changed.  A full array is replaced by a larger one, allocated before
 * the lock is taken (pool_ranges_spare()); the old one is freed only after
 * each CPU's cache lock was taken once (pool_ranges_retire()), so that no
 * reader still walks it.
 */
static __always_inline void __pool_gen_begin(struct gomem_pool *pool)
{
	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(pool->gen, pool->gen + 1);
	smp_wmb();	/* odd before the change; pairs with the readers' rmb */
}

static __always_inline void __pool_gen_end(struct gomem_pool *pool)
{
	smp_wmb();	/* the change before even */
	WRITE_ONCE(pool->gen, pool->gen + 1);
}

/*
 * Process context, nothing locked: a larger array when the pool's ranges
 * are full (*@cap set to its room), else NULL; ERR_PTR(-ENOMEM).
 */
static struct pool_range *pool_ranges_spare(struct gomem_pool *pool,
					    gfp_t gfp, unsigned int *cap)
{
	unsigned int nr = READ_ONCE(pool->nr_ranges);
	struct pool_range *r;

	if (!pool->pcp || nr < READ_ONCE(pool->cap_ranges))
		return NULL;
	*cap = max(8U, 2 * (nr + 1));
	r = gomem_should_fail(*cap * sizeof(*r)) ? NULL :
	    kmalloc_array(*cap, sizeof(*r),
			  pool_grow_gfp(gfp));
	return r ? r : ERR_PTR(-ENOMEM);
}

/*
 * Wait out every lookup that may still walk @old (each runs under its
 * CPU's cache lock), then free it.  Process context.
 */
static void pool_ranges_retire(struct gomem_pool *pool,
			       struct pool_range *old)
{
	if (!old)
		return;
	pool_pcp_sync(pool);
	kfree(old);
}

/* Insert @pa's range, in @gen's odd phase; the caller made room. */
static void __pool_ranges_insert(struct gomem_pool *pool,
				 struct pool_arena *pa)
{
	unsigned long base = (unsigned long)pa->region.base;
	unsigned int i = pool->nr_ranges;

	while (i && pool->ranges[i - 1].base > base) {
		pool->ranges[i] = pool->ranges[i - 1];
		i--;
	}
	pool->ranges[i].base = base;
	pool->ranges[i].end = base + pa->region.size;
	WRITE_ONCE(pool->nr_ranges, pool->nr_ranges + 1);
}

/* Remove @pa's range, in @gen's odd phase. */
static void __pool_ranges_remove(struct gomem_pool *pool,
				 struct pool_arena *pa)
{
	unsigned long base = (unsigned long)pa->region.base;
	unsigned int i, n = pool->nr_ranges;

	for (i = 0; i < n && pool->ranges[i].base != base; i++)
		;
	if (WARN_ON_ONCE(i == n))
		return;
	for (; i + 1 < n; i++)
		pool->ranges[i] = pool->ranges[i + 1];
	WRITE_ONCE(pool->nr_ranges, n - 1);
}

/*
 * Link @pa.  A regular arena of a pool with the front end needs room in
 * the ranges: @spare (of room @cap, from pool_ranges_spare()) replaces
 * a full array.  Return: the array @spare replaced (to retire once the
 * lock is dropped), NULL, or ERR_PTR(-EAGAIN) with nothing linked when
 * the ranges are full and @spare is missing or too small (the caller
 * drops the lock and gets a new spare).
 */
static struct pool_range *__pool_link(struct gomem_pool *pool,
				      struct pool_arena *pa,
				      struct pool_range **spare,
				      unsigned int cap)
{
	struct rb_node **link = &pool->tree.rb_node, *parent = NULL;
	bool ranged = pool->pcp && !pa->dedicated;
	struct pool_range *old = NULL;

	lockdep_assert_held(&pool->lock);
	if (ranged && pool->nr_ranges == pool->cap_ranges &&
	    (IS_ERR_OR_NULL(*spare) || cap <= pool->nr_ranges))
		return ERR_PTR(-EAGAIN);
	while (*link) {
		struct pool_arena *x = rb_entry(*link, struct pool_arena, node);

		parent = *link;
		link = pa->region.base < x->region.base ? &parent->rb_left :
							   &parent->rb_right;
	}
	rb_link_node(&pa->node, parent, link);
	rb_insert_color(&pa->node, &pool->tree);
	list_add_tail(&pa->link, &pool->arenas);
	__pool_gen_begin(pool);
	if (ranged && pool->nr_ranges == pool->cap_ranges) {
		memcpy(*spare, pool->ranges,
		       pool->nr_ranges * sizeof(**spare));
		old = pool->ranges;
		WRITE_ONCE(pool->ranges, *spare);
		pool->cap_ranges = cap;
		*spare = NULL;
		smp_wmb();	/* the new array before a larger count */
	}
	if (ranged)
		__pool_ranges_insert(pool, pa);
	__pool_gen_end(pool);
	pool->nr_arenas++;
	pool->st.arenas++;
	pool->st.reserved += pa->region.size;
	pool->st.dedicated += pa->dedicated;
	pool->st.huge_arenas += pa->region.huge;
	trace_gomem_pool_grow(pool->name, pa->region.base, pa->region.size,
			      pa->dedicated);
	return old;
}

/* Unlink @pa and queue it for release; the caller kicks the work. */
static void __pool_unlink(struct gomem_pool *pool, struct pool_arena *pa)
{
	lockdep_assert_held(&pool->lock);
	rb_erase(&pa->node, &pool->tree);
	list_move_tail(&pa->link, &pool->dead);
	pa->dead = true;
	/* Every hint and lookup of the per-CPU caches sees it: new @gen. */
	__pool_gen_begin(pool);
	if (pool->pcp && !pa->dedicated)
		__pool_ranges_remove(pool, pa);
	__pool_gen_end(pool);
	pool->nr_arenas--;
	pool->st.arenas--;
	pool->st.reserved -= pa->region.size;
	pool->st.dedicated -= pa->dedicated;
	pool->st.huge_arenas -= pa->region.huge;
	trace_gomem_pool_release(pool->name, pa->region.base, pa->region.size,
				 pa->dedicated);
}

static void pool_release_work(struct work_struct *work)
{
	struct gomem_pool *pool = container_of(work, struct gomem_pool,
					       release_work);
	struct pool_arena *pa, *tmp;
	unsigned long flags, bad;
	LIST_HEAD(dead);

	raw_spin_lock_irqsave(&pool->lock, flags);
	list_splice_init(&pool->dead, &dead);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	bad = list_empty(&dead) ? 0 : pool_pcp_scrub(pool, &dead);
	if (unlikely(bad)) {
		GOMEM_WARN_CALLER(1,
				  "gomem: pool %s: %lu cached blocks in a released arena (double free)\n",
				  pool->name, bad);
		gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
		raw_spin_lock_irqsave(&pool->lock, flags);
		pool->st.bad_frees += bad;
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	}
	/* A grower may still be mapping pages into one of them. */
	mutex_lock(&pool->grow_mutex);
	list_for_each_entry_safe(pa, tmp, &dead, link)
		pool_arena_release(pa);
	mutex_unlock(&pool->grow_mutex);
}

/*
 * @pa's note of its largest free block is an upper bound, never below the
 * truth (gomem_pool_check() checks it): exact after a free in @pa or a
 * failed allocation, "unknown" (the most) for a new arena and after a
 * borrow (which may merge parked blocks); an allocation leaves it (it only
 * shrinks free blocks).  So the walk below may try an arena that cannot
 * serve, but never skips one that can.  Marking a free "unknown" instead
 * of asking the arena saves the query on the free but costs more failed
 * tries: steady 10,000 live (bench-cg) 390 -> 396 instructions per pair.
 */
static __always_inline void pool_arena_note(struct pool_arena *pa)
{
	pa->largest = gomem_arena_largest_free(pa->arena);
}

/*
 * First fit over the regular arenas in creation order (the oldest, and
 * smallest, first), skipping those whose note says they cannot serve.
 */
void *__pool_alloc(struct gomem_pool *pool, size_t size)
{
	struct pool_arena *pa;
	void *p;

	lockdep_assert_held(&pool->lock);
	list_for_each_entry(pa, &pool->arenas, link) {
		if (pa->largest < size || pa->dedicated)
			continue;
		p = gomem_arena_alloc_nozero(pa->arena, size);
		if (likely(p))
			return p;
		pool_arena_note(pa);
	}
	return NULL;
}

static void *pool_bad_alloc(struct gomem_pool *pool, size_t size)
{
	unsigned long flags;

	GOMEM_WARN_CALLER(1, "gomem: pool %s: bad malloc of %zu bytes\n",
			  pool->name, size);
	gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
	trace_gomem_bad_input(pool->name, "malloc", NULL, size);
	raw_spin_lock_irqsave(&pool->lock, flags);
	pool->st.failures++;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return NULL;
}

static void pool_count_failure(struct gomem_pool *pool)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	pool->st.failures++;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * The size of the next regular arena for a request of @size bytes.
 * GoMem doubles (64 KiB, 128 KiB, ... up to max_arena_size), which keeps
 * a small pool to a few arenas but overshoots a large one: a pool that
 * needs 2.1 MiB holds 4 (64 KiB + 128 KiB + ... + 2 MiB; the footprint
 * bench read 1.44 times its live bytes).  So arenas double (at least once, and until
 * the request fits) only while they stay within an eighth of
 * max_arena_size (512 KiB by default); after that each growth adds an
 * eighth of what the pool holds, that eighth of the max at least, the max
 * at most: what a growth adds stays under an eighth of the pool (1.09 at
 * most on the footprint bench; README, "Footprint").  @size and the first
 * arena's size at least, in whole multiples of the latter; a power of two where the
 * region comes from the module buddy (which rounds up to one) or wants
 * huge mappings (vmalloc_huge() maps huge pages only for whole ones).
 */
static size_t pool_grow_size(const struct gomem_pool *pool, size_t size)
{
	const struct gomem_pool_params *p = &pool->params;
	size_t step = p->max_arena_size / POOL_GROW_SHARE, grow;

	lockdep_assert_held(&pool->lock);
	if (pool->child_size * 2 <= step) {
		grow = pool->child_size;
		while (grow < p->max_arena_size) {
			grow <<= 1;
			if (grow >= size)
				break;
		}
		return grow;
	}
	grow = max3(step, pool->st.reserved / POOL_GROW_SHARE, size);
	grow = clamp(grow, (size_t)p->initial_size, (size_t)p->max_arena_size);
	if (p->huge || p->backing == GOMEM_BACKING_BUDDY)
		return roundup_pow_of_two(grow);
	return round_up(grow, p->initial_size);
}

/* Count a growth's malloc, @p or NULL, under the pool's lock. */
static void __pool_count_grown(struct gomem_pool *pool, void *p, size_t size)
{
	lockdep_assert_held(&pool->lock);
	if (p) {
		pool->st.mallocs++;
		pool->st.malloc_bytes += size;
	} else {
		pool->st.failures++;
	}
}

/* Set @pa's range to its region's new end, in @gen's odd phase. */
static void __pool_ranges_resize(struct gomem_pool *pool,
				 struct pool_arena *pa)
{
	unsigned long base = (unsigned long)pa->region.base;
	unsigned int i;

	for (i = 0; i < pool->nr_ranges; i++) {
		if (pool->ranges[i].base == base) {
			WRITE_ONCE(pool->ranges[i].end,
				   base + pa->region.size);
			return;
		}
	}
	WARN_ON_ONCE(1);
}

/*
 * Bytes a growth in place adds for a request of @size: a 64th of the
 * pool, the first arena's size at least, an eighth of max_arena_size at
 * most, and room for @size (plus the granule a free block's node needs)
 * in any case.  Whole pages.
 */
static size_t pool_grow_step(const struct gomem_pool *pool, size_t size)
{
	const struct gomem_pool_params *p = &pool->params;
	size_t step = pool->st.reserved / POOL_GROW_INPLACE_SHARE;

	lockdep_assert_held(&pool->lock);
	step = clamp(step, (size_t)p->initial_size,
		     max_t(size_t, p->initial_size,
			   p->max_arena_size / POOL_GROW_SHARE));
	return PAGE_ALIGN(max(step, size + GOMEM_GRANULE));
}

/*
 * Growth in place (process context): map more pages at the end of the
 * oldest regular arena whose reserved space has room for @size, extend
 * the arena over them, and allocate.  Return: the memory; NULL when the
 * pages could not be had (a failure, counted); ERR_PTR(-ENOSPC) when no
 * arena has room left (the caller adds one).
 */
static void *pool_grow_in_place(struct gomem_pool *pool, size_t size,
				gfp_t gfp)
{
	struct pool_arena *pa, *found = NULL;
	size_t old, want, to = 0;
	unsigned long flags;
	void *p;

	gfp = pool_grow_gfp(gfp);
	mutex_lock(&pool->grow_mutex);
	raw_spin_lock_irqsave(&pool->lock, flags);
	/* Another grower may have made the room meanwhile. */
	p = __pool_alloc(pool, size);
	if (p)
		goto out;
	want = pool_grow_step(pool, size);
	list_for_each_entry(pa, &pool->arenas, link) {
		if (!pa->region.growable ||
		    pa->region.cap - pa->region.size < PAGE_ALIGN(size + GOMEM_GRANULE))
			continue;
		found = pa;
		to = min(pa->region.size + want, pa->region.cap);
		break;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (!found) {
		mutex_unlock(&pool->grow_mutex);
		return ERR_PTR(-ENOSPC);
	}
	/* @found stays: its release waits for the mutex. */
	if (gomem_region_grow(&found->region, to, gfp)) {
		mutex_unlock(&pool->grow_mutex);
		pool_count_failure(pool);
		return NULL;
	}
	raw_spin_lock_irqsave(&pool->lock, flags);
	if (found->dead || gomem_arena_extend(found->arena, to)) {
		/* Trimmed meanwhile: its release unmaps what was mapped. */
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		mutex_unlock(&pool->grow_mutex);
		return ERR_PTR(-ENOSPC);
	}
	old = found->region.size;
	__pool_gen_begin(pool);
	found->region.size = to;
	if (pool->pcp)
		__pool_ranges_resize(pool, found);
	__pool_gen_end(pool);
	found->largest = SIZE_MAX;
	pool->st.reserved += to - old;
	trace_gomem_pool_grow(pool->name, (char *)found->region.base + old,
			      to - old, false);
	p = gomem_arena_alloc_nozero(found->arena, size);
out:
	__pool_count_grown(pool, p, size);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	mutex_unlock(&pool->grow_mutex);
	return p;
}

/* Add an arena that fits @size (process context), then allocate. */
static void *pool_grow_alloc(struct gomem_pool *pool, size_t size, gfp_t gfp)
{
	bool dedicated = size > pool->params.max_arena_size;
	struct pool_range *spare = NULL, *old;
	struct pool_arena *pa;
	unsigned int cap = 0;
	unsigned long flags;
	size_t grow, vcap = 0;
	void *p;

	if (!dedicated && pool->grow_in_place) {
		p = pool_grow_in_place(pool, size, gfp);
		if (p != ERR_PTR(-ENOSPC))
			return p;
	}
	if (dedicated) {
		grow = PAGE_ALIGN(size);
	} else {
		raw_spin_lock_irqsave(&pool->lock, flags);
		if (pool->grow_in_place) {
			vcap = pool->params.max_arena_size;
			grow = min(pool_grow_step(pool, size), vcap);
		} else {
			grow = pool_grow_size(pool, size);
		}
		pool->child_size = grow;
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	}
	pa = pool_arena_new(pool, grow, vcap, dedicated, gfp);
	if (!pa) {
		pool_count_failure(pool);
		return NULL;
	}

	for (;;) {
		if (!dedicated)
			spare = pool_ranges_spare(pool, gfp, &cap);
		if (IS_ERR(spare)) {
			pool_arena_release(pa);
			pool_count_failure(pool);
			return NULL;
		}
		raw_spin_lock_irqsave(&pool->lock, flags);
		old = __pool_link(pool, pa, &spare, cap);
		if (old != ERR_PTR(-EAGAIN))
			break;
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		kfree(spare);
	}
	/* Fits: @size <= the arena size, which is whole granules. */
	p = gomem_arena_alloc_nozero(pa->arena, size);
	__pool_count_grown(pool, p, size);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	kfree(spare);		/* NULL, or not needed after all */
	pool_ranges_retire(pool, old);
	return p;
}

/* Malloc from the arenas under the pool's lock, counted.  Or NULL. */
static __always_inline void *
pool_alloc_counted(struct gomem_pool *pool, size_t size)
{
	unsigned long flags;
	void *p;

	raw_spin_lock_irqsave(&pool->lock, flags);
	p = __pool_alloc(pool, size);
	if (likely(p)) {
		pool->st.mallocs++;
		pool->st.malloc_bytes += size;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return p;
}

/*
 * gomem_malloc() past this CPU's cache: the arenas under the pool's lock,
 * then growth.  @ip: gomem_malloc()'s caller, for the trace event.
 */
noinline void *pool_malloc_slow(struct gomem_pool *pool, size_t size,
				gfp_t gfp, unsigned long ip)
{
	void *p = NULL;

	if (unlikely(!size))
		return pool_bad_alloc(pool, size);
	if (pool->pcp && size <= GOMEM_POOL_PERCPU_MAX)
		pool_pcp_warm(pool, size);
	/* Dense classes refill in batches; the others take one block below. */
	if (pool->pcp && size <= POOL_PCP_DENSE * GOMEM_GRANULE) {
		p = pool_pcp_alloc_refill(pool, size);
		if (likely(p))
			goto out;
	}
	if (likely(size <= pool->params.max_arena_size)) {
		p = pool_alloc_counted(pool, size);
		if (likely(p))
			goto out;
	}
	/* More than the machine's memory can only be a caller bug. */
	if (unlikely(size > (size_t)totalram_pages() << PAGE_SHIFT))
		return pool_bad_alloc(pool, size);
	if (!gfpflags_allow_blocking(gfp) ||
	    size > (size_t)GOMEM_MAX_GRANULES * GOMEM_GRANULE) {
		/*
		 * Cached blocks are allocated in the arenas: a malloc that
		 * cannot grow the pool first gives every CPU's cache back and
		 * tries the arenas again (the page allocator drains its
		 * per-CPU lists the same way), so that an atomic malloc on
		 * one CPU is not refused for memory another CPU's cache
		 * holds.  A blocking one grows instead.
		 */
		if (pool->pcp && size <= pool->params.max_arena_size &&
		    pool_pcp_drain(pool)) {
			p = pool_alloc_counted(pool, size);
			if (p)
				goto out;
		}
		pool_count_failure(pool);
		trace_gomem_pool_fail(pool->name, size, gfp);
		return NULL;
	}
	/*
	 * Before the pool grows, cached blocks go back: for a request no
	 * cache serves (over GOMEM_POOL_PERCPU_BIG_MAX) every CPU's, since
	 * they are free room that only its own size can use and may be what
	 * splits the hole it needs (the frag trace: 1.320 -> 1.220 times its
	 * live bytes; README, "Footprint"); for a smaller one the held big
	 * blocks only, so that a small pool grows to hold its caches instead
	 * of draining them at every would-be growth (bench-cg random: 120 ->
	 * 883 instructions per pair when every growth drained).
	 */
	if (pool->pcp && size > GOMEM_POOL_PERCPU_BIG_MAX &&
	    size <= pool->params.max_arena_size)
		pool_pcp_frames(pool);	/* this CPU keeps out of the holes */
	if (pool->pcp && size <= pool->params.max_arena_size &&
	    (size > GOMEM_POOL_PERCPU_BIG_MAX ? pool_pcp_drain(pool) :
	     pool_pcp_drain_big(pool))) {
		p = pool_alloc_counted(pool, size);
		if (p)
			goto out;
	}
	p = pool_grow_alloc(pool, size, gfp);
	if (unlikely(!p)) {
		trace_gomem_pool_fail(pool->name, size, gfp);
		return NULL;
	}
out:
	/* __GFP_ZERO or init_on_alloc: once, and outside the lock. */
	if (gomem_want_init_on_alloc(gfp))
		memset(p, 0, size);
	trace_gomem_pool_malloc(pool->name, p, size, gfp, ip);
	return p;
}

/*
 * Free a piece with the lock held.  Return 0, -EINVAL when the arena
 * refused it (and reported it), or 1 when no arena of the pool holds it.
 * Sets *@release when a dedicated arena became empty and was unlinked.
 * @from_cache: a block a per-CPU cache gives back, its free counted
 * already.
 */
int __pool_free(struct gomem_pool *pool, void *ptr, size_t size,
		bool *release, bool from_cache)
{
	struct pool_arena *pa;
	int ret;

	lockdep_assert_held(&pool->lock);
	pa = size ? __pool_lookup(pool, ptr) : NULL;
	if (unlikely(!pa)) {
		pool->st.bad_frees++;
		return 1;
	}
	ret = gomem_arena_free(pa->arena, ptr, size);
	pool_arena_note(pa);
	if (unlikely(ret)) {
		pool->st.bad_frees++;
		return ret;
	}
	if (!from_cache) {
		pool->st.frees++;
		pool->st.free_bytes += size;
	}
	if (pa->dedicated && gomem_arena_is_empty(pa->arena)) {
		__pool_unlink(pool, pa);
		*release = true;
	}
	return 0;
}

/* Report a refused free, after the lock is dropped. */
void pool_report_bad_free(struct gomem_pool *pool, void *ptr,
			  size_t size, int ret)
{
	/* The arena reported its own refusals (ret < 0); report the rest. */
	GOMEM_WARN_CALLER(ret > 0, "gomem: pool %s: refused free of %zu bytes at %p: %s\n",
			  pool->name, size, ptr,
			  size ? "no arena of the pool holds it" : "size 0");
	gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
	trace_gomem_bad_input(pool->name, "free", ptr, size);
}

/*
 * The double free a per-CPU cache saw (the block on top of its magazine,
 * or its big block): warned and counted as the arena's.  Return: -EINVAL.
 */
int pool_free_refused(struct gomem_pool *pool, void *ptr, size_t size)
{
	unsigned long flags;

	GOMEM_WARN_CALLER(1, "gomem: pool %s: double free of %zu bytes at %p\n",
			  pool->name, size, ptr);
	raw_spin_lock_irqsave(&pool->lock, flags);
	pool->st.bad_frees++;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	pool_report_bad_free(pool, ptr, size, -EINVAL);
	return -EINVAL;
}

/* gomem_free() into the arenas, under the pool's lock. */
static __always_inline int __pool_free_arena(struct gomem_pool *pool,
					     void *ptr, size_t size,
					     unsigned long ip)
{
	unsigned long flags;
	bool release = false;
	int ret;

	raw_spin_lock_irqsave(&pool->lock, flags);
	ret = __pool_free(pool, ptr, size, &release, false);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (unlikely(ret))
		pool_report_bad_free(pool, ptr, size, ret);
	else
		trace_gomem_pool_free(pool->name, ptr, size, ip);
	if (release)
		queue_work(system_unbound_wq, &pool->release_work);
	return ret ? -EINVAL : 0;
}

/* __pool_free_arena() for the front end's big block (gomem_pcp.c). */
int pool_free_arena(struct gomem_pool *pool, void *ptr, size_t size,
		    unsigned long ip)
{
	return __pool_free_arena(pool, ptr, size, ip);
}

/*
 * gomem_free() past the common case: the rest of the per-CPU cache's
 * cases (hint lookup, flush, the double free it sees), then the arenas
 * under the pool's lock.  @ip: gomem_free()'s caller, for the trace event.
 */
noinline int pool_free_slow(struct gomem_pool *pool, void *ptr,
			    size_t size, unsigned long ip)
{
	unsigned int refused = 0;
	void *bad = NULL;
	int ret;

	if (pool->pcp && size && size <= GOMEM_POOL_PERCPU_MAX &&
	    IS_ALIGNED((unsigned long)ptr, GOMEM_GRANULE)) {
		ret = pool_pcp_free(pool, ptr, size, &bad, &refused);
		pool_pcp_report(pool, bad, DIV_ROUND_UP(size, GOMEM_GRANULE),
				refused);
		if (likely(!ret)) {
			trace_gomem_pool_free(pool->name, ptr, size, ip);
			return 0;
		}
		if (ret < 0)
			return pool_free_refused(pool, ptr, size);
	}
	return __pool_free_arena(pool, ptr, size, ip);
}

/**
 * gomem_free_rest() - keep the first bytes of an allocation, free the rest
 * @pool: the pool
 * @ptr: the allocation (or a piece of one still in use)
 * @len: its length
 * @keep: bytes to keep at @ptr
 *
 * GoMem's FreeRest: frees [@ptr + @keep, @ptr + @len).  Nothing happens
 * when @keep >= @len.
 *
 * Context: any context; never sleeps.
 * Return: 0, or -EINVAL as for gomem_free().
 */
int gomem_free_rest(struct gomem_pool *pool, void *ptr, size_t len,
		    size_t keep)
{
	if (keep >= len)
		return 0;
	return gomem_free(pool, (char *)ptr + keep, len - keep);
}
EXPORT_SYMBOL_GPL(gomem_free_rest);

/**
 * gomem_borrow() - room in a pool's free space, without allocating
 * @pool: the pool
 * @size: bytes wanted, at least 1
 *
 * GoMem's Borrow (Malloc + Free = Find): @size writable bytes inside a free
 * block.  They stay free, so they are valid only until the next call that
 * allocates from the pool or trims it -- by anyone (a trim may release the
 * arena): borrowing suits a pool with one user, or callers that serialise
 * among themselves.  The pool never grows
 * for a borrow.  Under init_on_alloc (the kernel's or gomem's parameter)
 * the room is zeroed as gomem_malloc() zeroes; otherwise it holds what the
 * free space held.
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: the room, 32-byte aligned, or NULL if no arena has it.
 */
void *gomem_borrow(struct gomem_pool *pool, size_t size)
{
	struct pool_arena *pa;
	unsigned long flags;
	void *p = NULL;

	if (!size || size > pool->params.max_arena_size)
		return NULL;
	raw_spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(pa, &pool->arenas, link) {
		if (pa->dedicated)
			continue;
		p = gomem_arena_find_nozero(pa->arena, size);
		pa->largest = SIZE_MAX;	/* a find may flush the quick cache */
		if (p)
			break;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	/* Handed out like an allocation: init_on_alloc zeroes it. */
	if (p && gomem_want_init_on_alloc(0))
		memset(p, 0, size);
	return p;
}
EXPORT_SYMBOL_GPL(gomem_borrow);

/**
 * gomem_pool_trim() - release a pool's wholly free arenas
 * @pool: the pool
 *
 * Every empty arena but one is unlinked (the pool keeps one, the
 * largest, so that atomic callers can still be served) and handed to a
 * work item that destroys it.  The stats drop them at once; the memory
 * returns when the work runs (gomem_pool_flush() waits for it).
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: the number of arenas released.
 */
unsigned long gomem_pool_trim(struct gomem_pool *pool)
{
	struct pool_arena *pa, *tmp, *keep = NULL;
	unsigned long flags, n = 0;

	/* Cached blocks keep arenas busy: give them back first. */
	pool_pcp_drain(pool);
	raw_spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(pa, &pool->arenas, link)
		if (!pa->dedicated && gomem_arena_is_empty(pa->arena) &&
		    (!keep || pa->region.size > keep->region.size))
			keep = pa;
	list_for_each_entry_safe(pa, tmp, &pool->arenas, link) {
		if (pa == keep || !gomem_arena_is_empty(pa->arena))
			continue;
		__pool_unlink(pool, pa);
		n++;
	}
	pool->st.trims += n;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	trace_gomem_pool_trim(pool->name, n);
	if (n)
		queue_work(system_unbound_wq, &pool->release_work);
	return n;
}
EXPORT_SYMBOL_GPL(gomem_pool_trim);

/**
 * gomem_pool_flush() - wait until released arenas are really freed
 * @pool: the pool
 *
 * Context: process context; sleeps.
 */
void gomem_pool_flush(struct gomem_pool *pool)
{
	flush_work(&pool->release_work);
}
EXPORT_SYMBOL_GPL(gomem_pool_flush);

static void __pool_fill_stats(struct gomem_pool *pool,
			      struct gomem_pool_stats *st)
{
	struct pool_arena *pa;

	lockdep_assert_held(&pool->lock);
	*st = pool->st;
	st->free = 0;
	st->largest_free = 0;
	st->free_blocks = 0;
	list_for_each_entry(pa, &pool->arenas, link) {
		st->free += gomem_arena_free_bytes(pa->arena);
		/* Malloc never uses a dedicated arena's slack. */
		if (!pa->dedicated)
			st->largest_free =
				max(st->largest_free,
				    gomem_arena_largest_free(pa->arena));
		st->free_blocks += gomem_arena_nr_free_blocks(pa->arena);
	}
	st->cached = 0;
	if (pool->pcp) {
		/*
		 * The arenas stand still under the pool's lock; the caches
		 * move blocks to and from callers meanwhile: exact when no
		 * malloc or free runs, and never more than the arenas hold.
		 */
		pool_pcp_sum(pool, st);
		st->cached = min(st->cached, st->reserved - st->free);
	}
	st->in_use = st->reserved - st->free - st->cached;
	st->fragmentation = st->free ?
		100 - (unsigned int)div64_u64(100ULL * st->largest_free,
					      st->free) : 0;
	st->huge = pool->params.huge;
}

/**
 * gomem_pool_get_stats() - snapshot of a pool's state and counters
 * @pool: the pool
 * @st: filled in; see struct gomem_pool_stats
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock and
 * walks the arenas: O(arenas).
 */
void gomem_pool_get_stats(struct gomem_pool *pool,
			  struct gomem_pool_stats *st)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	__pool_fill_stats(pool, st);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(gomem_pool_get_stats);

/**
 * gomem_pool_contains() - does a pool hold this address?
 * @pool: the pool
 * @ptr: the address
 *
 * Context: any context; never sleeps.  Takes the pool's raw spinlock.
 * Return: true if @ptr lies in one of the pool's arenas (in use or free).
 */
bool gomem_pool_contains(struct gomem_pool *pool, const void *ptr)
{
	unsigned long flags;
	bool ret;

	raw_spin_lock_irqsave(&pool->lock, flags);
	ret = __pool_lookup(pool, ptr);
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(gomem_pool_contains);

/**
 * gomem_pool_name() - a pool's name
 * @pool: the pool
 *
 * Context: any context.
 * Return: the name given to gomem_pool_create().
 */
const char *gomem_pool_name(const struct gomem_pool *pool)
{
	return pool->name;
}
EXPORT_SYMBOL_GPL(gomem_pool_name);

/* The arena of lowest base above @after (NULL: the first one), or NULL. */
static struct pool_arena *__pool_next(struct gomem_pool *pool,
				      const void *after)
{
	struct rb_node *n = pool->tree.rb_node;
	struct pool_arena *next = NULL;

	lockdep_assert_held(&pool->lock);
	while (n) {
		struct pool_arena *pa = rb_entry(n, struct pool_arena, node);

		if ((unsigned long)pa->region.base <= (unsigned long)after) {
			n = n->rb_right;
		} else {
			next = pa;
			n = n->rb_left;
		}
	}
	return next;
}

/**
 * gomem_pool_check() - verify a pool and all its arenas
 * @pool: the pool
 *
 * Checks that the rbtree and the list hold the same arenas in address
 * order without overlap, each with the pool's index, and that the
 * incremental counters agree with them; then every arena
 * (gomem_arena_check()), one at a time in address order.  An arena added
 * or released meanwhile may be checked or not.  For tests and debugging.
 *
 * Cost: the pool's raw spinlock (interrupts off) is held once for the
 * O(arenas log arenas) walk of the lists, then once per arena for its own
 * check, O(free blocks of that arena) (up to max_arena_size / 64 blocks;
 * about 85 ns a block: 5 ms for a 4 MiB arena fragmented into 32-byte
 * blocks, 1.4 s for a 1 GiB one), dropping it between arenas.
 *
 * Context: any context; never sleeps.
 * Return: 0 if consistent, -EUCLEAN otherwise.
 */
int gomem_pool_check(struct gomem_pool *pool)
{
	unsigned long flags, in_tree = 0, in_list = 0, ded = 0, ranged = 0;
	struct pool_arena *pa, *prev = NULL;
	struct rb_node *node;
	size_t reserved = 0;
	const void *last;
	int ret = 0;

	/* The arenas alone hold the truth once the caches are drained. */
	pool_pcp_drain(pool);
	if (pool->pcp && pool_pcp_check(pool))
		ret = -EUCLEAN;
	raw_spin_lock_irqsave(&pool->lock, flags);
	for (node = rb_first(&pool->tree); node; node = rb_next(node)) {
		pa = rb_entry(node, struct pool_arena, node);
		/* The per-CPU caches' ranges: every regular arena, in order. */
		if (pool->pcp && !pa->dedicated) {
			if (ranged >= pool->nr_ranges ||
			    pool->ranges[ranged].base !=
			    (unsigned long)pa->region.base ||
			    pool->ranges[ranged].end !=
			    (unsigned long)pa->region.base + pa->region.size)
				ret = -EUCLEAN;
			ranged++;
		}
		if (pa->arena->index != pool->params.index ||
		    gomem_arena_size(pa->arena) > pa->region.size ||
		    (pa->region.growable &&
		     gomem_arena_size(pa->arena) != pa->region.size) ||
		    (prev && (char *)prev->region.base + prev->region.size >
			     (char *)pa->region.base))
			ret = -EUCLEAN;
		reserved += pa->region.size;
		ded += pa->dedicated;
		in_tree++;
		prev = pa;
	}
	list_for_each_entry(pa, &pool->arenas, link) {
		/* Malloc's walk skips by the note: too low, it loses memory. */
		if (__pool_lookup(pool, pa->region.base) != pa ||
		    pa->largest < gomem_arena_largest_free(pa->arena))
			ret = -EUCLEAN;
		in_list++;
	}
	if (in_tree != in_list || in_tree != pool->nr_arenas ||
	    (pool->pcp && ranged != pool->nr_ranges) || (pool->gen & 1) ||
	    in_tree != pool->st.arenas || reserved != pool->st.reserved ||
	    ded != pool->st.dedicated)
		ret = -EUCLEAN;
	raw_spin_unlock_irqrestore(&pool->lock, flags);

	/* The costly part, one arena per lock hold; @pa is not kept across. */
	last = NULL;
	do {
		raw_spin_lock_irqsave(&pool->lock, flags);
		pa = __pool_next(pool, last);
		if (pa) {
			if (gomem_arena_check(pa->arena))
				ret = -EUCLEAN;
			last = pa->region.base;
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
	} while (pa);
	return ret;
}
EXPORT_SYMBOL_GPL(gomem_pool_check);

/**
 * gomem_pool_map() - an occupancy picture of each arena, in address order
 * @pool: the pool
 * @width: cells per arena (see gomem_arena_strip())
 * @fn: called for each arena with its picture, the lock dropped
 * @arg: passed to @fn
 *
 * One arena per hold of the pool's lock, as gomem_pool_check() does: the
 * time with interrupts off is one arena's walk of its free blocks.
 *
 * Context: process context (@fn may print into a seq_file).
 */
void gomem_pool_map(struct gomem_pool *pool, unsigned int width,
		    gomem_pool_map_fn fn, void *arg)
{
	char strip[GOMEM_STRIP_MAX + 1];
	const void *last = NULL;
	struct pool_arena *pa;
	unsigned long flags;
	bool dedicated;
	size_t size;
	u32 per;

	do {
		raw_spin_lock_irqsave(&pool->lock, flags);
		pa = __pool_next(pool, last);
		if (pa) {
			per = gomem_arena_strip(pa->arena, strip, width);
			last = pa->region.base;
			size = pa->region.size;
			dedicated = pa->dedicated;
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		if (pa)
			fn(arg, last, size, dedicated, per, strip);
	} while (pa);
}
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_map);

/*
 * A name debugfs can make a directory of and the pools file can show: 1 to
 * GOMEM_POOL_NAME_MAX printable ASCII characters, no space, no '/', not
 * "." or "..".
 */
static bool pool_name_ok(const char *name)
{
	size_t i, len = name ? strnlen(name, GOMEM_POOL_NAME_MAX + 1) : 0;

	if (!len || len > GOMEM_POOL_NAME_MAX || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~' || name[i] == '/')
			return false;
	return true;
}

/**
 * gomem_pool_create() - create a pool and its first arena
 * @name: unique name, 1 to %GOMEM_POOL_NAME_MAX printable ASCII characters
 *	  (0x21 to 0x7e), no '/', not "." or ".."; the debugfs directory
 *	  /sys/kernel/debug/gomem/<name>/, and a column of the pools file
 * @params: parameters, or NULL for all defaults
 *
 * Context: process context; sleeps (vmalloc, debugfs).
 * Return: the pool, or ERR_PTR(-EINVAL) for a bad name or parameter,
 * ERR_PTR(-EEXIST) if the name is taken (by a pool or by a file of the
 * module's debugfs directory), ERR_PTR(-ENOMEM).
 */
struct gomem_pool *gomem_pool_create(const char *name,
				     const struct gomem_pool_params *params)
{
	struct pool_range *spare = NULL;
	struct gomem_pool_params p = params ? *params :
				     (struct gomem_pool_params){ 0 };
	struct gomem_pool *pool, *other;
	struct pool_arena *pa;
	int ret;

	if (!pool_name_ok(name) || p.backing > GOMEM_BACKING_BUDDY ||
	    p.index > GOMEM_INDEX_AVL || p.percpu > GOMEM_PERCPU_ON ||
	    p.grow > GOMEM_GROW_IN_PLACE)
		return ERR_PTR(-EINVAL);
	if (p.grow == GOMEM_GROW_DEFAULT)
		p.grow = READ_ONCE(gomem_pool_grow_in_place) ?
			 GOMEM_GROW_IN_PLACE : GOMEM_GROW_NEW_ARENAS;
	if (p.percpu == GOMEM_PERCPU_DEFAULT)
		p.percpu = READ_ONCE(gomem_pool_percpu_default) ?
			   GOMEM_PERCPU_ON : GOMEM_PERCPU_OFF;
	/*
	 * The debug switch: every free to the arenas' full check; and poison
	 * mode, whose pattern the arenas write and check (gomem_init.h).
	 */
	if (READ_ONCE(gomem_pool_percpu_strict) || gomem_want_poison())
		p.percpu = GOMEM_PERCPU_OFF;
	if (!p.max_arena_size)
		p.max_arena_size = GOMEM_POOL_DEFAULT_MAX_ARENA;
	if (!p.initial_size)
		p.initial_size = min(GOMEM_POOL_DEFAULT_INITIAL,
				     p.max_arena_size);
	if (p.max_arena_size > SZ_1G || p.initial_size > p.max_arena_size ||
	    p.initial_size < PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	p.max_arena_size = roundup_pow_of_two(p.max_arena_size);
	p.initial_size = roundup_pow_of_two(p.initial_size);
	/* Once: every arena the pool ever adds takes this index. */
	p.index = gomem_arena_resolve_index(p.index);

	pool = gomem_should_fail(sizeof(*pool)) ? NULL :
	       kzalloc(sizeof(*pool), GFP_KERNEL | __GFP_NOWARN);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&pool->lock);
	pool->tree = RB_ROOT;
	INIT_LIST_HEAD(&pool->arenas);
	INIT_LIST_HEAD(&pool->dead);
	INIT_WORK(&pool->release_work, pool_release_work);
	mutex_init(&pool->grow_mutex);
	pool->params = p;
	pool->grow_in_place = p.grow == GOMEM_GROW_IN_PLACE &&
			      p.backing == GOMEM_BACKING_VMALLOC && !p.huge &&
			      gomem_vres_supported();
	pool->child_size = p.initial_size;
	strscpy(pool->name, name, sizeof(pool->name));
	if (p.percpu == GOMEM_PERCPU_ON) {
		ret = pool_pcp_create(pool);
		if (ret)
			goto err_free_pool;
		pool->pcp_limit = (size_t)READ_ONCE(gomem_pool_percpu_cache_kb)
				  << 10;
		pool->cap_ranges = 8;
		pool->ranges = gomem_should_fail(8 * sizeof(*pool->ranges)) ?
			       NULL :
			       kmalloc_array(8, sizeof(*pool->ranges),
					     GFP_KERNEL | __GFP_NOWARN);
		if (!pool->ranges) {
			ret = -ENOMEM;
			goto err_free_pool;
		}
	}

	pa = pool_arena_new(pool, p.initial_size,
			    pool->grow_in_place ?
			    max_t(size_t, p.initial_size,
				  p.max_arena_size / POOL_FIRST_CAP_SHARE) : 0,
			    false, GFP_KERNEL);
	if (!pa) {
		ret = -ENOMEM;
		goto err_free_pool;
	}
	raw_spin_lock_irq(&pool->lock);
	/* The first range: room for 8 already. */
	__pool_link(pool, pa, &spare, 0);
	raw_spin_unlock_irq(&pool->lock);

	mutex_lock(&pools_mutex);
	list_for_each_entry(other, &pools, link) {
		if (!strcmp(other->name, pool->name)) {
			ret = -EEXIST;
			goto err_unlock;
		}
	}
	/* A refusal rolls back the subscribers that took the pool. */
	ret = blocking_notifier_call_chain_robust(&pool_chain, GOMEM_POOL_ADD,
						  GOMEM_POOL_DEL, pool);
	ret = notifier_to_errno(ret);
	if (ret)
		goto err_unlock;
	if (pool->pcp && pool_cpuhp_state > 0)
		cpuhp_state_add_instance_nocalls(pool_cpuhp_state,
						 &pool->cpuhp_node);
	list_add_tail(&pool->link, &pools);
	mutex_unlock(&pools_mutex);
	gomem_stat_inc(GOMEM_STAT_POOLS_LIVE);
	return pool;

err_unlock:
	mutex_unlock(&pools_mutex);
	pool_arena_release(pa);
err_free_pool:
	mutex_destroy(&pool->grow_mutex);
	kfree(pool->ranges);
	free_percpu(pool->pcp);
	kfree(pool);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(gomem_pool_create);

/**
 * gomem_pool_destroy() - destroy a pool and all its arenas
 * @pool: the pool, or NULL / an ERR_PTR() (then nothing happens)
 *
 * Memory still in use is a caller bug: it warns once, prints the live
 * bytes of each arena, counts ``pool_bad_input``, and frees everything
 * anyway (the caller's pointers dangle).
 *
 * Context: process context; sleeps.  No other call on @pool may run or
 * follow.
 */
void gomem_pool_destroy(struct gomem_pool *pool)
{
	struct gomem_pool_stats st;
	struct pool_arena *pa, *tmp;

	if (IS_ERR_OR_NULL(pool))
		return;
	mutex_lock(&pools_mutex);
	list_del(&pool->link);
	blocking_notifier_call_chain(&pool_chain, GOMEM_POOL_DEL, pool);
	mutex_unlock(&pools_mutex);

	if (pool->pcp && pool_cpuhp_state > 0)
		cpuhp_state_remove_instance_nocalls(pool_cpuhp_state,
						    &pool->cpuhp_node);
	/* Cached blocks are free memory, not the caller's. */
	pool_pcp_drain(pool);
	raw_spin_lock_irq(&pool->lock);
	__pool_fill_stats(pool, &st);
	raw_spin_unlock_irq(&pool->lock);
	if (GOMEM_WARN_CALLER(st.in_use,
			      "gomem: pool %s destroyed with %zu bytes in use\n",
			      pool->name, st.in_use)) {
		gomem_stat_inc(GOMEM_STAT_POOL_BAD_INPUT);
		pr_warn("pool %s: destroyed with %zu bytes in use in %lu arenas (%lu mallocs, %lu frees)\n",
			pool->name, st.in_use, st.arenas, st.mallocs, st.frees);
		list_for_each_entry(pa, &pool->arenas, link) {
			size_t live = pa->region.size -
				      gomem_arena_free_bytes(pa->arena);

			if (live)
				pr_warn("pool %s: arena [%p, +%zu)%s: %zu bytes live\n",
					pool->name, pa->region.base,
					pa->region.size,
					pa->dedicated ? " dedicated" : "",
					live);
		}
	}

	/* No other user now: the work item is the only one left. */
	flush_work(&pool->release_work);
	list_for_each_entry_safe(pa, tmp, &pool->arenas, link) {
		list_del(&pa->link);
		pool_arena_release(pa);
	}
	list_for_each_entry_safe(pa, tmp, &pool->dead, link) {
		list_del(&pa->link);
		pool_arena_release(pa);
	}
	gomem_stat_dec(GOMEM_STAT_POOLS_LIVE);
	mutex_destroy(&pool->grow_mutex);
	kfree(pool->ranges);
	free_percpu(pool->pcp);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(gomem_pool_destroy);

/**
 * gomem_pool_get_params() - the parameters a pool was created with
 * @pool: the pool
 *
 * Defaults are filled in and the index is resolved: never
 * GOMEM_INDEX_DEFAULT.
 *
 * Context: any context.
 * Return: the parameters, valid as long as the pool.
 */
const struct gomem_pool_params *
gomem_pool_get_params(const struct gomem_pool *pool)
{
	return &pool->params;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_get_params);

/**
 * gomem_pool_free_many() - free many pieces, the lock taken once per batch
 * @pool: the pool
 * @segs: the pieces
 * @idx: indexes into @segs of the pieces to free
 * @nr: entries in @idx
 *
 * For recyclable memory: one lock hold per GOMEM_POOL_FREE_BATCH pieces,
 * not one per piece, so that interrupts are off for a bounded time.  A
 * refused piece is reported as gomem_free() would, after the lock is
 * dropped.
 *
 * Context: any context; never sleeps.
 * Return: the number of pieces refused.
 */
unsigned int gomem_pool_free_many(struct gomem_pool *pool,
				  const struct kvec *segs,
				  const unsigned int *idx, unsigned int nr)
{
	unsigned int i = 0, first, bad = 0;
	bool release = false;
	unsigned long flags;

	BUILD_BUG_ON(GOMEM_POOL_FREE_BATCH > 32);
	while (i < nr) {
		u32 refused = 0, foreign = 0;

		first = i;
		raw_spin_lock_irqsave(&pool->lock, flags);
		for (; i < nr && i - first < GOMEM_POOL_FREE_BATCH; i++) {
			const struct kvec *seg = &segs[idx[i]];
			int ret = __pool_free(pool, seg->iov_base, seg->iov_len,
					      &release, false);

			if (!ret)
				trace_gomem_pool_free(pool->name, seg->iov_base,
						      seg->iov_len, _RET_IP_);

			refused |= (u32)!!ret << (i - first);
			foreign |= (u32)(ret > 0) << (i - first);
		}
		raw_spin_unlock_irqrestore(&pool->lock, flags);
		/* Report this batch's refusals with the lock dropped. */
		for (; refused; refused &= refused - 1) {
			unsigned int k = __ffs(refused);
			const struct kvec *seg = &segs[idx[first + k]];

			pool_report_bad_free(pool, seg->iov_base, seg->iov_len,
					     foreign & BIT(k) ? 1 : -EINVAL);
			bad++;
		}
	}
	if (release)
		queue_work(system_unbound_wq, &pool->release_work);
	return bad;
}

/**
 * gomem_pool_register_notifier() - hear of pools created and destroyed
 * @nb: called with GOMEM_POOL_ADD (may refuse with notifier_from_errno())
 *	and GOMEM_POOL_DEL, the pool as data, under the registry mutex
 *
 * Context: process context; sleeps.
 * Return: 0.
 */
int gomem_pool_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&pool_chain, nb);
}

/**
 * gomem_pool_unregister_notifier() - stop hearing of pools
 * @nb: as registered
 *
 * Context: process context; sleeps.
 */
void gomem_pool_unregister_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&pool_chain, nb);
}

/**
 * gomem_pool_for_each() - call @fn for every live pool, in creation order
 * @fn: the callback; non-zero stops the walk
 * @arg: its cookie
 *
 * Context: process context; holds the registry mutex.
 * Return: what @fn returned last.
 */
int gomem_pool_for_each(int (*fn)(struct gomem_pool *pool, void *arg),
			void *arg)
{
	struct gomem_pool *pool;
	int ret = 0;

	mutex_lock(&pools_mutex);
	list_for_each_entry(pool, &pools, link) {
		ret = fn(pool, arg);
		if (ret)
			break;
	}
	mutex_unlock(&pools_mutex);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gomem_pool_for_each);

/* === Memory pressure: the shrinker's side (DOC in gomem_core.c) === */

/* Bytes gomem_pool_trim() would give back now, at most. */
static size_t pool_reclaimable(struct gomem_pool *pool)
{
	size_t bytes = 0, keep = 0;
	struct pool_arena *pa;
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(pa, &pool->arenas, link) {
		if (!gomem_arena_is_empty(pa->arena))
			continue;
		bytes += pa->region.size;
		if (!pa->dedicated)
			keep = max(keep, pa->region.size);
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	bytes -= keep;
	/* Draining may empty more arenas: count the caches too. */
	if (pool->pcp)
		bytes += pool_pcp_cached(pool);
	return bytes;
}

static size_t pool_reserved(struct gomem_pool *pool)
{
	unsigned long flags;
	size_t r;

	raw_spin_lock_irqsave(&pool->lock, flags);
	r = pool->st.reserved;
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	return r;
}

/*
 * gomem_pools_reclaimable(): the shrinker's count, in bytes: what
 * gomem_pool_trim() of every live pool would give back now, at most.
 *
 * Context: process context (reclaim); never sleeps: tries the registry
 * mutex only.
 * Return: the bytes, 0 when the registry is busy.
 */
unsigned long gomem_pools_reclaimable(void)
{
	struct gomem_pool *pool;
	unsigned long bytes = 0;

	if (!mutex_trylock(&pools_mutex))
		return 0;
	list_for_each_entry(pool, &pools, link)
		bytes += pool_reclaimable(pool);
	mutex_unlock(&pools_mutex);
	return bytes;
}

/*
 * gomem_pools_shrink(): the shrinker's scan: trim pool after pool, in
 * creation order, until @want bytes were released.  The arenas go to the
 * pools' release work items; nothing is freed here.
 *
 * Context: process context (reclaim); never sleeps, allocates nothing:
 * tries the registry mutex only.
 * Return: the bytes released (arenas unlinked), or -EBUSY when the
 * registry is busy.
 */
long gomem_pools_shrink(unsigned long want)
{
	struct gomem_pool *pool;
	unsigned long done = 0;

	if (!mutex_trylock(&pools_mutex))
		return -EBUSY;
	list_for_each_entry(pool, &pools, link) {
		size_t before;

		if (done >= want)
			break;
		before = pool_reserved(pool);
		if (gomem_pool_trim(pool))
			done += before - min(before, pool_reserved(pool));
	}
	mutex_unlock(&pools_mutex);
	return min_t(unsigned long, done, LONG_MAX);
}

/*
 * gomem_pool_init(): at module load: the CPU-hotplug state whose teardown
 * drains a dead CPU's cache in every pool with a front end.
 *
 * Context: process context; module init.
 * Return: 0, or a negative errno.
 */
int gomem_pool_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN,
					  "gomem/pool:dead", NULL,
					  pool_pcp_cpu_dead);

	if (ret < 0)
		return ret;
	pool_cpuhp_state = ret;
	return 0;
}

/*
 * gomem_pool_exit(): at module unload: no pool work may outlive the text
 *
 * Consumers hold a module reference while they have pools, so none should
 * be left; a leaked one is reported and its release work flushed.
 *
 * Context: process context; module exit.
 */
void gomem_pool_exit(void)
{
	struct gomem_pool *pool;

	mutex_lock(&pools_mutex);
	list_for_each_entry(pool, &pools, link) {
		pr_warn("pool %s still exists at unload\n", pool->name);
		flush_work(&pool->release_work);
	}
	mutex_unlock(&pools_mutex);
	if (pool_cpuhp_state > 0)
		cpuhp_remove_multi_state(pool_cpuhp_state);
	pool_cpuhp_state = 0;
}
